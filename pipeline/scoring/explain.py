"""Explanations a sales manager can read: why this grade, why this flag."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

SOURCE_WORDS = {
    "override": "a hard rule",
    "model": "the learned model",
    "rules": "the rulebook",
    "review": "a manager's review",
}


@lru_cache(maxsize=1)
def signal_phrases() -> dict[str, str]:
    text = resources.files("pipeline.scoring").joinpath("signal_phrases.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def describe_signal(name: str, value: float) -> str:
    """A signal in words.

    >>> describe_signal("spec_products_named", 2.0)
    'names 2 of our products'
    >>> describe_signal("hist_days_since_order", -1.0)
    'no earlier order'
    >>> describe_signal("lang_words", 3.0445)  # the signal holds log(1 + 20 words)
    'a message of 20 words'
    >>> describe_signal("unknown_signal", 1.0)
    'unknown_signal'
    """
    template = signal_phrases().get(name)
    if template is None:
        return name
    if isinstance(template, dict):
        if template.get("scale") == "log1p":
            value = round(float(np.expm1(value)))
        form = "negative" if value < 0 else "one" if value == 1 else "other"
        template = template.get(form, template["other"])
    try:
        return template.format(value=value)
    except (ValueError, KeyError):
        return template


def top_signals(contributions: pd.DataFrame | None, values: pd.DataFrame, top: int = 3) -> list[list[str]]:
    """Per row, the signals that pushed hardest towards the model's grade."""
    if contributions is None or contributions.empty:
        return [[] for _ in range(len(values))]
    # Reasons are signals; the rulebook's own grade, which the model also reads,
    # is stated on its own in the explanation.
    contributions = contributions[[column for column in contributions.columns if column in values.columns]]
    matrix = contributions.to_numpy(dtype=float)
    signal_values = values[contributions.columns].to_numpy(dtype=float)
    # A zero-valued signal can still "push" (its absence), but absences read badly as reasons.
    matrix = np.where(signal_values != 0, matrix, -np.inf)
    order = np.argsort(-matrix, axis=1)[:, :top]
    names = contributions.columns.to_numpy()
    phrases = []
    for row, columns in enumerate(order):
        picked = [column for column in columns if matrix[row, column] > 0]
        # Two signals can read alike ("no earlier order"); say it once.
        described = [describe_signal(names[column], signal_values[row, column]) for column in picked]
        phrases.append(list(dict.fromkeys(described)))
    return phrases


def explanation_text(grade: int, source: str, confidence: float, model_reasons: list[str],
                     rules_fired: list[str], fraud_reasons: list[str], rule_grade: int,
                     model_grade: int | None, fraud_cleared: list[str] | None = None) -> str:
    """One paragraph: the decision, the model's reasons, the rules, the fraud reasons.

    >>> explanation_text(2, "model", 0.81, ["names 2 of our products"], ["GRADE3_PRODUCT_NAMED"], [], 3, 2)
    'Grade 2 by the learned model (81% sure): names 2 of our products. Rulebook says grade 3 (GRADE3_PRODUCT_NAMED).'
    >>> print(explanation_text(2, "model", 0.75, [], ["FRAUD_ABSURD_UNITS"], [], 4, 2, ["1,450 lm: odd unit"]))
    Grade 2 by the learned model (75% sure). The rulebook suspected fraud (1,450 lm: odd unit) but the model finds it unlikely, so the flag is cleared: a manager should confirm. Rulebook says grade 4 (FRAUD_ABSURD_UNITS).
    """
    sure = f" ({confidence:.0%} sure)" if confidence == confidence and source != "override" else ""
    parts = [f"Grade {grade} by {SOURCE_WORDS.get(source, source)}{sure}"]
    if model_reasons:
        parts[0] += ": " + "; ".join(model_reasons)
    text = parts[0] + "."
    if fraud_reasons:
        text += " Suspected fraud: " + "; ".join(fraud_reasons) + "."
    if fraud_cleared:
        text += (" The rulebook suspected fraud (" + "; ".join(fraud_cleared) + ") but the model finds it"
                 " unlikely, so the flag is cleared: a manager should confirm.")
    rules_text = f" ({', '.join(rules_fired)})" if rules_fired else ""
    if model_grade is not None and source != "rules":
        text += f" Rulebook says grade {rule_grade}{rules_text}."
    elif rules_fired:
        text += f" Rules fired: {', '.join(rules_fired)}."
    return text
