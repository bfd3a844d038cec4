"""Buyer contact details: names, companies, domains, e-mail, phones, addresses, messengers.

Phones are built from `phonenumbers` example numbers with varied digits and kept only when
they validate for the country; the pools are built once per country (seeded by the country
code, so they do not depend on the order rows are generated in). Invalid and placeholder
phones are produced on purpose for careless and fraudulent buyers.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from pipeline.generate.companies import Company
from pipeline.generate.world import Country, World, between, pick, read_yaml

PLACEHOLDER_PHONES = ("123456", "+44 000 000 0000", "0000000000", "n/a", "12345678", "+1 111 111 1111", "000", "-")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_PATTERN_CHAR = re.compile("[#A]")
_SPACES = re.compile(r"[ ]{2,}")
_SPACE_COMMA = re.compile(r"\s+,")
COMPANY_POOL_SIZE = 160
# E-mail local parts, built only for the form drawn (numbers cost random draws).
FREE_MAIL_LOCALS = (
    lambda first, last, rng: f"{first}.{last}",
    lambda first, last, rng: f"{first}{last}{between(rng, 1, 99)}",
    lambda first, last, rng: f"{first}_{last}",
    lambda first, last, rng: f"{first}{between(rng, 1960, 2005)}",
    lambda first, last, rng: f"{last}.{first}",
    lambda first, last, rng: f"{first[0]}{last}{between(rng, 10, 999)}",
)
COMPANY_MAIL_LOCALS = (
    lambda first, last, rng: f"{first}.{last}",
    lambda first, last, rng: f"{first[0]}.{last}",
    lambda first, last, rng: first,
    lambda first, last, rng: f"{first}{last[0]}",
    lambda first, last, rng: "purchasing",
    lambda first, last, rng: "info",
    lambda first, last, rng: "sales",
    lambda first, last, rng: "import",
    lambda first, last, rng: "procurement",
    lambda first, last, rng: f"{first}.{last}",
)


@dataclass(frozen=True)
class PhoneEntry:
    """One valid number of a country, pre-formatted the ways buyers write it."""

    forms: tuple[str, ...]
    e164: str


@dataclass
class Person:
    """A buyer's contact person."""

    first: str
    last: str
    display: str
    latin_first: str
    latin_last: str


@dataclass
class BuyerCompany:
    """A buyer's company as stated, with the domain stem its website would use."""

    name: str
    stem: str
    domain: str
    website: str


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only.

    >>> ascii_slug("Müller & Söhne GmbH")
    'mullersohnegmbh'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return _NON_ALNUM.sub("", decomposed.encode("ascii", "ignore").decode().lower())


def _drop_repeats(name: str) -> str:
    """Remove a word that repeats the previous one ("Office Solutions Solutions").

    >>> _drop_repeats("CLU Office Solutions Solutions")
    'CLU Office Solutions'
    """
    words = name.split(" ")
    kept = [word for index, word in enumerate(words) if index == 0 or word.lower() != words[index - 1].lower()]
    return " ".join(kept)


def _fill_pattern(pattern: str, rng: random.Random) -> str:
    if not pattern:
        return ""
    return _PATTERN_CHAR.sub(lambda m: str(between(rng, 0, 10)) if m.group() == "#" else chr(65 + between(rng, 0, 26)), pattern)


@dataclass
class ContactFactory:
    """Makes contact details for buyers of one seller; holds per-country phone pools."""

    world: World
    company: Company
    addresses: dict[str, Any] = field(default_factory=lambda: read_yaml("world/addresses.yaml"))
    _phones: dict[tuple[str, str], list[PhoneEntry]] = field(default_factory=dict)
    _companies: dict[tuple[str, str], list[BuyerCompany]] = field(default_factory=dict)
    _slugs: dict[str, str] = field(default_factory=dict)

    def slug(self, text: str) -> str:
        """`ascii_slug`, remembered per name (names repeat across millions of rows)."""
        value = self._slugs.get(text)
        if value is None:
            value = self._slugs[text] = ascii_slug(text)
        return value

    # --- people and companies -------------------------------------------------------
    def person(self, country: Country, lang: str, rng: random.Random) -> Person:
        culture = "chinese" if lang == "zh" else country.culture  # Chinese writers abroad are ethnic Chinese
        names = self.world.names[culture]
        index_first = int(rng.random() * len(names["first"]))
        index_last = int(rng.random() * len(names["last"]))
        first, last = names["first"][index_first], names["last"][index_last]
        display = f"{first} {last}"
        native = {"ru": "russian", "ar": "arabic", "zh": "chinese"}.get(lang)
        if native == culture and "native_first" in names and rng.random() < 0.7:
            native_first = names["native_first"][index_first % len(names["native_first"])]
            native_last = names["native_last"][index_last % len(names["native_last"])]
            display = f"{native_last}{native_first}" if lang == "zh" else f"{native_first} {native_last}"
            return Person(native_first, native_last, display, first, last)
        return Person(first, last, display, first, last)

    def buyer_company(self, country: Country, lang: str, person: Person, rng: random.Random) -> BuyerCompany:
        words = self.world.company_words
        table = words.get(lang, words["en"])
        sectors = self.company.sector_words.get(lang) or self.company.sector_words["en"]
        pattern = pick(rng, table["patterns"])
        latin: list[str] = []

        def word(key: str) -> str:
            if key in ("ru_word", "ru_trade", "ar_word", "ar_native", "zh_word", "ar_latin"):
                source = {"ru_word": "ru_words", "ru_trade": "ru_trades", "ar_word": "ar_words", "ar_native": "ar_words", "ar_latin": "ar_words", "zh_word": "zh_words"}[key]
                native, roman = pick(rng, table[source])
                latin.append(roman)
                return roman if key in ("ar_word", "ar_latin") else native
            value = {
                "word": lambda: pick(rng, table["words"]),
                "word2": lambda: pick(rng, [other for other in table["words"] if other not in latin] or table["words"]),
                "trade": lambda: pick(rng, table["trades"]),
                "sector": lambda: pick(rng, sectors),
                "surname": lambda: person.latin_last,
                "surname2": lambda: pick(rng, self.world.names[country.culture]["last"]),
                "city": lambda: pick(rng, country.cities),
                "initials": lambda: "".join(chr(65 + between(rng, 0, 26)) for _ in range(2 + between(rng, 0, 2))),
            }[key]()
            if key not in ("trade",) or not latin:
                latin.append(value)
            return value

        name = _PLACEHOLDER.sub(lambda match: word(match.group(1)), pattern)
        name = _drop_repeats(name)
        suffixes = words["suffixes"].get(country.code)
        if suffixes and lang in ("en", "es", "pt", "fr", "de") and rng.random() < 0.8:
            name = f"{name} {pick(rng, suffixes)}"
        stem_words = [ascii_slug(part) for part in latin if ascii_slug(part)][:2] or [ascii_slug(person.latin_last)]
        stem = ("-" if rng.random() < 0.3 else "").join(stem_words)[:24]
        tld = country.tld if rng.random() < 0.55 else "com"
        domain = f"{stem}.{tld}"
        website = pick(rng, (f"www.{domain}", f"https://www.{domain}", f"http://{domain}", domain))
        return BuyerCompany(name=name, stem=stem, domain=domain, website=website)

    def pooled_company(self, country: Country, lang: str, rng: random.Random) -> BuyerCompany:
        """A buyer company from a fixed per-country pool (fast for large runs).

        The pool is drawn from its own seed, so it is the same in every worker.
        """
        key = (country.code, lang)
        pool = self._companies.get(key)
        if pool is None:
            pool_rng = random.Random(f"companies:{self.company.key}:{country.code}:{lang}")
            pool = [self.buyer_company(country, lang, self.person(country, lang, pool_rng), pool_rng) for _ in range(COMPANY_POOL_SIZE)]
            self._companies[key] = pool
        return pick(rng, pool)

    # --- e-mail ---------------------------------------------------------------------
    def email(self, person: Person, domain: str, rng: random.Random, free: bool) -> str:
        first, last = self.slug(person.latin_first) or "info", self.slug(person.latin_last) or "sales"
        forms = FREE_MAIL_LOCALS if free else COMPANY_MAIL_LOCALS
        local = pick(rng, forms)(first, last, rng)
        return f"{local}@{domain}"

    def lookalike_domain(self, domain: str, rng: random.Random) -> str:
        """A domain one glance away from the real one (spoofing an existing customer).

        >>> factory = ContactFactory.__new__(ContactFactory)
        >>> factory.lookalike_domain("acme-trading.com", random.Random(1)) != "acme-trading.com"
        True
        """
        stem, _, tld = domain.partition(".")
        swaps = [("l", "1"), ("o", "0"), ("m", "rn"), ("i", "l"), ("e", "a"), ("n", "m")]
        for old, new in rng.sample(swaps, len(swaps)):
            if old in stem:
                position = stem.index(old)
                candidate = stem[:position] + new + stem[position + 1 :]
                if rng.random() < 0.5:
                    return f"{candidate}.{tld}"
                break
        return pick(rng, (f"{stem}-group.{tld}", f"{stem}s.{tld}", f"{stem}.co", f"{stem}-{tld.split('.')[-1]}.com", f"{stem}{stem[-1]}.{tld}"))

    # --- phones ---------------------------------------------------------------------
    def phone_pool(self, country_code: str, kind: str) -> list[PhoneEntry]:
        key = (country_code, kind)
        if key not in self._phones:
            self._phones[key] = _build_phone_pool(country_code, kind)
        return self._phones[key]

    def phone(self, country: Country, rng: random.Random, kind: str = "mobile") -> PhoneEntry:
        pool = self.phone_pool(country.code, kind) or self.phone_pool(country.code, "mobile")
        return pick(rng, pool)

    def phone_text(self, country: Country, rng: random.Random, kind: str = "mobile") -> str:
        return pick(rng, self.phone(country, rng, kind).forms)

    def invalid_phone(self, country: Country, rng: random.Random) -> str:
        """A phone that does not validate: placeholders, truncated or padded numbers."""
        roll = rng.random()
        if roll < 0.45:
            return pick(rng, PLACEHOLDER_PHONES)
        entry = self.phone(country, rng)
        digits = entry.e164
        if roll < 0.75:
            return digits[: max(5, len(digits) - 4)]
        return digits + str(between(rng, 100, 999))

    # --- addresses and messengers ----------------------------------------------------
    def address(self, country: Country, rng: random.Random, city: str | None = None) -> str:
        style = self.addresses["styles"][country.address]
        streets = self.addresses["streets_by_country"].get(country.code) or style["streets"]
        values = {
            "n": str(between(rng, 1, 400)),
            "n2": str(between(rng, 1, 60)),
            "n3": str(between(rng, 1, 30)),
            "n4": str(between(rng, 1, 20)),
            "street": pick(rng, streets),
            "street2": pick(rng, streets),
            "street_en": pick(rng, style.get("streets_en", style["streets"])),
            "kind": pick(rng, style["kinds"]),
            "district": pick(rng, style.get("districts", style["streets"])),
            "building": pick(rng, style.get("buildings", style["streets"])),
            "prefix": self.addresses["prefixes"].get(country.code, "Calle"),
            "city": city or pick(rng, country.cities),
            "postcode": _fill_pattern(country.postcode, rng),
        }
        text = pick(rng, style["forms"]).format_map(values)
        return _SPACE_COMMA.sub(",", _SPACES.sub(" ", text)).strip(" ,")

    def messenger(self, person: Person, country: Country, rng: random.Random, phone: PhoneEntry | None) -> str:
        first, last = self.slug(person.latin_first), self.slug(person.latin_last)
        if country.code in ("CN", "TW", "HK") or rng.random() < 0.03:
            return pick(rng, (f"WeChat: {first}{between(rng, 10, 999)}", f"wechat: {first}_{last}", f"WeChat ID: wxid_{first[:4]}{between(rng, 1000, 99999)}"))
        if country.code in ("TH", "JP", "TW") and rng.random() < 0.5:
            return f"LINE: {first}.{last}"
        if rng.random() < 0.15:
            return pick(rng, (f"Skype: live:{first}.{last}_{between(rng, 1, 99)}", f"skype: {first}.{last}"))
        number = phone.e164 if phone else self.phone(country, rng).e164
        return pick(rng, (f"WhatsApp: {number}", f"WhatsApp {number}", f"WA: {number}", f"whatsapp +{number.lstrip('+')}"))


def _build_phone_pool(country_code: str, kind: str, size: int = 24) -> list[PhoneEntry]:
    """Valid numbers for one country, varied from the library's example number."""
    rng = random.Random(f"phones:{country_code}:{kind}")
    number_type = PhoneNumberType.MOBILE if kind == "mobile" else PhoneNumberType.FIXED_LINE
    example = phonenumbers.example_number_for_type(country_code, number_type) or phonenumbers.example_number(country_code)
    if example is None:
        return []
    national = str(example.national_number)
    entries: list[PhoneEntry] = []
    seen: set[str] = set()
    for _ in range(size * 12):
        keep = max(2, len(national) - 5)
        candidate = national[:keep] + "".join(str(between(rng, 0, 10)) for _ in range(len(national) - keep))
        if candidate in seen:
            continue
        seen.add(candidate)
        parsed = phonenumbers.PhoneNumber(country_code=example.country_code, national_number=int(candidate))
        if example.italian_leading_zero:
            parsed.italian_leading_zero = True
        if not phonenumbers.is_valid_number_for_region(parsed, country_code):
            continue
        international = phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
        national_form = phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
        e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        messy = "00" + e164[1:]
        dashed = international.replace(" ", "-")
        bracketed = f"(+{example.country_code}) {international.split(' ', 1)[1]}" if " " in international else international
        # The library's own formats always parse back; check only the hand-made spellings.
        forms = [international, international, national_form, e164] + [form for form in (messy, dashed, bracketed) if _parses_valid(form, country_code)]
        entries.append(PhoneEntry(forms=tuple(forms), e164=e164))
        if len(entries) >= size:
            break
    return entries


def _parses_valid(text: str, country_code: str) -> bool:
    """Keep only spellings a reader can parse back to a valid number of the country."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, country_code))
    except phonenumbers.NumberParseException:
        return False
