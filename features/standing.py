"""The buyer's stated standing in their market (prefix `standing_`).

Grade 1 includes a buyer "verified as influential in their market". An inquiry
cannot verify anything, but it says what the buyer claims: a chain of 214
stores, a listed group, the approved supplier of ministries. A claim is
evidence, not proof (a self-declared big company that leaves no trace is a scam
sign), so the rulebook does not grade on it; the model learns from graded
history what a claim together with credible contact details meant, and a grade
1 still goes to a supervisor. Phrase lists are in `keywords/standing.yaml`.

>>> inquiries = pd.DataFrame({"body": [
...     "I'm the category manager at Kestrel Home. We operate 214 stores across South Africa.",
...     "Meridian Land Holdings (PSE: MLHI) is a listed group, the market leader in Manila.",
...     "We have 2 shops in Lyon and need 40 chairs.",
... ]})
>>> values, evidence = Standing().fit(inquiries).transform_with_evidence(inquiries)
>>> values["standing_outlets"].tolist(), values["standing_claims"].tolist()
([214.0, 0.0, 0.0], [1.0, 2.0, 0.0])
>>> evidence.loc[0, "standing_outlets"], evidence.loc[1, "standing_claims"]
(['214 stores'], ['market leader', 'PSE: MLHI'])
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from features.base import SignalFamily, evidence_lists, flatten_phrases, load_keywords, phrase_alternation
from features.text import InquiryTexts
from features.tokens import PhraseTrie

SIGNAL_NAMES = ("standing_outlets", "standing_claims")
_OUTLET = "outlet"  # the trie label of the outlet words
# The count written just before an outlet word: 214, 1,200, 1.200, 1 200, ١٢٠ (any script's digits).
_COUNT_BEFORE = re.compile(r"(?<![\d,.])(\d{1,3}(?:[,.\u00a0 ]\d{3})+|\d+)\s*\+?\s*$")
_COUNT_REACH = 24  # characters looked back from an outlet word for its count
_NOT_DIGIT = re.compile(r"\D")
_LISTED = "listed"


class Standing(SignalFamily):
    """How large and established the buyer says it is: outlets, chains, listings, public clients."""

    def _signal_names(self) -> list[str]:
        return list(SIGNAL_NAMES)

    def _evidence_names(self) -> list[str]:
        return list(SIGNAL_NAMES)

    def _build(self) -> None:
        keywords = load_keywords("standing")
        # One walk over the tokens finds every claim kind and every outlet word.
        self.kinds_ = tuple(keywords["claims"])
        lists = {kind: flatten_phrases(phrases) for kind, phrases in keywords["claims"].items()}
        lists[_OUTLET] = flatten_phrases(keywords["outlet_words"])
        self.phrases_ = PhraseTrie(lists)
        # Words that can start a phrase: most texts hold none, and need no walk at all.
        self.first_words_ = frozenset(self.phrases_.root)
        self.outlet_range_ = (int(keywords["min_outlets"]), int(keywords["max_outlets"]))
        exchanges = phrase_alternation(keywords["exchanges"])
        self.ticker_ = re.compile(rf"\(\s*({exchanges}\s*:\s*[A-Z0-9.]{{1,8}})\s*\)")

    def _extract(self, inquiries: pd.DataFrame, texts: InquiryTexts) -> tuple[np.ndarray, dict]:
        evidence = evidence_lists(len(texts), SIGNAL_NAMES)
        rows = []
        for row, text in enumerate(texts):
            tokens = texts.tokens(row)  # already cut by specificity, which runs first
            if self.first_words_.isdisjoint(tokens.lower):
                outlets, outlet_snippets, claims = 0.0, [], self._claims(text, None, {})
            else:
                found: dict[str, list[tuple[int, int]]] = {}
                for label, start, end in self.phrases_.find(tokens):
                    found.setdefault(label, []).append((start, end))
                outlets, outlet_snippets = self._outlets(tokens, found.get(_OUTLET, ()))
                claims = self._claims(text, tokens, found)
            evidence["standing_outlets"][row] = outlet_snippets
            evidence["standing_claims"][row] = claims
            rows.append((outlets, float(len(claims))))
        return np.array(rows, dtype=np.float64).reshape(len(texts), len(SIGNAL_NAMES)), evidence

    def _outlets(self, tokens, spans) -> tuple[float, list[str]]:
        """The largest plausible outlet count claimed (else 0), and where it was said."""
        least, most = self.outlet_range_
        largest, snippets = 0, []
        for start, end in spans:
            word_start = tokens.starts[start]
            before = _COUNT_BEFORE.search(tokens.text, max(0, word_start - _COUNT_REACH), word_start)
            if not before:
                continue
            count = int(_NOT_DIGIT.sub("", before.group(1)))
            if least <= count <= most:
                largest = max(largest, count)
                snippets.append(" ".join(tokens.text[before.start(1) : tokens.ends[end - 1]].split()))
        return float(largest), snippets

    def _claims(self, text: str, tokens, found: dict) -> list[str]:
        """One snippet per kind of claim found, in the order of the keyword file."""
        claims = []
        for kind in self.kinds_:
            if kind == _LISTED and "(" in text:
                ticker = self.ticker_.search(text)
                if ticker:
                    claims.append(ticker.group(1))
                    continue
            if kind in found:
                start, end = found[kind][0]
                claims.append(" ".join(tokens.snippet(start, end).split()))
        return claims
