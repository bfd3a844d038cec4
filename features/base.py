"""The shared shape of every signal family, and the keyword files they read.

A family turns the inquiry frame into numeric signals and, for the signals a
person will want explained, the snippets of text that triggered them. Both
come out of one pass over the inquiries (`_extract`); `transform` only drops
the evidence, so the numbers a model sees and the reasons a rep reads never
disagree.

A family subclasses `SignalFamily` and writes three things:

- `_signal_names()`: the output column names, in order;
- `_evidence_names()`: the columns that carry evidence (signal names, or
  evidence-only columns such as `spec_categories`); default none;
- `_extract(inquiries, texts)`: returns a float array `(n, k)` and a mapping
  from each evidence name to a list (one entry per row) of lists of strings.

and, when it needs matchers built from its parameters, `_build()` (called by
`fit`; set learned attributes ending in `_`).

>>> import re
>>> class Exclamations(SignalFamily):
...     '''Counts "!" and shows the shouted sentences.'''
...     def _signal_names(self):
...         return ["demo_exclamations"]
...     def _evidence_names(self):
...         return ["demo_exclamations"]
...     def _build(self):
...         self.shout_ = re.compile(r"[^.!?\\n]*!+")
...     def _extract(self, inquiries, texts):
...         shouts = [[m.group().strip() for m in self.shout_.finditer(t)] for t in texts]
...         values = np.array([[t.count("!")] for t in texts], dtype=np.float64)
...         return values.reshape(len(texts), 1), {"demo_exclamations": shouts}
>>> inquiries = pd.DataFrame({"body": ["URGENT!! Need price", "Price for 500 pcs?"]}, index=[7, 9])
>>> family = Exclamations().fit(inquiries)
>>> family.transform(inquiries)
array([[2.],
       [0.]])
>>> values, evidence = family.transform_with_evidence(inquiries)
>>> evidence.loc[7, "demo_exclamations"], evidence.loc[9, "demo_exclamations"]
(['URGENT!!'], [])
>>> list(family.get_feature_names_out())
['demo_exclamations']
>>> family.transform([["not a frame"]])
Traceback (most recent call last):
...
TypeError: Exclamations expects the inquiry table as a pandas DataFrame, got list
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from features.text import InquiryTexts, as_inquiry_texts, inquiry_texts
from pipeline.collector import collection_paused

Evidence = Mapping[str, Sequence[Sequence[str]]]


class SignalFamily(TransformerMixin, BaseEstimator):
    """Base of a signal family: an sklearn transformer over the inquiry frame."""

    # Families that only read structured fields set this False: the text is not built.
    reads_text = True

    # --- what a family writes -------------------------------------------------

    def _signal_names(self) -> list[str]:
        raise NotImplementedError(f"{type(self).__name__} must list its signal names")

    def _evidence_names(self) -> list[str]:
        return []

    def _build(self) -> None:
        """Build matchers from the parameters; learned attributes end in `_`."""

    def _extract(self, inquiries: pd.DataFrame, texts: InquiryTexts) -> tuple[np.ndarray, Evidence]:
        raise NotImplementedError(f"{type(self).__name__} must implement _extract")

    # --- what every family gets -------------------------------------------------

    def fit(self, X: pd.DataFrame, y: Any = None) -> SignalFamily:
        """Check the input and build what the family needs; returns self."""
        self._check_inquiries(X)
        self._build()
        self.signal_names_ = np.asarray(self._signal_names(), dtype=object)
        self.evidence_names_ = tuple(self._evidence_names())
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """The signals as a float64 array, one row per inquiry."""
        values, _ = self._values_and_evidence(X, None)
        return values

    def transform_with_evidence(
        self, X: pd.DataFrame, texts: list[str] | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Signals and evidence as two DataFrames indexed like `X`.

        `texts` lets a caller that already computed `features.text.inquiry_texts(X)`
        (the composite extractor) pass it instead of recomputing it; the families
        it is passed to then share each text's tokens.
        """
        values, evidence = self._values_and_evidence(X, texts)
        value_frame = pd.DataFrame(values, index=X.index, columns=list(self.signal_names_))
        evidence_frame = pd.DataFrame(
            {
                name: pd.Series(
                    [cell if type(cell) is list else list(cell) for cell in evidence[name]],
                    index=X.index,
                    dtype=object,
                )
                for name in self.evidence_names_
            },
            index=X.index,
        )
        return value_frame, evidence_frame

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The signal names (the input columns do not matter)."""
        check_is_fitted(self, "signal_names_")
        return self.signal_names_.copy()

    def _values_and_evidence(self, X: pd.DataFrame, texts: list[str] | None) -> tuple[np.ndarray, Evidence]:
        check_is_fitted(self, "signal_names_")
        self._check_inquiries(X)
        with collection_paused():
            if texts is None:
                texts = inquiry_texts(X) if self.reads_text and len(X) else InquiryTexts()
            else:
                texts = as_inquiry_texts(texts)
            values, evidence = self._extract(X, texts)
        values = np.asarray(values, dtype=np.float64).reshape(len(X), len(self.signal_names_))
        missing = [name for name in self.evidence_names_ if name not in evidence]
        if missing:
            raise RuntimeError(f"{type(self).__name__} returned no evidence for {', '.join(missing)}")
        return values, evidence

    def _check_inquiries(self, X: Any) -> None:
        if not isinstance(X, pd.DataFrame):
            raise TypeError(
                f"{type(self).__name__} expects the inquiry table as a pandas DataFrame, "
                f"got {type(X).__name__}"
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags


# --- keyword files ---------------------------------------------------------------


@lru_cache(maxsize=None)
def load_keywords(name: str) -> Mapping[str, Any]:
    """The keyword file `features/keywords/<name>.yaml`, read once and frozen.

    Lists become tuples and mappings read-only, so a caller cannot change what
    the next caller reads.

    >>> from features.base import load_keywords
    >>> load_keywords("does-not-exist")
    Traceback (most recent call last):
    ...
    FileNotFoundError: keyword file features/keywords/does-not-exist.yaml not found
    """
    resource = resources.files("features") / "keywords" / f"{name}.yaml"
    if not resource.is_file():
        raise FileNotFoundError(f"keyword file features/keywords/{name}.yaml not found")
    text = resource.read_text(encoding="utf-8")
    try:
        content = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"features/keywords/{name}.yaml is not valid YAML: {error}") from error
    if not isinstance(content, dict):
        raise ValueError(
            f"features/keywords/{name}.yaml must hold a mapping of lists, got {type(content).__name__}"
        )
    return _freeze(content)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def flatten_phrases(entry: Any) -> list[str]:
    """All phrases of a keyword entry: a list, or a mapping of language -> list.

    >>> flatten_phrases({"en": ["price list"], "es": ["lista de precios"]})
    ['price list', 'lista de precios']
    >>> flatten_phrases(["FOB", "CIF"])
    ['FOB', 'CIF']
    """
    if isinstance(entry, Mapping):
        return [phrase for language in entry.values() for phrase in flatten_phrases(language)]
    if isinstance(entry, str):
        return [entry]
    return [str(phrase) for phrase in entry or ()]


def phrase_pattern(phrases: Iterable[str], *, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One compiled alternation for a phrase list, longest phrase first.

    Phrases are literal, whitespace inside them matches any run of spaces, and a
    phrase that starts or ends with a letter or digit must do so at a word edge
    (except in scripts written without spaces, such as Chinese).

    >>> pattern = phrase_pattern(["price list", "price", "报价"])
    >>> [m.group() for m in pattern.finditer("Send PRICE  list and 报价单; no prices")]
    ['PRICE  list', '报价']
    >>> phrase_pattern([]).search("anything") is None
    True
    """
    return re.compile(phrase_alternation(phrases), flags)


def phrase_alternation(phrases: Iterable[str]) -> str:
    """The regex source behind `phrase_pattern`, to compose into larger patterns.

    The phrases are merged into a trie ("price", "price list" share "price"),
    so the engine checks a position once instead of once per phrase: on a
    list of 300 phrases that is about fifty times faster than a flat
    alternation. A longer phrase wins over its own prefix.

    >>> print(phrase_alternation(["pcs", "pc", "件"]))
    (?:(?<!\\w)pc(?:s(?!\\w)|(?!\\w))|件)
    >>> print(phrase_alternation([]))
    (?:(?!x)x)
    """
    unique = sorted({p.strip() for p in phrases if p and p.strip()})
    if not unique:
        return "(?:(?!x)x)"  # matches nothing
    edged = [p for p in unique if _needs_edge(p[0])]
    free = [p for p in unique if not _needs_edge(p[0])]
    parts = []
    if edged:
        parts.append(r"(?<!\w)" + _trie_regex(edged))
    if free:
        parts.append(_trie_regex(free))
    return "(?:" + "|".join(parts) + ")"


def _phrase_units(phrase: str) -> list[str]:
    """Regex pieces of a phrase: one per character, one `\\s+` per run of spaces."""
    units: list[str] = []
    for position, word in enumerate(phrase.split()):
        if position:
            units.append(r"\s+")
        units.extend(re.escape(char) for char in word)
    return units


def _trie_regex(phrases: list[str]) -> str:
    root: dict = {}
    for phrase in phrases:
        node = root
        for unit in _phrase_units(phrase):
            node = node.setdefault(unit, {})
        # The key None marks a phrase end; its value says whether a word edge must follow.
        node.setdefault(None, set()).add(_needs_edge(phrase[-1]))
    return _trie_node_regex(root)


def _trie_node_regex(node: dict) -> str:
    branches = [unit + _trie_node_regex(child) for unit, child in node.items() if unit is not None]
    ends = node.get(None)
    if ends is not None:
        end = r"(?!\w)" if ends == {True} else ""
        if not branches:
            return end
        branches.append(end)  # after the longer phrases, so they win
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _needs_edge(char: str) -> bool:
    # Chinese and Japanese run words together: no edge can be required there.
    return char.isalnum() and not ("\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff")


def evidence_lists(n_rows: int, names: Iterable[str]) -> dict[str, list[list[str]]]:
    """Empty evidence (one empty list per row) for each name, ready to fill.

    >>> evidence_lists(2, ["spec_quantity"])
    {'spec_quantity': [[], []]}
    """
    return {name: [[] for _ in range(n_rows)] for name in names}
