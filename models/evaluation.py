"""Compare the hybrid, the model alone and the rules alone on labelled inquiries."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.metrics import GRADES, grading_metrics

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


def _with_true_grade(scored: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """The scored rows that have a label, with the manager's grade as `true_grade`."""
    return scored.merge(labels[["inquiry_id", "grade"]].rename(columns={"grade": "true_grade"}), on="inquiry_id")


def missed_by_more_than_one(scored: pd.DataFrame, labels: pd.DataFrame) -> float:
    joined = _with_true_grade(scored, labels)
    return float(np.mean(np.abs(joined["grade"] - joined["true_grade"]) > 1)) if len(joined) else 0.0


# Resamples of the labelled rows behind `difference_intervals`, and how many are drawn at once
# (a block of 50 resamples of 100,000 rows is 40 MB of row numbers).
RESAMPLES = 1_000
_RESAMPLE_BLOCK = 50


def difference_intervals(scored: pd.DataFrame, labels: pd.DataFrame, seed: int = 0) -> dict[str, list[float]]:
    """95% interval of the hybrid's macro-F1 minus the model's and minus the rules', over the
    labelled rows resampled with replacement: how large a difference these rows can tell from chance.

    >>> labels = pd.DataFrame({"inquiry_id": list("abcdef"), "grade": [1, 2, 3, 4, 4, 3]})
    >>> scored = labels.assign(model_grade=[1, 2, 3, 4, 3, 3], rule_grade=[1, 2, 3, 4, 4, 3])
    >>> intervals = difference_intervals(scored, labels)
    >>> intervals["rules"], intervals["model"][0] == 0.0 < intervals["model"][1]
    ([0.0, 0.0], True)
    """
    joined = _with_true_grade(scored, labels)
    truth = joined["true_grade"].to_numpy(dtype=int)
    hybrid = joined["grade"].to_numpy(dtype=int)
    parts = {"rules": joined["rule_grade"].to_numpy(dtype=int)}
    if "model_grade" in joined and joined["model_grade"].notna().all():
        parts["model"] = joined["model_grade"].to_numpy(dtype=int)
    rng = np.random.default_rng(seed)
    differences: dict[str, list[np.ndarray]] = {part: [] for part in parts}
    for start in range(0, RESAMPLES if len(truth) else 0, _RESAMPLE_BLOCK):
        rows = rng.integers(0, len(truth), size=(min(_RESAMPLE_BLOCK, RESAMPLES - start), len(truth)))
        hybrid_f1 = macro_f1(truth[rows], hybrid[rows])
        for part, grades in parts.items():
            differences[part].append(hybrid_f1 - macro_f1(truth[rows], grades[rows]))
    return {part: [round(float(bound), 4) for bound in np.percentile(np.concatenate(values), [2.5, 97.5])]
            for part, values in differences.items() if values}


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Macro-F1 over grades 1-4 as `models.metrics.grading_metrics` counts it (a grade absent
    from both sides scores 0), along the last axis: one value per row of a 2-D input."""
    scores = []
    for grade in GRADES:
        true_positive = ((truth == grade) & (predicted == grade)).sum(axis=-1)
        wrong = ((truth == grade) != (predicted == grade)).sum(axis=-1)  # false positives + false negatives
        denominator = 2 * true_positive + wrong
        scores.append(np.divide(2 * true_positive, denominator, out=np.zeros(np.shape(denominator)),
                                where=denominator > 0))
    return np.mean(scores, axis=0)
