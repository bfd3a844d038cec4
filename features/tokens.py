"""One tokenisation per inquiry, and phrase lists matched on its tokens.

Every phrase list of a family (materials, incoterms, question openings ...)
goes into one `PhraseTrie`; a text is then walked once, token by token, for
all lists together. On this project's texts that is several times faster than
one regex per list, and faster than building a spaCy `Doc` for it.

Tokens are runs of letters and digits, single Chinese characters (Chinese has
no spaces) and single punctuation marks; hyphens are dropped, so "ex-works"
and "ex works", "sit-stand" and "sit stand" are the same phrase.

>>> tokens = tokenize("Payment: T/T, ex-works Ningbo; 纸箱包装")
>>> tokens.lower
['payment', ':', 't', '/', 't', ',', 'ex', 'works', 'ningbo', ';', '纸', '箱', '包', '装']
>>> trie = PhraseTrie({"payment_terms": ["T/T", "payment"], "incoterms": ["ex works"], "packaging": ["纸箱"]})
>>> sorted((label, tokens.snippet(start, end)) for label, start, end in trie.find(tokens))
[('incoterms', 'ex-works'), ('packaging', '纸箱'), ('payment_terms', 'Payment'), ('payment_terms', 'T/T')]
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{HAN}]|[^\W{HAN}]+|[^\w\s\-]")
# The same cut for text without Chinese characters, about twice as fast.
_TOKEN_NO_HAN = re.compile(r"\w+|[^\w\s\-]")
_HAN_CHAR = re.compile(rf"[{HAN}]")
# The third kind of token: each mark that is not a letter, digit, space, hyphen or Chinese character.
_MARK = re.compile(rf"[^\w\s\-{HAN}]")
_SIGMA = "\u03a3"
# The same cuts as capturing splits: `split` gives gap, token, gap, token, ..., gap,
# so the tokens and (from the running length) their positions come out at C speed.
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_TOKEN_NO_HAN_SPLIT = re.compile(f"({_TOKEN_NO_HAN.pattern})")


@dataclass(frozen=True)
class Tokens:
    """The tokens of one text: as written, lower-cased, and where each starts and ends."""

    text: str
    words: list[str]
    lower: list[str]
    starts: list[int]
    ends: list[int]

    def snippet(self, start: int, end: int) -> str:
        """The text that tokens start..end-1 cover, as written."""
        return self.text[self.starts[start] : self.ends[end - 1]]

    def __len__(self) -> int:
        return len(self.words)

    def word_count(self) -> int:
        """Tokens that are words, not marks: runs of letters and digits, each Chinese character one word.

        >>> tokenize("Hi, 500 pcs of 办公椅?").word_count()
        7
        """
        return len(self.words) - len(_MARK.findall(self.text))


def tokenize(text: str) -> Tokens:
    """Cut a text into tokens (see the module docstring)."""
    has_han = _HAN_CHAR.search(text) is not None
    # One C-level split; per-match Python work (group, start, end) cost more than the scan.
    pieces = (_TOKEN_SPLIT if has_han else _TOKEN_NO_HAN_SPLIT).split(text)
    words = pieces[1::2]
    offsets = list(accumulate(map(len, pieces)))
    starts, ends = offsets[0:-1:2], offsets[1::2]
    if _SIGMA not in text:
        # Lower-casing is per character except for the capital sigma (final "ς" depends on
        # what follows), so without one, word by word is the same as the whole text.
        lower = list(map(str.lower, words))
    else:
        lowered = text.lower()
        # Lower-casing the whole text is one C call; it keeps the token boundaries
        # unless a letter changes length ("İ"), which the length check catches.
        pattern = _TOKEN if has_han else _TOKEN_NO_HAN
        lower = pattern.findall(lowered) if len(lowered) == len(text) else []
        if len(lower) != len(words):
            lower = [word.lower() for word in words]
    return Tokens(text, words, lower, starts, ends)


def phrase_tokens(phrase: str) -> list[str]:
    """The lower-cased tokens of a phrase, cut like a text.

    >>> phrase_tokens("CH-200D+C"), phrase_tokens("办公椅")
    (['ch', '200d', '+', 'c'], ['办', '公', '椅'])
    """
    return [match.group().lower() for match in _TOKEN.finditer(phrase)]


class PhraseTrie:
    """Labelled phrase lists, matched token by token.

    Parameters
    ----------
    lists : mapping of label (any hashable) -> phrases
    case_sensitive : bool
        Match the tokens as written ("CE", "FOB") instead of lower-cased.
    """

    _END = ""  # no token is empty, so this key marks the end of a phrase

    def __init__(self, lists: Mapping[Hashable, Iterable[str]], case_sensitive: bool = False):
        self.case_sensitive = case_sensitive
        self.root: dict = {}
        for label, phrases in lists.items():
            for phrase in phrases:
                words = (
                    [m.group() for m in _TOKEN.finditer(phrase)] if case_sensitive else phrase_tokens(phrase)
                )
                if not words:
                    continue
                node = self.root
                for word in words:
                    node = node.setdefault(word, {})
                # A dict, not a set: labels come out in the order the lists gave them, in
                # every process (a set's order follows string hashing, which varies per run).
                node.setdefault(self._END, {})[label] = None

    def find(self, tokens: Tokens) -> Iterator[tuple[Hashable, int, int]]:
        """(label, start token, end token) of every phrase found, longest per start and label."""
        words = tokens.words if self.case_sensitive else tokens.lower
        root, end_key, count = self.root, self._END, len(words)
        # Most tokens start no phrase: one set test in a comprehension skips them cheaply.
        for start in [index for index, word in enumerate(words) if word in root]:
            node = root[words[start]]
            longest: dict[Hashable, int] = {}
            position = start
            while node is not None:
                position += 1
                for label in node.get(end_key, ()):
                    longest[label] = position
                if position >= count:
                    break
                node = node.get(words[position])
            for label, end in longest.items():
                yield label, start, end
