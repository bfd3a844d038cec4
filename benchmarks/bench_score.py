"""Throughput and peak memory of the nightly scoring job, end to end, and the stage that dominates.

Issue 5's target: at least 2,000 inquiries/s end to end on a 2-core machine
(validate -> signals -> rules -> model -> hybrid -> write, routing included)
and peak memory under 2 GB for a 1,000,000-row input.

A synthetic company is generated (`pipeline.generate.generate_company`) and
its labelled history is the batch to score. Each (mode, workers) run happens
in a fresh process, so the peak memory of one run is not inflated by the
generator or by an earlier run:

- mode `rules`: the rulebook alone (a new company without a model);
- mode `model`: a quick logistic `InquiryGradeModel` trained on 3,000 rows of
  the history, dumped with joblib and loaded like `score --model PATH`.

    .venv/bin/python benchmarks/bench_score.py --rows 100000 --workers 1,2
    .venv/bin/python benchmarks/bench_score.py --rows 1000000 --workers 2 --modes model \\
        --out benchmarks/results/score_1m.json

Writes wall seconds, inquiries/s, `run.json`'s seconds per stage (summed over
worker processes, so they can exceed the wall time), the dominant stage, and
peak RSS: of the main process and of the largest worker (`getrusage`), and of
the whole process tree sampled every 0.2 s from /proc (main plus workers at
the same moment).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The model is the kind `inquiry-grader train` picks on generated histories (boosting; its
# cross-validation says why), fitted on the first rows of the history like a first retraining.
TRAINING_ROWS = 20_000
MODEL_KIND = "boosting"
# JSON Lines is what a nightly export usually is; a million rows of it are ~800 MB, so Parquet above this.
JSONL_MAX_ROWS = 200_000
SCORING_STAGES = (
    "validate", "signals", "rules", "model", "decide_and_explain", "write", "route", "finish_outputs",
)


# --- memory ----------------------------------------------------------------------------------


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as children:
                    kids = [int(child) for child in children.read().split()]
            except OSError:
                continue
            found.extend(kids)
            queue.extend(kids)
    return found


class TreeMemory:
    """Samples the RSS of this process and all its descendants; keeps the largest sum."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.peak_bytes = 0
        self.available = Path(f"/proc/{os.getpid()}/statm").exists()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = _rss_bytes(me) + sum(_rss_bytes(child) for child in _descendants(me))
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop.wait(self.interval)


def _max_rss_mb(who: int) -> float:
    # Linux reports ru_maxrss in KiB.
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


# --- one run (in its own process) ---------------------------------------------------------------


def one_run(data: Path, mode: str, workers: int, model_path: Path | None, chunk_rows: int) -> dict:
    """Score the history once; return the measurements (called in a fresh process)."""
    from pipeline.profile import load_profile
    from pipeline.scoring.assemble import build_scorer
    from pipeline.scoring.job import new_run_id, run_scoring

    profile = load_profile(data / "profile.yaml")
    history = next(data.glob("history.*"))
    run_id = new_run_id()
    with tempfile.TemporaryDirectory(prefix="bench-score-") as out:
        with TreeMemory() as tree:
            started_wall, started_cpu = time.perf_counter(), time.process_time()
            scorer, note = build_scorer(profile, str(model_path) if model_path else None, run_id,
                                        use_model=mode == "model")
            setup = time.perf_counter() - started_wall
            run = run_scoring([history], profile, Path(out), scorer, workers=workers, chunk_rows=chunk_rows,
                              route=True, drafts=False)
            wall = time.perf_counter() - started_wall
            main_cpu = time.process_time() - started_cpu
        record = run.as_dict()
    stages = {stage: round(seconds, 2) for stage, seconds in run.seconds.items()}
    scoring_stages = {stage: seconds for stage, seconds in stages.items() if stage in SCORING_STAGES}
    dominant = max(scoring_stages, key=scoring_stages.get) if scoring_stages else None
    children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "mode": mode,
        "workers": workers,
        "model_note": note,
        "rows_read": record["counts"]["read"],
        "rows_scored": record["counts"]["scored"],
        "counts_reconcile": record["counts"]["reconciles"],
        "wall_seconds": round(wall, 2),
        "setup_seconds": round(setup, 2),
        "inquiries_per_second": round(record["counts"]["read"] / wall),
        "cpu_seconds": {"main": round(main_cpu, 1),
                        "workers": round(children_cpu.ru_utime + children_cpu.ru_stime, 1)},
        "seconds_per_stage": stages,
        "stage_share": {stage: round(seconds / sum(scoring_stages.values()), 3)
                        for stage, seconds in scoring_stages.items()},
        "dominant_stage": dominant,
        "peak_rss_mb": {
            "main": _max_rss_mb(resource.RUSAGE_SELF),
            "largest_worker": _max_rss_mb(resource.RUSAGE_CHILDREN) if workers > 1 else None,
            "process_tree_sampled": round(tree.peak_bytes / 2**20, 1) if tree.available else None,
        },
    }


def _run_in_fresh_process(
    data: Path, mode: str, workers: int, model_path: Path | None, chunk_rows: int
) -> dict:
    command = [sys.executable, __file__, "--one-run", str(data), "--modes", mode, "--workers", str(workers),
               "--chunk-rows", str(chunk_rows)]
    if model_path:
        command += ["--model", str(model_path)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"scoring run ({mode}, {workers} workers) failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- preparation -------------------------------------------------------------------------------


def generate(data: Path, rows: int, seed: int) -> dict:
    from pipeline.generate import generate_company

    history_format = "jsonl" if rows <= JSONL_MAX_ROWS else "parquet"
    started = time.perf_counter()
    generate_company(data, n=rows, seed=seed, tonight=0, history_format=history_format)
    history = next(data.glob("history.*"))
    return {"history_format": history_format, "history_bytes": history.stat().st_size,
            "generate_seconds": round(time.perf_counter() - started, 1)}


def train_quick_model(data: Path, model_path: Path) -> float:
    """The shipped model kind, fitted on the first TRAINING_ROWS rows of the history, dumped with joblib."""
    import joblib
    import pyarrow as pa
    import pyarrow.parquet as pq

    from models.classifier import InquiryGradeModel
    from models.dataset import training_frame
    from pipeline.profile import load_profile
    from pipeline.validate import read_inquiries

    started = time.perf_counter()
    profile = load_profile(data / "profile.yaml")
    history = next(data.glob("history.*"))
    sample = data / f"training_sample{history.suffix}"
    if history.suffix == ".parquet":
        batch = next(pq.ParquetFile(history).iter_batches(batch_size=TRAINING_ROWS))
        pq.write_table(pa.Table.from_batches([batch]), sample)
    else:
        with history.open(encoding="utf-8") as source:
            first_rows = "".join(line for _, line in zip(range(TRAINING_ROWS), source))
            sample.write_text(first_rows, encoding="utf-8")
    inquiries = read_inquiries(sample, labelled=True)
    sample.unlink()
    frame = training_frame(inquiries, profile.catalog, profile.settings)
    model = InquiryGradeModel(kind=MODEL_KIND, n_jobs=2).fit(frame.features, frame.grades, fraud=frame.fraud)
    joblib.dump(model, model_path)
    return time.perf_counter() - started


# --- main ----------------------------------------------------------------------------------------


def _worker_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        message = f"--workers takes whole numbers separated by commas, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"--workers needs at least one count of 1 or more, got {text!r}")
    return counts


def _modes(text: str) -> list[str]:
    modes = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(modes) - {"rules", "model"})
    if not modes or unknown:
        raise argparse.ArgumentTypeError(f"--modes takes 'rules' and/or 'model', got {text!r}")
    return modes


def main() -> None:
    from pipeline.scoring import CHUNK_ROWS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="history rows to generate and score")
    parser.add_argument("--workers", type=_worker_counts, default=[1, 2], help="worker counts, e.g. 1,2")
    parser.add_argument("--modes", type=_modes, default=["rules", "model"], help="rules and/or model")
    parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--data", type=Path, default=None,
                        help="reuse (or keep) the generated company in this folder, not a temporary one")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "score.json")
    parser.add_argument("--one-run", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, default=None, help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.one_run is not None:
        result = one_run(arguments.one_run, arguments.modes[0], arguments.workers[0], arguments.model,
                         arguments.chunk_rows)
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory(prefix="bench-score-data-") as scratch:
        data = arguments.data or Path(scratch)
        if any(data.glob("history.*")) and (data / "profile.yaml").exists():
            history_format = next(data.glob("history.*")).suffix.lstrip(".")
            prepared = {"history_format": history_format, "reused": str(data)}
        else:
            prepared = generate(data, arguments.rows, arguments.seed)
        model_path = Path(scratch) / "quick_model.joblib"
        training_seconds = None
        if "model" in arguments.modes:
            training_seconds = round(train_quick_model(data, model_path), 1)
        runs = []
        for mode in arguments.modes:
            for workers in arguments.workers:
                run = _run_in_fresh_process(data, mode, workers, model_path if mode == "model" else None,
                                            arguments.chunk_rows)
                print(f"{mode:>5}, {workers} worker(s): {run['inquiries_per_second']} inquiries/s, "
                      f"dominant stage {run['dominant_stage']}, peak tree RSS "
                      f"{run['peak_rss_mb']['process_tree_sampled']} MB", flush=True)
                runs.append(run)

    result = {
        "benchmark": "pipeline.scoring.job.run_scoring on a generated company's history "
        "(route on, drafts off)",
        "rows": arguments.rows,
        "chunk_rows": arguments.chunk_rows,
        "seed": arguments.seed,
        **prepared,
        "model_training_seconds": training_seconds,
        "model": f"{MODEL_KIND}, trained on the first {TRAINING_ROWS:,} rows of the history",
        "target": "at least 2,000 inquiries/s end to end on 2 cores; "
        "peak memory under 2 GB for 1,000,000 rows",
        "runs": runs,
        "cpus": os.cpu_count(),
        "load_average_1_5_15_after": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {arguments.out}")


if __name__ == "__main__":
    main()
