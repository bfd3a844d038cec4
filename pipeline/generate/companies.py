"""Seller companies: one YAML file per industry under `companies/`, turned into a catalog.

`--company NAME` accepts the file key ("seating"), an alias ("everwin") or the full name.
The default is the office-seating maker, the demo's company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.generate.world import HERE, read_yaml

DEFAULT_COMPANY = "seating"
CATALOG_HEADER = ("sku", "name", "category", "keywords", "unit", "moq", "price_usd")
_MODEL_CODE = re.compile(r"\d")


@dataclass(frozen=True)
class Product:
    """One catalogue product and the words buyers use for it."""

    sku: str
    name: str
    category: str
    keywords: tuple[str, ...]
    unit: str
    moq: int
    price_usd: float
    model_codes: tuple[str, ...] = ()  # keywords that are model codes (they carry a digit), SKU first
    synonyms: tuple[str, ...] = ()  # keywords that are words, or the name

    def __post_init__(self) -> None:
        codes = (self.sku,) + tuple(word for word in self.keywords if _MODEL_CODE.search(word) and word != self.sku)
        words = tuple(word for word in self.keywords if not _MODEL_CODE.search(word)) or (self.name,)
        object.__setattr__(self, "model_codes", codes)
        object.__setattr__(self, "synonyms", words)


@dataclass(frozen=True)
class Category:
    """A product category with its words in each language and its typical specs."""

    name: str
    unit: str
    local: dict[str, str]
    title_words: tuple[str, ...]
    specs: tuple[str, ...]
    products: tuple[Product, ...]


@dataclass(frozen=True)
class Company:
    """A seller: who it is, what it sells, and the trade vocabulary around it."""

    key: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    industry: str
    timezone: str
    city: str
    domain: str
    customer_prefix: str
    loading_ports: tuple[str, ...]
    intro: tuple[str, ...]
    industry_words: dict[str, list[str]]
    buyer_kinds: dict[str, list[str]]
    sector_words: dict[str, list[str]]
    fairs: tuple[dict[str, Any], ...]
    certifications: tuple[str, ...]
    packaging: tuple[str, ...]
    materials: tuple[str, ...]
    colours: tuple[str, ...]
    categories: tuple[Category, ...]
    products: tuple[Product, ...] = field(default=())

    @property
    def website(self) -> str:
        return f"https://www.{self.domain}"


def company_files() -> dict[str, Path]:
    """Industry key -> YAML file, for every company shipped with the generator."""
    return {path.stem: path for path in sorted((HERE / "companies").glob("*.yaml"))}


def company_choices() -> list[str]:
    """Human-readable list of the companies `--company` accepts."""
    choices = []
    for key in company_files():
        raw = read_yaml(f"companies/{key}.yaml")
        choices.append(f"{key} ({raw['name']})")
    return choices


def resolve_company_key(name: str) -> str:
    """Map a key, alias or full company name onto the industry key.

    >>> resolve_company_key("Everwin")
    'seating'
    >>> resolve_company_key("Zhongshan Brightway LED Lighting Co., Ltd.")
    'lighting'
    """
    wanted = name.strip().lower()
    for key in company_files():
        raw = read_yaml(f"companies/{key}.yaml")
        names = {key, raw["name"].lower(), raw.get("short_name", "").lower(), *(alias.lower() for alias in raw.get("aliases", []))}
        if wanted in names:
            return key
    known = ", ".join(company_choices())
    raise ValueError(f"unknown company '{name}'; choose one of: {known}")


def load_company(name: str = DEFAULT_COMPANY) -> Company:
    """Read one company file and check that its catalogue is usable."""
    key = resolve_company_key(name)
    raw = read_yaml(f"companies/{key}.yaml")
    categories = []
    products: list[Product] = []
    seen: set[str] = set()
    for category_raw in raw["categories"]:
        category_products = []
        for row in category_raw["products"]:
            sku, product_name, keywords, unit, moq, price = row
            if sku in seen:
                raise ValueError(f"companies/{key}.yaml: duplicate sku '{sku}'")
            seen.add(sku)
            product = Product(
                sku=sku,
                name=product_name,
                category=category_raw["name"],
                keywords=tuple(word.strip() for word in keywords.split(";") if word.strip()),
                unit=unit,
                moq=int(moq),
                price_usd=float(price),
            )
            category_products.append(product)
        products.extend(category_products)
        categories.append(
            Category(
                name=category_raw["name"],
                unit=category_raw["unit"],
                local=dict(category_raw["local"]),
                title_words=tuple(category_raw["title_words"]),
                specs=tuple(category_raw["specs"]),
                products=tuple(category_products),
            )
        )
    return Company(
        key=key,
        name=raw["name"],
        short_name=raw["short_name"],
        aliases=tuple(raw.get("aliases", [])),
        industry=raw["industry"],
        timezone=raw["timezone"],
        city=raw["city"],
        domain=raw["domain"],
        customer_prefix=raw["customer_prefix"],
        loading_ports=tuple(raw["loading_ports"]),
        intro=tuple(raw["intro"]),
        industry_words=raw["industry_words"],
        buyer_kinds=raw["buyer_kinds"],
        sector_words=raw["sector_words"],
        fairs=tuple(raw["fairs"]),
        certifications=tuple(raw["certifications"]),
        packaging=tuple(raw["packaging"]),
        materials=tuple(raw["materials"]),
        colours=tuple(raw["colours"]),
        categories=tuple(categories),
        products=tuple(products),
    )


def catalog_rows(company: Company) -> list[dict[str, Any]]:
    """The catalogue as CSV rows (contract section 3), keywords `;`-joined."""
    return [
        {
            "sku": product.sku,
            "name": product.name,
            "category": product.category,
            "keywords": ";".join(product.keywords),
            "unit": product.unit,
            "moq": product.moq,
            "price_usd": f"{product.price_usd:g}",
        }
        for product in company.products
    ]
