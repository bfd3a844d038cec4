import numpy as np
import pandas as pd
import pytest

from features.extractor import SignalExtractor
from pipeline.scoring.explain import describe_signal, signal_phrases, top_signals


@pytest.fixture(scope="module")
def signal_names(sample_profile):
    from models.training import RULE_GRADE_COLUMNS

    extractor = SignalExtractor(catalog=sample_profile.catalog).fit(pd.DataFrame())
    return [*extractor.get_feature_names_out(), *RULE_GRADE_COLUMNS]


def test_every_model_signal_has_words_for_a_manager(signal_names):
    missing = [name for name in signal_names if name not in signal_phrases()]
    assert not missing, f"signals without a phrase in signal_phrases.yaml: {missing}"
    for name in signal_names:
        for value in (-1.0, 0.0, 1.0, 2.5):
            assert "{" not in describe_signal(name, value)


def test_counts_read_in_the_right_number_and_sentinels_in_words():
    assert describe_signal("hist_prior_orders", 1) == "1 earlier order"
    assert describe_signal("hist_prior_orders", 3) == "3 earlier orders"
    assert describe_signal("hist_days_since_order", -1) == "no earlier order"
    assert describe_signal("hist_days_since_order", 40) == "last order 40 days ago"


def test_top_signals_skip_absent_signals_and_say_each_reason_once():
    values = pd.DataFrame({"lang_chars": [np.log1p(900.0)], "lang_words": [np.log1p(150.0)], "contact_has_phone": [0.0]})
    contributions = pd.DataFrame({"lang_chars": [0.5], "lang_words": [0.4], "contact_has_phone": [0.9]})
    reasons = top_signals(contributions, values, top=3)[0]
    assert reasons == ["a message of 900 characters", "a message of 150 words"]
    assert top_signals(contributions.assign(lang_words=-0.1), values, top=3)[0] == ["a message of 900 characters"]


def test_the_rulebook_grade_the_model_reads_is_not_given_as_a_model_reason():
    values = pd.DataFrame({"spec_products_named": [2.0]})
    contributions = pd.DataFrame({"spec_products_named": [0.4], "rules_grade_2": [1.7]})
    assert top_signals(contributions, values, top=3) == [["names 2 of our products"]]
