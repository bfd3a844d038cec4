"""Find the seller's catalogue products named in an inquiry.

Product names and synonyms are matched word by word (case-insensitive,
singular or plural) in a `features.tokens.PhraseTrie`. Model codes are matched
on a compact form that ignores spaces and hyphens, so "CH200D+C", "ch 200 d+c"
and "CH-200D+C" are the same code, while "CH200D+C2" is not.

A phrase that belongs to several products ("engineered stone" for four quartz
slabs) does not name a product: it names their category, like the category
column itself ("office chairs", or its head word "chair").

Texts are cut by `features.tokens.tokenize`, the same for the catalogue and
the inquiries, and a caller that already has the tokens passes them to
`match_tokens`. The trie replaces a spaCy `PhraseMatcher` here: measured on
300-character inquiries it costs 8 us a text against 106 us for building a
`Doc` and matching it, it pickles as plain dicts, and it keeps no string store
that grows with every new word of every inquiry.

>>> catalog = pd.DataFrame({
...     "sku": ["CH200D+C", "CH-88", "LED-P600"],
...     "name": ["Mesh Office Chair", "Stackable Visitor Chair", "LED Panel Light"],
...     "category": ["office chairs", "office chairs", "led lighting"],
...     "keywords": [["mesh chair"], ["visitor chair", "conference chair"], ["panel light"]],
... })
>>> matcher = CatalogMatcher(catalog)
>>> mention = matcher.match("Need 500 pcs ch 200 d+c and some Mesh Chairs, also panel lights")
>>> mention.skus, mention.codes, mention.categories
(('CH200D+C', 'LED-P600'), ('CH200D+C',), ('office chairs', 'led lighting'))
>>> matcher.match("We buy chairs for our hotel").named_categories
('office chairs',)
>>> matcher.match("CH200D+C2 is not in your range").skus
()
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from features.tokens import HAN, PhraseTrie, Tokens, phrase_tokens, tokenize

# The parts model codes are built from: runs of letters and digits, single
# Chinese characters, and "+" (as in "D+C"); other marks only separate them.
TOKEN = re.compile(rf"[{HAN}]|[^\W{HAN}]+|\+")
# Between the parts of one model code only these may stand: "CH-200", "ch 200".
_CODE_GAP = re.compile(r"[\s\-_./]{0,3}")
_MIN_CODE_CHARS = 3


@dataclass(frozen=True)
class CatalogMention:
    """What one inquiry names from the catalogue."""

    skus: tuple[str, ...] = ()  # products named unambiguously, in order of appearance
    codes: tuple[str, ...] = ()  # model codes named, as spelled in the catalogue
    categories: tuple[str, ...] = ()  # categories of the products named
    named_categories: tuple[str, ...] = ()  # categories named without a product
    category_words: tuple[str, ...] = ()  # the words that named those categories
    snippets: tuple[str, ...] = ()  # the text that named the products


def tokens_of(text: str) -> list[str]:
    """The lower-cased parts of a text that model codes are compared on.

    >>> tokens_of("CH-200D+C, 办公椅")
    ['ch', '200d', '+', 'c', '办', '公', '椅']
    """
    return TOKEN.findall(text.lower())


def compact_code(code: str) -> str:
    """A model code without case, spaces or hyphens.

    >>> compact_code("CH 200 d+c") == compact_code("CH-200D+C")
    True
    """
    return "".join(tokens_of(code))


def is_model_code(phrase: str) -> bool:
    """A single run of letters and digits, with at least one of each.

    >>> [is_model_code(p) for p in ["G654", "QZ-1203", "CH200D+C", "T8 tube", "Carrara C", "T8"]]
    [True, True, True, False, False, False]
    """
    compact = compact_code(phrase)
    return (
        not re.search(r"\s", phrase.strip())
        and len(compact) >= _MIN_CODE_CHARS
        and any(c.isdigit() for c in compact)
        and any(c.isalpha() for c in compact)
    )


def _word_variants(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The phrase with its last word singular and plural ("chair" / "chairs")."""
    variants = {tokens}
    last = tokens[-1]
    if len(last) >= 3 and last.isalpha() and last.isascii():
        variants.add(tokens[:-1] + (last + "s",))
        if last.endswith(("s", "x", "ch", "sh")):
            variants.add(tokens[:-1] + (last + "es",))
        if last.endswith("s") and len(last) > 3:
            variants.add(tokens[:-1] + (last[:-1],))
    return variants


def _keyword_list(cell: object) -> list[str]:
    """Keywords as the profile loader gives them (a list) or as in the CSV (';'-joined)."""
    if isinstance(cell, str):
        return [part.strip() for part in cell.split(";") if part.strip()]
    if isinstance(cell, Iterable):
        return [str(part).strip() for part in cell if str(part).strip()]
    return []


class CatalogMatcher:
    """Matches one seller's catalogue in inquiry texts; build once, match many."""

    def __init__(self, catalog: pd.DataFrame | None):
        phrase_skus: dict[tuple[str, ...], set[str]] = {}
        code_skus: dict[str, set[str]] = {}
        code_spelling: dict[str, str] = {}
        self.sku_category: dict[str, str] = {}
        category_phrases: dict[tuple[str, ...], set[str]] = {}
        rows = catalog.to_dict("records") if catalog is not None and len(catalog) else []
        for row in rows:
            sku, category = str(row["sku"]).strip(), str(row.get("category") or "").strip()
            self.sku_category[sku] = category
            for phrase in [sku, str(row.get("name") or ""), *_keyword_list(row.get("keywords"))]:
                tokens = tuple(phrase_tokens(phrase))
                if not tokens:
                    continue
                for variant in _word_variants(tokens):
                    phrase_skus.setdefault(variant, set()).add(sku)
                if is_model_code(phrase):
                    code_skus.setdefault(compact_code(phrase), set()).add(sku)
                    code_spelling.setdefault(compact_code(phrase), phrase.strip())
            category_tokens = tuple(phrase_tokens(category))
            if category_tokens:
                heads = [category_tokens]
                if len(category_tokens) > 1 and len(category_tokens[-1]) >= 4:
                    heads.append(category_tokens[-1:])
                for head in heads:
                    for variant in _word_variants(head):
                        category_phrases.setdefault(variant, set()).add(category)
        # A phrase shared by several products names their category, not a product.
        self.product_phrases = {p: next(iter(s)) for p, s in phrase_skus.items() if len(s) == 1}
        for phrase, skus in phrase_skus.items():
            if len(skus) > 1:
                categories = {self.sku_category[sku] for sku in skus}
                category_phrases.setdefault(phrase, set()).update(categories)
        self.category_phrases = {p: tuple(sorted(c)) for p, c in category_phrases.items()}
        self.codes = {code: next(iter(s)) for code, s in code_skus.items() if len(s) == 1}
        self.code_spelling = code_spelling
        self.code_prefixes = {code[:k] for code in self.codes for k in range(1, len(code) + 1)}
        lists: dict[tuple[str, str], list[str]] = {}
        for phrase, sku in self.product_phrases.items():
            lists.setdefault(("sku", sku), []).append(" ".join(phrase))
        for phrase, categories in self.category_phrases.items():
            for category in categories:
                lists.setdefault(("category", category), []).append(" ".join(phrase))
        self.phrases = PhraseTrie(lists)

    def head_words(self) -> list[str]:
        """The last words of product and category phrases ("chairs", "slab"): the nouns
        a buyer counts ("300 visitor chairs").

        >>> CatalogMatcher(pd.DataFrame({"sku": ["T8"], "name": ["LED Tube"], "category": ["lighting"],
        ...     "keywords": [[]]})).head_words()
        ['lighting', 'lightings', 'tube', 'tubes']
        """
        phrases = [*self.product_phrases, *self.category_phrases]
        return sorted({p[-1] for p in phrases if len(p[-1]) >= 3 and p[-1].isalpha()})

    def match(self, text: str) -> CatalogMention:
        """The catalogue products, codes and categories one text names."""
        if not self.sku_category or not text:
            return CatalogMention()
        return self.match_tokens(tokenize(text))

    def match_tokens(self, tokens: Tokens) -> CatalogMention:
        """Like `match`, on a text already cut by `features.tokens.tokenize`."""
        if not self.sku_category or not len(tokens):
            return CatalogMention()
        found: dict[str, int] = {}  # sku -> first position
        snippets: dict[str, str] = {}
        codes: dict[str, int] = {}
        category_hits: dict[str, int] = {}
        category_words: list[str] = []

        for (kind, name), start, end in self.phrases.find(tokens):
            snippet = tokens.snippet(start, end)
            if kind == "sku":
                if name not in found:
                    found[name], snippets[name] = start, snippet
            else:
                category_hits.setdefault(name, start)
                if snippet.lower() not in (word.lower() for word in category_words):
                    category_words.append(snippet)
        for start, end, code in self._code_matches(tokens):
            sku = self.codes[code]
            codes.setdefault(self.code_spelling[code], start)
            if sku not in found:
                found[sku], snippets[sku] = start, tokens.snippet(start, end + 1)

        skus = tuple(sorted(found, key=found.get))
        categories = tuple(dict.fromkeys(self.sku_category[sku] for sku in skus))
        named = () if skus else tuple(sorted(category_hits, key=category_hits.get))
        return CatalogMention(
            skus=skus,
            codes=tuple(sorted(codes, key=codes.get)),
            categories=categories,
            named_categories=named,
            category_words=tuple(category_words) if not skus else (),
            snippets=tuple(snippets[sku] for sku in skus),
        )

    def _code_matches(self, tokens: Tokens) -> list[tuple[int, int, str]]:
        """Longest model codes built from consecutive word tokens joined only by spaces,
        hyphens, dots or slashes: (first token, last token, compact code)."""
        prefixes, codes = self.code_prefixes, self.codes
        if not codes:
            return []
        text, lower, starts, ends = tokens.text, tokens.lower, tokens.starts, tokens.ends
        count = len(lower)
        matches: list[tuple[int, int, str]] = []
        taken_until = -1
        for first in [index for index, word in enumerate(lower) if word in prefixes]:
            if first <= taken_until:
                continue
            compact, last, longest = lower[first], first, None
            while compact in prefixes:
                if compact in codes:
                    longest = (first, last, compact)
                following = _next_code_part(lower, last + 1, count)
                if following is None or not _CODE_GAP.fullmatch(text, ends[last], starts[following]):
                    break
                compact, last = compact + lower[following], following
            if longest:
                matches.append(longest)
                taken_until = longest[1]
        return matches


def _next_code_part(lower: list[str], index: int, count: int) -> int | None:
    """The next token that can be part of a code (letters, digits or "+"), skipping "/" "." "_"."""
    while index < count:
        word = lower[index]
        if word == "+" or word[0].isalnum():
            return index
        if word not in "/._":
            return None
        index += 1
    return None
