"""Thread and history signals; the RFM binning passes scikit-learn's own checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from features.base import load_keywords
from features.history import FixedBins, HistorySignals


@parametrize_with_checks([FixedBins(), FixedBins(edges=(30, 90, 180, 365), higher_is_better=False)])
def test_fixed_bins_passes_the_scikit_learn_checks(estimator, check):
    check(estimator)


def history(**columns) -> pd.DataFrame:
    inquiries = pd.DataFrame(columns)
    return HistorySignals().fit(inquiries).set_output(transform="pandas").transform(inquiries)


def test_contract_defaults_when_history_is_missing():
    values = history(body=["hello"])
    row = values.iloc[0]
    assert row["hist_thread_messages"] == 1
    assert row["hist_long_thread"] == 0
    assert row["hist_prior_orders"] == row["hist_sample_orders"] == row["hist_visited_factory"] == 0
    assert row["hist_known_customer"] == 0
    assert row["hist_days_since_order"] == -1
    assert row[["hist_rfm_recency", "hist_rfm_frequency", "hist_rfm_monetary", "hist_rfm_score"]].sum() == 0


@pytest.mark.parametrize("messages, long_thread", [(5, 0), (6, 1), (12, 1)])
def test_long_thread_starts_at_six_messages(messages, long_thread):
    assert history(thread_messages=[messages]).loc[0, "hist_long_thread"] == long_thread


@pytest.mark.parametrize("visited", [True, "true", "yes", 1])
def test_visits_in_any_boolean_spelling(visited):
    assert history(visited_factory=[visited]).loc[0, "hist_visited_factory"] == 1


@pytest.mark.parametrize("visited", [False, "false", None, float("nan"), 0])
def test_no_visit(visited):
    assert history(visited_factory=[visited]).loc[0, "hist_visited_factory"] == 0


def test_days_since_last_order_across_time_zones():
    values = history(
        received_at=["2025-03-01T08:00:00+08:00", "2025-03-01T00:00:00+00:00"],
        last_order_at=["2025-02-28T23:00:00-01:00", "2015-01-01T00:00:00+00:00"],
        prior_orders=[1, 1],
    )
    # 2025-03-01 00:00 UTC minus 2025-03-01 00:00 UTC: the same instant.
    assert values.loc[0, "hist_days_since_order"] == 0
    assert values.loc[0, "hist_rfm_recency"] == 5
    # Ten years and more are capped, and score the lowest recency.
    assert values.loc[1, "hist_days_since_order"] == load_keywords("history")["days_since_order_cap"]
    assert values.loc[1, "hist_rfm_recency"] == 1


def test_rfm_bins_follow_the_documented_edges():
    values = history(
        received_at=["2025-06-01T00:00:00+00:00"] * 3,
        last_order_at=["2025-05-20T00:00:00+00:00", "2025-01-01T00:00:00+00:00", None],
        prior_orders=[9, 1, 0],
        sample_orders=[1, 0, 2],
        lifetime_value_usd=[600_000, 4_999, None],
    )
    assert values["hist_rfm_recency"].tolist() == [5.0, 3.0, 0.0]
    assert values["hist_rfm_frequency"].tolist() == [5.0, 1.0, 2.0]
    assert values["hist_rfm_monetary"].tolist() == [5.0, 1.0, 0.0]
    assert values["hist_rfm_score"].tolist() == pytest.approx([5.0, 5 / 3, 2 / 3])


def test_known_customer_needs_a_real_id():
    values = history(customer_id=["C-1", "", None, "  "])
    assert values["hist_known_customer"].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_datetime_columns_already_parsed_work_too():
    values = history(
        received_at=pd.to_datetime(["2025-03-11T00:00:00+00:00"], utc=True),
        last_order_at=pd.to_datetime(["2025-03-01T00:00:00+00:00"], utc=True),
    )
    assert values.loc[0, "hist_days_since_order"] == 10


def test_negative_or_garbage_counts_do_not_go_below_the_defaults():
    values = history(thread_messages=[0, "x"], prior_orders=[-3, "many"])
    assert values["hist_thread_messages"].tolist() == [1.0, 1.0]
    assert values["hist_prior_orders"].tolist() == [0.0, 0.0]


def test_fixed_bins_refuses_unordered_edges():
    with pytest.raises(ValueError, match="must increase"):
        FixedBins(edges=(10, 5)).fit(np.zeros((2, 1)))
