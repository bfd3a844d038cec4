"""The contract every signal family keeps, checked on each one.

Text families take a DataFrame of inquiries, not a numeric matrix, so
scikit-learn's `parametrize_with_checks` does not apply to them (its checks
feed random float arrays). These tests state what we rely on instead: fit
returns self, names match the width, pandas output, pickling, determinism,
empty frames, missing optional columns and None/NaN cells.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from features.base import SignalFamily
from features.contact import ContactSignals
from features.extractor import SignalExtractor
from features.history import HistorySignals
from features.language import LanguageSignals
from features.specificity import Specificity
from features.standing import Standing
from pipeline.profile import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "fixtures" / "catalog_small.csv")

INQUIRIES = pd.DataFrame(
    {
        "inquiry_id": ["a", "b", "c", "d"],
        "received_at": [
            "2025-02-03T09:00:00+01:00",
            "2025-02-03T10:00:00+00:00",
            None,
            "2025-02-04T08:00:00+03:00",
        ],
        "subject": ["RFQ CH200D+C", None, "Каталог", float("nan")],
        "body": [
            "Dear Ms. Chen,\nPlease quote 500 pcs CH200D+C, FOB Shenzhen. Delivery time?\n"
            "Best regards,\nHans Weber",
            "Send all your products and price list!!!",
            "Добрый день! Пришлите каталог и прайс-лист.",
            None,
        ],
        "sender_name": ["Hans Weber", None, "n/a", float("nan")],
        "sender_email": ["hans@weber-moebel.de", "buyer@gmail.com", None, "x"],
        "company": ["Weber Möbel GmbH", "-", None, None],
        "phone": ["+49 40 1234567", "123456", None, float("nan")],
        "country_code": ["DE", None, "RU", None],
        "thread_messages": [3, None, 1, 7],
        "prior_orders": [0, None, 2, None],
        "customer_id": [None, None, "C-9", None],
        "last_order_at": [None, None, "2024-12-01T00:00:00+00:00", None],
    },
    index=[10, 11, 12, 13],
)


def _families():
    return [
        Specificity(catalog=CATALOG),
        ContactSignals(),
        HistorySignals(),
        LanguageSignals(),
        Standing(),
        SignalExtractor(catalog=CATALOG, families=("specificity", "contact", "history", "language")),
    ]


FAMILIES = pytest.mark.parametrize("family", _families(), ids=lambda family: type(family).__name__)


@FAMILIES
def test_fit_returns_self_and_names_match_width(family):
    assert family.fit(INQUIRIES) is family
    values = family.transform(INQUIRIES)
    names = family.get_feature_names_out()
    assert values.dtype == np.float64
    assert values.shape == (len(INQUIRIES), len(names))
    assert len(set(names)) == len(names)


@FAMILIES
def test_set_output_pandas_keeps_the_index_and_names(family):
    frame = clone(family).set_output(transform="pandas").fit(INQUIRIES).transform(INQUIRIES)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == list(INQUIRIES.index)
    assert list(frame.columns) == list(family.fit(INQUIRIES).get_feature_names_out())


@FAMILIES
def test_evidence_is_indexed_like_the_input_and_holds_lists_of_strings(family):
    values, evidence = family.fit(INQUIRIES).transform_with_evidence(INQUIRIES)
    assert list(values.index) == list(evidence.index) == list(INQUIRIES.index)
    np.testing.assert_array_equal(values.to_numpy(), family.transform(INQUIRIES))
    for column in evidence.columns:
        for cell in evidence[column]:
            assert isinstance(cell, list) and all(isinstance(snippet, str) for snippet in cell)


@FAMILIES
def test_pickle_round_trip_gives_the_same_signals(family):
    fitted = family.fit(INQUIRIES)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(INQUIRIES), fitted.transform(INQUIRIES))


@FAMILIES
def test_deterministic_across_fits_and_row_order(family):
    first = clone(family).fit(INQUIRIES).transform(INQUIRIES)
    second = clone(family).fit(INQUIRIES).transform(INQUIRIES)
    np.testing.assert_array_equal(first, second)
    reversed_rows = clone(family).fit(INQUIRIES).transform(INQUIRIES.iloc[::-1])
    np.testing.assert_array_equal(reversed_rows[::-1], first)


@FAMILIES
def test_empty_frame_gives_zero_rows(family):
    empty = INQUIRIES.iloc[:0]
    fitted = family.fit(empty)
    assert fitted.transform(empty).shape == (0, len(fitted.get_feature_names_out()))
    values, evidence = fitted.transform_with_evidence(empty)
    assert len(values) == len(evidence) == 0


@FAMILIES
def test_only_the_required_columns_is_enough(family):
    minimal = INQUIRIES[["inquiry_id", "received_at", "body"]]
    values = family.fit(minimal).transform(minimal)
    assert values.shape[0] == len(minimal)
    assert np.isfinite(values).all()


@FAMILIES
def test_none_and_nan_cells_give_finite_signals(family):
    blank = pd.DataFrame({column: [None, float("nan")] for column in INQUIRIES.columns})
    values = family.fit(blank).transform(blank)
    assert np.isfinite(values).all()


@FAMILIES
def test_a_matrix_instead_of_an_inquiry_table_is_refused_by_name(family):
    fitted = family.fit(INQUIRIES)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        fitted.transform(np.zeros((2, 3)))


@FAMILIES
def test_transform_before_fit_is_refused(family):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        clone(family).transform(INQUIRIES)


def test_every_family_is_a_signal_family():
    for family in _families()[:-1]:
        assert isinstance(family, SignalFamily)
