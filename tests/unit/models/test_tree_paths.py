import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from models.tree_paths import TreeExplainer, expected_values


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(600, 5))
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values take the learned side of each split
    y = np.where(np.nan_to_num(X[:, 0]) > 0.5, 2, np.where(np.nan_to_num(X[:, 1]) > 0, 1, 0))
    return X, y


@pytest.mark.parametrize("classes", [3, 2])
def test_credits_add_up_to_the_raw_score(data, classes):
    X, y = data
    y = y if classes == 3 else (y > 0).astype(int)
    booster = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(X, y)
    raw = booster._raw_predict(X)
    explainer = TreeExplainer(booster)
    if classes == 2:
        credits = explainer.contributions(X, np.ones(len(X), dtype=int))
        assert np.allclose(credits.sum(axis=1) + explainer.raw_score_parts(X)[:, 0], raw[:, 0])
        flipped = explainer.contributions(X, np.zeros(len(X), dtype=int))
        assert np.allclose(flipped, -credits)
        return
    own = raw.argmax(axis=1)
    credits = explainer.contributions(X, own)
    start = explainer.raw_score_parts(X)[np.arange(len(X)), own]
    assert np.allclose(credits.sum(axis=1) + start, raw[np.arange(len(X)), own])


def test_the_deciding_signal_gets_the_largest_credit(data):
    X, y = data
    booster = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(X, y)
    top = np.flatnonzero((booster.predict(X) == 2) & ~np.isnan(X[:, 0]))
    credits = TreeExplainer(booster).contributions(X[top], np.full(len(top), 2))
    assert (credits.argmax(axis=1) == 0).mean() > 0.9


def test_inner_nodes_hold_the_count_weighted_mean_of_their_leaves(data):
    X, y = data
    booster = HistGradientBoostingClassifier(max_iter=5, random_state=0).fit(X, y)
    nodes = booster._predictors[0][0].nodes
    expected = expected_values(nodes)
    leaves = nodes["is_leaf"].astype(bool)
    # The root's expectation is the training-row-weighted mean of all leaf values.
    assert np.isclose(expected[0], np.average(nodes["value"][leaves], weights=nodes["count"][leaves]))
