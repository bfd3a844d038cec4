import numpy as np
import pandas as pd
import pytest

from models.hybrid import HybridPolicy, decide, default_policy


def verdicts(grades, frauds=None, overrides=None):
    n = len(grades)
    return pd.DataFrame({
        "rule_grade": grades,
        "suspected_fraud": frauds or [False] * n,
        "fraud_reasons": [["reason"] if f else [] for f in (frauds or [False] * n)],
        "rule_override": overrides or [None] * n,
    })


def probabilities(*rows):
    return np.array(rows, dtype=float)


def test_override_beats_a_confident_model():
    decision = decide(verdicts([4], [True], ["fraud"]), probabilities([0.97, 0.01, 0.01, 0.01]), np.array([0.0]))
    assert decision.loc[0, "grade"] == 4
    assert decision.loc[0, "grade_source"] == "override"
    assert decision.loc[0, "suspected_fraud"]
    assert decision.loc[0, "confidence"] == 1.0


def test_confident_model_beats_rules_and_unsure_model_does_not():
    policy = HybridPolicy.from_mapping({"order": ["override", "model", "rules"], "model_confidence_threshold": 0.6})
    decision = decide(verdicts([3, 3]), probabilities([0.05, 0.8, 0.1, 0.05], [0.3, 0.35, 0.2, 0.15]),
                      np.array([0.0, 0.0]), policy)
    assert decision["grade"].tolist() == [2, 3]
    assert decision["grade_source"].tolist() == ["model", "rules"]
    assert decision["disagreement"].tolist() == [True, True]
    # On a rules row the confidence is the model's probability of the rule grade.
    assert decision.loc[1, "confidence"] == pytest.approx(0.2)


def test_without_a_model_every_grade_comes_from_rules():
    decision = decide(verdicts([1, 3], overrides=["history", None]))
    assert decision["grade"].tolist() == [1, 3]
    assert decision["grade_source"].tolist() == ["override", "rules"]
    assert decision["model_grade"].isna().all()
    assert not decision["disagreement"].any()


def test_order_is_configuration_rules_first_means_model_never_decides():
    policy = HybridPolicy.from_mapping({"order": ["override", "rules", "model"]})
    decision = decide(verdicts([3]), probabilities([0.9, 0.05, 0.03, 0.02]), np.array([0.0]), policy)
    assert decision.loc[0, "grade_source"] == "rules"
    assert decision.loc[0, "grade"] == 3


def test_a_very_sure_model_adds_a_fraud_flag_with_its_reason_but_not_against_a_known_customer():
    policy = HybridPolicy.from_mapping({"model_fraud_threshold": 0.9})
    decision = decide(verdicts([3, 1], overrides=[None, "history"]),
                      probabilities([0.1, 0.1, 0.7, 0.1], [0.9, 0.05, 0.03, 0.02]), np.array([0.95, 0.97]), policy)
    assert decision["suspected_fraud"].tolist() == [True, False]
    assert decision.loc[0, "grade"] == 4
    assert "95%" in decision.loc[0, "fraud_reasons"][0]


def test_policy_rejects_unknown_steps_and_a_missing_fallback():
    with pytest.raises(ValueError, match="unknown step"):
        HybridPolicy.from_mapping({"order": ["override", "oracle", "rules"]})
    with pytest.raises(ValueError, match="fallback"):
        HybridPolicy.from_mapping({"order": ["override", "model"]})


def test_default_policy_is_read_from_its_data_file():
    policy = default_policy()
    assert policy.order[0] == "override" and policy.order[-1] == "rules"
    assert 0 < policy.model_confidence_threshold < 1


def _fraud_verdicts(markers_per_row):
    frame = verdicts([4] * len(markers_per_row), [True] * len(markers_per_row), ["fraud"] * len(markers_per_row))
    frame["rules_fired"] = [[*markers, "GRADE2_DETAILED_RFQ"] for markers in markers_per_row]
    frame["fraud_reasons"] = [[f"{marker} evidence" for marker in markers] for markers in markers_per_row]
    return frame


def test_model_clears_a_fraud_flag_resting_only_on_plausibility_markers():
    rules = _fraud_verdicts([["FRAUD_ABSURD_UNITS"], ["FRAUD_ABSURD_UNITS"], ["FRAUD_ABSURD_UNITS", "FRAUD_LOGIN_LINK"],
                             ["FRAUD_LOGIN_LINK"]])
    tender = [0.02, 0.9, 0.05, 0.03]
    decision = decide(rules, probabilities(tender, tender, tender, tender), np.array([0.03, 0.4, 0.0, 0.0]),
                      default_policy())
    # Cleared: only a plausibility marker, and the model finds fraud unlikely.
    assert decision.loc[0, ["grade", "grade_source", "suspected_fraud"]].tolist() == [2, "model", False]
    assert decision.loc[0, "fraud_reasons"] == []
    assert decision.loc[0, "fraud_cleared"] == ["FRAUD_ABSURD_UNITS evidence"]
    assert decision.loc[0, "disagreement"]
    # Kept: the model is not sure enough, or a technical marker (a login link) is there.
    for row in (1, 2, 3):
        assert decision.loc[row, ["grade", "grade_source", "suspected_fraud"]].tolist() == [4, "override", True]
        assert decision.loc[row, "fraud_cleared"] == []


def test_without_a_model_no_fraud_flag_is_cleared():
    decision = decide(_fraud_verdicts([["FRAUD_ABSURD_UNITS"]]), None, None, default_policy())
    assert decision.loc[0, ["grade", "suspected_fraud"]].tolist() == [4, True]


def test_the_shipped_policy_never_lets_the_model_clear_technical_markers():
    technical = {"FRAUD_LOGIN_LINK", "FRAUD_DANGEROUS_ATTACHMENT", "FRAUD_BANK_CHANGE", "FRAUD_ADVANCE_FEE",
                 "FRAUD_BUSINESS_PROPOSAL", "FRAUD_INVITATION_VISA", "FRAUD_URGENT_TRAVEL"}
    assert default_policy().clearable_markers and not default_policy().clearable_markers & technical


def test_clearable_markers_are_rules_of_the_rulebook():
    import yaml

    from rules.rulebook import RULEBOOK_PATH

    weights = yaml.safe_load(RULEBOOK_PATH.read_text(encoding="utf-8"))["fraud"]["weights"]
    assert default_policy().clearable_markers <= set(weights)


def test_only_the_listed_overrides_are_hard():
    rules = verdicts([4, 1], overrides=["not_a_buyer", "history"])
    sure_two = probabilities([0.05, 0.85, 0.05, 0.05], [0.05, 0.85, 0.05, 0.05])
    # The shipped policy keeps all the rulebook's overrides hard.
    assert decide(rules, sure_two, np.array([0.0, 0.0]), default_policy())["grade"].tolist() == [4, 1]
    # A policy without "not a buyer" leaves that row to the model; a known customer stays grade 1.
    lenient = HybridPolicy.from_mapping({"hard_overrides": ["fraud", "history"]})
    decision = decide(rules, sure_two, np.array([0.0, 0.0]), lenient)
    assert decision["grade"].tolist() == [2, 1]
    assert decision["grade_source"].tolist() == ["model", "override"]


def test_a_cleared_fraud_flag_is_a_disagreement_even_when_the_grades_agree():
    decision = decide(_fraud_verdicts([["FRAUD_HUGE_ORDER"]]), probabilities([0.02, 0.03, 0.05, 0.9]),
                      np.array([0.01]), default_policy())
    assert decision.loc[0, ["grade", "suspected_fraud", "disagreement"]].tolist() == [4, False, True]
