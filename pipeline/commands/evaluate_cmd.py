"""`inquiry-grader evaluate`: measure hybrid, model and rules on labelled inquiries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer


def evaluate(
    labelled: Annotated[list[Path], typer.Option("--labelled", "-l", help="Labelled inquiries to measure on (repeat for several).", show_default=False)],
    profile: Annotated[Optional[Path], typer.Option("--profile", "-p", help="The company profile of those inquiries (default: profile.yaml beside the first file).")] = None,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="Model URI or path; default: the registered champion.")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Measure the rulebook without any model.")] = False,
    slices: Annotated[Optional[Path], typer.Option(help="Optional CSV keyed by inquiry_id with extra slicing columns (e.g. case_type).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for metrics.json, confusion.csv and slices.csv.")] = Path("runs/evaluate"),
) -> None:
    """Measure the hybrid, the model alone and the rules alone on labelled inquiries.

    Prints macro-F1, accuracy, fraud precision and recall for each decider,
    the hybrid's confusion matrix, and slices by language and channel (and by
    the columns of --slices). A set where every row is a scam (all
    suspected_fraud) reports fraud recall. Nothing is learned from these rows.

    Examples:

      inquiry-grader evaluate -l data/holdout/history.jsonl

      inquiry-grader evaluate -l eval/inquiries.jsonl -p eval/profile.yaml --slices eval/tags.csv -o runs/eval

      inquiry-grader evaluate -l real_scams.jsonl -p data/sample/profile.yaml --rules-only
    """
    import pandas as pd
    from rich.console import Console

    from models.evaluation import (
        compare_deciders,
        difference_intervals,
        fraud_recall,
        missed_by_more_than_one,
        slice_metrics,
    )
    from models.reports import confusion_csv
    from pipeline.commands.common import (
        confusion_table,
        load_profile_or_exit,
        metrics_table,
        read_labelled_or_exit,
        resolve_profile_path,
    )
    from pipeline.scoring.assemble import build_scorer
    from pipeline.scoring.batch import score_chunk
    from pipeline.scoring.job import new_run_id

    console = Console()
    company = load_profile_or_exit(resolve_profile_path(profile, labelled), console)
    inquiries = read_labelled_or_exit(labelled, console)
    scorer, note = build_scorer(company, model, new_run_id(), use_model=not rules_only)
    console.print(f"[{'yellow' if scorer.model is None else 'green'}]{note}[/]", highlight=False)
    with console.status(f"Scoring {len(inquiries):,} labelled inquiries..."):
        parts = [score_chunk(scorer, inquiries.iloc[start:start + 5_000]).frame
                 for start in range(0, len(inquiries), 5_000)]
    scored = pd.concat(parts, ignore_index=True)
    labels = inquiries[["inquiry_id", "grade", "suspected_fraud", "channel"]].copy()

    results = compare_deciders(scored, labels)
    out.mkdir(parents=True, exist_ok=True)
    report = {"rows": len(scored), "model": scorer.model_version, "deciders": results,
              "hybrid_off_by_more_than_one": missed_by_more_than_one(scored, labels)}
    if labels["suspected_fraud"].fillna(False).astype(bool).all():
        report["fraud_recall_all_scams"] = fraud_recall(scored)
        console.print("Every row is a scam: fraud recall " + ", ".join(
            f"{name} {value:.3f}" for name, value in report["fraud_recall_all_scams"].items()), highlight=False)
    else:
        console.print(metrics_table(f"{len(scored):,} labelled inquiries", results))
        console.print(confusion_table("Hybrid confusion matrix", results["hybrid"]["confusion_matrix"]))
        console.print(f"Hybrid errors off by more than one grade: {report['hybrid_off_by_more_than_one']:.1%}",
                      highlight=False)
        report["hybrid_minus_part_macro_f1_95"] = difference_intervals(scored, labels)
        for part, (low, high) in report["hybrid_minus_part_macro_f1_95"].items():
            difference = results["hybrid"]["macro_f1"] - results[part]["macro_f1"]
            verdict = "a clear difference" if low > 0 or high < 0 else f"within what {len(scored):,} rows can tell apart"
            console.print(f"Hybrid minus {part} macro-F1: {difference:+.3f} (95% over resampled rows: "
                          f"{low:+.3f} to {high:+.3f}; {verdict})", highlight=False)

    slice_frame = scored[["inquiry_id", "grade", "language"]].merge(
        labels.rename(columns={"grade": "grade_true"}), on="inquiry_id")
    slice_columns = ["language", "channel"]
    if slices is not None:
        extra = pd.read_csv(slices, dtype=str)
        extra = extra.drop(columns=[c for c in extra.columns if c in slice_frame.columns and c != "inquiry_id"])
        slice_frame = slice_frame.merge(extra, on="inquiry_id", how="left")
        slice_columns += [c for c in extra.columns if c != "inquiry_id"]
    tables = []
    for column in slice_columns:
        table = slice_metrics(slice_frame.drop(columns=["grade_true"]), slice_frame[["inquiry_id", "grade_true"]]
                              .rename(columns={"grade_true": "grade"}), column)
        table.insert(0, "slice", column)
        tables.append(table.rename(columns={column: "value"}))
    slice_table = pd.concat(tables, ignore_index=True)
    slice_table.to_csv(out / "slices.csv", index=False)
    report["slices"] = slice_table.to_dict("records")
    (out / "metrics.json").write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    confusion_csv(results["hybrid"]["confusion_matrix"], out / "confusion.csv")
    scored.to_parquet(out / "scored.parquet", index=False)
    console.print(f"Wrote {out}/metrics.json, confusion.csv, slices.csv and scored.parquet.", highlight=False)
