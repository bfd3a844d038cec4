"""Per-signal contributions of a fitted gradient-boosting model, read off its trees.

For every tree, a row's path from the root to its leaf is a chain of splits;
each split moves the expected score from the parent's value to the child's,
and that move is credited to the signal the split tested (the "Saabas" or
tree-interpreter method). Summed over a class's trees, the credits plus the
trees' root values equal the model's raw score for that class, so the
explanation accounts for the whole decision. It costs one walk down each
tree, vectorised over the rows: cheap enough for every row of a nightly batch.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier


def expected_values(nodes: np.ndarray) -> np.ndarray:
    """Each node's expected leaf value: its leaves' values weighted by training rows.

    The booster stores leaf values after shrinkage but inner values before
    it, so inner values are recomputed from the leaves to share one scale.
    """
    expected = nodes["value"].astype(float).copy()
    counts = nodes["count"].astype(float)
    # Children always come after their parent in the array: walk it backwards.
    for node in range(len(nodes) - 1, -1, -1):
        if nodes["is_leaf"][node]:
            continue
        left, right = nodes["left"][node], nodes["right"][node]
        total = counts[left] + counts[right]
        expected[node] = (counts[left] * expected[left] + counts[right] * expected[right]) / total if total \
            else (expected[left] + expected[right]) / 2
    return expected


class _Forest:
    """All trees of one class score, flattened into one set of node arrays."""

    def __init__(self, trees):
        if any(tree.nodes["is_categorical"].any() for tree in trees):
            raise ValueError("tree explanations support numeric splits only")
        offsets = np.cumsum([0] + [len(tree.nodes) for tree in trees[:-1]])
        nodes = np.concatenate([tree.nodes for tree in trees])
        shift = np.repeat(offsets, [len(tree.nodes) for tree in trees])
        self.roots = offsets.astype(np.intp)
        self.feature = nodes["feature_idx"].astype(np.intp)
        self.threshold = nodes["num_threshold"].astype(float)
        self.missing_left = nodes["missing_go_to_left"].astype(bool)
        self.left = (nodes["left"] + shift).astype(np.intp)
        self.right = (nodes["right"] + shift).astype(np.intp)
        self.is_leaf = nodes["is_leaf"].astype(bool)
        self.expected = np.concatenate([expected_values(tree.nodes) for tree in trees])

    def credits(self, X: np.ndarray) -> np.ndarray:
        """(rows, signals) credits summed over all trees; every (row, tree) path walked at once."""
        n_rows, n_signals = X.shape
        row = np.repeat(np.arange(n_rows), len(self.roots))
        current = np.tile(self.roots, n_rows)
        cells, moves = [], []
        walking = np.flatnonzero(~self.is_leaf[current])
        while len(walking):
            node = current[walking]
            feature = self.feature[node]
            value = X[row[walking], feature]
            go_left = np.where(np.isnan(value), self.missing_left[node], value <= self.threshold[node])
            child = np.where(go_left, self.left[node], self.right[node])
            cells.append(row[walking] * n_signals + feature)
            moves.append(self.expected[child] - self.expected[node])
            current[walking] = child
            walking = walking[~self.is_leaf[child]]
        if not cells:
            return np.zeros((n_rows, n_signals))
        credits = np.bincount(np.concatenate(cells), weights=np.concatenate(moves), minlength=n_rows * n_signals)
        return credits.reshape(n_rows, n_signals)

    @property
    def root_total(self) -> float:
        return float(self.expected[self.roots].sum())


class TreeExplainer:
    """Signal credits towards each class's raw score for a fitted HistGradientBoostingClassifier."""

    def __init__(self, booster: HistGradientBoostingClassifier):
        self.baseline = np.asarray(booster._baseline_prediction, dtype=float).ravel()
        n_scores = len(booster._predictors[0])
        self.forests = [_Forest([trees[score] for trees in booster._predictors]) for score in range(n_scores)]

    def contributions(self, X: np.ndarray, class_index: np.ndarray) -> np.ndarray:
        """(rows, signals) credits towards the raw score of each row's own class.

        `class_index` gives, per row, the column of the booster's classes to
        explain (usually the predicted one). A binary booster has one score
        (for its second class); explaining its first class flips the sign.
        """
        X = np.asarray(X, dtype=float)
        class_index = np.asarray(class_index, dtype=np.intp)
        if len(self.forests) == 1:
            credits = self.forests[0].credits(X)
            credits[class_index == 0] *= -1
            return credits
        credits = np.zeros_like(X)
        for score, forest in enumerate(self.forests):
            rows = np.flatnonzero(class_index == score)
            if len(rows):
                credits[rows] = forest.credits(X[rows])
        return credits

    def raw_score_parts(self, X: np.ndarray) -> np.ndarray:
        """(rows, scores) baseline plus root values: what the credits add up from."""
        start = self.baseline + np.array([forest.root_total for forest in self.forests])
        return np.repeat(start.reshape(1, -1), len(X), axis=0)
