"""Time the synthetic data generator on a large history and record rows/s.

    python benchmarks/bench_generate.py --rows 1000000 --workers 2

Writes benchmarks/results/generate.json. The generated files go to a temporary folder
(or --out) and are deleted afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from pipeline.generate import generate_company

RESULTS = Path(__file__).resolve().parent / "results" / "generate.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="history rows to generate")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl", help="history file format")
    parser.add_argument("--company", default="seating", help="company to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None, help="folder for the output (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    out = args.out or Path(tempfile.mkdtemp(prefix="bench-generate-"))
    cpu_before = os.times()
    started = time.perf_counter()
    summary = generate_company(out, n=args.rows, seed=args.seed, company=args.company, tonight=0, workers=args.workers, history_format=args.format)
    seconds = time.perf_counter() - started
    cpu_after = os.times()
    size = summary.history_path.stat().st_size
    result = {
        "rows": args.rows,
        "workers": args.workers,
        "format": args.format,
        "company": summary.company,
        "seconds": round(seconds, 2),
        "rows_per_second": round(args.rows / seconds),
        "cpu_seconds": round((cpu_after.user + cpu_after.children_user + cpu_after.system + cpu_after.children_system) - (cpu_before.user + cpu_before.children_user + cpu_before.system + cpu_before.children_system), 2),
        "history_bytes": size,
        "cpus": os.cpu_count(),
        "load_average_1m_after": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "target": "1,000,000 rows in under 120 s on 2 cores",
    }
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
