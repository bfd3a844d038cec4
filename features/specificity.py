"""Specificity: how precisely the buyer says what they want (prefix `spec_`).

The guides grade a buyer who names the seller's products, quantities, sizes,
terms and questions above one who asks for "all your products and prices".
Catalogue products come from `features.catalog.CatalogMatcher`; every other
area is a compiled regex over the phrase lists in `keywords/specificity.yaml`
(one alternation per list, so a text is scanned once per area).

>>> catalog = pd.DataFrame({"sku": ["CH200D+C"], "name": ["Mesh Office Chair"],
...     "category": ["office chairs"], "keywords": [["mesh chair"]]})
>>> inquiries = pd.DataFrame({"body": [
...     "Please quote 500 pcs CH-200D+C, FOB Shenzhen, T/T. Delivery time? Size 60x60 cm?",
...     "Send me your full price list and catalogue.",
... ]})
>>> family = Specificity(catalog=catalog).fit(inquiries)
>>> values, evidence = family.transform_with_evidence(inquiries)
>>> shown = ["spec_products_named", "spec_quantity", "spec_incoterms", "spec_requirement_areas"]
>>> values.loc[0, shown].tolist()
[1.0, 1.0, 1.0, 6.0]
>>> evidence.loc[0, "spec_products_named"], evidence.loc[0, "spec_categories"]
(['CH200D+C'], ['office chairs'])
>>> values.loc[1, ["spec_products_named", "spec_all_products_request", "spec_requirement_areas"]].tolist()
[0.0, 1.0, 0.0]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from features.base import SignalFamily, evidence_lists, flatten_phrases, load_keywords, phrase_alternation
from features.catalog import CatalogMatcher, CatalogMention
from features.tokens import PhraseTrie, Tokens

# The requirement areas, in the order of features/SIGNALS.md.
REQUIREMENT_AREAS = (
    "quantity",
    "dimensions",
    "materials",
    "certifications",
    "incoterms",
    "ports",
    "payment_terms",
    "delivery_time",
    "packaging",
    "target_price",
    "photos_or_specs",
)
# Areas found (at least partly) by phrase lists, and the lists' keys in specificity.yaml.
PHRASE_AREAS = (
    "materials",
    "certifications",
    "incoterms",
    "ports",
    "payment_terms",
    "delivery_time",
    "packaging",
    "target_price",
    "photos_or_specs",
    "all_products_request",
)
SIGNAL_NAMES = (
    "spec_products_named",
    "spec_model_codes_named",
    "spec_category_named",
    *(f"spec_{area}" for area in REQUIREMENT_AREAS),
    "spec_questions",
    "spec_requirement_areas",
    "spec_all_products_request",
)
EVIDENCE_NAMES = (*SIGNAL_NAMES, "spec_categories")

# Numbers as buyers write them: "5000", "5,000", "5.000", "5 000", "2.5".
NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
# `NUMBER` with its first digit taken out of the alternation: the same matches, but a
# pattern that opens with one digit lets the engine jump from digit to digit instead of
# trying both alternatives at every character (about half the cost of a text's scan).
_NUMBER = re.compile(r"\d(?:\d{0,2}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d*(?:[.,]\d+)?)")
# A number glued to these continues a model code, a decimal or a date: not a quantity.
_NOT_BEFORE_NUMBER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.,/-_#")
_TIMES = r"[x×*]"
_SNIPPET_CHARS = 80
_SENTENCE = re.compile(r"[^.!?？؟。！\n]+[?？؟]?")
_SENTENCE_LEAD = " \t\r¿¡-–•*·\"'“‘«(>"
_QUESTION_MARKS = ("?", "？", "؟")
_TWO_LETTERS = re.compile(r"[^\W\d_][\s\S]*?[^\W\d_]")
_LABEL_GAP = " \t:：="


def _split_case(entry: Any) -> tuple[list[str], list[str]]:
    """Phrases matched ignoring case, and those (keys '*case_sensitive') matched exactly."""
    if not isinstance(entry, Mapping):
        return flatten_phrases(entry), []
    insensitive, sensitive = [], []
    for key, value in entry.items():
        if "case_sensitive" in str(key):
            sensitive.extend(flatten_phrases(value))
        else:
            more_insensitive, more_sensitive = _split_case(value)
            insensitive.extend(more_insensitive)
            sensitive.extend(more_sensitive)
    return insensitive, sensitive


def _phrase_tries(keywords: Mapping[str, Any]) -> tuple[PhraseTrie, PhraseTrie]:
    """All phrase lists in two tries: one ignoring case, one for upper-case codes ("CE", "FOB")."""
    insensitive: dict[str, list[str]] = {}
    sensitive: dict[str, list[str]] = {}
    for area in PHRASE_AREAS:
        insensitive[area], sensitive[area] = _split_case(keywords[area])
    insensitive["dimensions"] = flatten_phrases(keywords["length_units"]["words"])
    insensitive["question_start"] = flatten_phrases(keywords["interrogative_starts"])
    insensitive["quantity_label"] = flatten_phrases(keywords["quantity_labels"])
    insensitive["currency"] = flatten_phrases(keywords["currencies"])
    insensitive["span_preposition"] = flatten_phrases(keywords["delivery_span_prepositions"])
    return PhraseTrie(insensitive), PhraseTrie(sensitive, case_sensitive=True)


def _container_kinds(keywords: Mapping[str, Any]) -> str:
    """Container kinds written right after the size ("40HQ", "20'GP", "40 ft")."""
    kinds = sorted(keywords["container_kinds"], key=len, reverse=True)
    return "(?:" + "|".join(re.escape(kind) for kind in kinds) + r")s?(?![^\W\d_])"


@dataclass(frozen=True)
class _NumberPatterns:
    """What may follow a number, each anchored where the number ends (or starts)."""

    container: re.Pattern[str]  # at the number: "2 x 40HQ"
    sizes: re.Pattern[str]  # at the number: "600x600x20 mm"
    unit: re.Pattern[str]  # after: " pcs", "件", " unidades"
    length: re.Pattern[str]  # after: " mm", " cm"
    span: re.Pattern[str]  # after: " days", "-45 días"
    span_suffix: re.Pattern[str]  # after the span: "内", "左右"
    per_unit: re.Pattern[str]  # after a price: " per sqm", "/pc"
    currency_per_unit: re.Pattern[str]  # after: " USD per piece"


def _number_patterns(keywords: Mapping[str, Any]) -> _NumberPatterns:
    units = phrase_alternation(flatten_phrases(keywords["quantity_units"]))
    lengths = phrase_alternation(keywords["length_units"]["any"])
    sizes = "|".join(re.escape(size) for size in keywords["container_sizes"])
    kinds = _container_kinds(keywords)
    currency = phrase_alternation(keywords["currencies"])
    per = phrase_alternation(keywords["per_words"])
    spans = phrase_alternation(flatten_phrases(keywords["delivery_spans"]))
    flags = re.IGNORECASE
    return _NumberPatterns(
        container=re.compile(rf"\d{{1,3}}\s*{_TIMES}\s*(?:{sizes})\s*{kinds}", flags),
        sizes=re.compile(
            rf"(?:{NUMBER})\s*{lengths}?\s*{_TIMES}\s*(?:{NUMBER})"
            rf"(?:\s*{lengths}?\s*{_TIMES}\s*(?:{NUMBER}))?(?:\s*{lengths})?",
            flags,
        ),
        unit=re.compile(rf"(?:\s*k)?\s*{units}", flags),
        length=re.compile(rf"\s*{lengths}(?!\s*{kinds})", flags),
        span=re.compile(rf"(?:\s*(?:-|–|~|to|a|à|bis|до)\s*\d{{1,3}})?\s*{spans}", flags),
        span_suffix=re.compile(rf"\s*{phrase_alternation(keywords['delivery_span_suffixes'])}", flags),
        per_unit=re.compile(rf"\s*{per}\s*[^\W\d]+", flags),
        currency_per_unit=re.compile(rf"\s*{currency}\s*{per}\s*[^\W\d]+", flags),
    )


def _product_quantity_pattern(matcher: CatalogMatcher) -> re.Pattern[str]:
    """After a number, a catalogue noun up to two words on: "300 visitor chairs"."""
    nouns = phrase_alternation(matcher.head_words())
    return re.compile(rf"\s+(?:[^\W\d_]+\s+){{0,2}}?{nouns}", re.IGNORECASE)


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans not inside a longer one ("carton" inside "export carton" goes).

    >>> _outermost([(3, 5), (0, 2), (1, 2), (3, 4)])
    [(0, 2), (3, 5)]
    """
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or end > kept[-1][1]:
            kept.append((start, end))
    return kept


def _distinct(snippets: list[str]) -> list[str]:
    """Snippets without case-insensitive repeats, trimmed for display."""
    seen, kept = set(), []
    for snippet in snippets:
        snippet = " ".join(snippet.split())[:_SNIPPET_CHARS]
        if snippet and snippet.lower() not in seen:
            seen.add(snippet.lower())
            kept.append(snippet)
    return kept


class Specificity(SignalFamily):
    """Products, quantities, sizes, terms and questions an inquiry states.

    Parameters
    ----------
    catalog : DataFrame or None
        The seller's catalogue (`CompanyProfile.catalog`: sku, name, category,
        keywords). Without it no product can be named; every other signal works.
    """

    def __init__(self, catalog: pd.DataFrame | None = None):
        self.catalog = catalog

    def _signal_names(self) -> list[str]:
        return list(SIGNAL_NAMES)

    def _evidence_names(self) -> list[str]:
        return list(EVIDENCE_NAMES)

    def _build(self) -> None:
        keywords = load_keywords("specificity")
        self.phrases_, self.exact_phrases_ = _phrase_tries(keywords)
        self.numbers_ = _number_patterns(keywords)
        self._build_catalog(self.catalog)

    def _build_catalog(self, catalog: pd.DataFrame | None) -> None:
        self.catalog_matcher_ = CatalogMatcher(catalog)
        self.product_quantity_ = _product_quantity_pattern(self.catalog_matcher_)

    def with_catalog(self, catalog: pd.DataFrame | None) -> Specificity:
        """A fitted copy for another seller's catalogue; the phrase lists are shared."""
        switched = Specificity(catalog=catalog)
        switched.__dict__.update({k: v for k, v in self.__dict__.items() if k.endswith("_")})
        switched._build_catalog(catalog)
        return switched

    def _extract(self, inquiries: pd.DataFrame, texts: list[str]) -> tuple[np.ndarray, dict]:
        rows = []
        evidence = evidence_lists(len(texts), EVIDENCE_NAMES)
        columns = [evidence[name] for name in SIGNAL_NAMES]
        for row in range(len(texts)):
            tokens = texts.tokens(row)
            mention = self.catalog_matcher_.match_tokens(tokens)
            signals = self._text_signals(tokens, mention)
            # Plain lists, made an array once: numpy's per-element assignment is slow.
            rows.append([value for value, _ in signals])
            for column, (_, snippets) in zip(columns, signals):
                column[row] = snippets
            evidence["spec_categories"][row] = list(mention.categories or mention.named_categories)
        return np.array(rows, dtype=np.float64).reshape(len(texts), len(SIGNAL_NAMES)), evidence

    def _text_signals(self, tokens: Tokens, mention: CatalogMention) -> list[tuple[float, list[str]]]:
        """(value, evidence) per signal, in the order of SIGNAL_NAMES."""
        hits: dict[str, list[tuple[int, int]]] = {}
        for trie in (self.phrases_, self.exact_phrases_):
            for label, start, end in trie.find(tokens):
                hits.setdefault(label, []).append((start, end))
        found = {
            label: [tokens.snippet(start, end) for start, end in _outermost(spans)]
            for label, spans in hits.items()
        }
        self._numbers(tokens, hits, found)
        areas = {area: _distinct(found[area]) if area in found else [] for area in REQUIREMENT_AREAS}
        questions = self._questions(tokens, hits.get("question_start", []))
        all_products = _distinct(found.get("all_products_request", []))
        present = [area for area in REQUIREMENT_AREAS if areas[area]]
        return [
            (len(mention.skus), list(mention.skus)),
            (len(mention.codes), list(mention.codes)),
            (float(bool(mention.named_categories)), list(mention.category_words)),
            *((len(areas[area]), areas[area]) for area in REQUIREMENT_AREAS),
            (len(questions), questions),
            (len(present), present),
            (float(bool(all_products)), all_products),
        ]

    def _numbers(self, tokens: Tokens, hits: Mapping[str, list[tuple[int, int]]], found: dict) -> None:
        """Give each number in the text its role: quantity, size, delivery span or price."""
        text = tokens.text
        ends_of = {
            label: {tokens.ends[end - 1]: tokens.starts[start] for start, end in hits.get(label, [])}
            for label in ("quantity_label", "currency", "span_preposition")
        }
        taken_until = 0
        for number in _NUMBER.finditer(text):
            start, end = number.span()
            if start < taken_until or (start and text[start - 1] in _NOT_BEFORE_NUMBER):
                continue
            role, until = self._number_role(text, start, end, ends_of)
            if role:
                found.setdefault(role, []).append(text[until[0] : until[1]])
                taken_until = until[1]

    def _number_role(
        self, text: str, start: int, end: int, ends_of: Mapping[str, Mapping[int, int]]
    ) -> tuple[str | None, tuple[int, int]]:
        patterns = self.numbers_
        for role, pattern, position in (
            ("quantity", patterns.container, start),
            ("dimensions", patterns.sizes, start),
            ("quantity", patterns.unit, end),
            ("dimensions", patterns.length, end),
        ):
            match = pattern.match(text, position)
            if match:
                return role, (start, match.end())
        before = start
        while before and text[before - 1] in _LABEL_GAP:
            before -= 1
        span = patterns.span.match(text, end)
        if span and (before in ends_of["span_preposition"] or patterns.span_suffix.match(text, span.end())):
            return "delivery_time", (ends_of["span_preposition"].get(before, start), span.end())
        priced = patterns.currency_per_unit.match(text, end)
        if not priced and before in ends_of["currency"]:
            priced = patterns.per_unit.match(text, end)
        if priced:
            return "target_price", (ends_of["currency"].get(before, start), priced.end())
        if before in ends_of["quantity_label"]:
            return "quantity", (ends_of["quantity_label"][before], end)
        product = self.product_quantity_.match(text, end)
        if product:
            return "quantity", (start, product.end())
        return None, (start, end)

    def _questions(self, tokens: Tokens, openings: list[tuple[int, int]]) -> list[str]:
        """Distinct sentences that end in a question mark or open like a question."""
        opening_at = {tokens.starts[start] for start, _ in openings}
        questions = []
        for match in _SENTENCE.finditer(tokens.text):
            sentence = match.group()
            body = sentence.lstrip(_SENTENCE_LEAD)
            opens_question = match.end() - len(body) in opening_at
            if (opens_question or sentence.endswith(_QUESTION_MARKS)) and _TWO_LETTERS.search(body):
                questions.append(body)
        return _distinct(questions)
