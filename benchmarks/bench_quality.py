"""How much the shipped default model's quality depends on the draw of its training data.

    python benchmarks/bench_quality.py --seeds 7,17,27,37,47

For each seed, generates the default company's labelled history, trains the
boosting model `train` ships on it, and grades fixed evaluation sets with the
hybrid, the model alone and the rules alone: a generated held-out set of the
same company, a generated company of another industry, and, when ../shared/eval
is present, the hand-labelled realistic set (cold start, its own profile) and
the real scam emails (fraud recall). Nothing here trains on an evaluation set.

One 260-row set moves by a percent when one row flips, so a single training run
cannot say whether the hybrid beats its parts; the spread over seeds can. Each
graded set also gets the 95% interval of the hybrid's macro-F1 minus each
part's, over its rows resampled with replacement: how large a difference that
set can tell from chance.
Writes benchmarks/results/quality.json and prints a summary table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "quality.json"
SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
DECIDERS = ("hybrid", "model", "rules")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="7,17,27,37,47", help="training-data seeds, comma-separated")
    parser.add_argument("--rows", type=int, default=20_000,
                        help="labelled rows per training draw (what `dvc repro` and the demo train on)")
    parser.add_argument("--eval-dir", type=Path, default=SHARED_EVAL, help="folder with realistic/ and real_scams.jsonl")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]

    from pipeline.generate import generate_company

    work = Path(tempfile.mkdtemp(prefix="bench-quality-"))
    started = time.perf_counter()
    try:
        eval_sets = {}
        for name, company, seed in (("generated_holdout_seating", "seating", 11), ("generated_valves", "valves", 21)):
            generate_company(work / name, n=4000, seed=seed, company=company, tonight=0)
            eval_sets[name] = _prepared(work / name / "history.jsonl", work / name / "profile.yaml")
        realistic = args.eval_dir / "realistic"
        if (realistic / "inquiries.jsonl").is_file():
            eval_sets["realistic"] = _prepared(realistic / "inquiries.jsonl", realistic / "profile.yaml")
        scams = args.eval_dir / "real_scams.jsonl"
        if scams.is_file():
            eval_sets["real_scams"] = _prepared(scams, work / "generated_holdout_seating" / "profile.yaml")
        print(f"evaluation sets ready: {', '.join(f'{k} ({len(v[1])} rows)' for k, v in eval_sets.items())}", flush=True)

        runs = []
        for seed in seeds:
            tick = time.perf_counter()
            model = _trained(work / f"train-{seed}", seed, args.rows)
            run = {"seed": seed, "sets": {name: _graded(model, *prepared) for name, prepared in eval_sets.items()}}
            run["seconds"] = round(time.perf_counter() - tick, 1)
            runs.append(run)
            print(f"seed {seed}: " + "; ".join(f"{name} {_short(metrics)}" for name, metrics in run["sets"].items()),
                  flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    result = {
        "benchmark": "default model trained on generated history per seed; hybrid vs model vs rules on fixed sets",
        "command": f"python benchmarks/bench_quality.py --seeds {args.seeds} --rows {args.rows}",
        "rows_per_training_draw": args.rows,
        "seeds": seeds,
        "runs": runs,
        "summary": _summary(runs),
        "seconds": round(time.perf_counter() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _print_summary(result["summary"])
    print(f"wrote {args.out}")


def _prepared(labelled: Path, profile_path: Path):
    """Signals, rule verdicts and labels of one evaluation set (they do not depend on the model)."""
    from features.text import inquiry_texts
    from models.dataset import signals_and_verdicts
    from models.training import model_input
    from pipeline.profile import load_profile
    from pipeline.validate import read_inquiries

    profile = load_profile(profile_path)
    inquiries = read_inquiries(labelled, labelled=True).reset_index(drop=True)
    values, _, verdicts, _ = signals_and_verdicts(inquiries, profile.catalog, profile.settings)
    verdicts = verdicts.reset_index(drop=True)
    features = model_input(values.reset_index(drop=True), inquiry_texts(inquiries), verdicts["rule_grade"])
    labels = inquiries[["inquiry_id", "grade", "suspected_fraud"]]
    return features, verdicts, labels


def _trained(folder: Path, seed: int, rows: int):
    from models.classifier import InquiryGradeModel
    from models.dataset import training_frame
    from models.training import DEFAULT_CANDIDATES
    from pipeline.generate import generate_company
    from pipeline.profile import load_profile
    from pipeline.validate import read_inquiries

    generate_company(folder, n=rows, seed=seed, tonight=0)
    profile = load_profile(folder / "profile.yaml")
    frame = training_frame(read_inquiries(folder / "history.jsonl", labelled=True), profile.catalog, profile.settings)
    return InquiryGradeModel(**DEFAULT_CANDIDATES["boosting"], n_jobs=2).fit(frame.features, frame.grades,
                                                                              fraud=frame.fraud)


def _graded(model, features, verdicts, labels) -> dict:
    """The three deciders measured as `inquiry-grader evaluate` measures them."""
    from models.evaluation import compare_deciders, difference_intervals, fraud_recall
    from models.hybrid import decide

    decision = decide(verdicts, model.predict_proba(features), model.predict_fraud_proba(features))
    scored = decision.assign(inquiry_id=labels["inquiry_id"].to_numpy(), rule_stage=verdicts["rule_stage"].to_numpy())
    if labels["suspected_fraud"].fillna(False).astype(bool).all():  # a set of scams only: fraud recall is the measure
        recall = fraud_recall(scored)
        return {decider: {"fraud_recall": round(recall[decider], 4)} for decider in DECIDERS}
    metrics = compare_deciders(scored, labels)
    graded = {decider: {key: round(float(metrics[decider][key]), 4) for key in ("macro_f1", "fraud_precision", "fraud_recall")}
              for decider in DECIDERS}
    intervals = difference_intervals(scored, labels)
    graded["hybrid"] |= {f"hybrid_minus_{part}_95": intervals[part] for part in ("model", "rules")}
    return graded


def _short(metrics: dict) -> str:
    key = "macro_f1" if "macro_f1" in metrics["hybrid"] else "fraud_recall"
    return " / ".join(f"{decider} {metrics[decider][key]:.3f}" for decider in DECIDERS)


def _summary(runs: list[dict]) -> dict:
    summary = {}
    for name in runs[0]["sets"]:
        per_set = {}
        for key in runs[0]["sets"][name]["rules"]:
            per_set[key] = {}
            for decider in DECIDERS:
                values = [run["sets"][name][decider][key] for run in runs]
                per_set[key][decider] = {
                    "mean": round(statistics.fmean(values), 4),
                    "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
                    "min": min(values),
                    "max": max(values),
                }
            per_set[key]["runs"] = len(runs)
            hybrid = [run["sets"][name]["hybrid"][key] for run in runs]
            for other in ("model", "rules"):
                theirs = [run["sets"][name][other][key] for run in runs]
                per_set[key][f"hybrid_above_{other}"] = sum(h > t for h, t in zip(hybrid, theirs))
                per_set[key][f"hybrid_equal_{other}"] = sum(h == t for h, t in zip(hybrid, theirs))
                intervals = [run["sets"][name]["hybrid"].get(f"hybrid_minus_{other}_95") for run in runs]
                if key == "macro_f1" and all(intervals):
                    # How large a difference one draw's grading on this set can tell from chance.
                    per_set[key][f"hybrid_minus_{other}_95_mean"] = [
                        round(statistics.fmean(bounds), 4) for bounds in zip(*intervals)]
                    per_set[key][f"hybrid_clearly_above_{other}"] = sum(low > 0 for low, _ in intervals)
        summary[name] = per_set
    return summary


def _print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Hybrid vs its parts over training draws (mean ± sd; runs where the hybrid is higher)")
    for column in ("set", "measure", "hybrid", "model", "rules", "hybrid > model", "hybrid > rules",
                   "hybrid − model, 95%", "hybrid − rules, 95%"):
        table.add_column(column)
    for name, per_set in summary.items():
        for key, cells in per_set.items():
            shown = [f"{cells[d]['mean']:.3f} ± {cells[d]['sd']:.3f}" for d in DECIDERS]
            above = [f"{cells[f'hybrid_above_{other}']} of {cells['runs']} (tied {cells[f'hybrid_equal_{other}']})"
                     for other in ("model", "rules")]
            spans = [_span(cells, other) for other in ("model", "rules")]
            table.add_row(name, key, *shown, *above, *spans)
    Console(width=200).print(table)


def _span(cells: dict, other: str) -> str:
    """A typical draw's 95% interval of the difference, and in how many draws it lies above 0."""
    bounds = cells.get(f"hybrid_minus_{other}_95_mean")
    if not bounds:
        return ""
    return f"{bounds[0]:+.3f} .. {bounds[1]:+.3f} ({cells[f'hybrid_clearly_above_{other}']} clear)"


if __name__ == "__main__":
    main()
