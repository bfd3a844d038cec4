"""Contact completeness and credibility on hand-written inquiries."""

from __future__ import annotations

import pandas as pd
import pytest

from features.contact import ContactSignals, domain_resembles_company, is_placeholder
from pipeline.normalise import phone_validity


def signals(**columns) -> tuple[pd.Series, pd.Series]:
    inquiries = pd.DataFrame({name: [value] for name, value in columns.items()})
    values, evidence = ContactSignals().fit(inquiries).transform_with_evidence(inquiries)
    return values.iloc[0], evidence.iloc[0]


@pytest.mark.parametrize(
    "filler", ["n/a", "N/A", "-", "--", "none", "123456", "0000000", "1111111", "  ", "无", "нет"]
)
def test_placeholders_count_as_absent(filler):
    values, _ = signals(body="hi", phone=filler, company=filler, sender_name=filler)
    assert values["contact_has_phone"] == 0
    assert values["contact_has_company"] == 0
    assert values["contact_has_name"] == 0


def test_a_typed_filler_number_is_given_but_invalid():
    values, evidence = signals(body="hi", phone="123456", country_code="US")
    assert values["contact_phone_invalid"] == 1
    assert values["contact_phone_valid"] == 0
    assert evidence["contact_phone_invalid"] == ["123456 (US)"]


def test_a_placeholder_word_is_neither_valid_nor_invalid():
    values, _ = signals(body="hi", phone="n/a", country_code="US")
    assert values["contact_phone_valid"] == values["contact_phone_invalid"] == 0


@pytest.mark.parametrize(
    "phone, country_code, country, valid",
    [
        ("+49 40 1234567", "DE", None, 1),
        ("040 1234567", "DE", None, 1),
        ("040 1234567", None, "Germany", 1),  # the stated country name, when no code was normalised
        ("+49 40 1234567", "FR", None, 0),  # a German number for a French buyer
        ("+7 495 123-45-67", "RU", None, 1),
        ("12 34", "DE", None, 0),
    ],
)
def test_phone_is_valid_for_the_stated_country(phone, country_code, country, valid):
    values, _ = signals(body="hi", phone=phone, country_code=country_code, country=country)
    assert values["contact_phone_valid"] == valid
    assert values["contact_phone_invalid"] == 1 - valid


def test_a_local_number_without_a_country_is_not_judged():
    values, _ = signals(body="hi", phone="040 1234567")
    assert values["contact_has_phone"] == 1
    assert values["contact_phone_valid"] == values["contact_phone_invalid"] == 0


@pytest.mark.parametrize(
    "email, freemail",
    [
        ("bigbuyer@gmail.com", 1),
        ("x@yahoo.co.uk", 1),
        ("x@hotmail.fr", 1),
        ("x@mail.ru", 1),
        ("x@qq.com", 1),
        ("hans@weber-moebel.de", 0),
        ("buyer@mail.weber-moebel.de", 0),
    ],
)
def test_freemail_versus_corporate(email, freemail):
    values, _ = signals(body="hi", sender_email=email)
    assert values["contact_freemail"] == freemail
    assert values["contact_corporate_domain"] == 1 - freemail


def test_no_valid_email_is_neither_freemail_nor_corporate():
    values, _ = signals(body="hi", sender_email="not an address")
    assert values["contact_has_email"] == 0
    assert values["contact_freemail"] == values["contact_corporate_domain"] == 0


@pytest.mark.parametrize(
    "email, company, matches",
    [
        ("hans@weber-moebel.de", "Weber Möbel GmbH", 1),
        ("info@abct.ae", "Al Bahar Construction Trading Co.", 1),
        ("purchase@fosterbuild.co.uk", "Foster Building Supplies Ltd", 1),
        ("anna@globalsourcing.com", "Weber Möbel GmbH", 0),
        ("anna@gmail.com", "Gmail Trading", 0),  # a free-mail box never matches a company
    ],
)
def test_sender_domain_against_company_name(email, company, matches):
    values, _ = signals(body="hi", sender_email=email, company=company)
    assert values["contact_domain_matches_company"] == matches


def test_sender_domain_against_website_uses_the_registered_domain():
    same, _ = signals(body="hi", sender_email="a@mail.weber.co.uk", website="https://www.weber.co.uk/about")
    other, _ = signals(body="hi", sender_email="a@weber-trade.com", website="www.weber.co.uk")
    assert same["contact_domain_matches_website"] == 1
    assert other["contact_domain_matches_website"] == 0


@pytest.mark.parametrize(
    "opening",
    [
        "Dear Ms. Chen,",
        "Hi Lily,",
        "Hello Mr Wang",
        "Estimado Sr. García:",
        "Bonjour Madame Dupont,",
        "Sehr geehrte Frau Müller,",
        "Уважаемый Иван,",
        "عزيزي السيد أحمد،",
        "王经理您好，",
        "Ms. Chen,",
    ],
)
def test_named_salutations(opening):
    values, evidence = signals(body=f"{opening}\nPlease quote 300 pcs.")
    assert values["contact_named_salutation"] == 1
    assert values["contact_generic_salutation"] == 0
    assert evidence["contact_named_salutation"]


@pytest.mark.parametrize(
    "opening",
    [
        "Dear Sir/Madam,",
        "Dear Sir or Madam,",
        "Dear supplier,",
        "To whom it may concern,",
        "Hello,",
        "Dear Purchasing Manager,",
        "Estimados señores:",
        "Madame, Monsieur,",
        "Sehr geehrte Damen und Herren,",
        "Уважаемые господа,",
        "السادة المحترمين،",
        "尊敬的先生/女士：",
    ],
)
def test_generic_salutations(opening):
    values, _ = signals(body=f"{opening}\nPlease send your price list.")
    assert values["contact_generic_salutation"] == 1
    assert values["contact_named_salutation"] == 0


def test_no_greeting_is_neither_named_nor_generic():
    values, _ = signals(body="Need price for 500 pcs.")
    assert values["contact_named_salutation"] == values["contact_generic_salutation"] == 0


def test_signature_block_with_name_title_company_phone():
    body = (
        "Hello Lily,\nplease quote 500 chairs.\n\nBest regards,\nCarlos Ruiz\nGerente de Compras\n"
        "Muebles Ruiz S.A.\nTel: +34 912 345 678"
    )
    values, evidence = signals(body=body, sender_name="Carlos Ruiz")
    assert values["contact_signature"] == 1
    assert evidence["contact_signature"] == [
        "Carlos Ruiz",
        "Gerente de Compras",
        "Muebles Ruiz S.A.",
        "Tel: +34 912 345 678",
    ]


def test_a_name_alone_after_regards_is_not_a_signature_block():
    values, _ = signals(body="Please quote.\nBest regards,\nJohn", sender_name="John")
    assert values["contact_signature"] == 0


def test_a_phone_number_in_the_body_is_not_a_signature():
    values, _ = signals(body="Call me on +1 212 555 0199 about 500 pcs. Thanks")
    assert values["contact_signature"] == 0


def test_completeness_is_the_share_of_the_nine_fields():
    values, _ = signals(
        body="hi",
        sender_name="Ana Silva",
        company="Silva Lda",
        sender_title="Buyer",
        sender_email="ana@silva.pt",
        phone="+351 21 123 4567",
        fax="n/a",
        address="Rua Augusta 10, Lisboa",
        website="silva.pt",
        messenger="-",
    )
    assert values["contact_completeness"] == pytest.approx(7 / 9)


def test_helpers_on_their_own():
    assert is_placeholder("N/A", frozenset({"n/a"}))
    assert not is_placeholder("+49 40 1234567", frozenset())
    assert phone_validity("+49 40 1234567", None)
    assert not phone_validity("+49 40", "DE")
    assert domain_resembles_company("weber-moebel", "Weber Möbel GmbH", frozenset({"gmbh"}))
    assert not domain_resembles_company("ab", "AB Company", frozenset())


def test_phone_signals_are_the_same_with_or_without_the_validated_check(tmp_path):
    # Scoring reads inquiries that validation already checked (`phone_valid`); a frame built
    # by hand has no such column. Both must give the same signals.
    import json

    from pipeline.validate import read_inquiries

    rows = [
        {"phone": "030 1234 5678", "country": "Germany"},
        {"phone": "+49 40 1234567", "country": "France"},
        {"phone": "12345", "country": "United States"},
        {"phone": "0912 345 678", "country": ""},
        {"phone": "+44 20 7946 0958", "country": "Narnia"},
        {"phone": "123456", "country": "Spain"},
        {"phone": "call me", "country": "Spain"},
    ]
    path = tmp_path / "inquiries.jsonl"
    path.write_text("".join(
        json.dumps({"inquiry_id": f"q{i}", "received_at": "2026-03-02T09:00:00+01:00", "channel": "email",
                    "sender_email": "ana@buyer.es", "body": "Price for 500 chairs?", **row}) + "\n"
        for i, row in enumerate(rows)), encoding="utf-8")
    validated = read_inquiries(path)
    # Valid for Germany but sent from France: not valid for the buyer's country.
    assert validated["phone_valid"].tolist() == [True, False, False, False, True, False, False]
    family = ContactSignals().fit(validated)
    with_check = family.transform_with_evidence(validated)
    without_check = family.transform_with_evidence(validated.drop(columns="phone_valid"))
    for checked, unchecked in zip(with_check, without_check):  # values, then evidence
        pd.testing.assert_frame_equal(checked, unchecked)
