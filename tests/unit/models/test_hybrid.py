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
