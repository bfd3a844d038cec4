"""Realistic synthetic data for a seller: profile, catalog, team, labelled history, tonight.

A latent buyer type (existing customer, serious RFQ, OEM seeker, collector, competitor,
vendor, one of many scams ...) drives both the text of each inquiry and the label a sales
manager would give it. Several industries ship with the generator, so models trained on
it can be checked on another company's catalogue.

    >>> from pipeline.generate import company_choices
    >>> any(choice.startswith("seating") for choice in company_choices())
    True
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from pipeline.generate.blocks import BatchSpec, RunSpec, generate_batch
from pipeline.generate.buyer_types import BUYER_TYPES
from pipeline.generate.companies import DEFAULT_COMPANY, company_choices, load_company
from pipeline.generate.team import build_team
from pipeline.generate.world import read_yaml
from pipeline.generate.writer import join_jsonl, join_parquet, write_catalog_and_team, write_profile, write_summary

__all__ = ["GenerationSummary", "generate_company", "company_choices", "BUYER_TYPES", "DEFAULT_COMPANY"]


@dataclass(frozen=True)
class GenerationSummary:
    """What a generation run wrote, with the counts a reader checks first."""

    out_dir: Path
    company: str
    seed: int
    history_rows: int
    tonight_rows: int
    history_path: Path
    tonight_path: Path
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    label_noise_rate: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "seed": self.seed,
            "history_rows": self.history_rows,
            "tonight_rows": self.tonight_rows,
            "history_file": self.history_path.name,
            "tonight_file": self.tonight_path.name,
            "label_noise_rate": round(self.label_noise_rate, 4),
            "counts": self.counts,
        }


def default_tonight(n: int) -> int:
    """Size of the unlabelled night batch when not given: a tenth of the history, 50 at least."""
    return max(50, n // 10)


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def generate_company(
    out_dir: str | Path,
    n: int,
    seed: int,
    company: str = DEFAULT_COMPANY,
    tonight: int | None = None,
    workers: int | None = None,
    history_format: str = "jsonl",
    on_progress: Callable[[int], None] | None = None,
) -> GenerationSummary:
    """Write profile.yaml, catalog.csv, team.csv, history, tonight.jsonl and generation.json.

    Output is byte-identical for the same (n, seed, company, tonight), whatever `workers`.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if history_format not in ("jsonl", "parquet"):
        raise ValueError(f"history format must be 'jsonl' or 'parquet', got '{history_format}'")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seller = load_company(company)
    tonight_rows = default_tonight(n) if tonight is None else tonight
    if tonight_rows < 0:
        raise ValueError(f"tonight must not be negative, got {tonight_rows}")
    period = read_yaml("generation.yaml")
    spec = RunSpec(
        company=seller.key,
        seed=seed,
        n=n,
        start=_as_date(period["history_start"]),
        end=_as_date(period["history_end"]),
        night_start=datetime.fromisoformat(str(period["night_start"])),
        night_hours=float(period["night_hours"]),
    )
    write_profile(out, seller)
    write_catalog_and_team(out, seller, build_team(seller))
    workers = default_workers() if workers is None else max(1, workers)
    prefix = seller.customer_prefix
    history_path = out / f"history.{history_format}"
    tonight_path = out / "tonight.jsonl"
    with tempfile.TemporaryDirectory(prefix=".generate-", dir=out) as scratch:
        history_dir, tonight_dir = Path(scratch) / "history", Path(scratch) / "tonight"
        history_dir.mkdir()
        tonight_dir.mkdir()
        history = BatchSpec("history", n, f"{prefix}-H", True, history_format)
        parts, counts = generate_batch(spec, history, history_dir, workers, on_progress)
        (join_parquet if history_format == "parquet" else join_jsonl)(parts, history_path)
        night = BatchSpec("tonight", tonight_rows, f"{prefix}-T{spec.night_start:%Y%m%d}-", False, "jsonl")
        if tonight_rows:
            night_parts, night_counts = generate_batch(spec, night, tonight_dir, 1)
            join_jsonl(night_parts, tonight_path)
        else:
            night_counts = {}
            tonight_path.write_text("", encoding="utf-8")
    noisy = counts["noisy"].get(True, 0)
    summary = GenerationSummary(
        out_dir=out,
        company=seller.name,
        seed=seed,
        history_rows=n,
        tonight_rows=tonight_rows,
        history_path=history_path,
        tonight_path=tonight_path,
        counts={
            **{key: _plain(counts[key]) for key in ("grade", "suspected_fraud", "buyer_type", "fraud_kind", "language", "channel")},
            "tonight_buyer_type": _plain(night_counts.get("buyer_type", Counter())),
        },
        label_noise_rate=noisy / n,
    )
    write_summary(out, summary.as_dict())
    return summary


def _plain(counter: Counter) -> dict[str, int]:
    return {str(key).lower() if isinstance(key, bool) else str(key): value for key, value in sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
