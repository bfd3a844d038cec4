"""`inquiry-grader train`: retrain the classifier on labelled history and register it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Optional

import typer


def train(
    labelled: Annotated[list[Path], typer.Option("--labelled", "-l", help="Labelled history files (repeat for several; manager reviews are just more files).", show_default=False)],
    profile: Annotated[Optional[Path], typer.Option("--profile", "-p", help="Company profile YAML (default: profile.yaml beside the first file).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for metrics.json, plots and model.joblib.")] = Path("runs/train"),
    folds: Annotated[int, typer.Option(help="Cross-validation folds.", min=2, max=20)] = 5,
    holdout_share: Annotated[float, typer.Option(help="Share of rows held out for the final check and the champion comparison.", min=0.05, max=0.5)] = 0.2,
    seed: Annotated[int, typer.Option(help="Seed for splits and models.")] = 7,
    candidates: Annotated[str, typer.Option(help="Classifiers to compare, comma-separated: logistic, boosting.")] = "logistic,boosting",
    register: Annotated[bool, typer.Option("--register/--no-register", help="Log to MLflow and register the model.")] = True,
) -> None:
    """Train the grade and fraud classifier on labelled history.

    Compares the candidate classifiers and the rules alone on the same
    stratified folds, keeps the best by macro-F1, measures it on held-out rows,
    logs everything to MLflow (MLFLOW_TRACKING_URI, default ./mlruns) and
    registers it as `inquiry-grader`. The `champion` alias moves only when
    the new version beats the champion on the same held-out rows.

    Examples:

      inquiry-grader train --labelled data/sample/history.jsonl

      inquiry-grader train -l history.jsonl -l reviewed.jsonl --profile company/profile.yaml --folds 3

      inquiry-grader train -l history.parquet --candidates logistic --no-register
    """
    from rich.console import Console

    from pipeline.commands.common import (
        confusion_table,
        load_profile_or_exit,
        metrics_table,
        read_labelled_or_exit,
        resolve_profile_path,
    )

    console = Console()
    company = load_profile_or_exit(resolve_profile_path(profile, labelled), console)
    inquiries = read_labelled_or_exit(labelled, console)
    chosen = _candidates(candidates)

    import joblib

    from models.dataset import training_frame
    from models.training import smallest_group, train_and_evaluate

    started = time.perf_counter()
    with console.status("Extracting signals...") as status:
        done = [0]

        def extraction_progress(rows: int) -> None:
            done[0] += rows
            status.update(f"Extracting signals: {done[0]:,} / {len(inquiries):,} inquiries")

        frame = training_frame(inquiries, company.catalog, company.settings, progress=extraction_progress)
        signal_seconds = time.perf_counter() - started
        status.update("Cross-validating...")
        result = train_and_evaluate(frame, candidates=chosen, folds=folds, holdout_share=holdout_share, seed=seed,
                                    progress=lambda message: status.update(f"Cross-validating: {message}"))
    result.seconds["signals"] = signal_seconds
    rarest = smallest_group(frame)
    if rarest < folds:
        console.print(f"[yellow]note:[/] the rarest grade/fraud group has {rarest} rows, fewer than {folds} folds: "
                      "some folds have none of it, so its metrics are noisy.", highlight=False)
    total_seconds = time.perf_counter() - started

    console.print(metrics_table(f"Cross-validation, {folds} folds (mean)", result.cross_validation))
    console.print(metrics_table("Held-out rows", result.holdout))
    console.print(confusion_table("Held-out confusion matrix (model)", result.holdout["model"]["confusion_matrix"]))
    console.print(f"Kept [bold]{result.chosen}[/]: best cross-validated macro-F1 "
                  f"({result.cross_validation[result.chosen]['macro_f1']:.3f}). "
                  f"Trained on {len(frame.grades):,} rows in {total_seconds:.0f} s.", highlight=False)

    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(result.model, out / "model.joblib")
    metrics = {"cross_validation": result.cross_validation, "holdout": result.holdout, "chosen": result.chosen,
               "rows": len(frame.grades), "seconds": {**result.seconds, "total": total_seconds}}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    from models.reports import confusion_csv, confusion_plot

    confusion_csv(result.holdout["model"]["confusion_matrix"], out / "confusion.csv")
    confusion_plot(result.holdout["model"]["confusion_matrix"], "model on held-out rows", out / "confusion.png")
    console.print(f"Wrote {out}/metrics.json, confusion.csv, confusion.png and model.joblib.", highlight=False)

    if register:
        _register(console, result, frame, company.name, labelled)


def _candidates(text: str) -> dict[str, dict]:
    from models.training import DEFAULT_CANDIDATES

    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in DEFAULT_CANDIDATES]
    if unknown or not names:
        raise typer.BadParameter(f"unknown candidate(s) {unknown}; choose from {', '.join(DEFAULT_CANDIDATES)}",
                                 param_hint="--candidates")
    return {name: DEFAULT_CANDIDATES[name] for name in names}


def _register(console, result, frame, company_name: str, labelled: list[Path]) -> None:
    from models.registry import configure_tracking
    from models.tracking import log_training

    uri = configure_tracking()
    with console.status("Logging to MLflow and registering..."):
        run_id, decision = log_training(
            result, frame, run_name=f"train-{result.chosen}",
            extra_params={"company": company_name, "labelled_files": ",".join(str(p) for p in labelled),
                          "rows": len(frame.grades)},
        )
    champion = (f"v{decision.champion_version} at {decision.champion_macro_f1:.4f}"
                if decision.champion_macro_f1 is not None else (f"v{decision.champion_version}" if decision.champion_version else "none"))
    verdict = "[green]promoted to champion[/]" if decision.promoted else "[yellow]kept as challenger[/]"
    console.print(f"MLflow run {run_id} ({uri}). New version v{decision.new_version} "
                  f"(held-out macro-F1 {decision.new_macro_f1:.4f}); champion before: {champion}. "
                  f"Decision: {verdict}: {decision.reason}.", highlight=False)
