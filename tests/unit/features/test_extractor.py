"""The composite extractor: every family side by side, catalogue switches, `extract_signals`."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import features
from features.extractor import DEFAULT_FAMILIES, FAMILIES, SignalExtractor, Signals, extract_signals
from pipeline.profile import load_catalog

ROOT = Path(__file__).resolve().parents[3]
CATALOG = load_catalog(ROOT / "tests" / "fixtures" / "catalog_small.csv")
SIGNALS_MD = ROOT / "features" / "SIGNALS.md"

INQUIRIES = pd.DataFrame(
    {
        "inquiry_id": ["q1", "q2", "q3"],
        "received_at": ["2025-02-03T09:00:00+01:00"] * 3,
        "subject": ["RFQ mesh chair", "Catalogue", "询价"],
        "body": [
            "Dear Ms. Chen,\nPlease quote 500 pcs CH200D+C, FOB Shenzhen.\n"
            "Regards,\nHans Weber\nBuyer\nWeber GmbH",
            "Dear Sir/Madam, send all your products and prices.",
            "王经理您好，请报LED-P600面板灯2000个的价格，谢谢。",
        ],
        "sender_email": ["hans@weber.de", "buyer2024@gmail.com", "li@qq.com"],
        "thread_messages": [2, 1, 7],
    },
    index=[5, 6, 7],
)


def test_default_families_are_all_known_and_include_the_scam_markers():
    assert set(DEFAULT_FAMILIES) == set(FAMILIES)
    assert "scam_markers" in DEFAULT_FAMILIES


def test_extract_signals_returns_values_evidence_and_language_indexed_like_the_input():
    signals = extract_signals(INQUIRIES, CATALOG)
    assert isinstance(signals, Signals)
    assert (
        list(signals.values.index)
        == list(signals.evidence.index)
        == list(signals.language.index)
        == [5, 6, 7]
    )
    assert signals.language.tolist() == ["en", "en", "zh"]
    assert signals.values.loc[5, "spec_products_named"] == 1
    assert signals.values.loc[6, "spec_all_products_request"] == 1
    assert signals.values.loc[7, "hist_long_thread"] == 1
    assert signals.evidence.loc[7, "spec_products_named"] == ["LED-P600"]


def test_every_signal_of_signals_md_is_produced_and_nothing_undocumented():
    documented = set()
    for line in SIGNALS_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("| name"):
            documented.update(re.findall(r"\b(?:spec|contact|scam|hist|lang|standing)_[a-z_]+\b", line.split("|")[1]))
    produced = set(SignalExtractor(catalog=CATALOG).fit(INQUIRIES).get_feature_names_out())
    assert produced == documented


def test_columns_come_in_family_order_without_duplicates():
    extractor = SignalExtractor(catalog=CATALOG).fit(INQUIRIES)
    names = list(extractor.get_feature_names_out())
    assert len(names) == len(set(names))
    prefixes = [name.split("_")[0] for name in names]
    assert prefixes == sorted(prefixes, key=["spec", "contact", "scam", "hist", "lang", "standing"].index)
    assert extractor.transform(INQUIRIES).shape == (3, len(names))


def test_a_subset_of_families():
    extractor = SignalExtractor(catalog=CATALOG, families=("history", "language")).fit(INQUIRIES)
    assert {name.split("_")[0] for name in extractor.get_feature_names_out()} == {"hist", "lang"}


def test_unknown_family_is_named_in_the_error():
    with pytest.raises(ValueError, match="unknown signal family 'weather'"):
        SignalExtractor(families=("weather",)).fit(INQUIRIES)


def test_with_catalog_gives_a_fitted_copy_for_another_seller():
    stone = pd.DataFrame(
        {
            "sku": ["GR-G654"],
            "name": ["G654 Granite Slab"],
            "category": ["granite"],
            "keywords": [["G654", "Padang Dark"]],
            "unit": ["sqm"],
            "moq": [300],
            "price_usd": [28.5],
        }
    )
    inquiries = pd.DataFrame({"body": ["Price for 300 sqm Padang Dark, and CH200D+C chairs?"]})
    chairs = SignalExtractor(catalog=CATALOG).fit(INQUIRIES)
    switched = chairs.with_catalog(stone)
    assert switched is not chairs
    assert list(switched.get_feature_names_out()) == list(chairs.get_feature_names_out())
    chair_evidence = chairs.transform_with_evidence(inquiries)[1]
    stone_evidence = switched.transform_with_evidence(inquiries)[1]
    assert chair_evidence.loc[0, "spec_products_named"] == ["CH200D+C"]
    assert stone_evidence.loc[0, "spec_products_named"] == ["GR-G654"]
    assert stone_evidence.loc[0, "spec_categories"] == ["granite"]
    # The original keeps its own catalogue.
    assert chairs.transform_with_evidence(inquiries)[1].loc[0, "spec_products_named"] == ["CH200D+C"]


def test_the_composite_pickles_and_set_output_works():
    extractor = SignalExtractor(catalog=CATALOG).set_output(transform="pandas").fit(INQUIRIES)
    frame = extractor.transform(INQUIRIES)
    assert isinstance(frame, pd.DataFrame) and list(frame.index) == [5, 6, 7]
    restored = pickle.loads(pickle.dumps(extractor))
    np.testing.assert_array_equal(restored.transform(INQUIRIES).to_numpy(), frame.to_numpy())


def test_the_package_exports_load_on_demand():
    assert features.extract_signals is extract_signals
    assert features.SignalExtractor is SignalExtractor
    with pytest.raises(AttributeError):
        features.does_not_exist  # noqa: B018


def test_shared_tokens_stay_within_their_memory_budget_and_stay_right():
    # A chunk of very long e-mails must not hold every text's tokens at once: past the budget
    # each family cuts the text again, with the same result.
    from features.text import InquiryTexts
    from features.tokens import tokenize

    texts = InquiryTexts(["Need 300 visitor chairs, CH-88."] * 3 + ["ab " * 500, "Price?"], cached_token_chars=100)
    for _ in range(2):
        for row, text in enumerate(texts):
            assert texts.tokens(row) == tokenize(text)
    assert texts.cached_chars <= 100
    assert texts.tokens(0) is texts.tokens(0)  # short texts within the budget are cut once
    assert texts.tokens(3) is not texts.tokens(3)  # the long one is cut on each request
