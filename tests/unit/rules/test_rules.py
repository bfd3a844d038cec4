"""Each rule on a tiny signal frame: when it fires, when it abstains, what evidence it shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rules import grade
from rules.registry import RuleInputs
from rules.rulebook import all_rules, load_rulebook

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
HISTORY = {"hist_prior_orders": 2}
COMPLETE_CONTACT = {"contact_has_name": 1, "contact_has_company": 1, "contact_has_phone": 1, "contact_has_email": 1,
                    "contact_completeness": 4 / 9, "contact_corporate_domain": 1}


def fired(signals_frame: pd.DataFrame, **kwargs) -> list[list[str]]:
    return grade(signals_frame, **kwargs).frame["rules_fired"].tolist()


def strength(rule_id: str, signals_frame: pd.DataFrame, settings=None, inquiries=None) -> list[float]:
    book = load_rulebook()
    inputs = RuleInputs(signals=signals_frame, params=book.params, settings=settings or {}, inquiries=inquiries)
    return book.rule(rule_id)(inputs).tolist()


@pytest.mark.parametrize(
    ("rule_id", "signal"),
    [
        ("FRAUD_LOGIN_LINK", "scam_login_link"),
        ("FRAUD_URL_SHORTENER", "scam_url_shortener"),
        ("FRAUD_DANGEROUS_ATTACHMENT", "scam_dangerous_attachment"),
        ("FRAUD_ABSURD_UNITS", "scam_absurd_units"),
        ("FRAUD_ADVANCE_FEE", "scam_advance_fee"),
        ("FRAUD_BANK_CHANGE", "scam_bank_change"),
        ("FRAUD_BUSINESS_PROPOSAL", "scam_business_proposal"),
        ("NOT_A_BUYER_VENDOR", "scam_not_a_buyer"),
        ("NOT_A_BUYER_COMPETITOR_PROBE", "scam_competitor_probe"),
        ("HISTORY_ORDER", "hist_prior_orders"),
        ("HISTORY_SAMPLE_ORDER", "hist_sample_orders"),
        ("HISTORY_VISIT", "hist_visited_factory"),
        ("GRADE3_PRODUCT_NAMED", "spec_products_named"),
        ("GRADE4_EMPTY_BODY", "lang_empty"),
    ],
)
def test_marker_rules_fire_on_their_signal_and_abstain_without_it(signals, rule_id, signal):
    assert strength(rule_id, signals({signal: 1}, {})) == [1.0, 0.0]


@pytest.mark.parametrize(
    ("rule_id", "signal"),
    [
        ("FRAUD_INVITATION_VISA", "scam_invitation_visa"),
        ("FRAUD_URGENT_TRAVEL", "scam_urgent_travel"),
        ("FRAUD_HUGE_ORDER", "scam_huge_order_no_knowledge"),
        ("FRAUD_FREE_SAMPLES", "scam_free_samples"),
    ],
)
def test_markers_a_customer_may_trip_abstain_for_buyers_with_history(signals, rule_id, signal):
    rows = signals({signal: 1}, {signal: 1, **HISTORY}, {signal: 1, "hist_visited_factory": 1},
                   {signal: 1, "hist_sample_orders": 1})
    assert strength(rule_id, rows) == [1.0, 0.0, 0.0, 0.0]


def test_bank_change_fires_even_for_a_known_customer(signals):
    # Spoofing a real customer is the scam: history must not excuse it.
    assert strength("FRAUD_BANK_CHANGE", signals({"scam_bank_change": 1, **HISTORY})) == [1.0]


def test_template_polish_counts_only_from_the_threshold_and_by_its_score(signals):
    rows = signals({"scam_template_polish": 0.25}, {"scam_template_polish": 0.5}, {"scam_template_polish": 1.0})
    assert strength("FRAUD_TEMPLATE_POLISH", rows) == [0.0, 0.5, 1.0]
    verdicts = grade(rows)
    weight = load_rulebook().weights["FRAUD_TEMPLATE_POLISH"]
    assert verdicts.frame["fraud_score"].tolist() == pytest.approx([0.3, 0.3 + 0.5 * weight, 0.3 + weight])


def test_thin_identity_needs_no_company_no_phone_and_no_corporate_domain(signals):
    rows = signals({}, {"contact_has_company": 1}, {"contact_has_phone": 1}, {"contact_corporate_domain": 1},
                   {"contact_freemail": 1})
    assert strength("FRAUD_THIN_IDENTITY", rows) == [1.0, 0.0, 0.0, 0.0, 1.0]


def test_weak_markers_alone_do_not_flag_fraud_but_together_they_do(signals):
    rows = signals({"scam_url_shortener": 1, **COMPLETE_CONTACT},
                   {"scam_template_polish": 1.0, **COMPLETE_CONTACT},
                   {"scam_url_shortener": 1, "scam_template_polish": 1.0, **COMPLETE_CONTACT})
    assert grade(rows).frame["suspected_fraud"].tolist() == [False, False, True]


def test_grade2_detailed_rfq_needs_a_product_three_areas_and_complete_contact(signals):
    rows = signals(
        {"spec_products_named": 1, "spec_requirement_areas": 3, **COMPLETE_CONTACT},
        {"spec_products_named": 1, "spec_requirement_areas": 2, **COMPLETE_CONTACT},
        {"spec_products_named": 0, "spec_requirement_areas": 5, **COMPLETE_CONTACT},
        {"spec_products_named": 1, "spec_requirement_areas": 4, **{**COMPLETE_CONTACT, "contact_has_company": 0}},
        {"spec_products_named": 1, "spec_requirement_areas": 4, **{**COMPLETE_CONTACT, "contact_has_phone": 0}},
        {"spec_products_named": 1, "spec_requirement_areas": 4,
         **{**COMPLETE_CONTACT, "contact_has_phone": 0, "contact_has_website": 1}},
    )
    assert strength("GRADE2_DETAILED_RFQ", rows) == [1.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    assert grade(rows).frame["rule_grade"].tolist() == [2, 3, 4, 3, 3, 2]


def test_grade2_long_thread_starts_at_six_messages(signals):
    assert strength("GRADE2_LONG_THREAD", signals({"hist_thread_messages": 5}, {"hist_thread_messages": 6})) == [0.0, 1.0]


def test_grade3_explicit_requirement_reads_quantity_size_or_target_price(signals):
    rows = signals({"spec_quantity": 1}, {"spec_dimensions": 2}, {"spec_target_price": 1}, {"spec_incoterms": 1})
    assert strength("GRADE3_EXPLICIT_REQUIREMENT", rows) == [1.0, 1.0, 1.0, 0.0]


def test_grade4_votes(signals):
    rows = signals({"spec_all_products_request": 1}, {"spec_all_products_request": 1, "spec_products_named": 1},
                   {"spec_incoterms": 1, "spec_requirement_areas": 1})
    assert strength("GRADE4_ALL_PRODUCTS_REQUEST", rows) == [1.0, 0.0, 0.0]
    assert strength("GRADE4_NO_PRODUCT_NO_REQUIREMENT", rows) == [1.0, 0.0, 0.0]
    assert grade(rows).frame["rule_grade"].tolist() == [4, 3, 4]


def test_fraud_reasons_carry_the_evidence_and_the_rules_that_fired(signals):
    rows = signals({"scam_login_link": 1, "spec_products_named": 1}, {"spec_products_named": 1})
    evidence = pd.DataFrame({"scam_login_link": [["http://alibaba-verify.com/login (log in)"], []],
                             "spec_products_named": [["CH-88"], ["CH-88"]]})
    frame = grade(rows, evidence).frame
    assert frame.loc[0, "fraud_reasons"][0].endswith("http://alibaba-verify.com/login (log in)")
    assert frame.loc[0, "fraud_reasons_zh"][0].startswith("要求点击链接登录")
    assert "FRAUD_LOGIN_LINK" in frame.loc[0, "rules_fired"] and "GRADE3_PRODUCT_NAMED" in frame.loc[0, "rules_fired"]
    assert frame.loc[0, "rule_evidence"]["GRADE3_PRODUCT_NAMED"] == ["CH-88"]
    assert frame.loc[1, "fraud_reasons"] == [] and frame.loc[1, "rule_grade"] == 3


def test_a_rule_that_raises_is_reported_and_the_batch_still_grades(signals):
    rows = signals({"scam_bank_change": 1}).drop(columns=["spec_products_named"])
    verdicts = grade(rows)
    failed = {error.rule_id for error in verdicts.errors}
    assert {"GRADE3_PRODUCT_NAMED", "GRADE2_DETAILED_RFQ"} <= failed
    assert "spec_products_named" in str(next(e for e in verdicts.errors if e.rule_id == "GRADE3_PRODUCT_NAMED"))
    assert verdicts.frame["suspected_fraud"].tolist() == [True]


def test_grading_is_deterministic_and_keeps_the_index(signals):
    rows = signals({"scam_login_link": 1}, {"spec_products_named": 1}, {"hist_thread_messages": 7}).set_axis([10, 20, 30])
    first, second = grade(rows), grade(rows)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    assert list(first.frame.index) == [10, 20, 30]
    assert first.hits.index.equals(rows.index) and list(first.hits.columns) == [r.id for r in load_rulebook().rules]


def test_an_empty_batch_grades_to_an_empty_frame(signals):
    verdicts = grade(signals().iloc[:0])
    assert len(verdicts) == 0 and "rule_grade" in verdicts.frame.columns


def test_every_rule_is_documented_in_english_and_chinese():
    for rule in all_rules():
        assert rule.description_en and rule.description_zh and rule.domain_line, rule.id
        assert any("\u4e00" <= char <= "\u9fff" for char in rule.description_zh), rule.id
        assert rule.kind in {"fraud_flag", "override", "grade_vote"}


@pytest.mark.skipif(not (SHARED / "DOMAIN.md").exists(), reason="../shared is absent")
def test_every_rule_quotes_the_domain_line_it_implements():
    domain = " ".join((SHARED / "DOMAIN.md").read_text(encoding="utf-8").replace("**", "").split())
    for rule in all_rules():
        assert " ".join(rule.domain_line.split()) in domain, f"{rule.id}: '{rule.domain_line}' is not in DOMAIN.md"


def test_rule_strengths_are_clipped_to_zero_one(signals):
    rows = signals({"scam_template_polish": 3.0}, {"scam_template_polish": np.nan})
    assert strength("FRAUD_TEMPLATE_POLISH", rows) == [1.0, 0.0]
