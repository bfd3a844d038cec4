"""Retraining as pure functions: labelled inquiries in, a measured model out.

`train_and_evaluate` cross-validates the candidate classifiers and the
rules-only baseline on the same stratified folds, keeps the best candidate by
macro-F1, fits it on the training split and measures it on a held-out split.
MLflow logging happens in the command layer, not here.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, train_test_split

from models.classifier import TEXT_COLUMN, InquiryGradeModel
from models.metrics import grading_metrics

DEFAULT_CANDIDATES = {
    "logistic": {"kind": "logistic", "text_weight": 0.3, "C": 0.5},
    "boosting": {"kind": "boosting", "text_weight": 0.0},
}


@dataclass
class TrainingFrame:
    """What the classifier learns from: signals + text, and the manager's labels."""

    features: pd.DataFrame
    grades: np.ndarray
    fraud: np.ndarray
    rule_grades: np.ndarray
    rule_fraud: np.ndarray
    rule_overrides: np.ndarray  # the override stage that fired (fraud, history...), or None
    rule_stages: np.ndarray  # the rulebook stage that set the rule grade
    inquiry_ids: np.ndarray
    languages: np.ndarray
    channels: np.ndarray


@dataclass
class TrainingResult:
    model: InquiryGradeModel
    chosen: str
    cross_validation: dict[str, dict]  # candidate or "rules" -> mean metrics over folds
    holdout: dict[str, dict]  # "model" and "rules" metrics on the held-out split
    holdout_ids: np.ndarray
    params: dict
    seconds: dict[str, float] = field(default_factory=dict)


# The rulebook's grade, one column per grade, read by the model beside the signals.
RULE_GRADE_COLUMNS = tuple(f"rules_grade_{grade}" for grade in (1, 2, 3, 4))


def model_input(signal_values: pd.DataFrame, texts: list[str], rule_grades) -> pd.DataFrame:
    """The frame the classifier reads: every numeric signal, the rulebook's grade, and the text.

    The model sees what the rulebook concluded, so it learns from the managers'
    labels where the rules are right and where they are not (a lone "absurd
    unit" on a detailed tender, a short message naming a product). It never
    sees its own earlier verdicts.
    """
    frame = signal_values.astype(float).copy()
    grades = np.asarray(rule_grades, dtype=int)
    for grade, column in enumerate(RULE_GRADE_COLUMNS, start=1):
        frame[column] = (grades == grade).astype(float)
    frame[TEXT_COLUMN] = texts
    return frame


def _stratify_key(grades: np.ndarray, fraud: np.ndarray) -> np.ndarray:
    # Frauds are a small slice of grade 4: stratify on both so every fold has some.
    return grades * 2 + fraud.astype(int)


def cross_validate(frame: TrainingFrame, candidates: dict[str, dict], folds: int, seed: int,
                   progress=None, workers: int = 2) -> dict[str, dict]:
    """Mean metrics per candidate and for the rules alone, on the same folds.

    Every (fold, candidate) fit is independent, so they run on `workers`
    processes; joblib caps each worker's own thread pool so the cores are not
    oversubscribed.
    """
    from joblib import Parallel, delayed

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    key = _stratify_key(frame.grades, frame.fraud)
    with warnings.catch_warnings():
        # Small labelled sets have rare (grade, fraud) pairs; the split still works, and the
        # train command says how small the smallest group is.
        warnings.filterwarnings("ignore", message="The least populated class")
        splits = list(splitter.split(frame.features, key))
    jobs = [(fold, name, params, train_rows, test_rows)
            for fold, (train_rows, test_rows) in enumerate(splits, start=1) for name, params in candidates.items()]
    results = Parallel(n_jobs=workers, return_as="generator")(
        delayed(_fit_and_score)(frame, params, seed, train_rows, test_rows) for _, _, params, train_rows, test_rows in jobs)
    per_fold: dict[str, list[dict]] = {name: [] for name in [*candidates, "rules"]}
    for (fold, name, _, _, _), metrics in zip(jobs, results):
        per_fold[name].append(metrics)
        if progress:
            progress(f"fold {fold}/{folds}: {name} macro-F1 {metrics['macro_f1']:.3f}")
    for _, test_rows in splits:
        per_fold["rules"].append(
            grading_metrics(frame.grades[test_rows], frame.rule_grades[test_rows],
                            frame.fraud[test_rows], frame.rule_fraud[test_rows])
        )
    return {name: _mean_metrics(results) for name, results in per_fold.items()}


def smallest_group(frame: TrainingFrame) -> int:
    """Rows in the rarest (grade, fraud) group: below the number of folds, CV folds miss it."""
    counts = np.bincount(_stratify_key(frame.grades, frame.fraud))
    return int(counts[counts > 0].min())


def _fit_and_score(frame: TrainingFrame, params: dict, seed: int, train_rows: np.ndarray, test_rows: np.ndarray) -> dict:
    model = InquiryGradeModel(random_state=seed, **params)
    model.fit(frame.features.iloc[train_rows], frame.grades[train_rows], fraud=frame.fraud[train_rows])
    return _evaluate(model, frame, test_rows)


def _evaluate(model: InquiryGradeModel, frame: TrainingFrame, rows: np.ndarray) -> dict:
    features = frame.features.iloc[rows]
    probabilities = model.predict_proba(features)
    predicted = model.classes_[probabilities.argmax(axis=1)]
    fraud_flags = model.predict_fraud_proba(features) >= 0.5
    return grading_metrics(frame.grades[rows], predicted, frame.fraud[rows], fraud_flags, probabilities)


def _mean_metrics(results: list[dict]) -> dict:
    scalar_keys = [key for key, value in results[0].items() if isinstance(value, float)]
    mean = {key: float(np.mean([result[key] for result in results])) for key in scalar_keys}
    mean["folds"] = len(results)
    mean["confusion_matrix"] = np.sum([result["confusion_matrix"] for result in results], axis=0).tolist()
    return mean


def train_and_evaluate(frame: TrainingFrame, *, candidates: dict[str, dict] | None = None, folds: int = 5,
                       holdout_share: float = 0.2, seed: int = 7, cv_max_rows: int = 10_000,
                       workers: int = 2, progress=None) -> TrainingResult:
    """Pick the best candidate in cross-validation, fit it, measure it on held-out rows.

    Candidates are compared on a stratified sample of at most `cv_max_rows`
    training rows (the ranking of two model families settles long before 100k
    rows, and the final fit uses every training row).
    """
    candidates = candidates or DEFAULT_CANDIDATES
    key = _stratify_key(frame.grades, frame.fraud)
    train_rows, holdout_rows = train_test_split(
        np.arange(len(frame.grades)), test_size=holdout_share, stratify=key, random_state=seed
    )
    training = _subset(frame, train_rows)
    comparison = training
    if len(train_rows) > cv_max_rows:
        sample, _ = train_test_split(np.arange(len(train_rows)), train_size=cv_max_rows,
                                     stratify=key[train_rows], random_state=seed)
        comparison = _subset(training, np.sort(sample))
    started = time.perf_counter()
    cv = cross_validate(comparison, candidates, folds, seed, progress, workers=workers)
    cv_seconds = time.perf_counter() - started
    chosen = max(candidates, key=lambda name: cv[name]["macro_f1"])
    started = time.perf_counter()
    model = InquiryGradeModel(random_state=seed, n_jobs=workers, **candidates[chosen])
    model.fit(training.features, training.grades, fraud=training.fraud)
    fit_seconds = time.perf_counter() - started
    holdout = {
        "model": _evaluate(model, frame, holdout_rows),
        "rules": grading_metrics(frame.grades[holdout_rows], frame.rule_grades[holdout_rows],
                                 frame.fraud[holdout_rows], frame.rule_fraud[holdout_rows]),
    }
    return TrainingResult(
        model=model,
        chosen=chosen,
        cross_validation=cv,
        holdout=holdout,
        holdout_ids=frame.inquiry_ids[holdout_rows],
        params={"chosen": chosen, "folds": folds, "holdout_share": holdout_share, "seed": seed,
                "cv_rows": len(comparison.grades), "train_rows": len(training.grades),
                **{f"{chosen}.{key}": value for key, value in candidates[chosen].items()}},
        seconds={"cross_validation": cv_seconds, "final_fit": fit_seconds},
    )


def _subset(frame: TrainingFrame, rows: np.ndarray) -> TrainingFrame:
    return TrainingFrame(
        features=frame.features.iloc[rows].reset_index(drop=True),
        grades=frame.grades[rows],
        fraud=frame.fraud[rows],
        rule_grades=frame.rule_grades[rows],
        rule_fraud=frame.rule_fraud[rows],
        rule_overrides=frame.rule_overrides[rows],
        rule_stages=frame.rule_stages[rows],
        inquiry_ids=frame.inquiry_ids[rows],
        languages=frame.languages[rows],
        channels=frame.channels[rows],
    )
