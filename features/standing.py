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

SIGNAL_NAMES = ("standing_outlets", "standing_claims")
# A count as written: 214, 1,200, 1.200, 1 200, ١٢٠ (any script's digits).
_COUNT = r"(\d{1,3}(?:[,.\u00a0 ]\d{3})+|\d+)"
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
        outlet_words = phrase_alternation(flatten_phrases(keywords["outlet_words"]))
        # Chinese writes the count against the word ("120家门店"): no space needed.
        self.outlets_ = re.compile(rf"(?<![\d,.]){_COUNT}\s*\+?\s*{outlet_words}", re.IGNORECASE)
        self.outlet_range_ = (int(keywords["min_outlets"]), int(keywords["max_outlets"]))
        self.claims_ = {
            kind: re.compile(phrase_alternation(flatten_phrases(phrases)), re.IGNORECASE)
            for kind, phrases in keywords["claims"].items()
        }
        exchanges = phrase_alternation(keywords["exchanges"])
        self.ticker_ = re.compile(rf"\(\s*({exchanges}\s*:\s*[A-Z0-9.]{{1,8}})\s*\)")

    def _extract(self, inquiries: pd.DataFrame, texts: list[str]) -> tuple[np.ndarray, dict]:
        evidence = evidence_lists(len(texts), SIGNAL_NAMES)
        rows = []
        for row, text in enumerate(texts):
            outlets, outlet_snippets = self._outlets(text)
            claims = self._claims(text)
            evidence["standing_outlets"][row] = outlet_snippets
            evidence["standing_claims"][row] = claims
            rows.append((outlets, float(len(claims))))
        return np.array(rows, dtype=np.float64).reshape(len(texts), len(SIGNAL_NAMES)), evidence

    def _outlets(self, text: str) -> tuple[float, list[str]]:
        """The largest plausible outlet count claimed (else 0), and where it was said."""
        least, most = self.outlet_range_
        largest, snippets = 0, []
        for match in self.outlets_.finditer(text):
            count = int(_NOT_DIGIT.sub("", match.group(1)))
            if least <= count <= most:
                largest = max(largest, count)
                snippets.append(" ".join(match.group().split()))
        return float(largest), snippets

    def _claims(self, text: str) -> list[str]:
        """One snippet per kind of claim found, in the order of the keyword file."""
        found = []
        for kind, pattern in self.claims_.items():
            match = pattern.search(text)
            if kind == _LISTED:
                ticker = self.ticker_.search(text)
                if ticker:
                    found.append(ticker.group(1))
                    continue
            if match:
                found.append(" ".join(match.group().split()))
        return found
