"""Specificity signals on hand-written inquiries, in several languages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from features.catalog import CatalogMatcher
from features.specificity import REQUIREMENT_AREAS, SIGNAL_NAMES, Specificity
from pipeline.profile import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "fixtures" / "catalog_small.csv")


def signals(*bodies: str, catalog: pd.DataFrame | None = CATALOG) -> tuple[pd.DataFrame, pd.DataFrame]:
    inquiries = pd.DataFrame({"body": list(bodies)})
    return Specificity(catalog=catalog).fit(inquiries).transform_with_evidence(inquiries)


def one(body: str) -> tuple[pd.Series, pd.Series]:
    values, evidence = signals(body)
    return values.iloc[0], evidence.iloc[0]


@pytest.mark.parametrize(
    "written",
    ["CH200D+C", "ch200d+c", "ch 200 d+c", "CH-200D+C", "Ch 200D + C"],
)
def test_model_codes_match_whatever_the_case_and_spacing(written):
    values, evidence = one(f"Please quote {written}, 300 units.")
    assert values["spec_products_named"] == 1
    assert values["spec_model_codes_named"] == 1
    assert evidence["spec_products_named"] == ["CH200D+C"]
    assert evidence["spec_categories"] == ["office chairs"]


@pytest.mark.parametrize("text", ["CH200D+C2 is a different item", "xCH-88 and CH-880", "each 88 pieces"])
def test_a_code_inside_a_longer_code_or_word_is_not_the_product(text):
    values, _ = one(text)
    assert values["spec_products_named"] == 0


def test_names_and_synonyms_match_singular_or_plural():
    values, evidence = one("We need stacking chairs for a conference room and some UFO lights.")
    assert evidence["spec_products_named"] == ["CH-88", "LED-HB150"]
    assert values["spec_model_codes_named"] == 0


def test_a_category_without_a_product_is_a_category_mention():
    values, evidence = one("Hello, we are interested in your chairs. Please send details.")
    assert values["spec_products_named"] == 0
    assert values["spec_category_named"] == 1
    assert evidence["spec_categories"] == ["office chairs"]


def test_a_phrase_shared_by_several_products_names_their_category_not_a_product():
    catalog = pd.DataFrame(
        {
            "sku": ["QZ-1", "QZ-2"],
            "name": ["Calacatta Quartz", "Pure White Quartz"],
            "category": ["quartz", "quartz"],
            "keywords": [["engineered stone"], ["engineered stone"]],
        }
    )
    values, evidence = signals("Price of engineered stone slabs?", catalog=catalog)
    assert values.loc[0, "spec_products_named"] == 0
    assert values.loc[0, "spec_category_named"] == 1
    assert evidence.loc[0, "spec_categories"] == ["quartz"]


@pytest.mark.parametrize(
    "text, quantity",
    [
        ("Need 5000 pcs mesh chair", "5000 pcs"),
        ("Order: 2 x 40HQ of panel lights", "2 x 40HQ"),
        ("about 300 sqm polished", "300 sqm"),
        ("necesitamos 1.000 unidades", "1.000 unidades"),
        ("Нужно 500 шт кресел", "500 шт"),
        ("我们需要5000件", "5000件"),
        ("Nous voulons 2 000 pièces", "2 000 pièces"),
        ("wir benötigen 200 Stück", "200 Stück"),
        ("نحتاج 300 قطعة", "300 قطعة"),
        ("Quantity: 800", "Quantity: 800"),
        ("please quote 300 visitor chairs", "300 visitor chairs"),
    ],
)
def test_quantities_with_units_in_many_languages(text, quantity):
    values, evidence = one(text)
    assert values["spec_quantity"] == 1
    assert evidence["spec_quantity"] == [quantity]


@pytest.mark.parametrize(
    "text, size",
    [
        ("tiles 600x600x20 mm", "600x600x20 mm"),
        ("a desk 120 cm wide", "120 cm"),
        ("slabs 3200 x 1600", "3200 x 1600"),
    ],
)
def test_a_dimension_is_a_size_and_not_a_quantity(text, size):
    values, evidence = one(text)
    assert values["spec_quantity"] == 0
    assert size in evidence["spec_dimensions"]


def test_model_code_digits_and_phone_numbers_are_not_quantities():
    values, _ = one("About LED-P600 and GC-450. Call +49 40 1234567 on 12.03.2025.")
    assert values["spec_quantity"] == 0


def test_a_detailed_rfq_covers_many_requirement_areas():
    body = (
        "Dear Ms. Chen,\nPlease quote 500 pcs CH200D+C in black mesh and 200 pcs CH310-B, FOB Shenzhen, "
        "delivery to Hamburg port. Packing: export carton, 1 x 40HQ. Payment T/T 30% deposit. "
        "Do you have BIFMA test reports? What is the lead time? Please send pictures and technical data. "
        "Our target price is USD 35 per piece. We also need 2 samples before the order."
    )
    values, evidence = one(body)
    assert values["spec_products_named"] == 2
    assert values["spec_requirement_areas"] == len(REQUIREMENT_AREAS) - 1  # every area but dimensions
    assert values["spec_questions"] == 2
    assert values["spec_all_products_request"] == 0
    assert "USD 35 per piece" in evidence["spec_target_price"]
    assert set(evidence["spec_requirement_areas"]) == set(REQUIREMENT_AREAS) - {"dimensions"}


@pytest.mark.parametrize(
    "text",
    [
        "Please send us your full price list and catalogue of all products.",
        "Envíen su catálogo y lista de precios por favor.",
        "Merci de nous envoyer votre catalogue.",
        "Пришлите прайс-лист на всю продукцию.",
        "请发产品目录和价格表。",
        "يرجى إرسال قائمة الأسعار",
        "Bitte senden Sie uns Ihre Preisliste.",
    ],
)
def test_send_all_products_requests_in_many_languages(text):
    values, _ = one(text)
    assert values["spec_all_products_request"] == 1
    assert values["spec_products_named"] == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("What is the MOQ. Can you ship in May. Price?", 3),
        ("¿Cuál es el precio? ¿Tienen stock?", 2),
        ("Quel est le délai ? Merci.", 1),
        ("Какая цена? Спасибо.", 1),
        ("请问价格多少？谢谢。", 1),
        ("هل لديكم شهادة؟ شكرا", 1),
        ("Price? Price? price?", 1),
        ("We need chairs. Thanks.", 0),
    ],
)
def test_distinct_questions_with_marks_or_interrogative_openings(text, expected):
    values, _ = one(text)
    assert values["spec_questions"] == expected


def test_terms_in_other_languages():
    values, evidence = one(
        "Condiciones de pago: carta de crédito. CIF Callao. Embalaje en palets. Plazo de entrega?"
    )
    assert values["spec_payment_terms"] >= 1
    assert evidence["spec_incoterms"] == ["CIF"]
    assert "Callao" in evidence["spec_ports"]
    assert values["spec_packaging"] >= 1


def test_upper_case_codes_do_not_fire_on_ordinary_words():
    values, _ = one("ce produit est disponible, ul. Polna 5, fob off")
    assert values["spec_certifications"] == 0


def test_delivery_spans_need_a_preposition():
    with_preposition, _ = one("Can you deliver within 30 days?")
    payment_days, _ = one("Payment 30 days after invoice.")
    assert with_preposition["spec_delivery_time"] == 1
    assert payment_days["spec_delivery_time"] == 0


def test_without_a_catalogue_only_products_are_missing():
    values, _ = signals("Need 500 pcs CH200D+C FOB Ningbo", catalog=None)
    assert values.loc[0, "spec_products_named"] == 0
    assert values.loc[0, "spec_quantity"] == 1
    assert values.loc[0, "spec_incoterms"] == 1


def test_with_catalog_switches_seller_and_keeps_columns():
    inquiries = pd.DataFrame({"body": ["Price for 300 sqm G654 granite slab?"]})
    chairs = Specificity(catalog=CATALOG).fit(inquiries)
    stone = pd.DataFrame(
        {"sku": ["GR-G654"], "name": ["G654 Granite Slab"], "category": ["granite"], "keywords": [["G654"]]}
    )
    switched = chairs.with_catalog(stone)
    assert chairs.transform_with_evidence(inquiries)[0].loc[0, "spec_products_named"] == 0
    values, evidence = switched.transform_with_evidence(inquiries)
    assert values.loc[0, "spec_products_named"] == 1
    assert evidence.loc[0, "spec_products_named"] == ["GR-G654"]
    assert list(switched.get_feature_names_out()) == list(SIGNAL_NAMES)


def test_catalog_keywords_may_come_as_the_csv_string():
    catalog = CATALOG.assign(keywords=CATALOG["keywords"].map(";".join))
    mention = CatalogMatcher(catalog).match("need ergonomic chairs")
    assert mention.skus == ("CH200D+C",)
