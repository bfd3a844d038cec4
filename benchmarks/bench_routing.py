"""Benchmark routing on 10,000 generated scored inquiries.

Reports throughput (rows/s) of assignment + deadlines + follow-ups + log, the
fairness spread among equally eligible reps (all assignments and grade 1-2),
the share of reply deadlines inside the buyer's working hours, and the speed
of writing drafts (measured separately: it is the slow part). Writes
`benchmarks/results/routing.json`.

    .venv/bin/python benchmarks/bench_routing.py [--rows 10000] [--drafts 1000]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.profile import DEFAULT_SETTINGS, CompanyProfile  # noqa: E402
from pipeline.routing import route_with_summary  # noqa: E402
from pipeline.routing.drafts import DraftWriter  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "routing.json"
START = pd.Timestamp("2025-03-03 00:00", tz="UTC")  # a Monday; arrivals span two weeks from here

# Buyers by country, weight, language and a sample phone prefix (E.164) for multi-zone countries.
MARKETS = [
    ("DE", 10, "de", None),
    ("FR", 6, "fr", None),
    ("ES", 5, "es", None),
    ("IT", 5, "it", None),
    ("GB", 7, "en", None),
    ("NL", 3, "en", None),
    ("PL", 3, "en", None),
    ("RU", 4, "ru", "+7495"),
    ("US", 14, "en", "+1310"),
    ("CA", 3, "en", "+1604"),
    ("MX", 3, "es", "+5255"),
    ("BR", 4, "pt", "+5511"),
    ("CL", 2, "es", None),
    ("AU", 4, "en", "+6139"),
    ("NZ", 1, "en", None),
    ("SA", 4, "ar", None),
    ("AE", 4, "en", None),
    ("EG", 2, "ar", None),
    ("IL", 1, "en", None),
    ("IR", 1, "en", None),
    ("IN", 5, "en", None),
    ("PK", 2, "en", None),
    ("JP", 2, "en", None),
    ("KR", 2, "en", None),
    ("HK", 2, "en", None),
    ("TW", 1, "zh", None),
    ("VN", 2, "en", None),
    ("ID", 2, "en", "+6221"),
    ("NG", 3, "en", None),
    ("KE", 2, "en", None),
    ("ZA", 2, "en", None),
    (None, 3, "und", None),
]
CATEGORIES = ["chairs", "desks", "sofas", "cabinets"]
# Three groups of equally eligible reps (same regions, categories and languages).
GROUPS = {
    "europe": ("Europe;CIS", "en;de;fr;es;it;ru", ["E1", "E2", "E3"]),
    "americas": ("Americas", "en;es;pt", ["A1", "A2", "A3"]),
    "rest_of_world": ("Asia;Oceania;Africa;Middle East", "en;ar;zh", ["W1", "W2", "W3"]),
}


def build_profile(capacity: int) -> CompanyProfile:
    catalog = pd.DataFrame(
        [
            {
                "sku": f"{category[:2].upper()}-{n}",
                "name": f"{category.title()} model {n}",
                "category": category,
                "keywords": [],
                "unit": "pcs",
                "moq": 50 * n,
                "price_usd": 20.0 + n,
            }
            for category in CATEGORIES
            for n in range(1, 6)
        ]
    )
    team = pd.DataFrame(
        [
            {
                "rep_id": rep,
                "name": f"Rep {rep}",
                "email": f"{rep.lower()}@example.com",
                "regions": regions.split(";"),
                "categories": list(CATEGORIES),
                "languages": languages.split(";"),
                "seniority": 1 + i,
                "capacity_per_day": capacity,
                "active": True,
            }
            for regions, languages, reps in GROUPS.values()
            for i, rep in enumerate(reps)
        ]
    )
    from datetime import time as clock

    return CompanyProfile(
        name="Benchmark Furniture Co., Ltd.",
        timezone="Asia/Shanghai",
        work_start=clock(9),
        work_end=clock(18),
        workdays=("Mon", "Tue", "Wed", "Thu", "Fri"),
        catalog=catalog,
        team=team,
        settings=dict(DEFAULT_SETTINGS),
    )


def build_inquiries(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    weights = np.array([market[1] for market in MARKETS], dtype=float)
    markets = rng.choice(len(MARKETS), size=rows, p=weights / weights.sum())
    grades = rng.choice([1, 2, 3, 4], size=rows, p=[0.12, 0.2, 0.3, 0.38])
    fraud = rng.random(rows) < 0.06
    buyers = rng.integers(0, int(rows * 0.7), size=rows)  # about a third of buyers write more than once
    minutes = rng.integers(0, 14 * 24 * 60, size=rows)
    records = []
    for i in range(rows):
        country, _, language, prefix = MARKETS[markets[i]]
        category = CATEGORIES[i % len(CATEGORIES)]
        records.append(
            {
                "inquiry_id": f"bench-{i:05d}",
                "received_at": START + pd.Timedelta(minutes=int(minutes[i])),
                "received_offset_minutes": None,
                "grade": 4 if fraud[i] else int(grades[i]),
                "suspected_fraud": bool(fraud[i]),
                "fraud_reasons": ["asks for fees in advance"] if fraud[i] else [],
                "country_code": country,
                "phone_e164": f"{prefix}{5550000 + i % 10000:07d}" if prefix and i % 2 == 0 else None,
                "sender_email": f"buyer{buyers[i]}@company{buyers[i]}.example",
                "sender_name": f"Buyer {buyers[i]}",
                "company": f"Company {buyers[i]} Ltd",
                "language": language,
                "subject": f"Inquiry about {category}",
                "body": f"We need 200 {category}. What is the MOQ? Can you send photos?",
                "product_skus": [f"{category[:2].upper()}-{1 + i % 5}"],
                "product_categories": [category],
            }
        )
    frame = pd.DataFrame(records)
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True)
    return frame


def fairness(routed: pd.DataFrame) -> dict:
    """Max-min spread of assignments within each group of equally eligible reps."""
    on_rep = routed.loc[routed["queue"] == "rep"]
    spreads = {}
    for group, (_, _, reps) in GROUPS.items():
        counts = on_rep["assigned_to"].value_counts().reindex(reps, fill_value=0)
        urgent = on_rep.loc[on_rep["grade"] <= 2, "assigned_to"].value_counts().reindex(reps, fill_value=0)
        spreads[group] = {
            "assignments": counts.to_dict(),
            "spread": int(counts.max() - counts.min()),
            "spread_share": round(float((counts.max() - counts.min()) / max(counts.mean(), 1)), 4),
            "grade_1_2": urgent.to_dict(),
            "grade_1_2_spread": int(urgent.max() - urgent.min()),
        }
    return spreads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--drafts", type=int, default=1_000, help="how many drafts to write for the draft timing"
    )
    args = parser.parse_args()

    profile = build_profile(capacity=args.rows)  # ample capacity: fairness is not distorted by full reps
    inquiries = build_inquiries(args.rows)
    now = START + pd.Timedelta(days=14)
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "first", Path(folder) / "second"
        started = time.perf_counter()  # cold: the process's first batch pays for imports and holiday tables
        route_with_summary(inquiries, profile, first, run_id="bench", now=now, drafts=False)
        cold_seconds = time.perf_counter() - started
        started = time.perf_counter()  # warm: a fresh run folder, same process
        routed, summary = route_with_summary(
            inquiries, profile, second, run_id="bench", now=now, drafts=False
        )
        routing_seconds = time.perf_counter() - started
        started = time.perf_counter()  # rerun: every inquiry is already in the log
        route_with_summary(inquiries, profile, second, run_id="bench-rerun", now=now, drafts=False)
        rerun_seconds = time.perf_counter() - started

        sample = routed.head(args.drafts)
        started = time.perf_counter()
        DraftWriter(profile).write(sample, Path(folder) / "drafts")
        draft_seconds = time.perf_counter() - started

    tight_profile = build_profile(capacity=300)
    with tempfile.TemporaryDirectory() as folder:
        tight, tight_summary = route_with_summary(
            inquiries, tight_profile, folder, run_id="tight", now=now, drafts=False
        )

    replied = routed.loc[routed["queue"] != "verification"]
    overlap = replied.loc[replied["reply_timing"] != "no_shared_hours"]
    results = {
        "rows": args.rows,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cold_seconds": round(cold_seconds, 3),
        "cold_rows_per_second": round(args.rows / cold_seconds, 1),
        "routing_seconds": round(routing_seconds, 3),
        "routing_rows_per_second": round(args.rows / routing_seconds, 1),
        "rerun_seconds": round(rerun_seconds, 3),
        "rerun_rows_per_second": round(args.rows / rerun_seconds, 1),
        "drafts_written": len(sample),
        "draft_seconds": round(draft_seconds, 3),
        "drafts_per_second": round(len(sample) / draft_seconds, 1),
        "queues": summary.by_queue,
        "fairness": fairness(routed),
        "reply_in_buyer_hours": round(float(replied["reply_in_buyer_hours"].mean()), 4),
        "reply_in_buyer_hours_where_hours_overlap": round(float(overlap["reply_in_buyer_hours"].mean()), 4),
        "reply_timing": replied["reply_timing"].value_counts().to_dict(),
        "tight_capacity_300_per_rep": {
            "queues": tight_summary.by_queue,
            "unassigned_grade_counts": tight.loc[tight["queue"] == "unassigned", "grade"]
            .value_counts()
            .sort_index()
            .to_dict(),
            "fairness": {group: values["spread"] for group, values in fairness(tight).items()},
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=int) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, default=int))


if __name__ == "__main__":
    main()
