"""The scoring job's output folder: what is already scored, reviews, and the files.

`DIR/scored.parquet` is the record of every inquiry ever scored into DIR; a
rerun reads its ids and skips them. `DIR/reviewed.jsonl` holds grades a
manager set by hand; every run reads it and never overwrites those grades.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

SCORED_PARQUET = "scored.parquet"
SCORED_CSV = "scored.csv"
DISAGREEMENTS_CSV = "disagreements.csv"
QUARANTINE_JSONL = "quarantine.jsonl"
RUN_JSON = "run.json"
RUN_HISTORY = "runs.jsonl"
REVIEWED_JSONL = "reviewed.jsonl"


SCORED_SCHEMA = pa.schema(
    [
        ("inquiry_id", pa.string()),
        ("received_at", pa.timestamp("us", tz="UTC")),
        ("channel", pa.string()),
        ("sender_name", pa.string()),
        ("sender_email", pa.string()),
        ("company", pa.string()),
        ("country", pa.string()),
        ("subject", pa.string()),
        ("body", pa.string()),
        ("phone", pa.string()),
        ("phone_e164", pa.string()),
        ("received_offset_minutes", pa.float64()),
        ("country_code", pa.string()),
        ("language", pa.string()),
        ("grade", pa.int64()),
        ("grade_source", pa.string()),
        ("confidence", pa.float64()),
        ("model_grade", pa.int64()),
        ("model_confidence", pa.float64()),
        ("model_fraud_probability", pa.float64()),
        ("rule_grade", pa.int64()),
        ("suspected_fraud", pa.bool_()),
        ("fraud_reasons", pa.list_(pa.string())),
        # The rulebook's fraud reasons the model cleared (models/hybrid.yaml): a manager confirms them.
        ("fraud_cleared", pa.list_(pa.string())),
        ("disagreement", pa.bool_()),
        ("rules_fired", pa.list_(pa.string())),
        ("rule_stage", pa.string()),
        ("fraud_score", pa.float64()),
        ("model_reasons", pa.list_(pa.string())),
        ("reviewed_by", pa.string()),
        ("explanation", pa.string()),
        ("product_skus", pa.list_(pa.string())),
        ("product_categories", pa.list_(pa.string())),
        ("model_version", pa.string()),
        ("ruleset_version", pa.string()),
        ("run_id", pa.string()),
    ]
)

# Columns the routing step adds to this run's rows (see pipeline/routing).
ROUTING_SCHEMA = pa.schema(
    [
        ("assigned_to", pa.string()),
        ("assigned_rep_name", pa.string()),
        ("queue", pa.string()),
        ("assignment_rule", pa.string()),
        ("unassigned_reason", pa.string()),
        ("requires_supervisor_review", pa.bool_()),
        ("assigned_at", pa.timestamp("us", tz="UTC")),
        ("buyer_timezone", pa.string()),
        ("reply_due_at", pa.timestamp("us", tz="UTC")),
        ("send_window_local", pa.string()),
        ("reply_rule", pa.string()),
        ("reply_in_buyer_hours", pa.bool_()),
        ("next_follow_up_at", pa.timestamp("us", tz="UTC")),
        ("draft_path", pa.string()),
    ]
)


def scored_ids(out_dir: Path) -> set[str]:
    """Ids already scored into this folder (empty for a new folder)."""
    import pyarrow.parquet as pq

    path = out_dir / SCORED_PARQUET
    if not path.exists():
        return set()
    ids: set[str] = set()
    for batch in pq.ParquetFile(path).iter_batches(columns=["inquiry_id"], batch_size=200_000):
        ids.update(batch.column(0).to_pylist())
    return ids


def load_reviews(paths: list[Path]) -> dict[str, dict]:
    """Manager reviews keyed by inquiry id; a later line for the same id wins.

    A line that is not a JSON object with an `inquiry_id` and a `grade` of 1..4
    is an error naming the file and line: a review must never be lost quietly.
    """
    reviews: dict[str, dict] = {}
    for path in paths:
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    review = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}, line {number}: not valid JSON ({error.msg})") from None
                if not isinstance(review, dict) or not review.get("inquiry_id"):
                    raise ValueError(f"{path}, line {number}: a review needs an 'inquiry_id'")
                if review.get("grade") not in (1, 2, 3, 4):
                    raise ValueError(f"{path}, line {number}, field 'grade': must be 1, 2, 3 or 4, got {review.get('grade')!r}")
                reviews[str(review["inquiry_id"])] = review
    return reviews
