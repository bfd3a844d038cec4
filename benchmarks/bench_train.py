"""Time retraining on a large labelled history: read, signals, cross-validation, final fit.

    python benchmarks/bench_train.py --rows 100000

Generates the history (Parquet) into a temporary folder, runs the same steps
as `inquiry-grader train --no-register`, and writes seconds per step to
benchmarks/results/train.json. Target: 100,000 rows in under 2 minutes.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "train.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from models.dataset import training_frame
    from models.training import train_and_evaluate
    from pipeline.generate import generate_company
    from pipeline.profile import load_profile
    from pipeline.validate import read_inquiries

    folder = Path(tempfile.mkdtemp(prefix="bench-train-"))
    try:
        generate_company(folder, n=args.rows, seed=args.seed, tonight=0, workers=args.workers, history_format="parquet")
        seconds = {}
        started = time.perf_counter()
        profile = load_profile(folder / "profile.yaml")
        inquiries = read_inquiries(folder / "history.parquet", labelled=True)
        seconds["read_and_validate"] = time.perf_counter() - started
        step = time.perf_counter()
        frame = training_frame(inquiries, profile.catalog, profile.settings, workers=args.workers)
        seconds["signals_and_rules"] = time.perf_counter() - step
        step = time.perf_counter()
        result = train_and_evaluate(frame, folds=args.folds, seed=args.seed)
        seconds["cross_validation"] = result.seconds["cross_validation"]
        seconds["final_fit"] = result.seconds["final_fit"]
        seconds["train_and_evaluate"] = time.perf_counter() - step
        total = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    record = {
        "rows": args.rows,
        "folds": args.folds,
        "workers": args.workers,
        "chosen": result.chosen,
        "cv_rows": result.params["cv_rows"],
        "cross_validation_macro_f1": {name: round(m["macro_f1"], 4) for name, m in result.cross_validation.items()},
        "holdout_macro_f1": {name: round(m["macro_f1"], 4) for name, m in result.holdout.items()},
        "seconds": {name: round(value, 1) for name, value in seconds.items()},
        "seconds_total": round(total, 1),
        "target_seconds": 120,
        "peak_rss_mb": round(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                 resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
