"""Reply drafts: every template renders with missing fields; house style; fraud gets a checklist."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path

import jinja2
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.routing.drafts import DraftWriter, reply_template_names, template_environment
from pipeline.routing.questions import QuestionWords
from routing_cases import NOW, batch, inquiry

STRICT = template_environment(strict=True)
REPLY_TEMPLATES = reply_template_names(STRICT)
SUBJECT_TEMPLATES = sorted(
    name for name in STRICT.list_templates(extensions=["j2"]) if name.startswith("subject.")
)


def routed_row(**fields) -> dict:
    row = inquiry("q1", **fields)
    row.setdefault("assigned_to", "R1")
    row.setdefault("buyer_timezone", "Europe/Berlin")
    row.setdefault("reply_due_at", NOW + pd.Timedelta(hours=6))
    return row


@pytest.fixture(scope="module")
def writer(profile):
    return DraftWriter(profile, env=STRICT)


def test_templates_exist_for_every_grade_in_english_and_grades_1_to_3_in_spanish_and_french():
    for grade in (1, 2, 3, 4):
        assert f"grade{grade}.en.j2" in REPLY_TEMPLATES
    for language in ("es", "fr"):
        for grade in (1, 2, 3):
            assert f"grade{grade}.{language}.j2" in REPLY_TEMPLATES


@pytest.mark.parametrize("name", REPLY_TEMPLATES + SUBJECT_TEMPLATES + ["verification.en.j2"])
def test_every_template_renders_with_no_fields_at_all(name):
    text = STRICT.get_template(name).render()
    assert text.strip()
    assert "None" not in text


@pytest.mark.parametrize("name", REPLY_TEMPLATES)
def test_every_template_renders_with_partial_fields(name):
    partial = {
        "seller": {"name": "Everwin"},
        "buyer": {},
        "inquiry": {"received": {"day": 3}},  # incomplete date
        "products": [{"name": "Chair"}, {"sku": "X", "price_usd": 10.0}],
        "quote": {"valid_until": None},
        "rep": {"email": "a@b.c"},
        "questions": ["What is the MOQ?"],
    }
    text = STRICT.get_template(name).render(**partial)
    assert "None" not in text and "Undefined" not in text


@pytest.mark.parametrize("name", [name for name in REPLY_TEMPLATES if name.endswith(".en.j2")])
def test_english_templates_say_we_not_i(writer, name):
    context = writer.context(routed_row(grade=int(name[5]), body="What is the MOQ? Can you send photos?"))
    text = STRICT.get_template(name).render(**context)
    assert not re.search(r"\bI\b", text)


def test_draft_follows_the_house_style(writer):
    row = routed_row(
        grade=2, sender_name="Hans Weber", body="We need 500 pcs. What is the MOQ? Can you send photos?"
    )
    draft = writer.render(row)
    assert draft.subject == "Foshan Everwin Seating Co., Ltd. / quotation of Ergonomic Office Chair EW-100"
    assert draft.body.startswith("Dear Hans Weber,")
    assert "Thank you for your inquiry of 3 March 2025" in draft.body
    assert draft.body.count("Our answer: [answer]") == 2
    assert "MOQ: 200 pcs" in draft.body and "USD 38.50 per pcs" in draft.body
    assert "valid until 2 April 2025" in draft.body  # 30 days from the reply due on 3 March
    assert "We make and export chairs, desks and sofas." in draft.body
    assert draft.body.rstrip().endswith(
        "Anna Liu\nanna.liu@everwin-seating.com\nFoshan Everwin Seating Co., Ltd."
    )


def test_intro_comes_from_the_profile_when_given(profile):
    lines = [
        "Founded in 1998 in Foshan.",
        "Our 3 lines make 40,000 chairs a month.",
        "BIFMA and EN 1335 tested.",
    ]
    writer = DraftWriter(
        dataclasses.replace(profile, settings={**profile.settings, "intro": lines}), env=STRICT
    )
    body = writer.render(routed_row()).body
    for line in lines:
        assert f"- {line}" in body
    assert "We make and export" not in body


def test_polite_fallbacks_when_the_buyer_gives_no_name(writer):
    assert writer.render(routed_row(sender_name=None, company="Möbel Schmidt GmbH")).body.startswith(
        "Dear Möbel Schmidt GmbH team,"
    )
    assert writer.render(routed_row(sender_name="n/a", company="N/A")).body.startswith("Dear Sir or Madam,")


def test_language_and_buyer_type_pick_the_template(writer):
    assert writer.render(routed_row(grade=3, language="es")).template == "grade3.es.j2"
    spanish = writer.render(routed_row(grade=3, language="es", sender_name="Ana"))
    assert spanish.subject.endswith("cotización de Ergonomic Office Chair EW-100")
    assert spanish.body.startswith("Estimado/a Ana:")
    assert writer.render(routed_row(grade=2, language="fr")).body.startswith("Bonjour Hans Weber,")
    assert writer.render(routed_row(grade=2, language="de")).template == "grade2.en.j2"
    assert writer.render(routed_row(grade=2, buyer_type="oem")).template == "grade2.oem.en.j2"
    assert (
        writer.render(routed_row(grade=1, buyer_type="existing_customer")).template
        == "grade1.existing_customer.en.j2"
    )


def test_grade_4_asks_for_requirements_and_quotes_nothing(writer):
    draft = writer.render(routed_row(grade=4, product_skus=[], product_categories=[]))
    assert draft.subject.endswith("/ your inquiry")
    assert "could you please tell us" in draft.body and "company name" in draft.body
    assert "Our quotation" not in draft.body


def test_draft_renders_from_a_bare_row(profile):
    writer = DraftWriter(profile, env=STRICT)
    draft = writer.render({"inquiry_id": "bare", "grade": 3})
    assert draft.body.startswith("Dear Sir or Madam,")
    assert draft.subject == "Foshan Everwin Seating Co., Ltd. / your inquiry"


def test_written_drafts_are_unsent_emails_and_frauds_get_only_a_checklist(writer, tmp_path):
    frame = batch(
        routed_row(grade=1, sender_email="hans@moebel.de"),
        {
            **routed_row(
                grade=4,
                suspected_fraud=True,
                fraud_reasons=["asks to change bank details", "link to a login page"],
            ),
            "inquiry_id": "scam/1",
        },
    )
    paths = writer.write(frame, tmp_path)
    assert paths[0].endswith("drafts/q1.eml")
    message = BytesParser(policy=email_policy.default).parsebytes(
        (tmp_path / "drafts" / "q1.eml").read_bytes()
    )
    assert message["X-Unsent"] == "1"
    assert message["To"] == "hans@moebel.de"
    assert message["From"] == "Anna Liu <anna.liu@everwin-seating.com>"
    assert message["X-Review"].startswith("supervisor approval")
    assert "Dear Hans Weber," in message.get_content()
    assert paths[1].endswith("drafts/scam_1.verification.md")
    assert not list((tmp_path / "drafts").glob("scam*.eml"))
    checklist = (tmp_path / "drafts" / "scam_1.verification.md").read_text(encoding="utf-8")
    assert "asks to change bank details" in checklist
    assert "Confirm any change of bank details" in checklist and "Do not click links" in checklist


def test_strict_environment_catches_typos():
    env = template_environment(strict=True)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ buyer.nmae }}").render(buyer={})


def test_question_extraction_across_languages():
    words = QuestionWords.load()
    english = words.extract(
        "Hello.\n1. What is your MOQ\n2) Do you have CE certificate\nWe need 2 containers. What is your MOQ?"
    )
    assert english == ["What is your MOQ", "Do you have CE certificate"]
    assert words.extract("Bonjour, quel est le délai de livraison. Merci.", "fr") == [
        "quel est le délai de livraison."
    ]
    assert words.extract("Wie hoch ist der Preis für 300 Stück", "de") == [
        "Wie hoch ist der Preis für 300 Stück"
    ]
    assert words.extract("Was ist das?", "en") == ["Was ist das?"]  # the question mark is enough
    assert words.extract("Hi Lisa, what is the price for 300 sets?") == ["what is the price for 300 sets?"]
    many = " ".join(f"Question number {i}?" for i in range(30))
    assert len(words.extract(many)) == words.max_questions


DROPPABLE = [
    "sender_name",
    "sender_email",
    "company",
    "received_at",
    "language",
    "subject",
    "body",
    "product_skus",
    "product_categories",
    "assigned_to",
    "buyer_timezone",
    "reply_due_at",
    "fraud_reasons",
    "country_code",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dropped=st.sets(st.sampled_from(DROPPABLE)),
    grade=st.integers(1, 4),
    fraud=st.booleans(),
    language=st.sampled_from(["en", "es", "fr", "de", "zh-CN", "und", None]),
    buyer_type=st.sampled_from([None, "oem", "existing_customer", "Distributor"]),
)
def test_any_row_with_missing_fields_gets_a_draft_or_for_fraud_only_a_checklist(
    writer, dropped, grade, fraud, language, buyer_type
):
    row = routed_row(
        grade=4 if fraud else grade,
        suspected_fraud=fraud,
        language=language,
        buyer_type=buyer_type,
        fraud_reasons=["fee in advance"] if fraud else [],
    )
    for name in dropped:
        row.pop(name, None)
    with tempfile.TemporaryDirectory() as folder:
        [path] = writer.write(pd.DataFrame([row]), folder)
        files = sorted(p.name for p in (Path(folder) / "drafts").iterdir())
        content = Path(path).read_bytes()
    if fraud:
        assert files == ["q1.verification.md"]
        assert "No reply has been drafted" in content.decode("utf-8")
    else:
        assert files == ["q1.eml"]
        message = BytesParser(policy=email_policy.default).parsebytes(content)
        assert message["X-Unsent"] == "1"
        assert message["Subject"].startswith("Foshan Everwin Seating Co., Ltd. / ")
        assert message.get_content().strip()
