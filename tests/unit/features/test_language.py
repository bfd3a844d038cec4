"""Language detection (cheap path first) and writing signals."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from features.language import LanguageSignals, detect_language, typo_snippets

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "language_sample.jsonl"


def sample() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def language_signals(*texts: str, **columns) -> tuple[pd.DataFrame, pd.DataFrame]:
    inquiries = pd.DataFrame({"body": list(texts), **{k: [v] * len(texts) for k, v in columns.items()}})
    return LanguageSignals().fit(inquiries).transform_with_evidence(inquiries)


def test_the_cheap_path_is_right_on_the_hand_written_sample():
    rows = [row for row in sample() if len(row["text"]) > 20]
    detected = [detect_language(row["text"])[0] for row in rows]
    right = sum(code == row["language"] for code, row in zip(detected, rows))
    assert right / len(rows) >= 0.9


def test_most_of_the_sample_never_reaches_langdetect():
    methods = [detect_language(row["text"])[1] for row in sample()]
    assert methods.count("langdetect") / len(methods) <= 0.15


@pytest.mark.parametrize(
    "text, code, method",
    [
        ("请问这款椅子的价格和交货期？需要500把。", "zh", "script"),
        ("请问石材可以做1.8cm厚吗？", "zh", "script"),
        ("Здравствуйте, пришлите цену на кресла.", "ru", "script"),
        ("مرحبا، نرجو إرسال السعر", "ar", "script"),
        ("Please send the price of the mesh chairs for our office.", "en", "stopwords"),
        ("Bonjour, nous voulons le prix des chaises pour notre bureau.", "fr", "stopwords"),
        ("Wir benötigen ein Angebot für die Stühle, bitte.", "de", "stopwords"),
        ("Necesitamos el precio de las sillas para nuestro hotel.", "es", "stopwords"),
        ("Precisamos do preço das cadeiras para o nosso escritório, obrigado.", "pt", "stopwords"),
        ("Vorremmo ricevere il prezzo delle sedie per il nostro ufficio.", "it", "stopwords"),
    ],
)
def test_script_and_stop_words_decide_the_clear_cases(text, code, method):
    assert detect_language(text) == (code, method)


def test_chinese_with_latin_model_codes_is_still_chinese():
    assert detect_language("我们需要LED-P600面板灯2000个，CIF迪拜，请尽快报价。")[0] == "zh"


def test_ukrainian_letters_are_left_to_langdetect():
    code, method = detect_language("Доброго дня! Надішліть, будь ласка, ціни на офісні крісла та їх фото.")
    assert method == "langdetect"
    assert code == "uk"


@pytest.mark.parametrize(
    "text", ["", "   ", "Price?", "ok thx", "500 pcs CH200D+C", "www.example.com a@b.com"]
)
def test_short_or_empty_text_is_undetermined(text):
    assert detect_language(text) == ("und", "empty")


def test_detection_is_repeatable_through_langdetect():
    text = "pls quote best price led panel urgent CIF Lagos"
    assert {detect_language(text) for _ in range(5)} == {detect_language(text)}


def test_one_hot_and_language_code_evidence():
    values, evidence = language_signals("Nous voulons le prix des chaises pour notre bureau.", "ok")
    assert values.loc[0, "lang_is_fr"] == 1
    assert values.loc[0, [c for c in values.columns if c.startswith("lang_is_")]].sum() == 1
    assert evidence.loc[0, "lang_code"] == ["fr"]
    assert evidence.loc[1, "lang_code"] == ["und"]
    assert values.loc[1, [c for c in values.columns if c.startswith("lang_is_")]].sum() == 0


def test_a_language_outside_the_one_hot_is_other():
    values, evidence = language_signals(
        "Wij willen graag een offerte voor de stoelen, met vriendelijke groeten."
    )
    assert values.loc[0, "lang_is_other"] == 1
    assert evidence.loc[0, "lang_code"] != ["en"]


def test_writing_signals():
    values, _ = language_signals("URGENT!!! NEED PRICE NOW!!!", "Please send the price of the chairs.")
    shouting, careful = values.iloc[0], values.iloc[1]
    assert shouting["lang_capital_share"] == 1.0
    assert shouting["lang_exclamations"] == 6
    assert careful["lang_capital_share"] < 0.1
    assert careful["lang_exclamations"] == 0
    assert careful["lang_words"] > shouting["lang_words"]


def test_careless_writing_has_a_higher_typo_share_than_careful_writing():
    values, evidence = language_signals(
        "hi, i need price,,pls send.thanks i wait",
        "Hello, I need the price. Please send it. Thanks, I will wait.",
    )
    assert values.loc[0, "lang_typo_share"] > 0.2
    assert values.loc[1, "lang_typo_share"] == 0
    assert ",," in evidence.loc[0, "lang_typo_share"]


def test_lower_case_i_is_only_a_slip_in_english():
    assert typo_snippets("Ho i campioni.", "it") == []
    assert typo_snippets("Then i will order.", "en") == ["i"]


def test_empty_body_flag_looks_at_the_body_not_the_subject():
    inquiries = pd.DataFrame({"subject": ["Price list please", None], "body": ["  \n", "Hello there"]})
    values = LanguageSignals().fit(inquiries).transform_with_evidence(inquiries)[0]
    assert values["lang_empty"].tolist() == [1.0, 0.0]
    assert values.loc[0, "lang_chars"] > 0  # the subject still counts as text


def test_the_body_decides_over_an_english_platform_subject():
    inquiries = pd.DataFrame(
        {
            "subject": ["RFQ: PU Leather Racing gaming chair with footrest CH200D+C"] * 2,
            "body": ["السلام عليكم، نبحث عن مورد لهذا المنتج. أفضل سعر؟", "ok"],
        }
    )
    evidence = LanguageSignals().fit(inquiries).transform_with_evidence(inquiries)[1]
    assert evidence.loc[0, "lang_code"] == ["ar"]
    assert evidence.loc[1, "lang_code"] == ["en"]  # a two-letter body: the subject decides


def test_a_quoted_reply_does_not_decide_the_language():
    quoted = (
        "> Estimado cliente, gracias por su consulta. "
        "Le enviamos el precio de las sillas y el plazo de entrega. " * 3
    )
    body = "Please quote 500 chairs, thanks.\n" + quoted
    assert detect_language(body)[0] == "es"  # what the whole body would say
    inquiries = pd.DataFrame({"body": [body], "quoted_reply_at": [body.index(">")]})
    evidence = LanguageSignals().fit(inquiries).transform_with_evidence(inquiries)[1]
    assert evidence.loc[0, "lang_code"] == ["en"]


def test_profiles_read_on_demand_give_langdetects_own_numbers_and_answers():
    # The n-gram table is filled as detections ask for it instead of all at load; it must hold
    # what langdetect's own loader builds, and every detection must come out the same.
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    from features.language import _langdetect_factory, langdetect_code

    ours = _langdetect_factory()
    theirs = DetectorFactory()
    theirs.load_profile(PROFILES_DIRECTORY)
    theirs.set_seed(0)
    assert ours.langlist == theirs.langlist
    for ngram in ["a", "th", "the", "ing", "é", "ción", "при", "的", "ا", "zzqx", " a", "Ж"]:
        assert (ngram in ours.word_lang_prob_map) == (ngram in theirs.word_lang_prob_map)
        if ngram in theirs.word_lang_prob_map:
            # The array the array detector multiplies is made without filling the list cache.
            assert ours.word_lang_prob_map.array(ngram).tolist() == theirs.word_lang_prob_map[ngram]
            assert ours.word_lang_prob_map[ngram] == theirs.word_lang_prob_map[ngram]
    texts = [row["text"] for row in sample()]
    texts += ["Dobrý den, prosím o cenovou nabídku", "Привіт, потрібна ціна на крісла", "Merhaba, fiyat nedir?"]
    for text in texts:
        ours_detector, theirs_detector = ours.create(), theirs.create()
        for detector in (ours_detector, theirs_detector):
            detector.n_trial = 3
            detector.append(text[:400])
        assert [(found.lang, found.prob) for found in ours_detector.get_probabilities()] == [
            (found.lang, found.prob) for found in theirs_detector.get_probabilities()], text
    assert langdetect_code("Dobrý den, prosím o cenovou nabídku", 400) == "cs"


@pytest.fixture(scope="module")
def langdetect_own_factory():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def _probabilities(detector, text: str, trials: int) -> list[tuple[str, float]] | str:
    from langdetect.lang_detect_exception import LangDetectException

    detector.n_trial = trials
    detector.append(text)
    try:
        return [(found.lang, found.prob) for found in detector.get_probabilities()]
    except LangDetectException as error:
        return str(error)


MIXED_PIECES = ["Hello ", "PRICE ", "Guten Tag, ", "¿Precio? ", "Привіт ", "Ціна ", "价格 ", "こんにちは ", "مرحبا ",
                "Ab", "CD", "é", "ß", "ș", "ț", "İ", " ", "  ", "!", "5", "\u2019", "\u00a0", "Ωμέγα ", "안녕 "]


@settings(max_examples=120, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(MIXED_PIECES), min_size=1, max_size=30).map("".join), st.text(max_size=80)))
def test_the_array_detector_gives_langdetects_own_probabilities(langdetect_own_factory, text):
    # The array detector rewrites langdetect's inner loops; every step and every rounding must
    # stay langdetect's, so the probabilities are compared exactly, not approximately.
    from features.language import _array_detector, _langdetect_factory

    for trials in (3, 7):
        ours = _probabilities(_array_detector()(_langdetect_factory()), text, trials)
        assert ours == _probabilities(langdetect_own_factory.create(), text, trials)


def test_the_array_detector_matches_langdetect_on_the_hand_written_sample(langdetect_own_factory):
    from features.language import _array_detector, _langdetect_factory

    for row in sample():
        ours = _probabilities(_array_detector()(_langdetect_factory()), row["text"][:400], 3)
        assert ours == _probabilities(langdetect_own_factory.create(), row["text"][:400], 3), row["text"]


def test_the_array_detector_stays_right_when_its_lookups_are_emptied(langdetect_own_factory, monkeypatch):
    # The per-process lookups are emptied when they grow past a limit; answers must not change.
    from features import language
    from features.language import _array_detector, _langdetect_factory

    monkeypatch.setattr(language, "_LOOKUP_LIMIT", 5)
    for text in ("Guten Tag, wir brauchen 500 Stühle", "Bonjour, quel est le prix ?", "Привіт, ціна?"):
        ours = _probabilities(_array_detector()(_langdetect_factory()), text, 3)
        assert ours == _probabilities(langdetect_own_factory.create(), text, 3)
