"""Careless and non-native writing: L2 English habits, typos, sloppy chat style, garbling.

The English rules are data (`phrases/noise.yaml`): a regex, its replacements and the
probability that a message gets the rule at all.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from pipeline.generate.world import pick



def _needle(pattern: str) -> str:
    """A literal every match of `pattern` contains, to skip rules cheaply ("" if none).

    >>> _needle(r"\\bPlease\\b"), _needle(r"\\bthe (?=[a-z])"), _needle(r"\\.\\s")
    ('Please', 'the ', '.')
    """
    literal = re.sub(r"\(\?=[^)]*\)", "", pattern).replace("\\b", "").replace("\\s", "")
    literal = literal.replace("\\.", ".").replace("\\?", "?")
    return "" if re.search(r"[\\\[\](){}*+|^$]", literal) else literal


@dataclass(frozen=True)
class NoiseRules:
    """Compiled noise rules."""

    non_native: tuple[tuple[re.Pattern[str], tuple[str, ...], float, str], ...]
    lowercase_first: float
    drop_final_period: float
    typo_rate: float
    garbled: tuple[str, ...]
    html_wrappers: tuple[str, ...]

    @classmethod
    def from_data(cls, raw: dict) -> "NoiseRules":
        return cls(
            non_native=tuple((re.compile(pattern), tuple(options), float(probability), _needle(pattern)) for pattern, options, probability in raw["non_native_en"]),
            lowercase_first=float(raw["sloppy"]["lowercase_first"]),
            drop_final_period=float(raw["sloppy"]["drop_final_period"]),
            typo_rate=float(raw["sloppy"]["typo_rate_per_word"]),
            garbled=tuple(raw["garbled"]),
            html_wrappers=tuple(raw["html_wrappers"]),
        )

    def non_native_english(self, text: str, rng: random.Random, strength: float) -> str:
        """Apply L2 habits; `strength` 0..1 scales how many rules fire."""
        for pattern, options, probability, needle in self.non_native:
            # The draw comes first so the random stream does not depend on the text.
            if rng.random() < probability * strength and needle in text:
                text = pattern.sub(lambda _match: pick(rng, options), text)
        return self.typos(text, rng, self.typo_rate * (1 + 2 * strength))

    def typos(self, text: str, rng: random.Random, rate: float) -> str:
        """Swap or drop letters in a few longer words (about `rate` of the words)."""
        words = text.split(" ")
        expected = len(words) * rate
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        for _ in range(count):
            index = int(rng.random() * len(words))
            word = words[index]
            if len(word) < 4 or not word.isalpha():
                continue
            position = 1 + int(rng.random() * (len(word) - 2))
            if rng.random() < 0.5:
                words[index] = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
            else:
                words[index] = word[:position] + word[position + 1 :]
        return " ".join(words)

    def sloppy(self, text: str, rng: random.Random) -> str:
        """Chat style: lower-case start, no final period, a typo or two."""
        if text and rng.random() < self.lowercase_first:
            text = text[0].lower() + text[1:]
        if text.endswith(".") and rng.random() < self.drop_final_period:
            text = text[:-1]
        return self.typos(text, rng, self.typo_rate)

    def garble(self, rng: random.Random) -> str:
        return pick(rng, self.garbled)

    def html(self, body: str, rng: random.Random) -> str:
        """The body as an HTML-only e-mail: paragraphs as <p>, line breaks as <br>."""
        paragraphs = [part.replace("\n", "<br>") for part in body.split("\n\n")]
        inner = "".join(f"<p>{part}</p>" for part in paragraphs)
        return pick(rng, self.html_wrappers).replace("{body}", inner)
