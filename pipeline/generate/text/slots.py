"""Values for the `{placeholders}` of the phrase banks, computed lazily per inquiry.

A placeholder is only computed when a chosen phrase uses it, and then keeps its value
for the whole message, so "{product}" names the same product in the subject, the body
and the signature's reference.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from pipeline.generate.companies import Category, Company, Product
from pipeline.generate.contacts import BuyerCompany, Person
from pipeline.generate.world import Country, between, pick

INCOTERMS_ORIGIN = ("FOB", "FOB", "EXW", "FCA")
INCOTERMS_DESTINATION = ("CIF", "CIF", "CFR", "CNF", "DDP", "DAP")


@dataclass
class InquiryContext:
    """Everything a phrase may refer to while one inquiry is being written."""

    rng: random.Random
    lang: str
    bank: dict[str, Any]
    fmt: dict[str, Any]
    company: Company
    country: Country
    person: Person
    buyer: BuyerCompany
    category: Category
    product: Product
    product2: Product
    rep_first: str
    rep_email: str
    title: str
    marketplace: str
    city: str
    port: str
    moment: datetime
    extra: dict[str, str] = field(default_factory=dict)


def local_place(ctx: InquiryContext, name: str) -> str:
    """A port or city as the buyer's language writes it (Chinese names for Chinese text)."""
    return ctx.fmt.get("places", {}).get(name, name)


def format_number(value: float, fmt: dict[str, Any], rng: random.Random, decimals: int = 0) -> str:
    """A number as the buyer's language writes it.

    >>> format_number(12500, {"thousands": ["."], "decimal": ","}, random.Random(0))
    '12.500'
    >>> format_number(3.5, {"thousands": [","], "decimal": "."}, random.Random(0), decimals=2)
    '3.50'
    """
    text = f"{value:,.{decimals}f}"
    separator = pick(rng, fmt["thousands"])
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", separator)
    return f"{whole}{fmt['decimal']}{fraction}" if fraction else whole


def _quantity(ctx: InquiryContext, product: Product) -> str:
    rng = ctx.rng
    factor = pick(rng, (1, 1, 2, 3, 5, 10, 20, 0.5))
    amount = max(1, int(product.moq * factor))
    if amount >= 1000:
        amount = round(amount, -2)
    elif amount >= 100:
        amount = round(amount, -1)
    unit_words = ctx.fmt["units"].get(product.unit) or ctx.fmt["units"]["pcs"]
    number = format_number(amount, ctx.fmt, rng)
    unit = pick(rng, unit_words)
    if ctx.lang == "en" and rng.random() < 0.25:
        return f"{number}{unit}"  # "5000pcs"
    return f"{number} {unit}"


def _price(ctx: InquiryContext) -> str:
    rng = ctx.rng
    target = ctx.product.price_usd * (0.72 + 0.25 * rng.random())
    decimals = 2 if target < 20 else (1 if target < 100 and rng.random() < 0.3 else 0)
    amount = format_number(target, ctx.fmt, rng, decimals)
    singular = ctx.fmt["units_one"]
    unit = pick(rng, singular.get(ctx.product.unit) or singular["pcs"])
    return pick(rng, ctx.fmt["price_forms"]).format(amount=amount, unit=unit or "pc")


def _product_mention(ctx: InquiryContext, product: Product) -> str:
    rng = ctx.rng
    code = pick(rng, product.model_codes)
    if ctx.lang == "en":
        return pick(rng, _ENGLISH_MENTIONS)(product, code, rng, ctx)
    model_word = pick(rng, ctx.fmt["model_word"])
    if ctx.lang == "zh":
        # Chinese buyers name the model code with a Chinese category word, rarely the English title.
        local = ctx.category.local["zh"] if product.category == ctx.category.name else ""
        forms = (code, f"{code}{model_word}", f"{model_word}{code}", f"{local}{code}", f"{code}{local}", f"{code}这款")
    else:
        local = ctx.category.local.get(ctx.lang, ctx.category.name) if product.category == ctx.category.name else product.name
        forms = (code, f"{model_word} {code}", f"{product.name} ({code})", f"{local} {code}", f"{code} ({product.name})")
    return pick(rng, forms)


_ENGLISH_MENTIONS = (
    lambda product, code, rng, ctx: product.name,
    lambda product, code, rng, ctx: code,
    lambda product, code, rng, ctx: f"{product.name} ({code})",
    lambda product, code, rng, ctx: f"{pick(rng, product.synonyms)} {code}",
    lambda product, code, rng, ctx: f"{pick(rng, ctx.fmt['model_word'])} {code}",
    lambda product, code, rng, ctx: product.name.lower(),
    lambda product, code, rng, ctx: f"{code} {product.name.lower()}",
)


def _incoterm_port(ctx: InquiryContext) -> str:
    rng = ctx.rng
    if rng.random() < 0.45:
        return f"{pick(rng, INCOTERMS_ORIGIN)} {local_place(ctx, pick(rng, ctx.company.loading_ports))}"
    return f"{pick(rng, INCOTERMS_DESTINATION)} {ctx.port}"


def _earlier(ctx: InquiryContext) -> str:
    """When the previous message of the thread was sent: a few days before this one."""
    rng = ctx.rng
    moment = ctx.moment - timedelta(days=between(rng, 1, 15), hours=between(rng, 0, 9), minutes=between(rng, 0, 60))
    forms = ("%a, %d %b %Y %H:%M", "%A, %B %d, %Y %I:%M %p", "%Y-%m-%d %H:%M", "%a, %b %d, %Y at %I:%M %p", "%d/%m/%Y %H:%M")
    return moment.strftime(pick(rng, forms))


def _date(ctx: InquiryContext) -> str:
    """A date in the coming weeks (a planned visit or inspection)."""
    rng = ctx.rng
    later = ctx.moment + timedelta(days=between(rng, 7, 60))
    month = later.month
    day = later.day
    return pick(rng, ctx.fmt["date_forms"]).format(day=day, month=f"{month:02d}", month_name=ctx.fmt["months"][month - 1])


def _with_article(noun: str) -> str:
    """English indefinite article.

    >>> _with_article("e-commerce seller"), _with_article("furniture importer")
    ('an e-commerce seller', 'a furniture importer')
    """
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _po(ctx: InquiryContext) -> str:
    rng = ctx.rng
    number = between(rng, 1000, 99999)
    form = between(rng, 0, 5)
    if form == 3:
        return f"{ctx.buyer.stem[:3].upper()}-{between(rng, 2024, 2027)}-{number % 1000:03d}"
    return ("PO{}", "PO-{}", "PO#{}", "", "order {}")[form].format(number)


MAKERS: dict[str, Callable[[InquiryContext], str]] = {
    "product": lambda ctx: _product_mention(ctx, ctx.product),
    "product2": lambda ctx: _product_mention(ctx, ctx.product2),
    "code": lambda ctx: pick(ctx.rng, ctx.product.model_codes),
    "category": lambda ctx: ctx.category.local.get(ctx.lang, ctx.category.local["en"]),
    "industry": lambda ctx: pick(ctx.rng, ctx.company.industry_words.get(ctx.lang, ctx.company.industry_words["en"])),
    "qty": lambda ctx: _quantity(ctx, ctx.product),
    "qty_vague": lambda ctx: pick(ctx.rng, ("1 x 40HQ", "negotiable", "500 pieces", "big quantity", "trial order", "10000 units/year")),
    "container": lambda ctx: pick(ctx.rng, ctx.fmt["containers"]),
    "spec": lambda ctx: pick(ctx.rng, ctx.category.specs),
    "material": lambda ctx: pick(ctx.rng, ctx.company.materials),
    "colour": lambda ctx: pick(ctx.rng, ctx.company.colours),
    "cert": lambda ctx: pick(ctx.rng, ctx.company.certifications),
    "packing": lambda ctx: pick(ctx.rng, ctx.company.packaging),
    "incoterm_port": _incoterm_port,
    "port": lambda ctx: ctx.port,
    "loading_port": lambda ctx: local_place(ctx, pick(ctx.rng, ctx.company.loading_ports)),
    "payment": lambda ctx: pick(ctx.rng, ctx.fmt["payments"]),
    "lead": lambda ctx: pick(ctx.rng, ("3-4", "4", "5", "6", "4-5", "8")),
    "month": lambda ctx: pick(ctx.rng, ctx.fmt["months"]),
    "price": _price,
    "date": _date,
    "company": lambda ctx: ctx.buyer.name,
    "buyer_domain": lambda ctx: ctx.buyer.domain,
    "a_buyer_kind": lambda ctx: _with_article(pick(ctx.rng, ctx.company.buyer_kinds["en"])),
    "buyer_kind": lambda ctx: pick(ctx.rng, ctx.company.buyer_kinds.get(ctx.lang, ctx.company.buyer_kinds["en"])),
    "city": lambda ctx: ctx.city,
    "country": lambda ctx: pick(ctx.rng, ctx.country.names),
    "years": lambda ctx: str(between(ctx.rng, 3, 35)),
    "since": lambda ctx: str(between(ctx.rng, 1978, 2021)),
    "first": lambda ctx: ctx.person.first,
    "last": lambda ctx: ctx.person.last,
    "first2": lambda ctx: pick(ctx.rng, ("Anna", "Maria", "Sara", "Laura", "Olga", "Fatima", "Julia")),
    "title": lambda ctx: ctx.title,
    "rep": lambda ctx: ctx.rep_first,
    "rep_email": lambda ctx: ctx.rep_email,
    "marketplace": lambda ctx: ctx.marketplace,
    "fair": lambda ctx: pick(ctx.rng, ctx.company.fairs)["name"],
    "booth": lambda ctx: pick(ctx.rng, ctx.company.fairs)["booth"],
    "seller": lambda ctx: ctx.company.name,
    "seller_short": lambda ctx: ctx.company.short_name,
    "seller_city": lambda ctx: ctx.company.city,
    "seller_site": lambda ctx: f"www.{ctx.company.domain}",
    "po": _po,
    "brand": lambda ctx: pick(ctx.rng, ("Nordhaus", "Ergolux", "Vita Casa", "Lumora", "Aquaflux", "Packwell", "Kairo", "Sitwell", "Bravia Home", "Orbis", "Terra", "Novalis")),
    "stores": lambda ctx: str(between(ctx.rng, 60, 420)),
    "defect": lambda ctx: pick(ctx.rng, ctx.bank["defects"]),
    "topic": lambda ctx: pick(ctx.rng, (ctx.product.name, ctx.category.local["en"], "General inquiry", "Quotation", "Product question")),
    "n_people": lambda ctx: str(between(ctx.rng, 2, 6)),
    "year": lambda ctx: pick(ctx.rng, ("2025", "2026")),
    "ticket": lambda ctx: str(between(ctx.rng, 10**7, 10**8)),
    "doc": lambda ctx: pick(ctx.rng, ("Purchase_Order.pdf", "RFQ_Documents.pdf", "Specification_2025.docx", "Payment_Advice.pdf", "Contract_Draft.pdf")),
    "big_amount": lambda ctx: pick(ctx.rng, ("2,500,000", "4.8 million", "12,000,000", "7,350,000.00", "25 million")),
    "big_qty": lambda ctx: pick(ctx.rng, ("50,000", "120000", "1 million", "300,000", "75.000")),
    "big_containers": lambda ctx: str(pick(ctx.rng, (40, 50, 100, 200, 300))),
    "product_vague": lambda ctx: pick(ctx.rng, ctx.company.industry_words["en"]),
    "absurd_unit": lambda ctx: pick(ctx.rng, ("kilogram", "ton", "litre", "gallon", "barrel", "kg", "metric ton")),
    "absurd_qty": lambda ctx: pick(ctx.rng, ("500 tons", "20,000 litres", "300 barrels", "80 metric tons", "1500 kg", "10,000 gallons")),
    "fee": lambda ctx: pick(ctx.rng, ("350", "480", "650", "1,250", "990", "1.190")),
    "zip_pw": lambda ctx: pick(ctx.rng, ("1234", "PO2025", "order", "abc123", "9876")),
    "qdate": lambda ctx: _earlier(ctx),
    "subject": lambda ctx: ctx.extra.get("subject", "Quotation"),
}


class Slots(dict):
    """A mapping for `str.format_map` that computes placeholders on first use."""

    def __init__(self, ctx: InquiryContext):
        super().__init__(ctx.extra)
        self.ctx = ctx

    def __missing__(self, key: str) -> str:
        maker = MAKERS.get(key)
        if maker is None:
            raise KeyError(f"phrase placeholder '{{{key}}}' has no value maker")
        value = maker(self.ctx)
        self[key] = value
        return value
