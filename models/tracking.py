"""Log a training result to MLflow, register it, and decide champion / challenger.

The alias `champion` moves to the new version only when it beats the current
champion's macro-F1 on the same held-out rows. Every version carries tags
saying how it was validated.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.metrics import grading_metrics
from models.registry import (
    CHAMPION_ALIAS,
    MODEL_NAME,
    PIP_REQUIREMENTS,
    champion_version,
    ensure_experiment,
    load_model,
    set_champion,
    tag_version,
)
from models.reports import classification_report_text, confusion_csv, confusion_plot
from models.training import TrainingFrame, TrainingResult


@dataclass(frozen=True)
class ChampionDecision:
    new_version: str
    new_macro_f1: float
    champion_version: str | None
    champion_macro_f1: float | None
    promoted: bool
    reason: str


def log_training(result: TrainingResult, frame: TrainingFrame, *, run_name: str, extra_params: dict,
                 project_dir: Path | None = None) -> tuple[str, ChampionDecision]:
    """Log params, metrics, artifacts and the model; register it; apply champion / challenger."""
    import mlflow
    import mlflow.sklearn
    from mlflow.models import infer_signature

    ensure_experiment(project_dir)
    holdout_rows = np.flatnonzero(np.isin(frame.inquiry_ids, result.holdout_ids))
    holdout_features = frame.features.iloc[holdout_rows]
    with mlflow.start_run(run_name=run_name) as run:
        mlflow.log_params({**result.params, **extra_params})
        mlflow.log_metrics(_flat_metrics(result))
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            for name, metrics in result.holdout.items():
                confusion_plot(metrics["confusion_matrix"], f"{name} on held-out rows", folder / f"confusion_{name}.png")
                (folder / f"classification_report_{name}.txt").write_text(
                    classification_report_text(metrics, f"{name}: held-out rows"), encoding="utf-8")
            confusion_csv(result.holdout["model"]["confusion_matrix"], folder / "confusion_model.csv")
            (folder / "cross_validation.json").write_text(json.dumps(result.cross_validation, indent=2), encoding="utf-8")
            mlflow.log_artifacts(str(folder), artifact_path="evaluation")
        example = holdout_features.head(5)
        signature = infer_signature(example, result.model.predict_proba(example))
        info = mlflow.sklearn.log_model(
            result.model, name="model", signature=signature, input_example=example,
            registered_model_name=MODEL_NAME, pip_requirements=PIP_REQUIREMENTS,
            # Our own estimator class is not on skops' trusted list; the model is ours, pickle is fine.
            serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,
        )
        version = str(info.registered_model_version)
    decision = _decide_champion(version, result.holdout["model"]["macro_f1"], frame, holdout_rows)
    tag_version(version, {
        "validation_status": "champion" if decision.promoted else "challenger_rejected",
        "holdout_macro_f1": f"{decision.new_macro_f1:.4f}",
        "compared_with": decision.champion_version or "none",
        "decision": decision.reason,
        "chosen_classifier": result.chosen,
    })
    if decision.promoted:
        set_champion(version)
    return run.info.run_id, decision


def _decide_champion(version: str, new_macro_f1: float, frame: TrainingFrame, holdout_rows: np.ndarray) -> ChampionDecision:
    current = champion_version()
    if current is None:
        return ChampionDecision(version, new_macro_f1, None, None, True, "no champion yet")
    champion = load_model(f"models:/{MODEL_NAME}@{CHAMPION_ALIAS}")
    features = frame.features.iloc[holdout_rows]
    try:
        predicted = champion.model.predict(features)
    except ValueError as error:  # the champion reads signals this version no longer makes
        return ChampionDecision(version, new_macro_f1, current, None, True, f"champion cannot score today's signals ({error})")
    champion_f1 = grading_metrics(frame.grades[holdout_rows], predicted)["macro_f1"]
    if new_macro_f1 > champion_f1:
        reason = f"macro-F1 {new_macro_f1:.4f} beats champion v{current} at {champion_f1:.4f}"
        return ChampionDecision(version, new_macro_f1, current, champion_f1, True, reason)
    reason = f"macro-F1 {new_macro_f1:.4f} does not beat champion v{current} at {champion_f1:.4f}"
    return ChampionDecision(version, new_macro_f1, current, champion_f1, False, reason)


def _flat_metrics(result: TrainingResult) -> dict[str, float]:
    flat: dict[str, float] = {}
    for scope, table in (("cv", result.cross_validation), ("holdout", result.holdout)):
        for name, metrics in table.items():
            for key, value in metrics.items():
                if isinstance(value, float):
                    flat[f"{scope}.{name}.{key}"] = value
            for grade, row in metrics.get("per_grade", {}).items():
                flat[f"{scope}.{name}.grade{grade}.precision"] = row["precision"]
                flat[f"{scope}.{name}.grade{grade}.recall"] = row["recall"]
    for stage, seconds in result.seconds.items():
        flat[f"seconds.{stage}"] = seconds
    return flat
