"""Scam markers: each fires on a hand-written scam (English and another language)
and stays silent on the legitimate message that looks most like it."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from features.scam_markers import SIGNAL_NAMES, ScamMarkers
from features.scam_reading import parse_number, registered_domain
from pipeline.profile import load_catalog

CATALOG_CSV = Path(__file__).resolve().parents[2] / "fixtures" / "catalog_small.csv"


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return load_catalog(CATALOG_CSV)


@pytest.fixture(scope="module")
def stone_catalog() -> pd.DataFrame:
    """A seller of tiles by the square metre and kerbs by the metre, to check units per catalogue."""
    return pd.DataFrame(
        {
            "sku": ["TL-600", "GR-BLK", "KB-100"],
            "name": ["Porcelain Floor Tile 600x600", "Granite Block", "Granite Kerb 100x25"],
            "category": ["tiles", "granite", "kerbs"],
            "keywords": [["floor tile", "PT-600"], ["raw granite block"], ["granite kerb", "bordillo de granito"]],
            "unit": ["sqm", "tons", "m"],
            "moq": [500, 20, 200],
            "price_usd": [7.5, 300.0, 18.0],
        }
    )


def markers_for(rows: list[dict], catalog: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame(rows)
    return ScamMarkers(catalog=catalog).fit(frame).transform_with_evidence(frame)


# (marker, inquiry fields, expected 0/1)
CASES = [
    # login link: lure wording next to a link that is neither the sender's nor a marketplace's
    ("scam_login_link", {"body": "You have received a new inquiry from a buyer. Please log in to view the inquiry: "
                         "https://alibaba-secure-login.com/view?id=88", "sender_email": "trade.alibaba@gmail.com"}, 1),
    ("scam_login_link", {"body": "Tiene una nueva consulta de comprador. Inicie sesión para ver la consulta: "
                         "http://made-in-china.verify-account.net/login"}, 1),
    ("scam_login_link", {"body": "У вас новый запрос. Войдите, чтобы просмотреть запрос: http://b2b-inquiry-center.ru/in"}, 1),
    ("scam_login_link", {"body": "Please log in to our supplier portal https://suppliers.bauhaus-trading.de and upload "
                         "your ISO certificates.", "sender_email": "anna.k@bauhaus-trading.de"}, 0),
    ("scam_login_link", {"body": "I logged into our supplier portal yesterday. Please quote 500 pcs CH-88, FOB Ningbo."}, 0),
    ("scam_login_link", {"body": "Log in to view the message: https://message.alibaba.com/msg/detail/123"}, 0),
    ("scam_login_link", {"body": "Please submit your quotation through our supplier portal at "
                         "https://suppliers.pacificoffice.com.ng/login with the invitation code.",
                         "sender_email": "musa@yginteriors.com.ng", "company": "Pacific Office Trading"}, 0),
    ("scam_login_link", {"body": "To view the full inquiry please log in: https://alibaba.trade-message.info/view?id=88",
                         "sender_email": "no-reply@alibaba.trade-message.info"}, 1),
    ("scam_login_link", {"body": "Please find our RFQ shared on our document portal. Open document: "
                         "http://dropbox-secure-docs.info/s/7732 (enter your email credentials)",
                         "sender_email": "share@dropbox-secure-docs.info"}, 1),
    # URL shorteners
    ("scam_url_shortener", {"body": "Our order list: https://bit.ly/3xYzQ"}, 1),
    ("scam_url_shortener", {"body": "Veja o pedido em http://tinyurl.com/pedido2291"}, 1),
    ("scam_url_shortener", {"body": "See our shop www.bitlyfurniture.com/catalog for the style."}, 0),
    # dangerous attachments
    ("scam_dangerous_attachment", {"body": "Order attached, confirm.", "attachments": ["PO_4471.pdf.exe"]}, 1),
    ("scam_dangerous_attachment", {"body": "Please check.", "attachments": ["Invoice_March.zip"]}, 1),
    ("scam_dangerous_attachment", {"body": "Siehe Anhang.", "attachments": ["Bestellung 2291.rar"]}, 1),
    ("scam_dangerous_attachment", {"body": "View the order", "attachments": ["Purchase_Order.html"]}, 1),
    ("scam_dangerous_attachment", {"body": "Файл в архиве, пароль: 5521", "attachments": ["документы.zip"]}, 1),
    ("scam_dangerous_attachment", {"body": "Our PO and specification attached.", "attachments": ["PO-4471.pdf", "specs.xlsx"]}, 0),
    ("scam_dangerous_attachment", {"body": "Drawings for the lobby attached.", "attachments": ["lobby_drawings_rev3.zip"]}, 0),
    # invitation letter / visa
    ("scam_invitation_visa", {"body": "We need an invitation letter to apply for a business visa to visit your factory."}, 1),
    ("scam_invitation_visa", {"body": "Pourriez-vous nous envoyer une lettre d'invitation pour le visa ?"}, 1),
    ("scam_invitation_visa", {"body": "نحتاج رسالة دعوة للحصول على التأشيرة"}, 1),
    ("scam_invitation_visa", {"body": "We will visit the Canton Fair in October, please send your catalogue."}, 0),
    ("scam_invitation_visa", {"body": "Payment by Visa card is fine for the sample cost."}, 0),
    # urgency plus a demand to travel
    ("scam_urgent_travel", {"body": "This is very urgent: you must fly to Lagos this week to sign the contract in person "
                            "or we lose the deal."}, 1),
    ("scam_urgent_travel", {"body": "Es ist dringend: Sie müssen sofort zu uns kommen, um den Vertrag persönlich zu unterschreiben."}, 1),
    ("scam_urgent_travel", {"body": "Urgent: please quote 500 pcs CH-88 today."}, 0),
    ("scam_urgent_travel", {"body": "We would be glad to meet in person when you visit Germany next spring."}, 0),
    # very large order with no product knowledge
    ("scam_huge_order_no_knowledge", {"body": "We want to order 200 containers of your products. Send proforma invoice."}, 1),
    ("scam_huge_order_no_knowledge", {"body": "Queremos comprar sus productos por un valor de USD 4.500.000, envíe la proforma."}, 1),
    ("scam_huge_order_no_knowledge", {"body": "我们需要200个柜的产品,请马上报价"}, 1),
    ("scam_huge_order_no_knowledge", {"body": "Please quote 40 containers of CH-88, cartons 60x60x75 cm, FOB Ningbo."}, 0),
    ("scam_huge_order_no_knowledge", {"body": "Please quote 2 x 40HQ of visitor chairs."}, 0),
    ("scam_huge_order_no_knowledge", {"body": "We want to order 120000 of your products. Price is not a problem."}, 1),
    ("scam_huge_order_no_knowledge", {"body": "We are ready to buy all your stock, send the invoice."}, 1),
    ("scam_huge_order_no_knowledge", {"body": "Loading quantity per 20GP and 40HQ? We plan a tender for visitor chairs."}, 0),
    ("scam_huge_order_no_knowledge", {"body": "We need 50 pcs of visitor chairs, any model is fine if the quality is good."}, 0),
    # an order number, a phone number, a container size: none is a quantity
    ("scam_huge_order_no_knowledge", {"subject": "RE: Order PO-953323", "body": "Good day,\nplease confirm the ETD."}, 0),
    ("scam_huge_order_no_knowledge", {"body": "Please let me know the status of order 915690\nTony"}, 0),
    ("scam_huge_order_no_knowledge", {"body": "We store and distribute your goods.\nWhatsApp +12015561649 US"}, 0),
    ("scam_huge_order_no_knowledge", {"body": "每个月可以走两个40尺高柜。"}, 0),
    ("scam_huge_order_no_knowledge", {"body": "We need 200000 good quality items, price is not a problem."}, 1),
    # absurd units
    ("scam_absurd_units", {"body": "What is your price per kilo for office chairs?"}, 1),
    ("scam_absurd_units", {"body": "¿Precio por kilo de las sillas CH-88?"}, 1),
    ("scam_absurd_units", {"body": "CH-88 多少钱一斤?"}, 1),
    ("scam_absurd_units", {"body": "Chair CH-88, net weight 6.5 kg? Price per piece for 300 pcs?"}, 0),
    ("scam_absurd_units", {"body": "Courier cost per kg for 2 sample chairs CH-88?"}, 0),
    ("scam_absurd_units", {"body": "What is the price of one litre of mesh chair CH200D+C?"}, 1),
    ("scam_absurd_units", {"body": "We need 300 barrels of gaming chair GC-450, send proforma."}, 1),
    # free samples of everything
    ("scam_free_samples", {"body": "Please send free samples of all your products by DHL."}, 1),
    ("scam_free_samples", {"body": "Envíen muestras gratis de todos sus productos por courier."}, 1),
    ("scam_free_samples", {"body": "Please quote 500 pcs CH-88, FOB Ningbo, T/T 30/70. We need 2 samples before mass "
                           "production; we pay the sample cost and the courier."}, 0),
    ("scam_free_samples", {"body": "Could you send a free sample of the mesh chair?"}, 0),
    ("scam_free_samples", {"body": "Please send us 10 different samples, free of charge."}, 1),
    ("scam_free_samples", {"body": "Nuestra empresa necesita muestras de todos los modelos. Ustedes pagan el envío."}, 1),
    ("scam_free_samples", {"body": "Please send samples of all 3 colours of CH-88 by DHL, our DHL account is 9981."}, 0),
    # advance fees
    ("scam_advance_fee", {"body": "To complete vendor registration, pay the registration fee of USD 250."}, 1),
    ("scam_advance_fee", {"body": "Bitte überweisen Sie die Eintragungsgebühr für 2026."}, 1),
    ("scam_advance_fee", {"body": "有公司申请注册贵公司的域名,请尽快确认"}, 1),
    ("scam_advance_fee", {"body": "Bank charges on your side; please quote FOB for 300 pcs."}, 0),
    ("scam_advance_fee", {"body": "Your company is invited to join our buyers' matchmaking event. Registration fee is USD 399."}, 0),
    ("scam_advance_fee", {"body": "Debe abonar USD 480 por las bases de la licitación mediante Western Union."}, 1),
    # bank-detail change
    ("scam_bank_change", {"body": "Please note our bank account has changed; send payment to our new bank account below."}, 1),
    ("scam_bank_change", {"body": "Veuillez noter nos nouvelles coordonnées bancaires pour le paiement."}, 1),
    ("scam_bank_change", {"body": "Please send your bank details for the 30% deposit."}, 0),
    ("scam_bank_change", {"body": "Our bank is under review, please do not use the old account any more."}, 1),
    # business proposals
    ("scam_business_proposal", {"body": "I have a confidential business proposal of mutual benefit for you."}, 1),
    ("scam_business_proposal", {"body": "Tenho uma proposta de negócio confidencial para você."}, 1),
    ("scam_business_proposal", {"body": "We are looking for a long-term partnership; quote 500 pcs CH-88."}, 0),
    # competitor cues in one message
    ("scam_competitor_probe", {"body": "Please send a cost breakdown of your CH-88 chair."}, 1),
    ("scam_competitor_probe", {"body": "我们也是工厂,想了解你们CH-88的成本明细"}, 1),
    ("scam_competitor_probe", {"body": "Please send the price of CH-88 for 300 pcs."}, 0),
    # not a buyer
    ("scam_not_a_buyer", {"body": "We offer SEO services to bring your website to the first page of Google."}, 1),
    ("scam_not_a_buyer", {"body": "Мы транспортная компания, предлагаем доставку из Китая."}, 1),
    ("scam_not_a_buyer", {"body": "Sehr geehrte Damen und Herren, anbei meine Bewerbung als Vertriebsmitarbeiter."}, 1),
    ("scam_not_a_buyer", {"body": "Our freight forwarder will collect in Ningbo. We met at your booth at the Canton Fair."}, 0),
]


@pytest.mark.parametrize(("marker", "fields", "expected"), CASES)
def test_marker_fires_only_on_the_scam(catalog, marker, fields, expected):
    values, evidence = markers_for([fields], catalog)
    assert values.loc[0, marker] == expected, evidence.loc[0, marker]
    if expected:
        assert evidence.loc[0, marker], "a marker that fires must show its evidence"
    else:
        assert evidence.loc[0, marker] == []


def test_a_legit_rfq_trips_no_marker(catalog):
    body = (
        "Dear Ms. Chen,\nPlease quote 500 pcs CH-88 and 200 pcs CH200D+C, FOB Ningbo, T/T 30/70. "
        "Can you send 2 samples before mass production? We pay the courier.\nBest regards,\nAnna Keller"
    )
    values, _ = markers_for([{"body": body, "sender_email": "anna@keller-office.de", "attachments": ["RFQ-2291.pdf"]}], catalog)
    assert values.loc[0].sum() == 0


def test_a_unit_inside_a_product_name_is_not_a_unit_of_sale():
    catalog = pd.DataFrame({"sku": ["EC-220"], "name": ["Heavy duty big and tall executive chair"],
                            "category": ["office chairs"], "keywords": [["400 lbs chair"]], "unit": ["pcs"]})
    values, _ = markers_for([{"body": "Kindly quote 25 pcs 400 lbs chair in beige, FOB Guangzhou."},
                             {"body": "Kindly quote 25 pcs 400lbs chair in beige."}], catalog)
    assert values["scam_absurd_units"].tolist() == [0.0, 0.0]


def test_a_catalogue_size_names_the_product_even_when_the_rest_of_the_name_is_misspelt():
    catalog = pd.DataFrame({"sku": ["WV-25"], "name": ["PP woven bag 25 kg with PE liner"],
                            "category": ["woven bags"], "keywords": [["woven bag"]], "unit": ["pcs"]})
    values, _ = markers_for([{"body": "We are sourcing pp woven bag 25 kg wtih pe liner, 20000 pcs."},
                             {"body": "Re: 25kg woven bag price"},
                             {"body": "We need 5 tons of woven bag, price per kg?"}], catalog)
    # "25 kg" is how the catalogue sizes the bag; "5 tons" of bags sold by the piece is not.
    assert values["scam_absurd_units"].tolist() == [0.0, 0.0, 1.0]


def test_free_samples_by_courier_alone_is_a_half_strength_sign(catalog):
    values, evidence = markers_for([{"body": "We need samples of all your items. Send by DHL courier to our address."}],
                                   catalog)
    assert values.loc[0, "scam_free_samples"] == 0.5
    assert "DHL" in " ".join(evidence.loc[0, "scam_free_samples"])


def test_competitor_probe_takes_the_region_from_the_sender_domain_when_no_country_is_given(catalog):
    rows = [{"body": "pls quote CH-88 300 pcs", "sender_email": f"buyer{n}@mail{n}.com.tr",
             "received_at": f"2026-03-0{n + 1}T09:00:00+00:00"} for n in range(3)]
    values, evidence = markers_for(rows, catalog)
    assert values["scam_competitor_probe"].tolist() == [1.0, 1.0, 1.0]
    assert "from TR" in evidence.loc[0, "scam_competitor_probe"][0]


def test_absurd_units_follow_the_catalogue_unit(stone_catalog):
    rows = [
        {"body": "Price per sqm of floor tile PT-600, 600 sqm?"},
        {"body": "Price per liter of floor tile PT-600?"},
        {"body": "How much per ton for raw granite block?"},
    ]
    values, _ = markers_for(rows, stone_catalog)
    assert values["scam_absurd_units"].tolist() == [0.0, 1.0, 0.0]


def test_ml_is_read_as_a_linear_metre_too(stone_catalog):
    # French, Spanish and Italian buyers price kerbs "au ml" / "por ml": metres, not millilitres.
    rows = [
        {"body": "Notre prix cible pour le granite kerb est de 16 USD/ml, 800 ml."},
        {"body": "Necesitamos 1.200 ml de bordillo de granito, precio por ml?"},
        {"body": "Price per liter of granite kerb?"},
        {"body": "Price per square metre of granite kerb?"},
    ]
    values, _ = markers_for(rows, stone_catalog)
    assert values["scam_absurd_units"].tolist() == [0.0, 0.0, 1.0, 1.0]


def test_a_length_followed_by_a_number_is_not_square_metres(stone_catalog):
    rows = [
        {"body": "pls quote granite kerb 18 USD/m 2,500 m"},
        {"body": "pls quote granite kerb 18 USD/m2"},
    ]
    values, evidence = markers_for(rows, stone_catalog)
    assert values["scam_absurd_units"].tolist() == [0.0, 1.0]
    assert "USD/m2" in evidence.loc[1, "scam_absurd_units"][0]


def test_template_polish_is_a_graded_score(catalog):
    rows = [
        {"subject": "PURCHASE ORDER CONFIRMATION", "body": "We are pleased to inform you that your esteemed company "
         "has been selected. Kindly find attached our purchase order."},
        {"body": "Nos complace informarle que su estimada empresa fue seleccionada."},
        {"body": "hi, price for ch-88? 300pcs. thx"},
    ]
    values, evidence = markers_for(rows, catalog)
    scores = values["scam_template_polish"].tolist()
    assert scores[0] == 1.0 and 0.5 <= scores[1] < 1.0 and scores[2] == 0.0
    assert any("all-caps subject" in snippet for snippet in evidence.loc[0, "scam_template_polish"])


def test_competitor_probe_needs_three_mailboxes_same_product_same_country_within_72_hours(catalog):
    def ask(sender, when, country="DE", prior_orders=0):
        return {"body": "Price of CH-88 visitor chair for 300 pcs?", "sender_email": sender, "country_code": country,
                "received_at": when, "prior_orders": prior_orders}

    rows = [
        ask("a@mail-one.de", "2026-03-02T09:00:00+00:00"),
        ask("b@mail-two.de", "2026-03-02T15:00:00+00:00"),
        ask("c@mail-three.de", "2026-03-03T10:00:00+00:00"),
        ask("d@mail-four.fr", "2026-03-03T11:00:00+00:00", country="FR"),
        ask("e@mail-five.de", "2026-03-20T11:00:00+00:00"),  # weeks later
        ask("f@customer.de", "2026-03-02T12:00:00+00:00", prior_orders=3),  # a customer is no probe
    ]
    values, evidence = markers_for(rows, catalog)
    assert values["scam_competitor_probe"].tolist() == [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    assert "3 mailboxes" in evidence.loc[0, "scam_competitor_probe"][0]


def test_two_mailboxes_are_not_a_probe(catalog):
    rows = [
        {"body": "CH-88 price?", "sender_email": "a@x.de", "country_code": "DE", "received_at": "2026-03-02T09:00:00+00:00"},
        {"body": "CH-88 price?", "sender_email": "a@x.de", "country_code": "DE", "received_at": "2026-03-02T10:00:00+00:00"},
        {"body": "CH-88 price?", "sender_email": "b@y.de", "country_code": "DE", "received_at": "2026-03-02T11:00:00+00:00"},
    ]
    values, _ = markers_for(rows, catalog)
    assert values["scam_competitor_probe"].sum() == 0


def test_contract_of_the_family(catalog):
    frame = pd.DataFrame({"body": ["Log in to view: http://x-login.com/a", None, ""], "attachments": [None, float("nan"), "a.exe"]})
    markers = ScamMarkers(catalog=catalog)
    assert markers.fit(frame) is markers
    assert list(markers.get_feature_names_out()) == list(SIGNAL_NAMES)
    values = markers.transform(frame)
    assert values.shape == (3, len(SIGNAL_NAMES)) and values.dtype == np.float64
    assert np.array_equal(values, markers.transform(frame)), "deterministic"
    restored = pickle.loads(pickle.dumps(markers))
    assert np.array_equal(restored.transform(frame), values)
    as_pandas = ScamMarkers(catalog=catalog).set_output(transform="pandas").fit(frame).transform(frame)
    assert list(as_pandas.columns) == list(SIGNAL_NAMES)
    assert markers.transform(frame.iloc[:0]).shape == (0, len(SIGNAL_NAMES))


def test_works_without_catalogue_and_with_only_a_body():
    frame = pd.DataFrame({"body": ["Please send free samples of all your products by DHL.", "hello"]})
    values = ScamMarkers().fit(frame).transform(frame)
    assert values[:, SIGNAL_NAMES.index("scam_free_samples")].tolist() == [1.0, 0.0]


def test_only_the_new_text_counts_not_the_quoted_reply(catalog):
    body = "Thanks, we confirm 300 pcs CH-88.\n> On Monday you wrote: our bank account has changed, new bank account below"
    frame = pd.DataFrame({"body": [body], "quoted_reply_at": [body.index(">")]})
    values = ScamMarkers(catalog=catalog).fit(frame).transform(frame)
    assert values[0, SIGNAL_NAMES.index("scam_bank_change")] == 0


def test_registered_domain_sees_through_look_alikes():
    assert registered_domain("http://alibaba.com.secure-login.ru/x") == "secure-login.ru"
    assert registered_domain("alibaba-secure-login.com") != "alibaba.com"
    assert registered_domain("https://message.alibaba.com/msg") == "alibaba.com"


@pytest.mark.parametrize(
    ("written", "decimal_likely", "expected"),
    [("4,500,000", False, 4_500_000), ("4.500.000,00", False, 4_500_000), ("4.5", True, 4.5), ("1.500", False, 1500)],
)
def test_numbers_as_buyers_write_them(written, decimal_likely, expected):
    assert parse_number(written, decimal_likely) == expected
