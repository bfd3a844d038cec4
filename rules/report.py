"""The rule-quality report: how each rule and the rulebook as a whole do on labelled history.

Modelled on Snorkel's `LFAnalysis.lf_summary` (coverage, overlaps, conflicts,
empirical accuracy per rule) and SpamAssassin's `hit-frequencies` (hits on
scams vs on clean mail, the S/O ratio), plus the rules-only confusion matrix,
macro-F1 and fraud precision / recall. Written as CSV + one self-contained
HTML page, and shown as rich tables.

>>> import pandas as pd
>>> from rules import grade
>>> signals = pd.DataFrame({"spec_products_named": [1.0, 0.0], "scam_bank_change": [0.0, 1.0]})
>>> report = rule_quality(grade(signals), grades=[3, 4], fraud=[False, True])
>>> report.metrics["macro_f1"], report.metrics["fraud_recall"]
(1.0, 1.0)
>>> bank = report.rules.set_index("rule").loc["FRAUD_BANK_CHANGE"]
>>> int(bank["hits"]), float(bank["accuracy"])
(1, 1.0)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rules.engine import RuleVerdicts

GRADES = (1, 2, 3, 4)
RULE_COLUMNS = (
    "rule",
    "kind",
    "stage",
    "votes",
    "weight",
    "hits",
    "coverage",
    "overlaps",
    "conflicts",
    "decided",
    "hits_grade_1",
    "hits_grade_2",
    "hits_grade_3",
    "hits_grade_4",
    "hits_fraud",
    "accuracy",
    "fraud_hit_rate",
    "clean_hit_rate",
    "so_ratio",
    "errors",
    "description",
    "description_zh",
)


@dataclass(frozen=True)
class RuleQualityReport:
    """Per-rule table, confusion matrix (true grade rows x rule grade columns) and overall metrics."""

    rules: pd.DataFrame
    confusion: pd.DataFrame
    metrics: dict[str, Any]
    ruleset_version: str
    errors: list[str] = field(default_factory=list)


def rule_quality(verdicts: RuleVerdicts, grades: Sequence[int], fraud: Sequence[bool]) -> RuleQualityReport:
    """Compare the rulebook's verdicts with the grades and fraud labels a manager gave."""
    true_grades = np.asarray(grades, dtype=np.int64)
    true_fraud = np.asarray(fraud, dtype=bool)
    if len(true_grades) != len(verdicts) or len(true_fraud) != len(verdicts):
        raise ValueError(f"{len(verdicts)} verdicts but {len(true_grades)} grades and {len(true_fraud)} fraud labels")
    rule_grades = verdicts.frame["rule_grade"].to_numpy(dtype=np.int64)
    rule_fraud = verdicts.frame["suspected_fraud"].to_numpy(dtype=bool)
    rules_table = _rule_table(verdicts, true_grades, true_fraud)
    confusion = confusion_matrix(true_grades, rule_grades)
    metrics = {
        "rows": int(len(true_grades)),
        "ruleset_version": verdicts.ruleset_version,
        **grading_metrics(confusion),
        **fraud_metrics(true_fraud, rule_fraud),
    }
    return RuleQualityReport(
        rules=rules_table,
        confusion=confusion,
        metrics=metrics,
        ruleset_version=verdicts.ruleset_version,
        errors=[str(error) for error in verdicts.errors],
    )


def confusion_matrix(true_grades: np.ndarray, rule_grades: np.ndarray) -> pd.DataFrame:
    """Counts of (true grade, rule grade) pairs, all four grades on both axes.

    >>> confusion_matrix(np.array([1, 1, 4]), np.array([1, 2, 4])).loc[1].tolist()
    [1, 1, 0, 0]
    """
    counts = np.zeros((len(GRADES), len(GRADES)), dtype=np.int64)
    for true, predicted in zip(true_grades, rule_grades):
        counts[true - 1, predicted - 1] += 1
    return pd.DataFrame(
        counts,
        index=pd.Index(GRADES, name="true grade"),
        columns=pd.Index(GRADES, name="rule grade"),
    )


def grading_metrics(confusion: pd.DataFrame) -> dict[str, Any]:
    """Accuracy, per-grade precision / recall / F1 and their macro mean.

    A grade with no true and no predicted row has no F1 and is left out of the
    mean (as scikit-learn does with the labels it sees).

    >>> m = grading_metrics(confusion_matrix(np.array([1, 2, 2, 3]), np.array([1, 2, 3, 3])))
    >>> m["accuracy"], round(m["macro_f1"], 4), m["per_grade"]["2"]["recall"]
    (0.75, 0.7778, 0.5)
    """
    counts = confusion.to_numpy()
    total = counts.sum()
    per_grade, f1_scores = {}, []
    for position, grade_label in enumerate(GRADES):
        true_positive = counts[position, position]
        predicted = counts[:, position].sum()
        actual = counts[position, :].sum()
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_grade[str(grade_label)] = {
            "precision": float(precision),
            "recall": float(recall),
            "f1": float(f1),
            "support": int(actual),
        }
        if predicted or actual:
            f1_scores.append(f1)
    return {
        "accuracy": float(np.trace(counts) / total) if total else 0.0,
        "macro_f1": float(np.mean(f1_scores)) if f1_scores else 0.0,
        "per_grade": per_grade,
    }


def fraud_metrics(true_fraud: np.ndarray, rule_fraud: np.ndarray) -> dict[str, Any]:
    """Precision and recall of the fraud flag, with the counts behind them.

    >>> fraud_metrics(np.array([True, True, False]), np.array([True, False, True]))["fraud_precision"]
    0.5
    """
    flagged_fraud = int(np.sum(true_fraud & rule_fraud))
    flagged = int(np.sum(rule_fraud))
    frauds = int(np.sum(true_fraud))
    precision = flagged_fraud / flagged if flagged else 0.0
    recall = flagged_fraud / frauds if frauds else 0.0
    return {
        "fraud_precision": float(precision),
        "fraud_recall": float(recall),
        "fraud_f1": float(2 * precision * recall / (precision + recall)) if precision + recall else 0.0,
        "fraud_labelled": frauds,
        "fraud_flagged": flagged,
        "fraud_flagged_correctly": flagged_fraud,
    }


def _rule_table(verdicts: RuleVerdicts, true_grades: np.ndarray, true_fraud: np.ndarray) -> pd.DataFrame:
    book = verdicts.rulebook
    hits = verdicts.hits.to_numpy(dtype=np.float64) > 0  # rows x rules
    votes = np.array([book.vote(rule) for rule in book.rules])
    n_rows = len(true_grades)
    rules_per_row = hits.sum(axis=1)
    stages = verdicts.frame["rule_stage"].to_numpy(dtype=object)
    failed = {error.rule_id for error in verdicts.errors}
    frauds, clean = int(true_fraud.sum()), int((~true_fraud).sum())
    rows = []
    for column, rule in enumerate(book.rules):
        fired = hits[:, column]
        count = int(fired.sum())
        # Another rule fired on the row and votes a different grade.
        other_votes = hits & (votes != votes[column])
        other_votes[:, column] = False
        conflicts = int((fired & other_votes.any(axis=1)).sum())
        if rule.kind == "fraud_flag":
            correct = int((fired & true_fraud).sum())
        else:
            correct = int((fired & (true_grades == votes[column])).sum())
        fraud_rate = (fired & true_fraud).sum() / frauds if frauds else 0.0
        clean_rate = (fired & ~true_fraud).sum() / clean if clean else 0.0
        rows.append(
            {
                "rule": rule.id,
                "kind": rule.kind,
                "stage": rule.stage,
                "votes": "fraud" if rule.kind == "fraud_flag" else f"grade {votes[column]}",
                "weight": book.weights.get(rule.id, np.nan),
                "hits": count,
                "coverage": count / n_rows if n_rows else 0.0,
                "overlaps": int((fired & (rules_per_row > 1)).sum()) / n_rows if n_rows else 0.0,
                "conflicts": conflicts / n_rows if n_rows else 0.0,
                "decided": int((fired & (stages == rule.stage)).sum()),
                **{f"hits_grade_{g}": int((fired & (true_grades == g)).sum()) for g in GRADES},
                "hits_fraud": int((fired & true_fraud).sum()),
                "accuracy": correct / count if count else np.nan,
                "fraud_hit_rate": float(fraud_rate),
                "clean_hit_rate": float(clean_rate),
                "so_ratio": float(fraud_rate / (fraud_rate + clean_rate)) if fraud_rate + clean_rate else np.nan,
                "errors": "failed" if rule.id in failed else "",
                "description": rule.description_en,
                "description_zh": rule.description_zh,
            }
        )
    return pd.DataFrame(rows, columns=list(RULE_COLUMNS))


# --- output ----------------------------------------------------------------------------


def write_report(report: RuleQualityReport, out: Path) -> dict[str, Path]:
    """rules.csv, confusion.csv, metrics.json and report.html in `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "rules": out / "rules.csv",
        "confusion": out / "confusion.csv",
        "metrics": out / "metrics.json",
        "html": out / "report.html",
    }
    report.rules.to_csv(paths["rules"], index=False, float_format="%.4f")
    report.confusion.to_csv(paths["confusion"])
    paths["metrics"].write_text(
        json.dumps({**report.metrics, "errors": report.errors}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    paths["html"].write_text(render_html(report), encoding="utf-8")
    return paths


def render_html(report: RuleQualityReport) -> str:
    """One page, styles inline, no scripts or external assets: it opens anywhere."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(loader=PackageLoader("rules", "."), autoescape=select_autoescape(["html", "j2"]))
    template = environment.get_template("report.html.j2")
    rules_rows = report.rules.to_dict("records")
    return template.render(
        report=report,
        metrics=report.metrics,
        rules=rules_rows,
        grades=GRADES,
        confusion=report.confusion,
        percent=_percent,
        number=_number,
    )


def _percent(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{100 * value:.1f}%"


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def print_report(report: RuleQualityReport, console: Any) -> None:
    """The report as rich tables: rules, confusion matrix, metrics."""
    from rich.table import Table

    rules = Table(title=f"Rules of rulebook {report.ruleset_version} on {report.metrics['rows']:,} labelled inquiries")
    rules.add_column("rule", no_wrap=True)
    rules.add_column("votes", no_wrap=True)
    for heading in ("hits", "coverage", "overlaps", "conflicts", "accuracy", "fraud hits", "S/O"):
        rules.add_column(heading, justify="right")
    for row in report.rules.itertuples(index=False):
        rules.add_row(
            row.rule + (" [red](failed)[/]" if row.errors else ""),
            row.votes,
            f"{row.hits:,}",
            _percent(row.coverage),
            _percent(row.overlaps),
            _percent(row.conflicts),
            _percent(row.accuracy),
            f"{row.hits_fraud:,}",
            "" if np.isnan(row.so_ratio) else f"{row.so_ratio:.2f}",
        )
    console.print(rules)
    confusion = Table(title="Rules-only confusion matrix (rows: true grade, columns: rule grade)")
    confusion.add_column("true \\ rule")
    for grade_label in GRADES:
        confusion.add_column(str(grade_label), justify="right")
    for grade_label in GRADES:
        confusion.add_row(str(grade_label), *(f"{value:,}" for value in report.confusion.loc[grade_label]))
    console.print(confusion)
    m = report.metrics
    console.print(
        f"macro-F1 [bold]{m['macro_f1']:.3f}[/], accuracy {m['accuracy']:.3f}; fraud precision "
        f"[bold]{m['fraud_precision']:.3f}[/] ({m['fraud_flagged_correctly']}/{m['fraud_flagged']}), recall "
        f"[bold]{m['fraud_recall']:.3f}[/] ({m['fraud_flagged_correctly']}/{m['fraud_labelled']})",
        highlight=False,
    )
    for error in report.errors:
        console.print(f"[yellow]warning:[/] {error}", highlight=False)
