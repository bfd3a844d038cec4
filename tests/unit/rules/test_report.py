"""The rule-quality report on a tiny labelled frame whose numbers are worked out by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from rich.console import Console

from rules import grade
from rules.report import rule_quality, write_report

CORPORATE = {"contact_corporate_domain": 1}  # keeps the thin-identity rule quiet
DETAILED = {"spec_products_named": 1, "spec_requirement_areas": 3, "contact_has_name": 1, "contact_has_company": 1,
            "contact_has_phone": 1, "contact_completeness": 0.5}


@pytest.fixture
def report(signals):
    rows = signals(
        {"hist_prior_orders": 1, **CORPORATE},  # true 1 -> rules 1
        {**DETAILED, **CORPORATE},  # true 2 -> rules 2
        {"spec_products_named": 1, **CORPORATE},  # true 3 -> rules 3
        {"scam_bank_change": 1, **CORPORATE},  # true 4, fraud -> flagged
        {**CORPORATE},  # true 3 -> rules 4 (a miss)
        {"scam_url_shortener": 1, "scam_template_polish": 1.0, **CORPORATE},  # true 4, not fraud -> flagged (false alarm)
    )
    return rule_quality(grade(rows), grades=[1, 2, 3, 4, 3, 4], fraud=[False, False, False, True, False, False])


def test_confusion_matrix_and_macro_f1(report):
    assert report.confusion.loc[3].tolist() == [0, 0, 1, 1]
    assert report.confusion.loc[4].tolist() == [0, 0, 0, 2]
    assert report.metrics["accuracy"] == pytest.approx(5 / 6)
    # F1 per grade: 1, 1, 2/3 (P 1, R 1/2), 0.8 (P 2/3, R 1)
    assert report.metrics["per_grade"]["3"]["f1"] == pytest.approx(2 / 3)
    assert report.metrics["per_grade"]["4"]["precision"] == pytest.approx(2 / 3)
    assert report.metrics["macro_f1"] == pytest.approx((1 + 1 + 2 / 3 + 0.8) / 4)


def test_fraud_precision_and_recall(report):
    assert report.metrics["fraud_precision"] == 0.5
    assert report.metrics["fraud_recall"] == 1.0
    assert (report.metrics["fraud_flagged"], report.metrics["fraud_labelled"]) == (2, 1)


def test_per_rule_coverage_overlaps_conflicts_accuracy(report):
    rules = report.rules.set_index("rule")
    history = rules.loc["HISTORY_ORDER"]
    # Row 0 also trips "no product, no requirement", which votes 4: one overlap, one conflict.
    assert (history["hits"], history["coverage"], history["overlaps"], history["conflicts"]) == (1, 1 / 6, 1 / 6, 1 / 6)
    assert history["accuracy"] == 1.0 and history["decided"] == 1
    no_intent = rules.loc["GRADE4_NO_PRODUCT_NO_REQUIREMENT"]
    assert no_intent["hits"] == 4  # rows 0, 3, 4, 5
    assert [no_intent[f"hits_grade_{g}"] for g in (1, 2, 3, 4)] == [1, 0, 1, 2]
    assert no_intent["accuracy"] == 0.5 and no_intent["decided"] == 1
    product = rules.loc["GRADE3_PRODUCT_NAMED"]
    assert (product["hits"], product["accuracy"], product["decided"]) == (2, 0.5, 1)


def test_fraud_rules_report_precision_and_hit_frequencies(report):
    rules = report.rules.set_index("rule")
    bank, shortener = rules.loc["FRAUD_BANK_CHANGE"], rules.loc["FRAUD_URL_SHORTENER"]
    assert (bank["accuracy"], bank["fraud_hit_rate"], bank["clean_hit_rate"], bank["so_ratio"]) == (1.0, 1.0, 0.0, 1.0)
    assert (shortener["accuracy"], shortener["fraud_hit_rate"], shortener["clean_hit_rate"]) == (0.0, 0.0, 0.2)
    assert shortener["so_ratio"] == 0.0
    assert pd.isna(rules.loc["FRAUD_LOGIN_LINK", "accuracy"]), "a rule that never fired has no accuracy"


def test_written_files_and_a_self_contained_page(report, tmp_path):
    paths = write_report(report, tmp_path / "out")
    table = pd.read_csv(paths["rules"])
    assert list(table["rule"])[:2] == ["FRAUD_LOGIN_LINK", "FRAUD_URL_SHORTENER"]
    assert pd.read_csv(paths["confusion"], index_col=0).loc[3].tolist() == [0, 0, 1, 1]
    metrics = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    assert metrics["ruleset_version"] == report.ruleset_version and metrics["rows"] == 6
    page = paths["html"].read_text(encoding="utf-8")
    assert "HISTORY_ORDER" in page and "已下过正式订单" in page
    assert "<script" not in page and "<link" not in page and "src=" not in page and "http" not in page


def test_printed_report_names_every_rule_and_the_totals(report):
    from rules.report import print_report

    console = Console(record=True, width=200)
    print_report(report, console)
    text = console.export_text()
    assert "FRAUD_BANK_CHANGE" in text and "macro-F1 0.867" in text and "recall 1.000" in text


def test_labels_must_match_the_verdicts(signals):
    with pytest.raises(ValueError, match="2 verdicts but 3 grades"):
        rule_quality(grade(signals({}, {})), grades=[1, 2, 3], fraud=[False, False, False])
