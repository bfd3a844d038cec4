"""Precedence as stated in rulebook.yaml: fraud beats history beats not-a-buyer beats the grade criteria."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from rules import RULESET_VERSION, grade, load_rulebook
from rules.rulebook import RulebookError

DETAILED = {"spec_products_named": 1, "spec_requirement_areas": 4, "contact_has_name": 1, "contact_has_company": 1,
            "contact_has_phone": 1, "contact_completeness": 0.5, "contact_corporate_domain": 1}


def test_fraud_beats_history_beats_not_a_buyer_beats_criteria(signals):
    rows = signals(
        {"scam_bank_change": 1, "hist_prior_orders": 3, **DETAILED},  # spoofed customer
        {"hist_prior_orders": 3, "scam_not_a_buyer": 1},  # a customer mentioning logistics services
        {"scam_not_a_buyer": 1, **DETAILED},  # a vendor naming products
        {**DETAILED},
        {"spec_products_named": 1},
        {},
    )
    frame = grade(rows).frame
    assert frame["rule_grade"].tolist() == [4, 1, 4, 2, 3, 4]
    assert frame["suspected_fraud"].tolist() == [True, False, False, False, False, False]
    assert frame["rule_stage"].tolist() == ["fraud", "history", "not_a_buyer", "strong_interest", "clear_intent", "no_intent"]
    overrides = [None if pd.isna(value) else value for value in frame["rule_override"]]
    assert overrides == ["fraud", "history", "not_a_buyer", None, None, None]


def test_visit_and_sample_order_also_force_grade_1(signals):
    frame = grade(signals({"hist_visited_factory": 1}, {"hist_sample_orders": 1, "scam_not_a_buyer": 1})).frame
    assert frame["rule_grade"].tolist() == [1, 1]


def test_a_known_customer_asking_for_a_visa_letter_is_grade_1_not_fraud(signals):
    frame = grade(signals({"scam_invitation_visa": 1, "hist_prior_orders": 2},
                          {"scam_invitation_visa": 1})).frame
    assert frame["rule_grade"].tolist() == [1, 4]
    assert frame["suspected_fraud"].tolist() == [False, True]


def test_version_string_present_everywhere(signals):
    assert RULESET_VERSION == load_rulebook().version
    assert grade(signals({})).ruleset_version == RULESET_VERSION
    assert RULESET_VERSION.strip()


def test_country_penalty_is_off_by_default_and_on_when_configured(signals):
    rows = signals({"scam_template_polish": 1.0}, {"scam_template_polish": 1.0})
    inquiries = pd.DataFrame({"country_code": ["NG", "DE"]})
    default = grade(rows, inquiries=inquiries, profile_settings={"fraud": {"penalised_countries": []}}).frame
    assert default["suspected_fraud"].tolist() == [False, False]
    assert "FRAUD_COUNTRY_PENALTY" not in default.loc[0, "rules_fired"]
    configured = grade(rows, inquiries=inquiries, profile_settings={"fraud": {"penalised_countries": ["ng"]}}).frame
    assert configured["rules_fired"][0].count("FRAUD_COUNTRY_PENALTY") == 1
    assert configured["suspected_fraud"].tolist() == [True, False]
    assert "country_code=NG" in " ".join(configured.loc[0, "fraud_reasons"])


def test_country_penalty_configured_without_countries_to_read_is_reported_not_fatal(signals):
    verdicts = grade(signals({}), profile_settings={"fraud": {"penalised_countries": ["NG"]}})
    assert [error.rule_id for error in verdicts.errors] == ["FRAUD_COUNTRY_PENALTY"]
    assert verdicts.frame["rule_grade"].tolist() == [4]


def test_precedence_is_data_a_changed_order_changes_the_grade(signals, tmp_path):
    raw = yaml.safe_load(load_rulebook().path.read_text(encoding="utf-8"))
    stages = raw["precedence"]
    history = next(stage for stage in stages if stage["stage"] == "history")
    stages.remove(history)
    stages.append(history)  # history last: criteria now win over it
    (tmp_path / "rulebook.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    rows = signals({"hist_prior_orders": 1, "spec_products_named": 1})
    assert grade(rows).frame["rule_grade"].tolist() == [1]
    assert grade(rows, rulebook=load_rulebook(tmp_path / "rulebook.yaml")).frame["rule_grade"].tolist() == [3]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda raw: raw["fraud"]["weights"].pop("FRAUD_LOGIN_LINK"), "without a weight"),
        (lambda raw: raw["fraud"]["weights"].update({"FRAUD_TYPO": 1.0}), "unknown fraud rule"),
        (lambda raw: raw.update({"precedence": [s for s in raw["precedence"] if s["stage"] != "history"]}), "history"),
        (lambda raw: raw.pop("version"), "version"),
    ],
)
def test_a_rulebook_that_does_not_match_its_rules_is_a_clear_error(tmp_path, edit, message):
    raw = yaml.safe_load(load_rulebook().path.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "rulebook.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(RulebookError, match=message) as error:
        load_rulebook(path)
    assert str(path) in str(error.value)
