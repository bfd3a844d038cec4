"""Apply the rulebook to a batch of signals: rule grade, fraud verdict, reasons, evidence.

Every rule runs once over the whole frame (numpy masks), then the precedence
of `rulebook.yaml` picks the grade. A rule that raises is reported in
`RuleVerdicts.errors` and counted as abstaining; it never stops the batch.

>>> import pandas as pd
>>> signals = pd.DataFrame({"hist_prior_orders": [2.0, 0.0], "scam_bank_change": [1.0, 1.0]})
>>> verdicts = grade(signals)
>>> verdicts.frame["rule_grade"].tolist(), verdicts.frame["suspected_fraud"].tolist()
([4, 4], [True, True])
>>> verdicts.frame["rules_fired"][0]
['FRAUD_BANK_CHANGE', 'HISTORY_ORDER']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rules.registry import Rule, RuleInputs
from rules.rulebook import Rulebook, load_rulebook


def __getattr__(name: str) -> str:
    # The version is read from rulebook.yaml on demand: importing does no file I/O.
    if name == "RULESET_VERSION":
        return load_rulebook().version
    raise AttributeError(f"module 'rules.engine' has no attribute {name!r}")


MAX_SNIPPETS = 3
MAX_SNIPPET_CHARS = 120
VERDICT_COLUMNS = (
    "rule_grade",
    "suspected_fraud",
    "fraud_score",
    "fraud_reasons",
    "fraud_reasons_zh",
    "rules_fired",
    "rule_evidence",
    "rule_stage",
    "rule_override",
)


@dataclass(frozen=True)
class RuleError:
    """A rule that failed on a batch; it abstained on every row of it."""

    rule_id: str
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule_id} failed and abstained: {self.message}"


@dataclass(frozen=True)
class RuleVerdicts:
    """The rulebook's answer for a batch.

    `frame` has one row per inquiry (same index as the signals) with the
    columns of VERDICT_COLUMNS: `rule_stage` names the precedence stage that
    set the grade ("default" when none did) and `rule_override` repeats it when
    that stage is a hard one (fraud, history, not_a_buyer), else None. `hits`
    holds each rule's strength per row (0 = abstained), which the rule-quality
    report reads.
    """

    frame: pd.DataFrame
    hits: pd.DataFrame
    ruleset_version: str
    errors: tuple[RuleError, ...]
    rulebook: Rulebook

    def __len__(self) -> int:
        return len(self.frame)

    @classmethod
    def concat(cls, parts: list[RuleVerdicts]) -> RuleVerdicts:
        """One verdict for a batch graded chunk by chunk (same rulebook)."""
        if not parts:
            raise ValueError("no verdicts to combine")
        return cls(
            frame=pd.concat([part.frame for part in parts]),
            hits=pd.concat([part.hits for part in parts]),
            ruleset_version=parts[0].ruleset_version,
            errors=tuple(dict.fromkeys(error for part in parts for error in part.errors)),
            rulebook=parts[0].rulebook,
        )


def grade(
    signals: pd.DataFrame,
    evidence: pd.DataFrame | None = None,
    *,
    profile_settings: dict[str, Any] | None = None,
    inquiries: pd.DataFrame | None = None,
    rulebook: Rulebook | None = None,
) -> RuleVerdicts:
    """Grade every row of `signals` by the rulebook.

    `evidence` (same rows, list-of-snippet cells) feeds the reasons;
    `profile_settings` is `CompanyProfile.settings` (the country penalty reads
    `fraud.penalised_countries`); `inquiries` is needed only for that penalty.
    """
    if not isinstance(signals, pd.DataFrame):
        raise TypeError(f"signals must be a pandas DataFrame, got {type(signals).__name__}")
    if evidence is not None and len(evidence) != len(signals):
        raise ValueError(f"evidence has {len(evidence)} rows but signals have {len(signals)}")
    if inquiries is not None and len(inquiries) != len(signals):
        raise ValueError(f"inquiries have {len(inquiries)} rows but signals have {len(signals)}")
    book = rulebook or load_rulebook()
    inputs = RuleInputs(
        signals=signals,
        evidence=evidence,
        params=book.params,
        settings=profile_settings or {},
        inquiries=None if inquiries is None else inquiries.set_axis(signals.index),
    )
    strengths, errors = _apply_rules(book.rules, inputs)
    fraud_score = np.zeros(len(signals))
    for candidate in book.rules:
        if candidate.kind == "fraud_flag":
            fraud_score += book.weights[candidate.id] * strengths[candidate.id]
    fraud_score = np.round(fraud_score, 6)  # sums of weights like 0.6 + 0.4 must reach 1.0
    suspected = fraud_score >= book.fraud_threshold
    rule_grade, rule_stage = _decide(book, strengths, suspected, len(signals))
    hard_stages = {stage.name for stage in book.precedence if stage.kind != "grade_vote"}
    rule_override = np.array([stage if stage in hard_stages else None for stage in rule_stage], dtype=object)
    frame = pd.DataFrame(
        {
            "rule_grade": rule_grade,
            "suspected_fraud": suspected,
            "fraud_score": fraud_score,
            "rule_stage": rule_stage,
            "rule_override": rule_override,
        },
        index=signals.index,
    )
    fired, evidence_per_row, reasons_en, reasons_zh = _explain(book, inputs, strengths, suspected)
    frame["fraud_reasons"] = reasons_en
    frame["fraud_reasons_zh"] = reasons_zh
    frame["rules_fired"] = fired
    frame["rule_evidence"] = evidence_per_row
    hits = pd.DataFrame(strengths, index=signals.index, columns=[candidate.id for candidate in book.rules])
    return RuleVerdicts(
        frame=frame[list(VERDICT_COLUMNS)],
        hits=hits,
        ruleset_version=book.version,
        errors=tuple(errors),
        rulebook=book,
    )


def _apply_rules(rules: tuple[Rule, ...], inputs: RuleInputs) -> tuple[dict[str, np.ndarray], list[RuleError]]:
    strengths: dict[str, np.ndarray] = {}
    errors: list[RuleError] = []
    for candidate in rules:
        try:
            strengths[candidate.id] = candidate(inputs)
        except Exception as error:  # one broken rule must not sink the batch
            errors.append(RuleError(candidate.id, f"{type(error).__name__}: {error}"))
            strengths[candidate.id] = np.zeros(len(inputs.signals))
    return strengths, errors


def _decide(
    book: Rulebook, strengths: dict[str, np.ndarray], suspected: np.ndarray, n_rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Walk the precedence: the first stage that fires on a row sets its grade."""
    rule_grade = np.full(n_rows, book.default_grade, dtype=np.int64)
    rule_stage = np.full(n_rows, "default", dtype=object)
    decided = np.zeros(n_rows, dtype=bool)
    for stage in book.precedence:
        if stage.kind == "fraud_flag":
            fired = suspected
        else:
            fired = np.zeros(n_rows, dtype=bool)
            for candidate in book.rules:
                if candidate.stage == stage.name:
                    fired |= strengths[candidate.id] > 0
        newly = fired & ~decided
        rule_grade[newly] = stage.grade
        rule_stage[newly] = stage.name
        decided |= fired
    return rule_grade, rule_stage


def _explain(
    book: Rulebook, inputs: RuleInputs, strengths: dict[str, np.ndarray], suspected: np.ndarray
) -> tuple[list[list[str]], list[dict[str, list[str]]], list[list[str]], list[list[str]]]:
    """Per row: the rules that fired, their evidence, and the fraud reasons (flagged rows only)."""
    n_rows = len(inputs.signals)
    fired: list[list[str]] = [[] for _ in range(n_rows)]
    evidence_per_row: list[dict[str, list[str]]] = [{} for _ in range(n_rows)]
    reasons_en: list[list[str]] = [[] for _ in range(n_rows)]
    reasons_zh: list[list[str]] = [[] for _ in range(n_rows)]
    for candidate in book.rules:
        rows = np.flatnonzero(strengths[candidate.id] > 0)
        if not len(rows):
            continue
        snippets = _rule_snippets(candidate, inputs, rows)
        for row, row_snippets in zip(rows, snippets):
            fired[row].append(candidate.id)
            evidence_per_row[row][candidate.id] = row_snippets
            if candidate.kind == "fraud_flag" and suspected[row]:
                strength = strengths[candidate.id][row]
                detail = "; ".join(row_snippets)
                score = f" (score {strength:.2f})" if strength < 1 else ""
                reasons_en[row].append(f"{candidate.description_en}{score}" + (f": {detail}" if detail else ""))
                reasons_zh[row].append(f"{candidate.description_zh}{score}" + (f":{detail}" if detail else ""))
    return fired, evidence_per_row, reasons_en, reasons_zh


def _rule_snippets(candidate: Rule, inputs: RuleInputs, rows: np.ndarray) -> list[list[str]]:
    """Evidence for the rows a rule fired on, from the evidence frame or the signal values."""
    per_row: list[list[str]] = [[] for _ in rows]
    for column in candidate.evidence_from:
        if column.startswith("inquiries."):
            field_name = column.split(".", 1)[1]
            if inputs.inquiries is None or field_name not in inputs.inquiries.columns:
                continue
            values = inputs.inquiries[field_name].to_numpy(dtype=object)
            for slot, row in enumerate(rows):
                per_row[slot].append(f"{field_name}={values[row]}")
        elif inputs.evidence is not None and column in inputs.evidence.columns:
            cells = inputs.evidence[column].to_numpy(dtype=object)
            for slot, row in enumerate(rows):
                per_row[slot].extend(_snippets(cells[row]))
        elif column in inputs.signals.columns:
            values = inputs.signals[column].to_numpy(dtype=np.float64, na_value=0.0)
            for slot, row in enumerate(rows):
                per_row[slot].append(f"{column}={values[row]:g}")  # a count or score says more than "fired"
    return [list(dict.fromkeys(snippets))[:MAX_SNIPPETS] for snippets in per_row]


def _snippets(cell: object) -> list[str]:
    if cell is None or isinstance(cell, float):
        return []
    items = [cell] if isinstance(cell, str) else list(cell)
    return [_shorten(str(item)) for item in items if str(item).strip()]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SNIPPET_CHARS else text[: MAX_SNIPPET_CHARS - 1] + "…"
