"""Instructions per inquiry of the scoring work, counted by valgrind: CPU work that does not drift.

Throughput on this shared 2-core machine drifts by up to a quarter within
minutes (see bench_score.py), so two versions of the code timed minutes apart
cannot be told apart to a few percent. Valgrind's callgrind counts the
instructions the CPU executes instead: the same code on the same inquiries
gives the same count to within half a percent (Python varies its hashing
from run to run), whatever else the machine is doing.

    .venv/bin/python benchmarks/bench_instructions.py
    .venv/bin/python benchmarks/bench_instructions.py --compare 179471e 46349e2   # those revisions beside the working tree

Two stages are counted on the same generated inquiries, in one process each:

- validation: reading the JSON Lines file and checking every row (the job's main process);
- scoring: signals, rules, the hybrid decision and explanations, rules only
  (the job's worker processes; the model's share is measured by bench_score.py).

Imports, building the matchers and a warm-up chunk are not counted:
instrumentation is switched on with `callgrind_control` once the process is
ready. Under valgrind Python runs about 50 times slower, so the default is
2,000 inquiries (about two minutes per pair of revisions; two run side by side, one per core).
Writes benchmarks/results/instructions.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_UP_ROWS = 300
STAGES = ("validate", "score")


# --- the counted process -----------------------------------------------------------------------


def counted_process(code: Path, data: Path, handshake: Path) -> None:
    """Runs under valgrind with `code` first on the path; waits for the parent between stages."""
    sys.path.insert(0, str(code))
    import pandas as pd

    from features.extractor import SignalExtractor
    from models.hybrid import default_policy
    from pipeline.profile import load_profile
    from pipeline.scoring.batch import Scorer, score_chunk
    from pipeline.validate import iter_validated

    profile = load_profile(data / "profile.yaml")
    scorer = Scorer(extractor=SignalExtractor(catalog=profile.catalog).fit(pd.DataFrame()), model=None,
                    model_version=None, policy=default_policy(), profile_settings=profile.settings, run_id="count")
    # Warm-up on other rows: first-use costs (lazy caches, language profiles) are not per-inquiry work.
    for chunk in iter_validated([data / "warm_up.jsonl"], labelled=False, chunk_rows=WARM_UP_ROWS):
        score_chunk(scorer, chunk.inquiries)

    _signal_and_wait(handshake, "ready", "validate")
    chunks = [chunk.inquiries for chunk in iter_validated([data / "counted.jsonl"], labelled=False,
                                                          chunk_rows=100_000)]
    _signal_and_wait(handshake, "validated", "score")
    for inquiries in chunks:
        if len(inquiries):
            score_chunk(scorer, inquiries)


def _signal_and_wait(handshake: Path, done: str, go: str) -> None:
    (handshake / done).touch()
    while not (handshake / go).exists():
        time.sleep(0.1)


# --- the parent --------------------------------------------------------------------------------


def count_revision(code: Path, data: Path, rows: int, label: str) -> dict:
    """Instructions per inquiry of each stage for the code in `code`."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-instr-{label}-"))
    out_file = work / "callgrind.out"
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out_file}",
               sys.executable, str(Path(__file__).resolve()), "--counted-process", str(code), str(data), str(work)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(work / "ready", process)
        _control("-i", "on", process.pid)
        (work / "validate").touch()
        _wait_for(work / "validated", process)
        _control("-d", None, process.pid)  # dump: the validation's count, then counting starts again
        (work / "score").touch()
        _, stderr = process.communicate()
    finally:
        if process.poll() is None:
            process.kill()
    if process.returncode != 0:
        raise RuntimeError(f"counting {label} failed (exit {process.returncode}):\n{stderr[-2000:]}")
    counts = {"validate": _instructions(work, ".1"), "score": _instructions(work, "")}
    shutil.rmtree(work, ignore_errors=True)
    return {
        "code": str(code),
        "instructions_per_inquiry": {stage: round(counts[stage] / rows) for stage in STAGES},
        "instructions_per_inquiry_total": round(sum(counts.values()) / rows),
        "seconds_under_valgrind": round(time.perf_counter() - started, 1),
    }


def _wait_for(path: Path, process: subprocess.Popen) -> None:
    while not path.exists():
        if process.poll() is not None:
            raise RuntimeError(f"the counted process ended before {path.name}:\n{process.stderr.read()[-2000:]}")
        time.sleep(0.2)


def _control(option: str, value: str | None, pid: int) -> None:
    command = ["callgrind_control", option, *([value] if value else []), str(pid)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _instructions(work: Path, suffix: str) -> int:
    """The instruction total of one callgrind dump: `callgrind.out.1` the first, `callgrind.out` the last."""
    dump = work / f"callgrind.out{suffix}"
    found = re.search(r"^(?:summary|totals):\s*(\d+)", dump.read_text(encoding="utf-8", errors="replace"), re.MULTILINE)
    if not found:
        raise RuntimeError(f"no instruction total in {dump}")
    return int(found.group(1))


def make_inquiries(data: Path, rows: int, seed: int) -> None:
    """A generated company; its history split into warm-up rows and the counted rows."""
    sys.path.insert(0, str(ROOT))
    from pipeline.generate import generate_company

    generate_company(data, n=rows + WARM_UP_ROWS, seed=seed, tonight=0)
    lines = (data / "history.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "warm_up.jsonl").write_text("".join(lines[:WARM_UP_ROWS]), encoding="utf-8")
    (data / "counted.jsonl").write_text("".join(lines[WARM_UP_ROWS:]), encoding="utf-8")


def checkout(revision: str, into: Path) -> Path:
    """The code of a git revision, in a detached worktree of its own."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(into), revision], check=True)
    return into


def working_tree_commit() -> str:
    """HEAD's commit, marked when the working tree has changes."""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
    return head.stdout.strip() + (" with changes" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_000, help="inquiries to count (after a warm-up)")
    parser.add_argument("--compare", metavar="REVISION", nargs="+", default=[],
                        help="git revisions counted beside the working tree, on the same inquiries")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "instructions.json")
    parser.add_argument("--counted-process", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.counted_process:
        counted_process(*args.counted_process)
        return
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        sys.exit("bench_instructions needs valgrind (with callgrind_control) on the PATH")

    scratch = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    worktrees = {revision: scratch / f"revision-{index}" for index, revision in enumerate(args.compare)}
    try:
        data = scratch / "data"
        print(f"generating {args.rows + WARM_UP_ROWS:,} inquiries ...", flush=True)
        make_inquiries(data, args.rows, args.seed)
        revisions = {revision: checkout(revision, into) for revision, into in worktrees.items()}
        revisions["working tree"] = ROOT
        print(f"counting {', '.join(revisions)} under valgrind, two at a time (a few minutes) ...", flush=True)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {label: pool.submit(count_revision, code, data, args.rows, re.sub(r"\W", "_", label))
                       for label, code in revisions.items()}
            results = {label: future.result() for label, future in futures.items()}
    finally:
        for into in worktrees.values():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(into)],
                           check=False, stderr=subprocess.DEVNULL)
        shutil.rmtree(scratch, ignore_errors=True)

    record = {
        "benchmark": "instructions per inquiry, counted by valgrind callgrind (rules only, one process)",
        "rows": args.rows,
        "seed": args.seed,
        "working_tree": working_tree_commit(),
        "revisions": results,
        "ratio_working_tree_to": {},
        "python": platform.python_version(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    after = results["working tree"]
    for revision in args.compare:
        before = results[revision]
        record["ratio_working_tree_to"][revision] = {
            stage: round(after["instructions_per_inquiry"][stage] / before["instructions_per_inquiry"][stage], 3)
            for stage in STAGES
        } | {"total": round(after["instructions_per_inquiry_total"] / before["instructions_per_inquiry_total"], 3)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")

    print(f"\n{'code':<16}{'validate':>14}{'score':>14}{'total':>14}   instructions per inquiry")
    for label, result in results.items():
        counts = result["instructions_per_inquiry"]
        print(f"{label:<16}{counts['validate']:>14,}{counts['score']:>14,}{result['instructions_per_inquiry_total']:>14,}")
    for revision, ratios in record["ratio_working_tree_to"].items():
        print(f"{'ratio':<16}{ratios['validate']:>14}{ratios['score']:>14}{ratios['total']:>14}   working tree / {revision}")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
