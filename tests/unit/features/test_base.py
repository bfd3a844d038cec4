"""The shared base, the keyword loader, phrase matching helpers, and the modules' doctests."""

from __future__ import annotations

import doctest
import importlib
import re

import numpy as np
import pandas as pd
import pytest

from features.base import SignalFamily, evidence_lists, flatten_phrases, load_keywords, phrase_pattern
from features.tokens import PhraseTrie, tokenize

MODULES = [
    "features.base",
    "features.tokens",
    "features.catalog",
    "features.specificity",
    "features.contact",
    "features.history",
    "features.language",
    "features.extractor",
    "pipeline.collector",
]


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


class Shouting(SignalFamily):
    """A tiny family: counts "!" and shows the shouted words."""

    def _signal_names(self):
        return ["demo_shouts"]

    def _evidence_names(self):
        return ["demo_shouts"]

    def _extract(self, inquiries, texts):
        values = np.array([[text.count("!")] for text in texts], dtype=np.float64).reshape(len(texts), 1)
        return values, {"demo_shouts": [re.findall(r"\w+!", text) for text in texts]}


def test_a_subclass_gets_transform_evidence_and_names():
    inquiries = pd.DataFrame({"subject": ["NOW!", None], "body": ["buy! buy!", "hello"]}, index=["a", "b"])
    family = Shouting().fit(inquiries)
    np.testing.assert_array_equal(family.transform(inquiries), [[3.0], [0.0]])
    values, evidence = family.transform_with_evidence(inquiries)
    assert evidence.loc["a", "demo_shouts"] == ["NOW!", "buy!", "buy!"]
    assert evidence.loc["b", "demo_shouts"] == []
    assert list(family.get_feature_names_out()) == ["demo_shouts"]


def test_a_family_that_forgets_its_evidence_is_caught():
    class Forgetful(Shouting):
        def _extract(self, inquiries, texts):
            return np.zeros((len(texts), 1)), {}

    inquiries = pd.DataFrame({"body": ["x"]})
    with pytest.raises(RuntimeError, match="no evidence for demo_shouts"):
        Forgetful().fit(inquiries).transform_with_evidence(inquiries)


def test_keyword_files_are_frozen_so_callers_cannot_change_them():
    keywords = load_keywords("specificity")
    assert keywords is load_keywords("specificity")
    with pytest.raises(TypeError):
        keywords["incoterms"] = []
    with pytest.raises(AttributeError):
        keywords["incoterms"]["en"].append("XYZ")


def test_missing_keyword_file_is_named():
    with pytest.raises(FileNotFoundError, match="features/keywords/nope.yaml"):
        load_keywords("nope")


@pytest.mark.parametrize("name", ["specificity", "contact", "history", "language"])
def test_every_keyword_list_is_non_empty_text(name):
    def walk(entry):
        if isinstance(entry, (str, int, float)):
            return
        if hasattr(entry, "items"):
            for value in entry.values():
                walk(value)
            return
        assert len(entry) > 0
        for item in entry:
            assert isinstance(item, (str, int, float)) and str(item).strip()

    walk(load_keywords(name))


def test_phrase_pattern_keeps_word_edges_except_in_chinese():
    pattern = phrase_pattern(["fob", "ce", "price list", "价格"])
    text = "FOB price  list, 价格表, fobbing, since"
    assert [m.group() for m in pattern.finditer(text)] == ["FOB", "price  list", "价格"]


def test_phrase_pattern_prefers_the_longest_phrase():
    pattern = phrase_pattern(["ex", "ex works", "ex-works"])
    assert pattern.findall("ex works and ex-works") == ["ex works", "ex-works"]


def test_flatten_and_evidence_lists():
    assert flatten_phrases({"en": ["a"], "nested": {"fr": ["b"]}}) == ["a", "b"]
    lists = evidence_lists(2, ["x"])
    lists["x"][0].append("one")
    assert lists == {"x": [["one"], []]}


def test_phrase_trie_reports_the_longest_match_per_start():
    tokens = tokenize("Send the full price list, price list of all items.")
    trie = PhraseTrie({"list": ["price list", "full price list"], "word": ["price"]})
    found = sorted((label, tokens.snippet(start, end)) for label, start, end in trie.find(tokens))
    # Inside "full price list", "price list" starts one token later: it is reported too
    # (the specificity family keeps only the outermost span per area).
    assert found == [
        ("list", "full price list"),
        ("list", "price list"),
        ("list", "price list"),
        ("word", "price"),
        ("word", "price"),
    ]


def test_case_sensitive_trie_matches_codes_as_written():
    tokens = tokenize("CE marked, ce produit")
    trie = PhraseTrie({"cert": ["CE"]}, case_sensitive=True)
    assert [tokens.snippet(start, end) for _, start, end in trie.find(tokens)] == ["CE"]
