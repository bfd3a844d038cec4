"""The fast paths of the signal families give exactly what the plain definitions give.

Signal extraction runs on every inquiry of the nightly batch, so several
families compute a value the quick way (counting on bytes, skipping a regex
that cannot match, possessive patterns, one tree walk). Each test here states
the plain definition and checks the quick way against it, on hand-picked
edge cases and on generated text.
"""

from __future__ import annotations

import gc
import re

import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from features.base import load_keywords
from pipeline.collector import collection_paused
from features.contact import is_placeholder
from pipeline.normalise import phone_validity
from features.language import _count_cased, _count_letters, _slips, without_noise
from features.scam_markers import ScamMarkers
from features.scam_reading import latin_letters
from features.tokens import tokenize

# The plain patterns the language family used before its fast paths.
PLAIN_NOISE = re.compile(
    r"(?<![^\s<(\[])(?:https?://|www\.)\S+|(?<![^\s<(\[])[^\s@<>()]+@[^\s<>()]+"
    r"|(?<![\w+\-./])[\w+\-./]*\d[\w+\-./]*",
    re.ASCII,
)
PLAIN_LOWER_I = re.compile(r"(?<![\w'’])i(?![\w'’])")
PLAIN_LOWER_START = re.compile(r"(?:^|[.!?]\s+)([a-zà-ÿа-яё])", re.MULTILINE)
PLAIN_DOUBLED = re.compile(r",,+|;;+|\?\?+|!!+|(?<!\.)\.\.(?!\.)|\s+[,;](?=\S)")
PLAIN_RUN_TOGETHER = re.compile(r"[^\W\d_]{2}(?:[,;:!?]+|\.)[^\W\d_]{2}")

# Pieces that make the patterns' edge cases likely when glued together at random.
FRAGMENTS = [
    "i", "I", " ", "  ", "\n", "\t", ",", ",,", ";", ";;", ".", "..", "...", "?", "??", "!", "!!", ":",
    "'", "’", "ab", "Cd", "price", "pls", "x", "5", "500", "CH-200D+C", "2.5", "/", "-", "+", "_", "@",
    "ana@buyer.com", "www.", "www.buyer.com/a", "http://", "https://x.io/login?id=1", "<", "(", "[",
    "é", "Ñ", "ß", "İ", "中", "价格", "\u00a0", "\u3000",
]
fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


def plain_slips(cleaned: str, language: str) -> list[str]:
    slips = []
    if language == "en":
        slips.extend(m.group() for m in PLAIN_LOWER_I.finditer(cleaned))
    slips.extend(m.group(1) for m in PLAIN_LOWER_START.finditer(cleaned))
    slips.extend(m.group() for m in PLAIN_DOUBLED.finditer(cleaned))
    slips.extend(m.group() for m in PLAIN_RUN_TOGETHER.finditer(cleaned))
    return slips


# --- the collector pause ----------------------------------------------------------------------


def test_the_collector_resumes_after_a_batch_and_after_an_error():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with collection_paused():
            raise ValueError("a bad batch")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Need 500 pcs of CH-200D, see www.buyer.com or mail ana@buyer.com",
        "a1b2 c@d.e <x@y> (www.a.com) http://x 12.5kg +49-30/123 __1__ ab-- 1 ..1.. x@ @y",
        "mail: a@b@c.d 5x5 [https://x.io] www.x", "no digits, no links at all", "",
    ],
)
def test_noise_removal_matches_the_plain_pattern(text):
    assert without_noise(text) == PLAIN_NOISE.sub(" ", text)


@settings(max_examples=300, deadline=None)
@given(fragment_text)
def test_noise_removal_matches_the_plain_pattern_on_generated_text(text):
    assert without_noise(text) == PLAIN_NOISE.sub(" ", text)


@settings(max_examples=300, deadline=None)
@given(fragment_text, st.sampled_from(["en", "fr"]))
def test_writing_slips_match_the_plain_patterns(text, language):
    assert _slips(text, language) == plain_slips(text, language)


def test_writing_slips_on_known_cases():
    text = "hi, i need price,,pls send.thanks ;ok .. done... i'm fine ’i"
    # "i" alone; sentence starts h, d, i; ",," " ;" and a lone ".." but not "..."; two run-together words.
    expected = ["i", "h", "d", "i", ",,", " ;", "..", "ce,,pl", "nd.th"]
    assert _slips(text, "en") == plain_slips(text, "en") == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_letter_and_case_counts_match_the_per_character_definitions(text):
    assert _count_letters(text) == sum(map(str.isalpha, text))
    assert _count_cased(text) == (sum(map(str.isupper, text)), sum(map(str.islower, text)))


# --- scam markers -----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_latin_letters_count_only_a_to_z(text):
    capitals = sum("A" <= char <= "Z" for char in text)
    assert latin_letters(text) == (capitals + sum("a" <= char <= "z" for char in text), capitals)


CHAIRS = pd.DataFrame(
    {"sku": ["CH-88"], "name": ["Stackable Visitor Chair"], "category": ["office chairs"],
     "keywords": [["visitor chair"]], "unit": ["pcs"]}
)


def probe_rows(times: list[str]) -> pd.DataFrame:
    senders = ["a@mail-one.de", "b@mail-two.de", "c@mail-three.de", "d@mail-four.de"]
    return pd.DataFrame(
        {
            "body": ["Price of CH-88 visitor chair for 300 pcs?"] * len(times),
            "sender_email": senders[: len(times)],
            "country_code": ["DE"] * len(times),
            "received_at": times,
        }
    )


def test_competitor_probe_reads_typed_and_written_times_alike():
    written = probe_rows(
        ["2026-03-02T09:00:00+08:00", "2026-03-02T15:00:00+00:00", "2026-03-04T01:00:00+00:00"]
    )
    instants = pd.to_datetime(written["received_at"], utc=True).astype("datetime64[us, UTC]")
    typed = written.assign(received_at=instants)
    markers = ScamMarkers(catalog=CHAIRS).fit(written)
    written_values, written_evidence = markers.transform_with_evidence(written)
    typed_values, typed_evidence = markers.transform_with_evidence(typed)
    assert written_values["scam_competitor_probe"].tolist() == [1.0, 1.0, 1.0]
    assert typed_values.equals(written_values)
    probe = "scam_competitor_probe"
    assert typed_evidence[probe].tolist() == written_evidence[probe].tolist()


@pytest.mark.parametrize("gap, fires", [(pd.Timedelta(0), True), (pd.Timedelta(microseconds=1), False)])
def test_competitor_probe_window_includes_its_edge(gap, fires):
    hours = float(load_keywords("scam")["competitor_probe"]["window_hours"])
    first = pd.Timestamp("2026-03-02T00:00:00", tz="UTC")
    last = first + pd.Timedelta(hours=hours) + gap
    # The first ask sees three mailboxes only when the last one is at most the window away.
    rows = probe_rows(["", "", ""])
    rows["received_at"] = pd.Series([first, first + pd.Timedelta(hours=1), last], dtype="datetime64[us, UTC]")
    values, _ = ScamMarkers(catalog=CHAIRS).fit(rows).transform_with_evidence(rows)
    assert values.loc[0, "scam_competitor_probe"] == (1.0 if fires else 0.0)


# --- contact -------------------------------------------------------------------------------------


def plain_phone_validity(phone: str, region: str | None) -> bool:
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (
        region is None or phonenumbers.is_valid_number_for_region(number, region)
    )


@pytest.mark.parametrize(
    "phone, region",
    [
        ("+1 416 555 0123", "CA"), ("+1 416 555 0123", "US"), ("+1 212 555 0123", "US"),
        ("+1 212 555 0123", "CA"), ("+44 1624 123456", "GB"), ("+44 1624 123456", "IM"),
        ("+44 20 7946 0958", "GB"), ("+7 701 123 4567", "KZ"), ("+7 701 123 4567", "RU"),
        ("+7 495 123 45 67", "RU"), ("040 1234567", "DE"), ("+49 40 1234567", None),
        ("+33 1 23 45 67 89", "DE"), ("12345", "US"), ("call me", "DE"), ("+971 50 123 4567", "AE"),
        ("(415) 555-2671", "US"), ("+86 138 0013 8000", "CN"), ("+86 138 0013 8000", "HK"),
    ],
)
def test_phone_validity_matches_the_plain_definition(phone, region):
    assert phone_validity(phone, region) == plain_phone_validity(phone, region)


PLACEHOLDERS = frozenset({"n/a", "-", "none", "123"})


def plain_is_placeholder(value: object) -> bool:
    text = "" if value is None else str(value).strip()
    if not text or text.lower() in PLACEHOLDERS or not any(ch.isalnum() for ch in text):
        return True
    digits = re.sub(r"\D", "", text)
    if digits and len(digits) == len(re.sub(r"[\s+()\-./]", "", text)):
        return len(set(digits)) == 1 or digits in "12345678901234567890" or digits in "9876543210"
    return False


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["1", "2", "0", "9", "4", " ", "+", "(", ")", "-", ".", "/", "_", "n/a", "a",
                                 "Ñ", "٣", "²", "中", "none", "!"]), max_size=12).map("".join))
def test_placeholder_check_matches_the_plain_definition(text):
    assert is_placeholder(text, PLACEHOLDERS) == plain_is_placeholder(text)


# --- tokens ----------------------------------------------------------------------------------------


def plain_lower_tokens(text: str, words: list[str]) -> list[str]:
    """The lower-cased tokens: cut from the lower-cased text when that keeps the cut, else word by word."""
    lowered = text.lower()
    cut = tokenize(lowered).words if len(lowered) == len(text) else []
    return cut if len(cut) == len(words) else [word.lower() for word in words]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), fragment_text, st.text(alphabet="AbZ Σσς İi-+.,1_")))
def test_tokens_know_where_they_stand_and_how_they_lower_case(text):
    tokens = tokenize(text)
    assert [text[start:end] for start, end in zip(tokens.starts, tokens.ends)] == tokens.words
    assert tokens.lower == plain_lower_tokens(text, tokens.words)


# --- patterns written to open with one character class ------------------------------------------
# A pattern whose first element is a single class lets the engine skip to candidate characters;
# each fast form below must find exactly what its plain form finds.

number_text = st.text(alphabet="0123456789 .,\u00a0\u202fx-kAé中", max_size=40)
any_text = st.one_of(st.text(), fragment_text, number_text, st.text(alphabet="a1_²٣中 -.İ"))


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_fast_word_and_number_patterns_match_their_plain_forms(text):
    from features import language, scam_reading, specificity

    plain_and_fast = [
        (re.compile(specificity.NUMBER), specificity._NUMBER),
        (re.compile(r"\d+|[^\W\d_]+"), scam_reading.WORD),
        (re.compile(r"[^\W\d_]+"), language._LATIN_WORD),
    ]
    for plain, fast in plain_and_fast:
        for variant in (text, text.lower()):
            assert [m.span() for m in fast.finditer(variant)] == [m.span() for m in plain.finditer(variant)]


@settings(max_examples=400, deadline=None)
@given(st.one_of(any_text, st.text(alphabet="ab 1,.-_中\ufa6e\u4dbf!？")))
def test_the_word_count_read_off_the_tokens_is_the_plain_word_count(text):
    # The language family's word count: a Chinese character is a word, so is a run of other
    # letters and digits (tokens minus marks is that, without a second scan for words).
    from features.tokens import HAN

    assert tokenize(text).word_count() == len(re.findall(rf"[{HAN}]|[^\W{HAN}]+", text))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_tokens_are_the_plain_token_pattern_matches(text):
    from features.tokens import HAN

    plain = re.compile(rf"[{HAN}]|[^\W{HAN}]+|[^\w\s\-]")
    tokens = tokenize(text)
    assert tokens.words == plain.findall(text)
    assert list(zip(tokens.starts, tokens.ends)) == [m.span() for m in plain.finditer(text)]


def test_phrase_labels_come_out_in_list_order_in_every_process():
    # Scoring workers are separate processes: evidence order must not follow string hashing.
    import os
    import subprocess
    import sys

    script = (
        "from features.tokens import PhraseTrie, tokenize\n"
        "trie = PhraseTrie({label: ['office chair'] for label in 'zyxwvutsrq'})\n"
        "print(''.join(label for label, _, _ in trie.find(tokenize('an office chair'))))\n"
    )
    seen = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip()
        for seed in range(4)
    }
    assert seen == {"zyxwvutsrq"}


# --- the scam phrase index ----------------------------------------------------------------------

def plain_phrase_find(index, text: str) -> dict[str, list[tuple[int, str]]]:
    """Every list's phrases found word by word, from the word spans the plain pattern gives."""
    from features.scam_reading import WORD

    lowered = text.lower()
    source = text if len(lowered) == len(text) else lowered
    spans = [match.span() for match in WORD.finditer(lowered)]
    words = [lowered[start:end] for start, end in spans]
    found: dict[str, list[tuple[int, str]]] = {}
    free_from: dict[str, int] = {}
    for position in range(len(words)):
        for size in (3, 2, 1):
            for label, phrase_words in index.by_prefix.get(tuple(words[position : position + size]), []):
                end = position + len(phrase_words)
                if len(words[position : position + size]) < size or position < free_from.get(label, 0):
                    continue
                if tuple(words[position:end]) == phrase_words:
                    found.setdefault(label, []).append((spans[position][0], source[spans[position][0] : spans[end - 1][1]]))
                    free_from[label] = end
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["pay", "the", "Registration", "fee", "western", "union", "now", "20kg", "İ",
                                 "Σ", " ", "  ", ", ", "-", "\n", "the fee", "fee fee"]), max_size=30).map("".join))
def test_scam_phrase_index_finds_what_a_word_by_word_reading_finds(text):
    from features.scam_reading import PhraseIndex

    index = PhraseIndex({"fee": ["registration fee", "fee", "pay the registration fee now"],
                         "transfer": ["western union", "pay"], "three": ["the fee fee"]})
    found = {label: list(zip(matches.starts, matches.snippets)) for label, matches in index.find(text).items()}
    assert found == plain_phrase_find(index, text)
