"""What a rule is: a small named function plus what a sales manager needs to audit it.

A rule reads signal columns and returns, per inquiry, a strength in 0..1
(0 means the rule abstains). Modelled on Snorkel labeling functions: the
function is tiny, the metadata says what it implements and how it votes.

>>> @rule("DEMO_LONG_THREAD", kind="grade_vote", stage="strong_interest",
...       en="Long thread", zh="往来邮件多", domain="6+ messages in the thread",
...       reads=("hist_thread_messages",))
... def demo(inputs):
...     return inputs.signal("hist_thread_messages") >= 6
>>> demo.id, demo.kind
('DEMO_LONG_THREAD', 'grade_vote')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

import numpy as np
import pandas as pd

RULE_KINDS = ("fraud_flag", "override", "grade_vote")


class MissingSignalError(KeyError):
    """A rule needs a signal column the signal frame does not have."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


@dataclass(frozen=True)
class RuleInputs:
    """Everything a rule may read: signals, evidence, thresholds, profile settings.

    `inquiries` (the normalised inquiry frame, same index) is optional; only
    rules that need raw contract fields (the country penalty) read it.
    """

    signals: pd.DataFrame
    evidence: pd.DataFrame | None = None
    params: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    inquiries: pd.DataFrame | None = None

    def signal(self, name: str) -> np.ndarray:
        """One signal column as float64; a missing column is a clear error."""
        if name not in self.signals.columns:
            raise MissingSignalError(f"needs signal column '{name}', which the signal frame does not have")
        return self.signals[name].to_numpy(dtype=np.float64, na_value=0.0)

    def param(self, name: str) -> Any:
        """A threshold from the rulebook's `params` section."""
        if name not in self.params:
            raise MissingSignalError(f"needs rulebook parameter '{name}', missing from params in rulebook.yaml")
        return self.params[name]

    def has_history(self) -> np.ndarray:
        """Buyer placed an order or a paid sample order, or visited the seller."""
        return (
            (self.signal("hist_prior_orders") > 0)
            | (self.signal("hist_sample_orders") > 0)
            | (self.signal("hist_visited_factory") > 0)
        )


@dataclass(frozen=True)
class Rule:
    """One entry of the rulebook."""

    id: str
    kind: str
    stage: str
    description_en: str
    description_zh: str
    domain_line: str
    reads: tuple[str, ...]
    evidence_from: tuple[str, ...]
    function: Callable[[RuleInputs], Any] = field(repr=False, compare=False)

    def __call__(self, inputs: RuleInputs) -> np.ndarray:
        """Strength per inquiry in 0..1; booleans become 0/1."""
        value = np.asarray(self.function(inputs), dtype=np.float64)
        expected = (len(inputs.signals),)
        if value.shape != expected:
            raise ValueError(f"returned shape {value.shape}, expected {expected}")
        return np.clip(np.nan_to_num(value, nan=0.0), 0.0, 1.0)


def rule(
    rule_id: str,
    *,
    kind: str,
    stage: str,
    en: str,
    zh: str,
    domain: str,
    reads: tuple[str, ...],
    evidence_from: tuple[str, ...] | None = None,
) -> Callable[[Callable[[RuleInputs], Any]], Rule]:
    """Turn a function into a `Rule`; `evidence_from` defaults to the columns it reads."""
    if kind not in RULE_KINDS:
        raise ValueError(f"rule {rule_id}: kind must be one of {', '.join(RULE_KINDS)}, got '{kind}'")

    def wrap(function: Callable[[RuleInputs], Any]) -> Rule:
        return Rule(
            id=rule_id,
            kind=kind,
            stage=stage,
            description_en=en,
            description_zh=zh,
            domain_line=domain,
            reads=tuple(reads),
            evidence_from=tuple(reads if evidence_from is None else evidence_from),
            function=function,
        )

    return wrap


def rules_in(module: ModuleType) -> list[Rule]:
    """The rules a module defines, in the order they are written."""
    return [value for value in vars(module).values() if isinstance(value, Rule)]
