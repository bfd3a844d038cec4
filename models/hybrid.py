"""The hybrid decision: hard rule overrides, then a confident model, else rules.

The order and thresholds are data (`models/hybrid.yaml`). Without a model
(a new company, an empty registry) every grade comes from the rules, and the
output says so in `grade_source`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

SOURCES = ("override", "model", "rules")


@dataclass(frozen=True)
class HybridPolicy:
    order: tuple[str, ...]
    model_confidence_threshold: float
    model_fraud_threshold: float
    version: str
    # Which of the rulebook's overrides are hard here (the others are one vote among the signals).
    hard_overrides: frozenset[str] = frozenset({"fraud", "history", "not_a_buyer"})
    # A fraud flag resting only on these markers is cleared when the model rates fraud below `clear_below`.
    clearable_markers: frozenset[str] = frozenset()
    clear_below: float = 0.0

    @classmethod
    def from_mapping(cls, mapping: dict) -> "HybridPolicy":
        order = tuple(mapping.get("order", SOURCES))
        unknown = [step for step in order if step not in SOURCES]
        if unknown:
            raise ValueError(f"hybrid policy: unknown step(s) {unknown}; allowed: {', '.join(SOURCES)}")
        if "rules" not in order:
            raise ValueError("hybrid policy: 'rules' must be in the order, it is the fallback for every row")
        clearing = mapping.get("model_may_clear_fraud") or {}
        return cls(
            order=order,
            model_confidence_threshold=float(mapping.get("model_confidence_threshold", 0.55)),
            model_fraud_threshold=float(mapping.get("model_fraud_threshold", 0.9)),
            version=str(mapping.get("version", "hybrid")),
            hard_overrides=frozenset(mapping.get("hard_overrides", ("fraud", "history", "not_a_buyer"))),
            clearable_markers=frozenset(clearing.get("markers", ())),
            clear_below=float(clearing.get("below", 0.0)),
        )


@lru_cache(maxsize=1)
def default_policy() -> HybridPolicy:
    text = resources.files("models").joinpath("hybrid.yaml").read_text(encoding="utf-8")
    return HybridPolicy.from_mapping(yaml.safe_load(text))


def decide(rule_verdicts: pd.DataFrame, grade_probabilities: np.ndarray | None = None,
           fraud_probabilities: np.ndarray | None = None, policy: HybridPolicy | None = None) -> pd.DataFrame:
    """Final grade and fraud flag per row, with where each came from.

    `rule_verdicts` needs `rule_grade`, `suspected_fraud`, `fraud_reasons` and
    `rule_override` (None, or the kind of hard rule that fired). Model inputs
    are the calibrated (n, 4) grade probabilities and (n,) fraud probabilities,
    or None when there is no model.

    >>> rules = pd.DataFrame({"rule_grade": [4, 1, 3], "suspected_fraud": [True, False, False],
    ...                       "fraud_reasons": [["login link"], [], []], "rule_override": ["fraud", "history", None]})
    >>> probs = np.array([[.9, .05, .03, .02], [.1, .1, .1, .7], [.05, .8, .1, .05]])
    >>> decide(rules, probs, np.array([.2, .0, .0]))[["grade", "grade_source", "disagreement"]].to_dict("list")
    {'grade': [4, 1, 2], 'grade_source': ['override', 'override', 'model'], 'disagreement': [True, True, True]}
    """
    policy = policy or default_policy()
    n = len(rule_verdicts)
    rule_grade = rule_verdicts["rule_grade"].to_numpy(dtype=int)
    rule_fraud = rule_verdicts["suspected_fraud"].to_numpy(dtype=bool)
    overrides = rule_verdicts["rule_override"].isin(policy.hard_overrides).to_numpy()
    reasons = [list(r) if isinstance(r, (list, tuple, np.ndarray)) else [] for r in rule_verdicts["fraud_reasons"]]

    has_model = grade_probabilities is not None
    if has_model:
        grade_probabilities = np.asarray(grade_probabilities, dtype=float)
        model_grade = grade_probabilities.argmax(axis=1) + 1
        model_confidence = grade_probabilities.max(axis=1)
        model_fraud = np.zeros(n) if fraud_probabilities is None else np.asarray(fraud_probabilities, dtype=float)
    else:
        model_grade = np.full(n, -1)
        model_confidence = np.full(n, np.nan)
        model_fraud = np.full(n, np.nan)

    cleared = _cleared_frauds(rule_verdicts, rule_fraud, model_fraud, policy) if has_model else np.zeros(n, bool)
    cleared_reasons = [reasons[row] if cleared[row] else [] for row in range(n)]
    grade = rule_grade.copy()
    source = np.full(n, "rules", dtype=object)
    decided = np.zeros(n, dtype=bool)
    # A cleared fraud flag is the model's call: it takes the model's grade, however sure.
    grade[cleared] = model_grade[cleared]
    source[cleared] = "model"
    decided |= cleared
    rule_fraud = rule_fraud & ~cleared
    for row in np.flatnonzero(cleared):
        reasons[row] = []
    for step in policy.order:
        if step == "override":
            take = overrides & ~decided
            source[take] = "override"
        elif step == "model":
            if not has_model:
                continue
            take = ~decided & (model_confidence >= policy.model_confidence_threshold)
            grade[take] = model_grade[take]
            source[take] = "model"
        else:
            take = ~decided
            source[take] = "rules"
        decided |= take

    suspected = rule_fraud.copy()
    if has_model:
        model_flags = (model_fraud >= policy.model_fraud_threshold) & ~rule_fraud
        # A history override (a known customer) is not second-guessed by the model alone.
        history_override = (rule_verdicts["rule_override"] == "history").to_numpy()
        model_flags &= ~history_override
        for row in np.flatnonzero(model_flags):
            reasons[row] = reasons[row] + [f"the model rates it {model_fraud[row]:.0%} likely a scam"]
        suspected |= model_flags
        grade[model_flags] = 4
        source[model_flags & (source != "override")] = "model"

    confidence = np.where(source == "override", 1.0, model_confidence)
    if has_model:
        rules_rows = source == "rules"
        confidence[rules_rows] = grade_probabilities[rules_rows, rule_grade[rules_rows] - 1]
    return pd.DataFrame(
        {
            "grade": grade,
            "grade_source": source,
            "confidence": confidence,
            "model_grade": pd.array([int(g) if g > 0 else pd.NA for g in model_grade], dtype="Int64"),
            "model_confidence": model_confidence,
            "model_fraud_probability": model_fraud,
            "rule_grade": rule_grade,
            "suspected_fraud": suspected,
            "fraud_reasons": reasons,
            # A cleared fraud flag is a disagreement too, whatever grade the model gives.
            "disagreement": ((model_grade != rule_grade) | cleared) if has_model else np.zeros(n, dtype=bool),
            "fraud_cleared": cleared_reasons,
        },
        index=rule_verdicts.index,
    )


def _cleared_frauds(rule_verdicts: pd.DataFrame, rule_fraud: np.ndarray, model_fraud: np.ndarray,
                    policy: HybridPolicy) -> np.ndarray:
    """Fraud flags resting only on clearable markers that the model rates unlikely."""
    if not policy.clearable_markers or "rules_fired" not in rule_verdicts:
        return np.zeros(len(rule_verdicts), dtype=bool)
    candidates = rule_fraud & (model_fraud < policy.clear_below)
    cleared = np.zeros(len(rule_verdicts), dtype=bool)
    fired = rule_verdicts["rules_fired"].to_numpy(dtype=object)
    for row in np.flatnonzero(candidates):
        markers = {rule for rule in fired[row] if rule.startswith("FRAUD_")}
        cleared[row] = bool(markers) and markers <= policy.clearable_markers
    return cleared
