"""Reading an inquiry once for the scam markers: words, phrases, links, numbers, sentences.

Phrase lists are matched word by word (`PhraseIndex`: one dictionary lookup
per word of the text, every list at once); a long alternation regex would
re-try every phrase at every character. `Reading` holds what the markers of
one text share and computes the costly parts only when a marker asks.

>>> index = PhraseIndex({"visa": ["invitation letter", "签证"]})
>>> reading = Reading("Please send an Invitation Letter for the 签证, see www.x-visa.com/a", index)
>>> reading.phrases["visa"].snippets, reading.links
(['Invitation Letter', '签证'], [(49, 'www.x-visa.com/a')])
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any

import numpy as np
import pandas as pd

# Words, with digits and letters apart: "20kg" is "20" "kg", "CH-200D+C" is "ch" "200" "d" "c".
# (`\d+|[^\W\d_]+`, folded behind one class so the engine skips to candidates: same matches.)
WORD = re.compile(r"[^\W_](?:(?<=\d)\d*|[^\W\d_]*)")
# The same cut as a capturing split: gap, word, gap, word, ..., gap. Words and (from the
# running length) where each starts come out of one C-level scan.
_WORD_SPLIT = re.compile(f"({WORD.pattern})")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"\d[\d.,\u00a0\u202f ]*")
# Sentence ends, but not the dot inside "4.5" or "p.o.".
_SENTENCE_END = re.compile(r"(?<!\d)[.!?](?!\d)|[。！？؟\n;]")
_CAPITALS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SMALL = b"abcdefghijklmnopqrstuvwxyz"
SNIPPET_CHARS = 100

# Links as they appear in plain text: with a scheme, starting "www.", or a bare
# host followed by a path ("alibaba-login.com/view"); never an e-mail address.
URL = re.compile(
    r"(?:(?:https?|hxxps?)://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|(?<![@\w.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}/[^\s<>\"'()\[\]{}]*",
    re.IGNORECASE,
)
_BARE_LINK_HINT = re.compile(r"\.[a-z]{2,6}/")


@lru_cache(maxsize=1)
def _domain_extractor() -> Any:
    import tldextract

    # The bundled public-suffix snapshot only: never the network, no cache files.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(host_or_url: str) -> str:
    """The domain a company registers, from a host, URL or e-mail address.

    >>> registered_domain("https://alibaba.com.secure-login.ru/view?id=1")
    'secure-login.ru'
    >>> registered_domain("sales@mail.buyer.co.uk"), registered_domain("www.made-in-china.com")
    ('buyer.co.uk', 'made-in-china.com')
    """
    text = host_or_url.strip().lower()
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    host = re.sub(r"^(?:https?|hxxps?)://", "", text).split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return _registered_domain_of_host(host.split(":", 1)[0].strip(".,;"))


@lru_cache(maxsize=65536)
def _registered_domain_of_host(host: str) -> str:
    # Cached per host, not per address: a batch has many senders but few domains.
    if not host:
        return ""
    parts = _domain_extractor()(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return host  # an IP address or a bare name: the host is all there is


def host_of(url: str) -> str:
    """The host name of a link, lower-cased.

    >>> host_of("https://www.Alibaba.trade-message.info/inquiry?id=1")
    'www.alibaba.trade-message.info'
    """
    return re.sub(r"^(?:https?|hxxps?)://", "", url.lower()).split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]


def parse_number(text: str, decimal_likely: bool = False) -> float:
    """A number as buyers write it: "4,500,000", "4.500.000,00", "4 500 000", "4.5".

    >>> parse_number("4,500,000"), parse_number("4.500.000,00"), parse_number("4 500"), parse_number("4.5", True)
    (4500000.0, 4500000.0, 4500.0, 4.5)
    >>> parse_number("1.500"), parse_number("2,5"), parse_number("2 40")
    (1500.0, 2.5, 2.0)
    """
    chunks = text.replace("\u00a0", " ").replace("\u202f", " ").split()
    kept = chunks[:1]
    for chunk in chunks[1:]:  # a space separates thousands only: "4 500 000", not "2 40"
        if not re.fullmatch(r"\d{3}(?:[.,]\d+)?", chunk):
            break
        kept.append(chunk)
    compact = "".join(kept).strip(".,")
    groups = re.split(r"[.,]", compact)
    if len(groups) == 1:
        return float(groups[0] or 0)
    thousands = all(len(group) == 3 for group in groups[1:])
    if thousands and not (decimal_likely and len(groups) == 2):
        return float("".join(groups))
    return float("".join(groups[:-1]) + "." + groups[-1])


def attachment_names(cell: object) -> list[str]:
    """Attachment names from a list, an array or a ';'-joined string.

    >>> attachment_names("PO 4471.pdf; drawings.zip"), attachment_names(None)
    (['PO 4471.pdf', 'drawings.zip'], [])
    """
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    if isinstance(cell, str):
        return [part.strip() for part in cell.split(";") if part.strip()]
    if isinstance(cell, (Sequence, np.ndarray)):
        return [str(part).strip() for part in cell if part is not None and str(part).strip()]
    return [str(cell).strip()]


class PhraseIndex:
    """Many phrase lists matched word by word: one dictionary lookup per word of the text.

    A long alternation regex re-tries every phrase at every character; here a
    phrase is only tried where its first word stands. Chinese phrases (no
    spaces between words) are found as substrings. At one position the
    longest phrase of a list wins.

    >>> index = PhraseIndex({"fee": ["registration fee", "fee"], "visa": ["visa letter", "签证"]})
    >>> found = index.find("Pay the Registration  Fee for the 签证 and the fee")
    >>> [(label, snippet) for label, spans in found.items() for snippet in spans.snippets]
    [('fee', 'Registration  Fee'), ('fee', 'fee'), ('visa', '签证')]
    """

    def __init__(self, lists: Mapping[str, Iterable[str]]):
        # Phrases are filed under their first word, their first two, or their first three words
        # (longer ones are checked word by word from there), so common openings such as
        # "we are" cost one lookup, not one try per phrase.
        self.by_prefix: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}
        self.han_phrases: list[tuple[str, str]] = []
        for label, phrases in lists.items():
            for phrase in phrases:
                phrase = " ".join(str(phrase).lower().split())
                if not phrase:
                    continue
                if HAN.search(phrase):
                    self.han_phrases.append((label, phrase))
                    continue
                words = tuple(WORD.findall(phrase))
                entry = (label, words)
                if words and entry not in self.by_prefix.get(words[:3], []):
                    self.by_prefix.setdefault(words[:3], []).append(entry)
        for entries in self.by_prefix.values():
            entries.sort(key=lambda entry: -len(entry[1]))
        # Per first word, the prefix lengths filed under it, longest first: most words open
        # phrases of one length only, so one lookup instead of three.
        lengths: dict[str, set[int]] = {}
        for prefix in self.by_prefix:
            lengths.setdefault(prefix[0], set()).add(len(prefix))
        self.prefix_lengths = {word: tuple(sorted(sizes, reverse=True)) for word, sizes in lengths.items()}

    def find(self, text: str, lowered: str | None = None) -> dict[str, Matches]:
        """Per list label: the spans and snippets found (lists with no match are absent).

        `lowered` is `text.lower()`, when the caller already has it.
        """
        if lowered is None:
            lowered = text.lower()
        source = text if len(lowered) == len(text) else lowered  # lower() rarely changes lengths
        pieces = _WORD_SPLIT.split(lowered)
        words = pieces[1::2]
        found: dict[str, Matches] = {}
        free_from: dict[str, int] = {}
        prefix_lengths, by_prefix, count = self.prefix_lengths, self.by_prefix, len(words)
        # Where each word starts and ends is only needed for a phrase found: summed once, on the first.
        offsets: list[int] | None = None
        # Most words open no phrase: one dictionary test in a comprehension skips them cheaply.
        for position in [index for index, word in enumerate(words) if word in prefix_lengths]:
            # Longest prefix first: a three-word opening before a two-word one before a single word.
            for size in prefix_lengths[words[position]]:
                if position + size > count:
                    continue
                entries = by_prefix.get(tuple(words[position : position + size]))
                if entries is None:
                    continue
                for label, phrase_words in entries:
                    end = position + len(phrase_words)
                    if position < free_from.get(label, 0) or end > count:
                        continue
                    if len(phrase_words) <= 3 or words[position + 3 : end] == list(phrase_words[3:]):
                        if offsets is None:
                            offsets = list(accumulate(map(len, pieces)))
                        # Word k spans offsets[2k] .. offsets[2k + 1].
                        start_char = offsets[2 * position]
                        found.setdefault(label, Matches()).add(start_char, source[start_char : offsets[2 * end - 1]])
                        free_from[label] = end
        if self.han_phrases and HAN.search(lowered):
            for label, phrase in self.han_phrases:
                start = lowered.find(phrase)
                while start >= 0:
                    found.setdefault(label, Matches()).add(start, source[start : start + len(phrase)])
                    start = lowered.find(phrase, start + len(phrase))
        return found


@dataclass
class Matches:
    starts: list[int]
    snippets: list[str]

    def __init__(self) -> None:
        self.starts, self.snippets = [], []

    def add(self, start: int, snippet: str) -> None:
        self.starts.append(start)
        self.snippets.append(snippet)


class Reading:
    """One text read once: its phrases, links, numbers and sentences, shared by the markers."""

    def __init__(self, text: str, index: PhraseIndex, match_catalogue: Callable[[str], Any] | None = None):
        self.text = text
        self.lowered = text.lower()
        self.phrases = index.find(text, self.lowered)
        self._match_catalogue = match_catalogue
        self._links: list[tuple[int, str]] | None = None
        self._numbers: list[tuple[int, int, str]] | None = None
        self._sentences: list[tuple[int, int]] | None = None
        self._mention: Any = None

    def marker(self, name: str) -> tuple[float, list[str]]:
        """A marker that is just a phrase list: fires on any phrase, shows them all."""
        if name not in self.phrases:
            return 0.0, []
        return 1.0, distinct(self.phrases[name].snippets)

    def starts(self, name: str) -> set[int]:
        return set(self.phrases[name].starts) if name in self.phrases else set()

    @property
    def links(self) -> list[tuple[int, str]]:
        if self._links is None:
            lowered = self.lowered
            maybe = "://" in lowered or "www." in lowered or _BARE_LINK_HINT.search(lowered)
            self._links = (
                [(match.start(), match.group().rstrip(".,;:!?")) for match in URL.finditer(self.text)] if maybe else []
            )
        return self._links

    @property
    def numbers(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of each number; the end stops before trailing separators."""
        if self._numbers is None:
            self._numbers = []
            for match in _NUMBER.finditer(self.text):
                raw = match.group().rstrip(".,\u00a0\u202f ")
                self._numbers.append((match.start(), match.start() + len(raw), raw))
        return self._numbers

    @property
    def sentences(self) -> list[tuple[int, int]]:
        if self._sentences is None:
            self._sentences = sentence_spans(self.text)
        return self._sentences

    def mention(self) -> Any:
        """Catalogue products the text names (the matcher is the costly part: run on demand)."""
        if self._mention is None:
            if self._match_catalogue is None:
                raise ValueError("this reading was made without a catalogue matcher")
            self._mention = self._match_catalogue(self.text)
        return self._mention


def cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def column_values(inquiries: pd.DataFrame, name: str) -> list[Any]:
    if name in inquiries.columns:
        return inquiries[name].tolist()
    return [None] * len(inquiries)


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def distinct(snippets: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for snippet in snippets:
        snippet = shorten(snippet)
        if snippet and snippet.lower() not in seen:
            seen.add(snippet.lower())
            kept.append(snippet)
    return kept


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentence_of(sentences: list[tuple[int, int]], position: int) -> tuple[int, int]:
    return next((span for span in sentences if span[0] <= position < span[1]), (position, position))


def normal_words(words: str) -> str:
    return " ".join(WORD.findall(words.lower()))


def singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def latin_letters(text: str) -> tuple[int, int]:
    """Latin letters and capitals among them.

    Counted on the UTF-8 bytes, where A-Z and a-z are single bytes that no
    other character's encoding contains; `bytes.translate` deletes at C speed.

    >>> latin_letters("PLEASE quote, Señor Ñúñez! 价格")
    (17, 7)
    """
    data = text.encode("utf-8", "surrogatepass")
    without_capitals = data.translate(None, _CAPITALS)
    capitals = len(data) - len(without_capitals)
    small = len(without_capitals) - len(without_capitals.translate(None, _SMALL))
    return capitals + small, capitals


def all_positions(text: str, needle: str) -> list[int]:
    positions, start = [], text.find(needle)
    while start >= 0:
        positions.append(start)
        start = text.find(needle, start + 1)
    return positions
