"""Language and writing (prefix `lang_`).

Language picks the rep and the reply template; careless writing is a grade-4
sign in the guides. Detection is cheap first: the script decides Chinese,
Arabic, Russian and other non-Latin languages; for Latin script, counts of
frequent function words decide when one language clearly leads. Only unclear
texts go to langdetect (seeded, so repeatable), and only their first 300
characters, because langdetect costs 4-7 ms a text. Thresholds and word lists
are in `keywords/language.yaml`.

>>> detect_language("Please quote 500 pcs of the mesh chair, FOB Shenzhen.")
('en', 'stopwords')
>>> detect_language("请问这款椅子的价格和交货期？需要500把。")
('zh', 'script')
>>> detect_language("Hola, necesitamos el precio de las sillas para nuestro hotel.")
('es', 'stopwords')
>>> detect_language("  ok ")
('und', 'empty')
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from features.base import SignalFamily, evidence_lists, load_keywords
from features.text import InquiryTexts, new_body_text
from features.tokens import Tokens

WRITING_SIGNALS = (
    "lang_chars",
    "lang_words",
    "lang_capital_share",
    "lang_exclamations",
    "lang_typo_share",
    "lang_empty",
)
EVIDENCE_NAMES = ("lang_code", "lang_method", "lang_typo_share")

# Script ranges: (code, pattern). Han and kana are told apart (Japanese uses both).
_SCRIPTS = (
    ("zh", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)
_NON_LATIN = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u0900-\u097f"
    r"\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
# Letters that say "not Russian" or "not Arabic": leave those to langdetect.
_AMBIGUOUS_SCRIPT_LETTERS = {"ru": re.compile(r"[іїєґўІЇЄҐЎ]"), "ar": re.compile(r"[پچژگٹڈڑںے]")}
# Links, addresses and codes ("CH200D+C", "500") say nothing about the language.
# The runs are possessive (`++`, `*+`): where a run cannot match, the engine gives
# up at once instead of retrying every shorter run (same matches, less work). A code
# is a run of [\w+-./] with a digit in it: letters up to the first digit, then the rest.
_NOISE = re.compile(
    r"(?<![^\s<(\[])(?:https?://|www\.)\S++|(?<![^\s<(\[])[^\s@<>()]++@[^\s<>()]++"
    r"|(?<![\w+\-./])[a-zA-Z_+\-./]*+\d[\w+\-./]*+",
    re.ASCII,
)
# Most inquiries hold no link or address: for them only the codes part of `_NOISE` can match.
_CODES = re.compile(r"(?<![\w+\-./])[a-zA-Z_+\-./]*+\d[\w+\-./]*+", re.ASCII)
# Patterns that open with a single character class let the engine skip to candidates
# (`x+` written `xx*`, alternatives folded behind one class): same matches, fewer tries.
_LATIN_WORD = re.compile(r"[^\W\d_][^\W\d_]*")  # [^\W\d_]+
_LANGDETECT_CODES = {"zh-cn": "zh", "zh-tw": "zh"}
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = b"abcdefghijklmnopqrstuvwxyz"

# Writing slips. Each pattern starts with a plain character where it can, so the
# engine jumps from candidate to candidate: "i" then a look back, not a look back everywhere.
_LOWER_I = re.compile(r"i(?<![\w'’]i)(?![\w'’])")
_LOWER_START = re.compile(r"(?:^|[.!?]\s+)([a-zà-ÿа-яё])", re.MULTILINE)
_DOUBLED = re.compile(r",,+|;;+|\?\?+|!!+|\.(?<!\.\.)\.(?!\.)|\s++[,;](?=\S)")
_RUN_TOGETHER = re.compile(r"[^\W\d_]{2}(?:[,;:!?]+|\.)[^\W\d_]{2}")
# Every run-together slip has a mark followed by a letter; most texts have none.
_MARK_THEN_LETTER = re.compile(r"[,;:!?.][^\W\d_]")


def without_noise(text: str) -> str:
    """The text with links, e-mail addresses and codes blanked out.

    >>> without_noise("Need 500 pcs of CH-200D, see www.buyer.com or mail ana@buyer.com")
    'Need   pcs of  , see   or mail  '
    """
    if "@" in text or "://" in text or "www." in text:
        return _NOISE.sub(" ", text)
    return _CODES.sub(" ", text)


def _count_letters(text: str) -> int:
    """`sum(map(str.isalpha, text))`; for ASCII text (most inquiries) counted on bytes at C speed."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data) - len(data.translate(None, _ASCII_LETTERS))
    return sum(map(str.isalpha, text))


def _count_cased(text: str) -> tuple[int, int]:
    """(upper-case, lower-case) letters, like `str.isupper` / `str.islower` per character."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data) - len(data.translate(None, _ASCII_UPPER)), len(data) - len(data.translate(None, _ASCII_LOWER))
    return sum(map(str.isupper, text)), sum(map(str.islower, text))


@lru_cache(maxsize=1)
def _settings() -> dict[str, Any]:
    """The language keyword file, with the stop words turned into a word -> languages index."""
    config = load_keywords("language")
    index: dict[str, set[str]] = {}
    for code, words in config["stopwords"].items():
        for word in words:
            index.setdefault(str(word).lower(), set()).add(code)
    marker_language = {char: code for code, letters in config["marker_letters"].items() for char in letters}
    return {
        "config": config,
        # A word shared by languages tells them apart no better than a space.
        "stopwords": {word: codes.pop() for word, codes in index.items() if len(codes) == 1},
        "marker_language": marker_language,
        "marker_pattern": re.compile("[" + re.escape("".join(marker_language)) + "]"),
    }


def detect_language(text: str) -> tuple[str, str]:
    """(ISO 639-1 code or "und", how it was decided: script | stopwords | langdetect | empty)."""
    return _detect(without_noise(text))


def _detect(cleaned: str) -> tuple[str, str]:
    """`detect_language` on a text already stripped of links, addresses and codes."""
    settings = _settings()
    config = settings["config"]
    letters = _count_letters(cleaned)
    counts = _script_counts(cleaned)
    if letters + 2 * counts.get("zh", 0) < int(config["min_letters"]):
        return "und", "empty"
    by_script = _script_language(cleaned, counts, letters, config)
    if by_script == "unclear":
        return langdetect_code(cleaned, int(config["langdetect_chars"])), "langdetect"
    if by_script:
        return by_script, "script"
    by_words = _stopword_language(cleaned[: int(config["stopword_chars"])], settings)
    if by_words:
        return by_words, "stopwords"
    # A web form's English labels around an Arabic or Chinese message: the script still decides.
    minority = _script_language(
        cleaned, counts, letters, config, share=float(config["minority_script_share"])
    )
    if minority and minority != "unclear":
        return minority, "script"
    return langdetect_code(cleaned, int(config["langdetect_chars"])), "langdetect"


def _script_counts(text: str) -> dict[str, int]:
    """Letters per non-Latin script; one regex pass finds them, Latin text costs nothing more."""
    counts: dict[str, int] = {}
    for char in _NON_LATIN.findall(text):
        code = _script_of(char)
        counts[code] = counts.get(code, 0) + 1
    return counts


@lru_cache(maxsize=8192)
def _script_of(char: str) -> str:
    for code, pattern in _SCRIPTS:
        if pattern.match(char):
            return code
    return "other"


def _script_language(
    text: str, counts: Mapping[str, int], letters: int, config: Mapping[str, Any], share: float | None = None
) -> str | None:
    """A language decided by script, None for Latin script, "unclear" for a script shared by several."""
    han, kana = counts.get("zh", 0), counts.get("ja", 0)
    if kana and kana + han >= float(config["han_share"]) * letters:
        return "ja"
    if han >= float(config["han_share"]) * letters:
        return "zh"
    if not counts:
        return None
    code, count = max(counts.items(), key=lambda item: item[1])
    if code == "other" or count < (share if share is not None else float(config["script_share"])) * letters:
        return None
    ambiguous = _AMBIGUOUS_SCRIPT_LETTERS.get(code)
    return "unclear" if ambiguous and ambiguous.search(text) else code


def _stopword_language(text: str, settings: Mapping[str, Any]) -> str | None:
    # Counted at C speed; a Counter keeps first-seen order, which breaks ties in the ranking below.
    hits: dict[str, float] = Counter(filter(None, map(settings["stopwords"].get, _LATIN_WORD.findall(text.lower()))))
    for char in settings["marker_pattern"].findall(text):
        code = settings["marker_language"][char]
        hits[code] = hits.get(code, 0.0) + 1.0
    if not hits:
        return None
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    best, best_hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    config = settings["config"]
    if best_hits >= float(config["min_hits"]) and best_hits >= float(config["margin"]) * runner_up:
        return best
    return None


@lru_cache(maxsize=1)
def _langdetect_factory():
    """langdetect's profiles, read once per process, seeded so every answer repeats."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.langlist, factory.word_lang_prob_map = _read_profiles(PROFILES_DIRECTORY)
    # langdetect samples n-grams at random: seed 0 on our own factory makes it
    # deterministic without touching the library-wide `DetectorFactory.seed`.
    factory.set_seed(0)
    return factory


def _read_profiles(directory: str) -> tuple[list[str], NgramProbabilities]:
    """The languages and n-gram table `DetectorFactory.load_profile` builds, in the same order.

    langdetect's own loader turns the ~1M n-grams of its 55 profiles into probability
    lists up front: 2 s of every scoring worker, for a detection that reads a few hundred
    of them. Here the profiles are read as they are and each n-gram's list is made the
    first time a detection asks for it, with the same numbers.
    """
    import json
    import os

    names = os.listdir(directory)
    languages, profiles = [], []
    for name in names:  # directory order and the count of every entry, as langdetect takes them
        path = os.path.join(directory, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            profile = json.load(handle)
        languages.append(profile["name"])
        profiles.append((profile["freq"], profile["n_words"]))
    return languages, NgramProbabilities(profiles, len(names))


class NgramProbabilities(dict):
    """n-gram -> probability in each language, filled in as detections ask (see `_read_profiles`)."""

    def __init__(self, profiles: list[tuple[dict[str, int], list[int]]], languages: int):
        super().__init__()
        self.profiles, self.languages = profiles, languages
        self.arrays: dict[str, np.ndarray] = {}

    def __contains__(self, ngram: object) -> bool:
        return dict.__contains__(self, ngram) or any(ngram in freq for freq, _ in self.profiles)

    def __missing__(self, ngram: str) -> list[float]:
        # langdetect's own `Detector` reads lists; ours reads `array`, and only it fills the table.
        if not any(ngram in freq for freq, _ in self.profiles):
            raise KeyError(ngram)
        probabilities = self[ngram] = self.array(ngram).tolist()
        return probabilities

    def array(self, ngram: str) -> np.ndarray:
        """An n-gram's probability in each language, as an array (what `ArrayDetector` multiplies).

        The scoring job keeps only these: 0.5 KB per n-gram, not the 1.8 KB of a list of
        floats, in a worker that may meet tens of thousands of n-grams over a night.
        """
        row = self.arrays.get(ngram)
        if row is None:
            row = np.zeros(self.languages)
            length = len(ngram)
            if 1 <= length <= 3:
                for index, (freq, n_words) in enumerate(self.profiles):
                    count = freq.get(ngram)
                    if count is not None:
                        row[index] = 1.0 * count / n_words[length - 1]
            self.arrays[ngram] = row
        return row


_LOOKUP_LIMIT = 200_000  # entries of each per-process lookup of the array detector (about 30 MB)


@lru_cache(maxsize=1)
def _array_detector() -> type:
    """langdetect's `Detector` with its inner loop on arrays (see `ArrayDetector`)."""
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException
    from langdetect.utils.ngram import NGram

    # Per process, filled as texts need them: a character's normal form, and whether an
    # n-gram is in any profile. Emptied when they reach `_LOOKUP_LIMIT` entries, so a night
    # of odd text (random strings, rare scripts) cannot grow a worker without bound.
    normal_chars: dict[str, str] = {}
    in_profiles: dict[str, bool] = {}

    class ArrayDetector(Detector):
        """langdetect's detection with the same steps and the same arithmetic, element by element,
        in about half the time (1.2 instead of 2.3 ms per text, measured on the texts the cheap
        detector leaves undecided): the 55 languages' probabilities are multiplied as one array,
        not one Python float at a time, and what only depends on a character or an n-gram is
        looked up once."""

        def _extract_ngrams(self) -> list[str]:
            # `Detector._extract_ngrams` with `NGram.add_char` written out.
            for lookup in (normal_chars, in_profiles):
                if len(lookup) > _LOOKUP_LIMIT:
                    lookup.clear()
            found = []
            probabilities = self.word_lang_prob_map
            grams = " "
            for char in self.text:
                normal = normal_chars.get(char)
                if normal is None:
                    normal = normal_chars[char] = NGram.normalize(char)
                last = grams[-1]
                if last == " ":
                    grams = " "
                    if normal == " ":
                        continue
                elif len(grams) >= NGram.N_GRAM:
                    grams = grams[1:]
                grams += normal
                if normal.isupper() and last.isupper():
                    continue  # a word in capitals (an acronym, a shouted line) says nothing of the language
                for size in range(1, min(len(grams), NGram.N_GRAM) + 1):
                    ngram = grams[-size:]
                    if ngram == " ":
                        continue
                    known = in_profiles.get(ngram)
                    if known is None:
                        known = in_profiles[ngram] = ngram in probabilities
                    if known:
                        found.append(ngram)
            return found

        def _detect_block(self) -> None:
            self.cleaning_text()
            ngrams = self._extract_ngrams()  # each one is in the profiles: it was kept only if so
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            probabilities = self.word_lang_prob_map
            langprob = np.zeros(len(self.langlist))
            self.random.seed(self.seed)
            choose = self.random.choice
            for _ in range(self.n_trial):
                prob = np.array(self._init_probability())
                alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
                weight = alpha / self.BASE_FREQ
                i = 0
                while True:
                    ngram = choose(ngrams)
                    prob *= weight + probabilities.array(ngram)
                    if i % 5 == 0:
                        # `_normalize_prob`, with Python's own sum as langdetect takes it.
                        prob /= sum(prob.tolist())
                        if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                            break
                    i += 1
                langprob += prob / self.n_trial
            self.langprob = langprob.tolist()

    return ArrayDetector


def langdetect_code(text: str, chars: int, trials: int | None = None) -> str:
    """langdetect's answer on the first `chars` characters; "und" when it has none.

    `trials` (default from language.yaml) is how many random walks langdetect
    averages: 3 instead of its 7 halves the cost and, measured on 259 inquiries,
    changed no answer.
    """
    from langdetect.lang_detect_exception import LangDetectException

    detector = _array_detector()(_langdetect_factory())
    detector.n_trial = int(trials if trials is not None else _settings()["config"]["langdetect_trials"])
    detector.append(text[:chars])
    try:
        code = detector.detect()
    except LangDetectException:
        return "und"
    return "und" if code == "unknown" else _LANGDETECT_CODES.get(code, code)


def typo_snippets(text: str, language: str) -> list[str]:
    """The writing slips a careful writer avoids: lower-case "i", lower-case sentence
    starts, doubled punctuation, words run together over punctuation.

    >>> typo_snippets("hi, i need price,,pls send.thanks", "en")
    ['i', 'h', ',,', 'ce,,pl', 'nd.th']
    >>> typo_snippets("Hi, I need the price. Please send it.", "en")
    []
    """
    return _slips(without_noise(text), language)


def _slips(cleaned: str, language: str) -> list[str]:
    # findall gives the whole match (or the one group of _LOWER_START), in order.
    slips = _LOWER_I.findall(cleaned) if language == "en" else []
    slips += _LOWER_START.findall(cleaned)
    slips += _DOUBLED.findall(cleaned)
    if _MARK_THEN_LETTER.search(cleaned):
        slips += _RUN_TOGETHER.findall(cleaned)
    return slips


class LanguageSignals(SignalFamily):
    """The inquiry's language (one-hot plus the code as evidence) and how it is written."""

    def _signal_names(self) -> list[str]:
        return [f"lang_is_{code}" for code in self._one_hot()] + ["lang_is_other", *WRITING_SIGNALS]

    def _evidence_names(self) -> list[str]:
        return list(EVIDENCE_NAMES)

    def _one_hot(self) -> tuple[str, ...]:
        return tuple(_settings()["config"]["one_hot"])

    def _build(self) -> None:
        self.one_hot_ = self._one_hot()

    def _extract(self, inquiries: pd.DataFrame, texts: InquiryTexts) -> tuple[np.ndarray, dict]:
        names = self._signal_names()
        rows = []
        evidence = evidence_lists(len(texts), EVIDENCE_NAMES)
        bodies = _column(inquiries, "body", len(texts))
        quoted = _column(inquiries, "quoted_reply_at", len(texts))
        other = len(self.one_hot_)
        for row, text in enumerate(texts):
            # `text` is the subject, a line break, then `body`: the body is cleaned once
            # and decides; the subject only helps when the body is too short.
            body = new_body_text(bodies[row], _offset(quoted[row]))
            cleaned_body = without_noise(body)
            subject = text[: len(text) - len(body)]
            cleaned = without_noise(subject) + cleaned_body if subject else cleaned_body
            code, method = _detect(cleaned_body)
            if method == "empty":
                code, method = _detect(cleaned)
            one_hot = [0.0] * (other + 1)
            if code != "und":
                one_hot[self.one_hot_.index(code) if code in self.one_hot_ else other] = 1.0
            slips = _slips(cleaned, code)
            rows.append(one_hot + _writing(texts.tokens(row), len(slips), body))
            evidence["lang_code"][row] = [code]
            evidence["lang_method"][row] = [method]
            evidence["lang_typo_share"][row] = slips[:10]
        return np.array(rows, dtype=np.float64).reshape(len(texts), len(names)), evidence


def _column(inquiries: pd.DataFrame, name: str, count: int) -> list[Any]:
    return inquiries[name].tolist() if name in inquiries else [None] * count


def _offset(value: object) -> int:
    return int(value) if value is not None and not pd.isna(value) else -1


def _writing(tokens: Tokens, slips: int, body: str) -> list[float]:
    """chars (log), words (log), capital share, exclamations, typo share, empty body."""
    text, words = tokens.text, tokens.word_count()
    upper, lower = _count_cased(text)
    cased = upper + lower
    return [
        math.log1p(len(text)),
        math.log1p(words),
        upper / cased if cased else 0.0,
        float(text.count("!") + text.count("！")),
        min(1.0, slips / words) if words else 0.0,
        float(not body.strip()),
    ]
