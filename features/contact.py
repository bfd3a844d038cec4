"""Contact completeness and credibility (prefix `contact_`).

A buyer who gives company, title, a phone that works in their country and a
mailbox on their own domain is easier to trust and to grade up; "Dear
Sir/Madam" from a free-mail address with "n/a" for a phone is the opposite.
Phrase lists, free-mail providers and placeholders are in
`keywords/contact.yaml`.

>>> inquiries = pd.DataFrame({
...     "body": ["Dear Ms. Chen,\\nPlease quote.\\n\\nBest regards,\\nHans Weber\\nPurchasing Manager"
...              "\\nWeber Moebel GmbH",
...              "Dear Sir/Madam, send price."],
...     "sender_name": ["Hans Weber", "n/a"], "company": ["Weber Möbel GmbH", None],
...     "sender_email": ["hans@weber-moebel.de", "bigbuyer2024@gmail.com"],
...     "phone": ["+49 40 1234567", "123456"], "country_code": ["DE", "NG"],
... })
>>> family = ContactSignals().fit(inquiries)
>>> values, evidence = family.transform_with_evidence(inquiries)
>>> named = ["contact_has_name", "contact_phone_valid", "contact_domain_matches_company",
...          "contact_named_salutation"]
>>> values.loc[0, named].tolist(), values.loc[1, named].tolist()
([1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0])
>>> values.loc[1, ["contact_freemail", "contact_phone_invalid", "contact_generic_salutation"]].tolist()
[1.0, 1.0, 1.0]
>>> evidence.loc[0, "contact_signature"]
['Hans Weber', 'Purchasing Manager', 'Weber Moebel GmbH']
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache
from itertools import accumulate
from typing import Any

import numpy as np
import pandas as pd

from features.base import SignalFamily, evidence_lists, flatten_phrases, load_keywords, phrase_alternation
from features.text import new_body_text
from features.tokens import PhraseTrie, tokenize
from pipeline.normalise import phone_validity

# The contact fields of the contract, in the order of the presence signals.
CONTACT_FIELDS = (
    ("name", "sender_name"),
    ("company", "company"),
    ("title", "sender_title"),
    ("email", "sender_email"),
    ("phone", "phone"),
    ("fax", "fax"),
    ("address", "address"),
    ("website", "website"),
    ("messenger", "messenger"),
)
SIGNAL_NAMES = (
    *(f"contact_has_{field}" for field, _ in CONTACT_FIELDS),
    "contact_phone_valid",
    "contact_phone_invalid",
    "contact_freemail",
    "contact_corporate_domain",
    "contact_domain_matches_company",
    "contact_domain_matches_website",
    "contact_completeness",
    "contact_named_salutation",
    "contact_generic_salutation",
    "contact_signature",
)
EVIDENCE_NAMES = (
    "contact_phone_valid",
    "contact_phone_invalid",
    "contact_freemail",
    "contact_domain_matches_company",
    "contact_domain_matches_website",
    "contact_named_salutation",
    "contact_generic_salutation",
    "contact_signature",
)
_SIGNAL_INDEX = {name: index for index, name in enumerate(SIGNAL_NAMES)}
_EMAIL = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")
_OPENING_CHARS = 250
_OPENING_LINES = 3
_CAPITAL_NAME = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ][^\W\d_]*(?:[-'’][^\W\d_]+)?"
_ARABIC_WORD = r"[\u0621-\u064a]{2,}"
_HAN = r"[\u4e00-\u9fff]"
_PHONE = re.compile(r"(?:\+|00)?\(?\d[\d\s().\-/]{5,}\d")
_WEB = re.compile(r"@\w|www\.|https?://", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_NOT_DIGIT = re.compile(r"\D")
_ALNUM = re.compile(r"[^\W_]")
_PHONE_PUNCTUATION = re.compile(r"[\s+()\-./]")
_NAME_WORD = re.compile(r"\w{2,}")


def _cell_text(value: object) -> str:
    """A cell as text; None and NaN become ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def is_placeholder(value: object, placeholders: frozenset[str]) -> bool:
    """True when a contact field is empty or a filler ("n/a", "-", "123456", "0000000").

    >>> words = frozenset({"n/a", "-"})
    >>> [is_placeholder(v, words) for v in ["N/A", " - ", "1111111", "234567", "+49 40 1234567", None, "Ana"]]
    [True, True, True, True, False, True, False]
    """
    text = _cell_text(value).strip()
    # `[^\W_]` is exactly `str.isalnum`; a text without digits is no digit filler.
    if not text or text.lower() in placeholders or _ALNUM.search(text) is None:
        return True
    if _DIGIT.search(text) is None:
        return False
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) == len(_PHONE_PUNCTUATION.sub("", text)):
        return len(set(digits)) == 1 or digits in "12345678901234567890" or digits in "9876543210"
    return False


@lru_cache(maxsize=1)
def _domain_extractor():
    import tldextract

    # The bundled public-suffix snapshot only: no network, no cache files.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def domain_parts(host: str) -> tuple[str, str]:
    """(registered domain, its name label) of a host, e-mail domain or URL.

    >>> domain_parts("mail.foster-build.co.uk"), domain_parts("https://www.Weber-Moebel.de/kontakt")
    (('foster-build.co.uk', 'foster-build'), ('weber-moebel.de', 'weber-moebel'))
    """
    host = host.strip().lower()
    host = re.sub(r"^[a-z]+://", "", host).split("/")[0].split("?")[0].split("@")[-1].split(":")[0]
    parts = _domain_extractor()(host)
    if not parts.domain:
        return "", ""
    registered = f"{parts.domain}.{parts.suffix}" if parts.suffix else parts.domain
    return registered, parts.domain


@lru_cache(maxsize=4096)
def _country_code(country: str) -> str | None:
    import pycountry

    try:
        return pycountry.countries.lookup(country.strip()).alpha_2
    except LookupError:
        return None


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


def domain_resembles_company(label: str, company: str, stopwords: frozenset[str]) -> bool:
    """True when a mail-domain label looks like the company's name.

    Legal forms and trade words ("GmbH", "Trading", "Co.") are ignored; a match
    is a shared start, a distinctive word inside the label, or the initials.

    >>> words = frozenset({"gmbh", "co", "ltd", "trading"})
    >>> domain_resembles_company("weber-moebel", "Weber Möbel GmbH", words)
    True
    >>> domain_resembles_company("abct", "Al Bahar Construction Trading Co.", frozenset({"co", "trading"}))
    True
    >>> domain_resembles_company("globalsourcing", "Weber Möbel GmbH", words)
    False
    """
    label = "".join(_ascii_words(label))
    all_words = _ascii_words(company)
    words = [word for word in all_words if word not in stopwords]
    if len(label) < 3 or not words:
        return False
    joined = "".join(words)
    if joined.startswith(label) or label.startswith(joined):
        return True
    if any(len(word) >= 4 and word in label for word in words):
        return True
    # Initials, with or without the trade words: "abct" for "Al Bahar Construction Trading".
    initials = "".join(word[0] for word in all_words)
    return len(words) >= 2 and (label == "".join(word[0] for word in words) or initials.startswith(label))


class ContactSignals(SignalFamily):
    """Which contact details an inquiry gives, and whether they hang together.

    Parameters
    ----------
    freemail_domains : list of str or None
        Extra free-mail domains on top of `keywords/contact.yaml` (a team may
        know local providers).
    """

    def __init__(self, freemail_domains: list[str] | None = None):
        self.freemail_domains = freemail_domains

    def _signal_names(self) -> list[str]:
        return list(SIGNAL_NAMES)

    def _evidence_names(self) -> list[str]:
        return list(EVIDENCE_NAMES)

    def _build(self) -> None:
        keywords = load_keywords("contact")
        self.placeholders_ = frozenset(p.lower() for p in keywords["placeholders"])
        extra = [d.lower().strip() for d in self.freemail_domains or ()]
        self.freemail_domains_ = frozenset(keywords["freemail_domains"]) | frozenset(extra)
        self.freemail_brands_ = frozenset(keywords["freemail_brands"])
        self.company_stopwords_ = frozenset(w.lower() for w in keywords["company_stopwords"])
        self.salutation_ = _salutation_patterns(keywords["salutation"])
        self.signature_ = _signature_patterns(keywords["signature"])

    def _extract(self, inquiries: pd.DataFrame, texts: list[str]) -> tuple[np.ndarray, dict]:
        count = len(inquiries)
        columns = [_column(inquiries, name, count) for name in _READ_COLUMNS]
        rows = []
        evidence = evidence_lists(count, EVIDENCE_NAMES)
        # Plain lists, filled row by row and turned into an array once: numpy's
        # per-element assignment costs more than the signal itself here.
        for row, cells in enumerate(zip(*columns)):
            line = [0.0] * len(SIGNAL_NAMES)
            for name, (value, snippets) in self._row_signals(dict(zip(_READ_COLUMNS, cells))).items():
                line[_SIGNAL_INDEX[name]] = value
                if name in evidence:
                    evidence[name][row] = snippets
            rows.append(line)
        return np.array(rows, dtype=np.float64).reshape(count, len(SIGNAL_NAMES)), evidence

    def _row_signals(self, record: Mapping[str, Any]) -> dict[str, tuple[float, list[str]]]:
        signals: dict[str, tuple[float, list[str]]] = {}
        present = {}
        for field, column in CONTACT_FIELDS:
            present[field] = not is_placeholder(record[column], self.placeholders_)
            signals[f"contact_has_{field}"] = (float(present[field]), [])
        email = _cell_text(record["sender_email"]).strip()
        email_match = _EMAIL.match(email) if present["email"] else None
        present["email"] = email_match is not None
        signals["contact_has_email"] = (float(present["email"]), [])
        signals["contact_completeness"] = (sum(present.values()) / len(CONTACT_FIELDS), [])
        signals.update(self._phone_signals(record, present["phone"]))
        if email_match:
            signals.update(self._domain_signals(email_match.group(1), record, present))
        body = new_body_text(record["body"], _offset(record["quoted_reply_at"]))
        signals.update(self._salutation_signals(body))
        lines = self._signature_lines(body, record, present)
        signals["contact_signature"] = (float(bool(lines)), lines)
        return signals

    def _phone_signals(self, record: Mapping[str, Any], present: bool) -> dict[str, tuple[float, list[str]]]:
        phone = _cell_text(record["phone"]).strip()
        if not _DIGIT.search(phone):
            return {}
        region = _region(record)
        checked = record["phone_valid"]
        # Validation already parsed the phone for the row's country code: reading it again costs
        # a fifth of this family's time. Other regions (a country name only) are checked here.
        if checked.__class__ is not bool or region != record["country_code"]:
            checked = phone_validity(phone, region)
        valid = present and checked
        shown = [f"{phone} ({region})" if region else phone]
        # A typed number that is a filler ("123456") is given but not valid.
        if valid:
            return {"contact_phone_valid": (1.0, shown)}
        if region is None and not phone.lstrip().startswith(("+", "00")):
            return {}  # without a country a local number cannot be judged either way
        return {"contact_phone_invalid": (1.0, shown)}

    def _domain_signals(
        self, domain: str, record: Mapping[str, Any], present: Mapping[str, bool]
    ) -> dict[str, tuple[float, list[str]]]:
        registered, label = domain_parts(domain)
        if not registered:
            return {}
        if (
            domain.lower() in self.freemail_domains_
            or registered in self.freemail_domains_
            or label in self.freemail_brands_
        ):
            return {"contact_freemail": (1.0, [registered])}
        signals = {"contact_corporate_domain": (1.0, [])}
        company = _cell_text(record["company"])
        if present["company"] and domain_resembles_company(label, company, self.company_stopwords_):
            signals["contact_domain_matches_company"] = (1.0, [f"{registered} ~ {company.strip()}"])
        if present["website"]:
            site_domain, _ = domain_parts(_cell_text(record["website"]))
            if site_domain == registered:
                signals["contact_domain_matches_website"] = (1.0, [registered])
        return signals

    def _salutation_signals(self, body: str) -> dict[str, tuple[float, list[str]]]:
        lines = [line.strip() for line in body[:_OPENING_CHARS].splitlines() if line.strip()][:_OPENING_LINES]
        if not lines:
            return {}
        # A name first: "Bonjour Madame Dupont" is named although "Madame" alone is generic.
        generic_words = self.salutation_["generic_words"]
        for line in lines:
            for pattern in self.salutation_["named"]:
                match = pattern.match(line)
                if match and match.group("name").lower() not in generic_words:
                    return {"contact_named_salutation": (1.0, [match.group().strip()])}
        generic = self.salutation_["generic"].search("\n".join(lines))
        if generic:
            return {"contact_generic_salutation": (1.0, [generic.group()])}
        greeting = self.salutation_["greeting"].match(lines[0])
        if greeting:
            return {"contact_generic_salutation": (1.0, [greeting.group().strip()])}
        return {}

    def _signature_lines(
        self, body: str, record: Mapping[str, Any], present: Mapping[str, bool]
    ) -> list[str]:
        """The lines of a signature block at the end, or [] when there is none."""
        patterns = self.signature_
        lines = [line.strip() for line in body[-patterns["tail_chars"] :].splitlines() if line.strip()]
        closing_at = max((i for i, line in enumerate(lines) if patterns["closing"].match(line)), default=None)
        block = [
            line
            for line in (lines[closing_at + 1 :] if closing_at is not None else lines[-6:])[:8]
            if len(line) <= 80
        ]
        if not block:
            return []
        # Each pattern runs once over the block; a hit is credited to the line it falls in.
        text = "\n".join(block)
        line_starts = list(accumulate((len(line) + 1 for line in block[:-1]), initial=0))

        def lines_with(pattern: re.Pattern[str], accept=lambda match: True) -> set[int]:
            return {bisect_right(line_starts, m.start()) - 1 for m in pattern.finditer(text) if accept(m)}

        # Name and company first: without either there is no signature, and the rest need not be read.
        lowered = [line.lower() for line in block]
        name_words = (
            [w.lower() for w in _NAME_WORD.findall(_cell_text(record["sender_name"]))] if present["name"] else []
        )
        named = {i for i, line in enumerate(lowered) if any(word in line for word in name_words)} if name_words else set()
        words: dict[str, set[int]] = {"title": set(), "company": set(), "address": set()}
        tokens = tokenize(text)
        for trie in patterns["words"]:
            for label, start, _ in trie.find(tokens):
                words[label].add(bisect_right(line_starts, tokens.starts[start]) - 1)
        company = _cell_text(record["company"]).strip().lower() if present["company"] else ""
        found = {
            "name": named | lines_with(patterns["name_line"]),
            "company": words["company"] | ({i for i, line in enumerate(lowered) if company in line} if company else set()),
        }
        if not found["name"] and not found["company"]:
            return []
        found.update(
            title=words["title"],
            phone=lines_with(_PHONE, lambda match: sum(map(str.isdigit, match.group())) >= 7),
            web=lines_with(_WEB),
            address=words["address"] & {i for i, line in enumerate(block) if _DIGIT.search(line)},
        )
        kinds: dict[str, int] = {}
        for kind, indices in found.items():
            if indices:
                kinds[kind] = min(indices)
        if len(kinds) >= 2 and ("name" in kinds or "company" in kinds):
            chosen = sorted(set(kinds.values()))
            return [block[i] for i in chosen]
        return []


_READ_COLUMNS = tuple(column for _, column in CONTACT_FIELDS) + (
    "body",
    "country_code",
    "country",
    "quoted_reply_at",
    "phone_valid",
)


def _column(inquiries: pd.DataFrame, name: str, count: int) -> list[Any]:
    return inquiries[name].tolist() if name in inquiries else [None] * count


def _offset(value: object) -> int:
    return int(value) if value is not None and not pd.isna(value) else -1


def _region(record: Mapping[str, Any]) -> str | None:
    code = _cell_text(record["country_code"]).strip().upper()
    if len(code) == 2 and code.isalpha():
        return code
    country = _cell_text(record["country"]).strip()
    return _country_code(country) if country else None


def _salutation_patterns(config: Mapping[str, Any]) -> dict[str, Any]:
    greetings = phrase_alternation(flatten_phrases(config["greetings"]))
    honorifics = phrase_alternation(flatten_phrases(config["honorifics"]))
    arabic_honorifics = phrase_alternation(config["honorifics"]["ar"])
    titles = "|".join(sorted(config["chinese_titles"], key=len, reverse=True))
    lead = r"[\s>*\-]*"
    named = [
        re.compile(rf"{lead}(?i:{greetings})[\s,،:!]*(?:(?i:{honorifics})\s*)?(?P<name>{_CAPITAL_NAME})"),
        re.compile(rf"{lead}(?i:{honorifics})\s*(?P<name>{_CAPITAL_NAME})"),
        re.compile(rf"{lead}(?:{greetings}[\s,،]*)?{arabic_honorifics}\s*(?P<name>{_ARABIC_WORD})"),
        re.compile(
            rf"{lead}(?:(?:您好|你好)[，,\s]*)?(?:尊敬的|亲爱的)?(?P<name>(?!的){_HAN}{{1,2}}?)(?:{titles})"
        ),
    ]
    return {
        "named": named,
        "generic": re.compile(phrase_alternation(flatten_phrases(config["generic_phrases"])), re.IGNORECASE),
        "generic_words": frozenset(w.lower() for w in config["generic_words"]),
        "greeting": re.compile(rf"{lead}{greetings}", re.IGNORECASE),
    }


def _signature_patterns(config: Mapping[str, Any]) -> dict[str, Any]:
    forms = config["company_forms"]
    return {
        "tail_chars": int(config["tail_chars"]),
        "closing": re.compile(
            rf"{phrase_alternation(flatten_phrases(config['closings']))}[\s,.!:]*$", re.IGNORECASE
        ),
        # Titles, legal forms and address words: one walk over the block's tokens.
        "words": (
            PhraseTrie(
                {
                    "title": flatten_phrases(config["titles"]),
                    "company": flatten_phrases(forms["any"]),
                    "address": flatten_phrases(config["address_words"]),
                }
            ),
            PhraseTrie({"company": forms["case_sensitive"]}, case_sensitive=True),
        ),
        # A line of two to four capitalised words is a name ("Hans Weber", "Иван Петров").
        "name_line": re.compile(
            rf"^(?:{_CAPITAL_NAME}(?:[ \t]+{_CAPITAL_NAME}){{1,3}}|{_HAN}{{2,4}})$", re.MULTILINE
        ),
    }
