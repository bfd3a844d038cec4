"""All signal families as one transformer, and `extract_signals` for everyday use.

The composite builds the inquiry text (subject plus new body) once and hands it
to every family, so no family re-reads the body. A model trained on one
seller's inquiries is later used on another seller's catalogue:
`with_catalog` swaps the catalogue without rebuilding the other families.

>>> catalog = pd.DataFrame({"sku": ["CH-88"], "name": ["Stackable Visitor Chair"],
...     "category": ["office chairs"], "keywords": [["visitor chair"]], "unit": ["pcs"]})
>>> inquiries = pd.DataFrame({"inquiry_id": ["q1"],
...     "body": ["Dear Ms. Chen, price for 300 visitor chairs CH-88?"],
...     "sender_email": ["anna@buyer-gmbh.de"]})
>>> signals = extract_signals(inquiries, catalog)
>>> signals.values.loc[0, ["spec_products_named", "spec_quantity", "contact_named_salutation"]].tolist()
[1.0, 1.0, 1.0]
>>> signals.evidence.loc[0, "spec_products_named"], signals.language.tolist()
(['CH-88'], ['en'])
>>> SignalExtractor(families=("specificity", "weather")).fit(inquiries)
Traceback (most recent call last):
...
ValueError: unknown signal family 'weather'; known: specificity, contact, scam_markers, history, language, standing
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from features.base import SignalFamily
from features.text import InquiryTexts, as_inquiry_texts, inquiry_texts
from pipeline.collector import collection_paused

# Family name -> (module, class). Order here is the column order of the signals.
FAMILIES = {
    "specificity": ("features.specificity", "Specificity"),
    "contact": ("features.contact", "ContactSignals"),
    "scam_markers": ("features.scam_markers", "ScamMarkers"),
    "history": ("features.history", "HistorySignals"),
    "language": ("features.language", "LanguageSignals"),
    "standing": ("features.standing", "Standing"),
}
DEFAULT_FAMILIES = tuple(FAMILIES)


@dataclass(frozen=True)
class Signals:
    """Signals of a batch of inquiries, all indexed like the inquiries.

    `values`: one float column per signal (features/SIGNALS.md); `evidence`:
    one list-of-snippets column per evidenced signal; `language`: the detected
    language code of each inquiry ("und" when undetermined).
    """

    values: pd.DataFrame
    evidence: pd.DataFrame
    language: pd.Series


class SignalExtractor(TransformerMixin, BaseEstimator):
    """Every signal family side by side.

    Parameters
    ----------
    catalog : DataFrame or None
        The seller's catalogue, given to the families that read one.
    families : tuple of str
        Which families to run, by name (see `FAMILIES`); all by default.
    """

    def __init__(self, catalog: pd.DataFrame | None = None, families: tuple[str, ...] = DEFAULT_FAMILIES):
        self.catalog = catalog
        self.families = families

    def fit(self, X: pd.DataFrame, y: Any = None) -> SignalExtractor:
        """Build every family (matchers, patterns); the inquiries themselves are not learned from."""
        _check_frame(X)
        self.families_ = [(name, self._family(name).fit(X)) for name in self.families]
        self.signal_names_ = np.concatenate(
            [family.get_feature_names_out() for _, family in self.families_] or [np.array([], dtype=object)]
        ).astype(object)
        return self

    def _family(self, name: str) -> BaseEstimator:
        if name not in FAMILIES:
            raise ValueError(f"unknown signal family '{name}'; known: {', '.join(FAMILIES)}")
        module, class_name = FAMILIES[name]
        family_class = getattr(import_module(module), class_name)
        family = family_class()
        if "catalog" in family.get_params():
            family.set_params(catalog=self.catalog)
        return family

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """All signals as one float64 array, columns in `get_feature_names_out()` order."""
        values, _ = self.transform_with_evidence(X)
        return values.to_numpy(dtype=np.float64)

    def transform_with_evidence(
        self, X: pd.DataFrame, texts: list[str] | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Signal values and evidence, each a DataFrame indexed like `X`.

        `texts` is `features.text.inquiry_texts(X)`, when the caller needs it too
        (the scoring job hands it on to the model).
        """
        check_is_fitted(self, "families_")
        _check_frame(X)
        with collection_paused():
            if texts is None:
                texts = inquiry_texts(X) if len(X) else InquiryTexts()
            texts = as_inquiry_texts(texts)
            value_parts, evidence_parts = [], []
            for _, family in self.families_:
                if isinstance(family, SignalFamily):
                    values, evidence = family.transform_with_evidence(X, texts=texts)
                else:
                    values, evidence = family.transform_with_evidence(X)
                value_parts.append(values)
                evidence_parts.append(evidence)
            values = pd.concat(value_parts, axis=1) if value_parts else pd.DataFrame(index=X.index)
            evidence = pd.concat(evidence_parts, axis=1) if evidence_parts else pd.DataFrame(index=X.index)
        return values, evidence

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "signal_names_")
        return self.signal_names_.copy()

    def with_catalog(self, catalog: pd.DataFrame | None) -> SignalExtractor:
        """A fitted copy for another seller's catalogue.

        Families that read a catalogue are rebuilt for the new one (cheap: only
        its phrase matcher); the others are copied as they are.
        """
        check_is_fitted(self, "families_")
        switched = clone(self).set_params(catalog=catalog)
        empty = pd.DataFrame({"body": pd.Series([], dtype=object)})
        families = []
        for name, family in self.families_:
            if "catalog" not in family.get_params():
                families.append((name, copy.deepcopy(family)))
            elif hasattr(family, "with_catalog"):
                families.append((name, family.with_catalog(catalog)))
            else:
                families.append((name, clone(family).set_params(catalog=catalog).fit(empty)))
        switched.families_ = families
        switched.signal_names_ = self.signal_names_.copy()
        return switched

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


def _check_frame(X: Any) -> None:
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"SignalExtractor expects the inquiry table as a pandas DataFrame, got {type(X).__name__}"
        )


def language_codes(evidence: pd.DataFrame) -> pd.Series:
    """The detected language per inquiry, from the `lang_code` evidence column."""
    if "lang_code" not in evidence:
        return pd.Series("und", index=evidence.index, dtype=object, name="language")
    codes = [cell[0] if isinstance(cell, list) and cell else "und" for cell in evidence["lang_code"]]
    return pd.Series(codes, index=evidence.index, dtype=object, name="language")


def extract_signals(
    inquiries: pd.DataFrame,
    catalog: pd.DataFrame | None,
    families: tuple[str, ...] = DEFAULT_FAMILIES,
) -> Signals:
    """Signals, evidence and language of a batch of normalised inquiries."""
    extractor = SignalExtractor(catalog=catalog, families=families).fit(inquiries)
    values, evidence = extractor.transform_with_evidence(inquiries)
    return Signals(values=values, evidence=evidence, language=language_codes(evidence))
