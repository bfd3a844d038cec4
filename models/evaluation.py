"""Compare the hybrid, the model alone and the rules alone on labelled inquiries."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.metrics import grading_metrics

SLICE_MIN_ROWS = 5


def compare_deciders(scored: pd.DataFrame, labels: pd.DataFrame) -> dict[str, dict]:
    """Metrics for each decider on the same rows; `labels` has inquiry_id, grade, suspected_fraud."""
    joined = scored.merge(labels[["inquiry_id", "grade", "suspected_fraud"]].rename(
        columns={"grade": "true_grade", "suspected_fraud": "true_fraud"}), on="inquiry_id")
    truth, fraud = joined["true_grade"].astype(int), joined["true_fraud"].fillna(False).astype(bool)
    results = {
        "hybrid": grading_metrics(truth, joined["grade"].astype(int), fraud, joined["suspected_fraud"].astype(bool)),
        "rules": grading_metrics(truth, joined["rule_grade"].astype(int), fraud, joined["rule_stage"].eq("fraud")),
    }
    if joined["model_grade"].notna().all() and len(joined):
        results["model"] = grading_metrics(truth, joined["model_grade"].astype(int), fraud,
                                           joined["model_fraud_probability"].fillna(0) >= 0.5)
    return results


def slice_metrics(scored: pd.DataFrame, labels: pd.DataFrame, by: str, decider_column: str = "grade") -> pd.DataFrame:
    """Accuracy and macro-F1 of one decider per value of a slicing column (language, channel...)."""
    joined = scored.merge(labels, on="inquiry_id", suffixes=("", "_true"))
    rows = []
    for value, group in joined.groupby(by, dropna=False):
        if len(group) < SLICE_MIN_ROWS:
            continue
        metrics = grading_metrics(group["grade_true"].astype(int), group[decider_column].astype(int))
        rows.append({by: value, "n": len(group), "accuracy": metrics["accuracy"], "macro_f1": metrics["macro_f1"]})
    return pd.DataFrame(rows).sort_values("n", ascending=False) if rows else pd.DataFrame(columns=[by, "n", "accuracy", "macro_f1"])


def fraud_recall(scored: pd.DataFrame) -> dict[str, float]:
    """Share of rows flagged as fraud by each decider (for sets where every row is a scam)."""
    n = max(len(scored), 1)
    result = {"hybrid": float(scored["suspected_fraud"].astype(bool).sum() / n),
              "rules": float(scored["rule_stage"].eq("fraud").sum() / n)}
    if scored["model_fraud_probability"].notna().all() and len(scored):
        result["model"] = float((scored["model_fraud_probability"] >= 0.5).sum() / n)
    return result


def missed_by_more_than_one(scored: pd.DataFrame, labels: pd.DataFrame) -> float:
    joined = scored.merge(labels[["inquiry_id", "grade"]].rename(columns={"grade": "true_grade"}), on="inquiry_id")
    return float(np.mean(np.abs(joined["grade"] - joined["true_grade"]) > 1)) if len(joined) else 0.0
