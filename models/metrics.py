"""Grading metrics in one place, so train, evaluate and reports agree.

>>> summary = grading_metrics([1, 2, 3, 4], [1, 2, 4, 4], [False, False, False, True], [False, False, True, True])
>>> round(summary["macro_f1"], 3), summary["fraud_precision"], summary["fraud_recall"]
(0.667, 0.5, 1.0)
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)

GRADES = [1, 2, 3, 4]


def grading_metrics(true_grades, predicted_grades, true_fraud=None, predicted_fraud=None,
                    grade_probabilities=None) -> dict:
    """Macro-F1, per-grade precision/recall, confusion matrix, fraud P/R, Brier score."""
    true_grades = np.asarray(true_grades, dtype=int)
    predicted_grades = np.asarray(predicted_grades, dtype=int)
    precision, recall, f1, support = precision_recall_fscore_support(
        true_grades, predicted_grades, labels=GRADES, zero_division=0
    )
    result = {
        "n": int(len(true_grades)),
        "accuracy": float(np.mean(true_grades == predicted_grades)) if len(true_grades) else 0.0,
        "macro_f1": float(f1_score(true_grades, predicted_grades, labels=GRADES, average="macro", zero_division=0)),
        "off_by_more_than_one": float(np.mean(np.abs(true_grades - predicted_grades) > 1)) if len(true_grades) else 0.0,
        "per_grade": {
            str(grade): {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for grade, p, r, f, s in zip(GRADES, precision, recall, f1, support)
        },
        "confusion_matrix": confusion_matrix(true_grades, predicted_grades, labels=GRADES).tolist(),
    }
    if true_fraud is not None and predicted_fraud is not None:
        true_fraud = np.asarray(true_fraud, dtype=bool)
        predicted_fraud = np.asarray(predicted_fraud, dtype=bool)
        result["fraud_precision"] = float(precision_score(true_fraud, predicted_fraud, zero_division=0))
        result["fraud_recall"] = float(recall_score(true_fraud, predicted_fraud, zero_division=0))
        result["fraud_support"] = int(true_fraud.sum())
    if grade_probabilities is not None:
        result["brier"] = brier_multiclass(true_grades, grade_probabilities)
    return result


def brier_multiclass(true_grades, grade_probabilities) -> float:
    """Mean squared distance between the probability vector and the one-hot truth.

    >>> brier_multiclass([1, 4], [[1, 0, 0, 0], [0, 0, 0.5, 0.5]])
    0.25
    """
    probabilities = np.asarray(grade_probabilities, dtype=float)
    truth = np.zeros_like(probabilities)
    truth[np.arange(len(probabilities)), np.asarray(true_grades, dtype=int) - 1] = 1.0
    return float(np.mean(np.sum((probabilities - truth) ** 2, axis=1)))


def format_metrics_table(rows: dict[str, dict]) -> list[list[str]]:
    """Rows of a comparison table: one line per named metrics dict."""
    table = []
    for name, metrics in rows.items():
        table.append([
            name,
            f"{metrics['macro_f1']:.3f}",
            f"{metrics['accuracy']:.3f}",
            f"{metrics.get('fraud_precision', float('nan')):.3f}",
            f"{metrics.get('fraud_recall', float('nan')):.3f}",
            f"{metrics['brier']:.3f}" if "brier" in metrics else "-",
        ])
    return table


METRICS_TABLE_HEADER = ["", "macro-F1", "accuracy", "fraud P", "fraud R", "Brier"]
