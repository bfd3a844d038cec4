"""Thread and customer history (prefix `hist_`).

An order, a sample order or a factory visit makes a buyer grade 1; a long
thread (6+ messages) is a grade-2 sign. Recency, frequency and monetary value
(RFM) are scored 1..5 by fixed bins kept in `keywords/history.yaml`, so a
manager can read and change the thresholds without touching code.

>>> inquiries = pd.DataFrame({
...     "received_at": ["2025-03-01T10:00:00+08:00", "2025-03-01T10:00:00+00:00"],
...     "thread_messages": [7, None], "prior_orders": [3, None], "sample_orders": [1, None],
...     "customer_id": ["C-104", None], "last_order_at": ["2025-01-15T00:00:00+00:00", None],
...     "lifetime_value_usd": [42000, None],
... })
>>> values = HistorySignals().fit(inquiries).set_output(transform="pandas").transform(inquiries)
>>> values.loc[0, ["hist_long_thread", "hist_days_since_order", "hist_rfm_recency", "hist_rfm_frequency",
...                "hist_rfm_monetary"]].tolist()
[1.0, 45.0, 4.0, 3.0, 3.0]
>>> values.loc[1, ["hist_thread_messages", "hist_days_since_order", "hist_rfm_score"]].tolist()
[1.0, -1.0, 0.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from features.base import SignalFamily, load_keywords

SIGNAL_NAMES = (
    "hist_thread_messages",
    "hist_long_thread",
    "hist_prior_orders",
    "hist_sample_orders",
    "hist_visited_factory",
    "hist_known_customer",
    "hist_days_since_order",
    "hist_rfm_recency",
    "hist_rfm_frequency",
    "hist_rfm_monetary",
    "hist_rfm_score",
)
_TRUE_TEXT = {"true", "yes", "1", "y", "t"}


class FixedBins(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Score every numeric column 1..len(edges)+1 by fixed edges; missing -> 0.

    With `higher_is_better` a value at or above an edge climbs one score; without
    it (recency: fewer days is better) a value at or under an edge does.

    >>> FixedBins(edges=(2, 3, 5, 10)).fit_transform([[1], [2], [4], [12], [np.nan]]).ravel().tolist()
    [1.0, 2.0, 3.0, 5.0, 0.0]
    >>> recency = FixedBins(edges=(30, 90), higher_is_better=False)
    >>> recency.fit_transform([[10], [30], [31], [400]]).ravel().tolist()
    [3.0, 3.0, 2.0, 1.0]
    >>> FixedBins(edges=(5, 2)).fit([[1]])
    Traceback (most recent call last):
    ...
    ValueError: FixedBins edges must increase, got (5, 2)
    """

    def __init__(self, edges=(1.0,), higher_is_better=True):
        self.edges = edges
        self.higher_is_better = higher_is_better

    def fit(self, X, y=None):
        validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64)
        edges = np.asarray(self.edges, dtype=np.float64).ravel()
        if edges.size == 0 or np.any(np.diff(edges) <= 0) or not np.all(np.isfinite(edges)):
            raise ValueError(f"FixedBins edges must increase, got {self.edges!r}")
        self.edges_ = edges
        return self

    def transform(self, X):
        check_is_fitted(self, "edges_")
        values = validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype=np.float64)
        return self.scores_of(values)

    def scores_of(self, values: np.ndarray) -> np.ndarray:
        """The scores of a float array of any shape (no input checks: for callers that made it)."""
        if self.higher_is_better:
            scores = 1.0 + np.searchsorted(self.edges_, values, side="right")
        else:
            scores = self.edges_.size + 1.0 - np.searchsorted(self.edges_, values, side="left")
        return np.where(np.isnan(values), 0.0, scores)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _numbers(inquiries: pd.DataFrame, name: str, default: float) -> np.ndarray:
    if name not in inquiries:
        return np.full(len(inquiries), default, dtype=np.float64)
    values = pd.to_numeric(inquiries[name], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.where(np.isnan(values), default, values)


def _flags(inquiries: pd.DataFrame, name: str) -> np.ndarray:
    if name not in inquiries:
        return np.zeros(len(inquiries), dtype=np.float64)
    return np.array(
        [float(value is True or str(value).strip().lower() in _TRUE_TEXT) for value in inquiries[name]],
        dtype=np.float64,
    )


def _present(inquiries: pd.DataFrame, name: str) -> np.ndarray:
    if name not in inquiries:
        return np.zeros(len(inquiries), dtype=np.float64)
    return np.array(
        [
            float(value is not None and not pd.isna(value) and str(value).strip() != "")
            for value in inquiries[name]
        ],
        dtype=np.float64,
    )


def _instants(inquiries: pd.DataFrame, name: str) -> pd.Series:
    if name not in inquiries:
        return pd.Series(pd.NaT, index=inquiries.index, dtype="datetime64[ns, UTC]")
    column = inquiries[name]
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column.dt.tz_convert("UTC")
    return pd.to_datetime(column.astype(object), utc=True, errors="coerce", format="ISO8601")


class HistorySignals(SignalFamily):
    """Thread length, orders, visits and RFM scores from the structured fields.

    Missing optional fields take the contract's defaults (1 message, 0 orders,
    no visit), so a frame without history columns still works.
    """

    reads_text = False

    def _signal_names(self) -> list[str]:
        return list(SIGNAL_NAMES)

    def _build(self) -> None:
        config = load_keywords("history")
        rfm = config["rfm"]
        self.long_thread_messages_ = int(config["long_thread_messages"])
        self.days_cap_ = float(config["days_since_order_cap"])
        self.recency_bins_ = FixedBins(edges=tuple(rfm["recency_days"]), higher_is_better=False).fit([[0.0]])
        self.frequency_bins_ = FixedBins(edges=tuple(rfm["frequency_orders"])).fit([[0.0]])
        self.monetary_bins_ = FixedBins(edges=tuple(rfm["monetary_usd"])).fit([[0.0]])

    def _extract(self, inquiries: pd.DataFrame, texts: list[str]) -> tuple[np.ndarray, dict]:
        thread = np.maximum(_numbers(inquiries, "thread_messages", 1.0), 1.0)
        orders = np.maximum(_numbers(inquiries, "prior_orders", 0.0), 0.0)
        samples = np.maximum(_numbers(inquiries, "sample_orders", 0.0), 0.0)
        value = _numbers(inquiries, "lifetime_value_usd", np.nan)
        elapsed = _instants(inquiries, "received_at") - _instants(inquiries, "last_order_at")
        days = (elapsed.dt.total_seconds() / 86400.0).to_numpy(dtype=np.float64, na_value=np.nan)
        days = np.where(np.isnan(days), np.nan, np.clip(np.floor(days), 0.0, self.days_cap_))

        frequency = orders + samples
        # No order, no known value: score 0 ("no history"), not the lowest bin.
        recency = self.recency_bins_.scores_of(days)
        frequency_score = self.frequency_bins_.scores_of(np.where(frequency > 0, frequency, np.nan))
        monetary = self.monetary_bins_.scores_of(np.where(value > 0, value, np.nan))
        values = np.column_stack(
            [
                thread,
                (thread >= self.long_thread_messages_).astype(np.float64),
                orders,
                samples,
                _flags(inquiries, "visited_factory"),
                _present(inquiries, "customer_id"),
                np.where(np.isnan(days), -1.0, days),
                recency,
                frequency_score,
                monetary,
                (recency + frequency_score + monetary) / 3.0,
            ]
        )
        return values.reshape(len(inquiries), len(SIGNAL_NAMES)), {}
