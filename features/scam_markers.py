"""Scam markers (prefix `scam_`): the fraud signs of the trade guides, each with its evidence.

Each marker reads the subject and new body (plus the sender, the website and
the attachment names) and says what triggered it: the URL, the file name, the
sentence. Word lists, link and attachment lists, units and thresholds are in
`keywords/scam.yaml`. Most markers are 0/1; `scam_template_polish` is a score
in 0..1. Markers describe the text only: whether a marker means fraud, and for
whom (an existing customer may ask for a visa letter), is the rulebook's call.

`scam_competitor_probe` looks across the batch: the same catalogue product
asked from the same country by several mailboxes within a few days.

Each text is read once (`features.scam_reading.Reading`): every phrase list in
one pass, numbers found once and their neighbours inspected; the catalogue
matcher runs only on texts whose units or numbers need it.

>>> catalog = pd.DataFrame({"sku": ["CH-88"], "name": ["Stackable Visitor Chair"],
...     "category": ["office chairs"], "keywords": [["visitor chair"]], "unit": ["pcs"]})
>>> inquiries = pd.DataFrame({
...     "body": ["You have a new inquiry. Log in to view it: http://alibaba-secure-login.com/inquiry?id=7",
...              "Please quote 300 visitor chairs CH-88, FOB Ningbo. Can you send 2 samples? We pay the courier."],
...     "sender_email": ["notice@alibaba-secure-login.com", "anna@buyer-gmbh.de"],
... })
>>> markers = ScamMarkers(catalog=catalog).fit(inquiries)
>>> values, evidence = markers.transform_with_evidence(inquiries)
>>> float(values.loc[0, "scam_login_link"]), float(values.loc[1].sum())
(1.0, 0.0)
>>> evidence.loc[0, "scam_login_link"]
['http://alibaba-secure-login.com/inquiry?id=7 (Log in)']

The link above points at the sender's own domain and still fires: a domain
that imitates a marketplace earns no trust. A buyer's link to their own
company domain (their supplier portal) never fires.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from features.base import SignalFamily, evidence_lists, flatten_phrases, load_keywords
from features.catalog import CatalogMatcher, CatalogMention, tokens_of
from features.scam_reading import (
    HAN,
    Matches,
    PhraseIndex,
    Reading,
    all_positions,
    attachment_names,
    cell_text,
    column_values,
    distinct,
    host_of,
    latin_letters,
    normal_words,
    parse_number,
    registered_domain,
    sentence_of,
    shorten,
    singular,
)
from features.text import InquiryTexts

SIGNAL_NAMES = (
    "scam_login_link",
    "scam_url_shortener",
    "scam_dangerous_attachment",
    "scam_invitation_visa",
    "scam_urgent_travel",
    "scam_huge_order_no_knowledge",
    "scam_absurd_units",
    "scam_free_samples",
    "scam_advance_fee",
    "scam_bank_change",
    "scam_business_proposal",
    "scam_template_polish",
    "scam_competitor_probe",
    "scam_not_a_buyer",
)
# Phrase lists of keywords/scam.yaml matched in every text.
PHRASE_LISTS = (
    "login_lure",
    "archive_password",
    "invitation_visa",
    "urgency",
    "travel_demand",
    "sample_words",
    "free_words",
    "many_words",
    "advance_fee",
    "bank_change",
    "business_proposal_strong",
    "business_proposal_supporting",
    "template_polish",
    "competitor_cues",
    "not_a_buyer",
    "unit_exempt_context",
    "container_words",
    "currency_words",
    "huge_order_claims",
    "service_fee",
    "courier_words",
    "buyer_pays",
)

LURE_DISTANCE = 250  # characters between the lure wording and the link
_NEXT_WORD = re.compile(r"[ \t\u00a0]*([^\W\d_]+)")
_COUNT_BEFORE = re.compile(r"(\d{1,4})\s+(?:[^\W\d_]+\s+){0,2}$")  # "10 different " before "samples"
_NUMBER_GOES_ON = re.compile(r"[.,]?\d")  # right after "m 2" in "2,500": the digit was a number's
_SLASH_UNIT = re.compile(r"/\s*([^\W\d_]+\d?)")
# Up to four words after a number, on its line: "PO-21098" in a subject says nothing about the body's "Good morning".
_WORDS_AFTER = re.compile(
    r"[^\S\n]*(?:[x×][^\S\n]*)?((?:[^\W\d_]+|\d+[^\W\d_]+'?[^\W\d_]*)(?:(?:[^\S\n]|-)+[^\W\d_]+){0,3})"
)
_FEET_MARKS = "'’′尺呎"  # "40'HC", "40尺高柜": a container's size in feet
_CURRENCY_SIGNS = ("$", "€", "£", "¥")
_SUSPECT_UNIT = "suspect_unit"  # index labels beyond the phrase lists
_SKU = "sku:"
_UNIT_IN_NAME = "catalogue_unit_name"
DIMENSIONS = re.compile(
    r"\d+(?:[.,]\d+)?\s*[x×*]\s*\d+(?:[.,]\d+)?\s*(?:[x×*]\s*\d+|mm|cm|m\b|inch|\")|\d+(?:[.,]\d+)?\s*(?:mm|cm)\b",
    re.IGNORECASE,
)








@dataclass(frozen=True)
class _UnitExpression:
    kinds: frozenset[str]  # "ml" is a millilitre or a linear metre ("mètre linéaire")
    snippet: str
    start: int
    priced: bool  # "per kilo" ties a price to the unit; "5 tons" only states a quantity




def _word_before(word: str) -> str:
    """A "per" word as it may stand before a unit; a word of letters must start at a word edge."""
    escaped = re.escape(word)
    return rf"(?<![^\W\d_]){escaped}" if word[:1].isalpha() and not HAN.match(word) else escaped




class ScamMarkers(SignalFamily):
    """Fraud signs of an inquiry, with the text that shows them.

    Parameters
    ----------
    catalog : DataFrame or None
        The seller's catalogue (`CompanyProfile.catalog`): named products and
        their units feed the absurd-unit, huge-order and competitor markers.
    marketplace_domains : list of str or None
        Registered domains where a login link is normal; None uses the list in
        `keywords/scam.yaml`.
    seller_domains : list of str or None
        The seller's own domains (a link to them is never a lure).
    """

    def __init__(self, catalog=None, marketplace_domains=None, seller_domains=None):
        self.catalog = catalog
        self.marketplace_domains = marketplace_domains
        self.seller_domains = seller_domains

    def _signal_names(self) -> list[str]:
        return list(SIGNAL_NAMES)

    def _evidence_names(self) -> list[str]:
        return list(SIGNAL_NAMES)

    # --- building ------------------------------------------------------------------

    def _build(self) -> None:
        words = load_keywords("scam")
        # Plain copies of what is read per row: the keyword mapping is read-only and not picklable.
        self.settings_ = {
            "supporting_min": int(words["business_proposal_supporting_min"]),
            "polish_per_phrase": float(words["template_polish_points_per_phrase"]),
            "polish_caps_subject": float(words["template_polish_caps_subject_points"]),
            "polish_caps_body": float(words["template_polish_caps_body_points"]),
            "probe_mailboxes": int(words["competitor_probe"]["min_mailboxes"]),
            "probe_window_hours": float(words["competitor_probe"]["window_hours"]),
            **{key: float(value) for key, value in words["huge_order"].items()},
            "many_samples_min": int(words["many_samples_min"]),
        }
        self.settings_["pieces_min"] = self._huge_pieces(self.settings_)
        marketplaces = words["marketplace_domains"] if self.marketplace_domains is None else self.marketplace_domains
        self.marketplaces_ = frozenset(registered_domain(domain) for domain in marketplaces)
        self.brand_names_ = frozenset(
            [domain.split(".")[0] for domain in self.marketplaces_ if len(domain.split(".")[0]) >= 4]
            + [str(name).lower() for name in words["brand_names"]]
        )
        self.genuine_brand_domains_ = self.marketplaces_ | frozenset(str(d).lower() for d in words["brand_domains"])
        self.shorteners_ = frozenset(str(host).lower() for host in words["url_shorteners"])
        self.seller_domains_ = frozenset(registered_domain(domain) for domain in self.seller_domains or ())
        self.dangerous_extensions_ = frozenset(words["dangerous_extensions"])
        self.document_extensions_ = frozenset(words["document_extensions"])
        self.archive_extensions_ = frozenset(words["archive_extensions"])
        self.order_name_pattern_ = re.compile(
            "|".join(
                rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])"
                for word in sorted(words["order_like_names"], key=len, reverse=True)
            ),
            re.IGNORECASE,
        )
        self.catalog_matcher_ = CatalogMatcher(self.catalog)
        self._build_units(words)
        # One index for every phrase list, the suspect units and the catalogue: each text is walked once.
        lists = {name: flatten_phrases(words[name]) for name in PHRASE_LISTS}
        lists[_SUSPECT_UNIT] = self._suspect_unit_words()
        product_phrases = self._product_phrases()
        lists.update({_SKU + sku: phrases for sku, phrases in product_phrases.items()})
        lists[_UNIT_IN_NAME] = self._catalogue_unit_phrases(product_phrases)
        self.phrases_ = PhraseIndex(lists)
        self.multipliers_ = {
            normal_words(word) or word: float(factor)
            for factor, multiplier_words in words["multiplier_words"].items()
            for word in multiplier_words
        }
        self.han_multipliers_ = tuple((word, factor) for word, factor in self.multipliers_.items() if HAN.search(word))
        # Without "million" after it or containers around it, a smaller number is never a huge quantity.
        self.smallest_quantity_ = min(self.settings_["tons_min"], self.settings_["pieces_min"])
        self.generic_product_words_ = frozenset(singular(word.lower()) for word in words["generic_product_words"])
        self.order_filler_words_ = frozenset(normal_words(word) for word in words["order_filler_words"])
        self.tons_per_unit_ = {unit.lower(): float(tons) for unit, tons in words["tons_per_unit"].items()}

    def _huge_pieces(self, limits: dict[str, float]) -> float:
        """How many pieces make an order huge for this seller: a multiple of its usual MOQ."""
        if self.catalog is None or not len(self.catalog) or "moq" not in self.catalog.columns:
            return limits["pieces_min"]
        moqs = pd.to_numeric(self.catalog["moq"], errors="coerce").dropna()
        if not len(moqs):
            return limits["pieces_min"]
        return max(limits["pieces_floor"], limits["pieces_moq_multiple"] * float(moqs.median()))

    def _build_units(self, words: Mapping[str, Any]) -> None:
        kinds_of: dict[str, set[str]] = {}
        for kind, units in words["unit_kinds"].items():
            for unit in units:
                kinds_of.setdefault(normal_words(unit) or unit, set()).add(kind)
        self.unit_kinds_ = {unit: frozenset(kinds) for unit, kinds in kinds_of.items()}
        self.han_units_ = tuple(
            sorted(((unit, kinds) for unit, kinds in self.unit_kinds_.items() if HAN.search(unit)), key=lambda u: -len(u[0]))
        )
        self.max_unit_words_ = max(len(unit.split()) for unit in self.unit_kinds_)
        per_words = [word.lower() for word in words["per_words"]]
        articles = [word.lower() for word in words["article_per_words"]]
        # What may stand right before a unit: a number, a "per" word, or an article before a long unit word.
        self.before_unit_pattern_ = re.compile(
            r"(?:(?P<number>\d[\d.,\u00a0\u202f ]*)"
            rf"|(?P<per>{'|'.join(_word_before(word) for word in sorted(per_words, key=len, reverse=True))})"
            rf"|(?P<article>{'|'.join(_word_before(word) for word in sorted(articles, key=len, reverse=True))}))\s*$",
            re.IGNORECASE,
        )
        catalog_kinds = {unit.lower(): kind for kind, units in words["catalog_unit_kinds"].items() for unit in units}
        self.absurd_kinds_ = {str(kind): frozenset(others) for kind, others in words["absurd_unit_kinds"].items()}
        self.sku_unit_kind_: dict[str, str] = {}
        category_kinds: dict[str, list[str]] = {}
        if self.catalog is not None and len(self.catalog) and "unit" in self.catalog.columns:
            for sku, category, unit in zip(self.catalog["sku"], self.catalog["category"], self.catalog["unit"]):
                kind = catalog_kinds.get(cell_text(unit).strip().lower())
                if kind:
                    self.sku_unit_kind_[str(sku).strip()] = kind
                    category_kinds.setdefault(str(category).strip(), []).append(kind)
        # A category's unit is the unit most of its products are sold by.
        self.category_unit_kind_ = {
            category: max(sorted(set(kinds)), key=kinds.count) for category, kinds in category_kinds.items()
        }

    def _suspect_unit_words(self) -> list[str]:
        """Only units that can contradict something this catalogue sells are looked for."""
        suspect = {other for kind in set(self.sku_unit_kind_.values()) for other in self.absurd_kinds_.get(kind, ())}
        return [unit for unit, kinds in self.unit_kinds_.items() if kinds & suspect]

    def _catalogue_unit_phrases(self, phrases: dict[str, list[str]]) -> tuple[str, ...]:
        """Product names and keywords with a number and unit in them ("400 lbs chair", "150W"),
        and each such number and unit on its own ("25 kg" of "PP woven bag 25 kg"): a buyer who
        misspells the rest of the name ("woven bag 25 kg wtih liner") still names the product."""
        found = set()
        for sku_phrases in phrases.values():
            for phrase in sku_phrases:
                words = phrase.split()
                for position, word in enumerate(words[:-1]):
                    kinds, unit = self._unit_at(words[position + 1 :], "") if word.isdigit() else (frozenset(), "")
                    if kinds:
                        found.update((phrase, f"{word} {unit}"))
        return tuple(sorted(found))

    def _product_phrases(self) -> dict[str, list[str]]:
        """Catalogue phrases by SKU, for the batch-wide probe (a phrase of several products names none)."""
        phrase_skus: dict[str, set[str]] = {}
        if self.catalog is not None and len(self.catalog):
            keywords = self.catalog["keywords"] if "keywords" in self.catalog.columns else [[]] * len(self.catalog)
            for sku, name, synonyms in zip(self.catalog["sku"], self.catalog["name"], keywords):
                synonyms = synonyms.split(";") if isinstance(synonyms, str) else list(synonyms if synonyms is not None else [])
                for phrase in [str(sku), str(name), *map(str, synonyms)]:
                    normal = normal_words(phrase)
                    if normal:
                        phrase_skus.setdefault(normal, set()).add(str(sku).strip())
        by_sku: dict[str, list[str]] = {}
        for phrase, skus in phrase_skus.items():
            if len(skus) == 1:
                by_sku.setdefault(next(iter(skus)), []).append(phrase)
        return by_sku

    # --- extraction ------------------------------------------------------------------

    def _extract(self, inquiries: pd.DataFrame, texts: InquiryTexts) -> tuple[np.ndarray, dict]:
        n_rows = len(texts)
        rows = []
        evidence = evidence_lists(n_rows, SIGNAL_NAMES)
        senders = column_values(inquiries, "sender_email")
        companies = column_values(inquiries, "company")
        websites = column_values(inquiries, "website")
        attachments = column_values(inquiries, "attachments")
        subjects = column_values(inquiries, "subject")
        bodies = column_values(inquiries, "body")
        skus_named = []
        for row, text in enumerate(texts):
            read = Reading(text, self.phrases_, self._catalogue_check(texts, row))
            skus_named.append([label[len(_SKU) :] for label in read.phrases if label.startswith(_SKU)])
            found = {
                "scam_login_link": self._login_link(read, senders[row], websites[row], cell_text(companies[row])),
                "scam_url_shortener": self._url_shortener(read),
                "scam_dangerous_attachment": self._dangerous_attachment(attachment_names(attachments[row]), read),
                "scam_invitation_visa": read.marker("invitation_visa"),
                "scam_urgent_travel": self._urgent_travel(read),
                "scam_huge_order_no_knowledge": self._huge_order(read),
                "scam_absurd_units": self._absurd_units(read),
                "scam_free_samples": self._free_samples(read),
                "scam_advance_fee": self._advance_fee(read),
                "scam_bank_change": read.marker("bank_change"),
                "scam_business_proposal": self._business_proposal(read),
                "scam_template_polish": self._template_polish(cell_text(subjects[row]), cell_text(bodies[row]), read),
                "scam_competitor_probe": read.marker("competitor_cues"),
                "scam_not_a_buyer": read.marker("not_a_buyer"),
            }
            # Plain lists, made an array once: numpy's per-element assignment costs more than most markers.
            rows.append([found[name][0] for name in SIGNAL_NAMES])
            for name in SIGNAL_NAMES:
                evidence[name][row] = found[name][1]
        values = np.array(rows, dtype=np.float64).reshape(n_rows, len(SIGNAL_NAMES))
        self._competitor_probe(inquiries, skus_named, values, evidence)
        return values, evidence

    def _own_domains(self, sender: object, website: object) -> frozenset[str]:
        domains = set(self.seller_domains_)
        for address in (cell_text(sender), cell_text(website)):
            if address.strip():
                domains.add(registered_domain(address))
        return frozenset(domains)

    # --- links ---------------------------------------------------------------------

    def _login_link(self, read: Reading, sender: object, website: object, company: str) -> tuple[float, list[str]]:
        """Lure wording near a link to a site that is neither the sender's nor a marketplace.

        The buyer's own domains (sender, website, a domain named like their
        company) are trusted, unless the domain borrows a marketplace's or a
        brand's name ("alibaba-secure-login.com", "dropbox-secure-docs.info"):
        then the sender is the lure. Words inside a URL ("/login") are no lure.
        """
        lures = read.phrases.get("login_lure")
        if not lures or not read.links:
            return 0.0, []
        inside_links = [(start, start + len(url)) for start, url in read.links]
        wording = [
            (start, lure)
            for start, lure in zip(lures.starts, lures.snippets)
            if not any(begin <= start < end for begin, end in inside_links)
        ]
        if not wording:
            return 0.0, []
        own = self._own_domains(sender, website)
        snippets = []
        for position, url in read.links:
            domain = registered_domain(url)
            if domain in self.marketplaces_ or (
                not self._imitates_brand(host_of(url), domain) and (domain in own or _named_like(domain, company))
            ):
                continue
            distance, lure = min((abs(start - position), lure) for start, lure in wording)
            if distance <= LURE_DISTANCE:
                snippets.append(f"{url} ({lure})")
        found = distinct(snippets)
        return float(bool(found)), found

    def _imitates_brand(self, host: str, domain: str) -> bool:
        """A host that borrows a marketplace's or a brand's name ("alibaba.trade-message.info") without being theirs."""
        return domain not in self.genuine_brand_domains_ and any(name in host for name in self.brand_names_)

    def _url_shortener(self, read: Reading) -> tuple[float, list[str]]:
        found = []
        for _, url in read.links:
            host = host_of(url)
            if host.removeprefix("www.") in self.shorteners_ or registered_domain(url) in self.shorteners_:
                found.append(url)
        found = distinct(found)
        return float(bool(found)), found

    # --- attachments -----------------------------------------------------------------

    def _dangerous_attachment(self, names: list[str], read: Reading) -> tuple[float, list[str]]:
        """Executables, scripts, web pages, disk images, double extensions, order-named archives."""
        found = []
        for name in names:
            parts = [part.strip().lower() for part in name.split(".")]
            if len(parts) < 2:
                continue
            extension, before = parts[-1], parts[-2] if len(parts) > 2 else ""
            if extension in self.dangerous_extensions_:
                why = "double extension" if before in self.document_extensions_ else f"dangerous file type .{extension}"
                found.append(f"{name} ({why})")
            elif extension in self.archive_extensions_:
                if self.order_name_pattern_.search(".".join(parts[:-1])):
                    found.append(f"{name} (archive named like a trade document)")
                elif "archive_password" in read.phrases:
                    found.append(f"{name} (password-protected archive: {read.phrases['archive_password'].snippets[0]})")
        found = distinct(found)
        return float(bool(found)), found

    # --- travel, big orders, units, samples -------------------------------------------------

    def _advance_fee(self, read: Reading) -> tuple[float, list[str]]:
        """Fees asked in advance; a fee a service vendor quotes for its own offer is its price, not a scam."""
        if "advance_fee" in read.phrases:
            return read.marker("advance_fee")
        if "service_fee" in read.phrases and "not_a_buyer" not in read.phrases:
            return read.marker("service_fee")
        return 0.0, []

    def _urgent_travel(self, read: Reading) -> tuple[float, list[str]]:
        if "travel_demand" not in read.phrases or "urgency" not in read.phrases:
            return 0.0, []
        return 1.0, distinct(read.phrases["travel_demand"].snippets + read.phrases["urgency"].snippets)

    def _huge_order(self, read: Reading) -> tuple[float, list[str]]:
        """A very large volume or sum, with no product, model code or size named."""
        big = self._big_numbers(read) + read.phrases.get("huge_order_claims", Matches()).snippets
        if not big or self._shows_product_knowledge(read):
            return 0.0, []
        return 1.0, distinct(big)

    def _big_numbers(self, read: Reading) -> list[str]:
        settings, text = self.settings_, read.text
        containers: set[int] | None = None
        currency: set[int] | None = None
        found = []
        for start, end, raw in read.numbers:
            if start and text[start - 1] == "+":
                continue  # "+1 201 555 0100": a phone number
            amount = float(raw) if raw.isdigit() else parse_number(raw)
            next_word = _NEXT_WORD.match(text, end)
            multiplier = self._multiplier(next_word.group(1).lower() if next_word else "", text, end)
            if containers is None and (multiplier is not None or amount >= settings["containers_min"]):
                containers = read.starts("container_words")
                currency = read.starts("currency_words") | {
                    position for sign in _CURRENCY_SIGNS for position in all_positions(text, sign)
                }
            if multiplier is None and amount < self.smallest_quantity_ and not (
                containers and amount >= settings["containers_min"]
            ):
                continue  # the common case: "500 pcs", "30%", "2026"
            if multiplier is not None:
                amount = parse_number(raw, decimal_likely=True) * multiplier
            after = _WORDS_AFTER.match(text, end)
            following = after.group(1) if after else text[end : end + 4].partition("\n")[0]
            reach = (after.end() if after else end) + 2
            if containers and any(end <= p <= reach for p in containers):
                # "20GP", "40HQ" name a container size, not a number of containers.
                glued = end < len(text) and ((text[end].isascii() and text[end].isalpha()) or text[end] in _FEET_MARKS)
                if multiplier is None and not glued and amount >= settings["containers_min"]:
                    found.append(text[start:reach].strip())
            elif currency and any(start - 6 <= p <= reach for p in currency):
                if amount >= settings["money_min"]:
                    found.append(text[max(0, start - 6) : reach].strip())
            else:
                words = normal_words(following).split()
                unit_words = words[1:] if multiplier is not None and words and words[0] in self.multipliers_ else words
                kinds, unit = self._unit_at(unit_words, following)
                if not kinds and self._generic_order_noun(unit_words):
                    kinds = frozenset({"count"})  # "120000 of your products"
                if "count" in kinds and amount >= settings["pieces_min"]:
                    found.append(text[start:reach].strip())
                elif "weight" in kinds and amount * self.tons_per_unit_.get(unit, 1.0) >= settings["tons_min"]:
                    found.append(text[start:reach].strip())
        return found

    def _generic_order_noun(self, words: list[str]) -> bool:
        """The words after a number, past "of your", name products only in general."""
        rest = list(words)
        while rest and rest[0] in self.order_filler_words_:
            rest.pop(0)
        return bool(rest) and singular(rest[0]) in self.generic_product_words_

    def _multiplier(self, next_word: str, text: str, end: int) -> float | None:
        """The factor of "million", "k", "万" right after a number, if any."""
        if next_word in self.multipliers_:
            return self.multipliers_[next_word]
        stripped = text[end : end + 8].lstrip()
        if stripped and HAN.match(stripped):
            return next((factor for word, factor in self.han_multipliers_ if stripped.startswith(word)), None)
        return None

    def _unit_at(self, words: list[str], following: str) -> tuple[frozenset[str], str]:
        """The unit the next words (or the next Chinese characters) name, and its kinds."""
        for size in range(min(self.max_unit_words_, len(words)), 0, -1):
            unit = " ".join(words[:size])
            if unit in self.unit_kinds_:
                return self.unit_kinds_[unit], unit
        stripped = following.lstrip()
        if stripped and HAN.match(stripped):
            for unit, kinds in self.han_units_:
                if stripped.startswith(unit):
                    return kinds, unit
        return frozenset(), ""

    def _shows_product_knowledge(self, read: Reading) -> bool:
        """A model code, a size, or a product named by more than its category's words."""
        if DIMENSIONS.search(read.text):
            return True
        mention = read.mention()
        if mention.codes:
            return True
        for sku, snippet in zip(mention.skus, mention.snippets):
            generic = {singular(word) for word in tokens_of(self.catalog_matcher_.sku_category.get(sku, ""))}
            generic |= self.generic_product_words_
            if any(singular(word) not in generic for word in tokens_of(snippet)):
                return True
        return False

    def _absurd_units(self, read: Reading) -> tuple[float, list[str]]:
        """A unit that makes no sense for every product the text names ("price per kilo" for chairs)."""
        expressions = self._unit_expressions(read)
        if not expressions:
            return 0.0, []
        text_kinds = self._mention_kinds(read.mention())
        if not text_kinds:
            return 0.0, []
        exempt = read.starts("unit_exempt_context")
        found = []
        for expression in expressions:
            start, end = sentence_of(read.sentences, expression.start)
            if any(start <= position < end for position in exempt):
                continue
            sentence = read.text[start:end]
            kinds = text_kinds if expression.priced else self._mention_kinds(self.catalog_matcher_.match(sentence))
            # Absurd only if every reading of the unit is absurd for every product named.
            if kinds and all(expression.kinds <= self.absurd_kinds_.get(kind, frozenset()) for kind in kinds):
                sold_by = "/".join(sorted(kinds))
                found.append(f"{shorten(sentence)} ({expression.snippet}; catalogue sells by {sold_by})")
        found = distinct(found)
        return float(bool(found)), found

    def _catalogue_check(self, texts: InquiryTexts, row: int) -> Callable[[str], CatalogMention]:
        """The catalogue check of one row's text, on the tokens specificity already cut."""
        return lambda _text: self.catalog_matcher_.match_tokens(texts.tokens(row))

    def _mention_kinds(self, mention: CatalogMention) -> set[str]:
        kinds = {self.sku_unit_kind_[sku] for sku in mention.skus if sku in self.sku_unit_kind_}
        if not mention.skus:
            kinds |= {self.category_unit_kind_[c] for c in mention.named_categories if c in self.category_unit_kind_}
        return kinds

    def _unit_expressions(self, read: Reading) -> list[_UnitExpression]:
        """Suspect units with what stands before them: "per kilo", "/kg", "le kilo", "每公斤"
        (a price per unit) or "5 tons" (a quantity)."""
        found = read.phrases.get(_SUSPECT_UNIT)
        if found is None:
            return []
        expressions = []
        for start, unit in zip(found.starts, found.snippets):
            kinds = self.unit_kinds_.get(normal_words(unit) or unit.lower())
            before = self.before_unit_pattern_.search(read.text, max(0, start - 24), start)
            if kinds is None or before is None:
                continue
            if unit[-1].isdigit() and (not unit[-2:-1].isalpha() or _NUMBER_GOES_ON.match(read.text, start + len(unit))):
                continue  # "480 chips/m 2,500 m": a length, then a number, not "m2"
            if before["article"] and len(unit) < 3 and not HAN.search(unit):
                continue  # "a m", "the g": not a unit
            if before["number"] and before.start() > 0 and read.text[before.start() - 1].isalpha():
                continue  # "CH200 kg...": a model code, not a quantity
            if before["number"] and _inside(before.start(), read.phrases.get(_UNIT_IN_NAME)):
                continue  # "400 lbs chair", "25kg bag" is what the product is called
            priced = before["number"] is None
            expressions.append(_UnitExpression(kinds, read.text[before.start() : start + len(unit)].strip(), start, priced))
        return expressions

    def _free_samples(self, read: Reading) -> tuple[float, list[str]]:
        """Samples of many or all products at the seller's cost.

        A sentence naming samples and "all" / "many" (or "10 samples"), plus "free" (or "we have no
        courier account") anywhere: 1. With a courier named instead: 0.5, a
        half-strength sign. Nothing when the buyer says they pay.
        """
        phrases = read.phrases
        if "sample_words" not in phrases or "buyer_pays" in phrases:
            return 0.0, []
        if "free_words" not in phrases and "courier_words" not in phrases:
            return 0.0, []
        many = phrases["many_words"].starts if "many_words" in phrases else []
        found = []
        for position in phrases["sample_words"].starts:
            start, end = sentence_of(read.sentences, position)
            counted = _COUNT_BEFORE.search(read.text, start, position)
            if any(start <= other < end for other in many) or (
                counted and int(counted.group(1)) >= self.settings_["many_samples_min"]
            ):
                found.append(read.text[start:end])
        if not found:
            return 0.0, []
        if "free_words" in phrases:
            return 1.0, distinct(found + phrases["free_words"].snippets)
        return 0.5, distinct(found + phrases["courier_words"].snippets)

    # --- proposals, polish -------------------------------------------------------------

    def _business_proposal(self, read: Reading) -> tuple[float, list[str]]:
        if "business_proposal_strong" in read.phrases:
            return 1.0, distinct(read.phrases["business_proposal_strong"].snippets)
        supporting = distinct(read.phrases["business_proposal_supporting"].snippets) if (
            "business_proposal_supporting" in read.phrases
        ) else []
        if len(supporting) >= self.settings_["supporting_min"]:
            return 1.0, supporting
        return 0.0, []

    def _template_polish(self, subject: str, body: str, read: Reading) -> tuple[float, list[str]]:
        settings = self.settings_
        phrases = distinct(read.phrases["template_polish"].snippets) if "template_polish" in read.phrases else []
        score = len(phrases) * settings["polish_per_phrase"]
        snippets = list(phrases)
        subject_letters, subject_capitals = latin_letters(subject)
        if len(subject.split()) >= 3 and subject_letters >= 8 and subject_capitals == subject_letters:
            score += settings["polish_caps_subject"]
            snippets.append(f"all-caps subject: {shorten(subject)}")
        body_letters, body_capitals = latin_letters(body[:2000])
        if body_letters >= 40 and body_capitals > body_letters / 2:
            score += settings["polish_caps_body"]
            snippets.append("body mostly in capitals")
        return min(1.0, score), snippets

    # --- the batch: competitor probing -----------------------------------------------

    def _competitor_probe(
        self, inquiries: pd.DataFrame, skus_named: list[list[str]], values: np.ndarray, evidence: dict
    ) -> None:
        """Same product, same country, several mailboxes within the window: a price probe."""
        hours = self.settings_["probe_window_hours"]
        window = pd.Timedelta(hours=hours).value  # nanoseconds
        minimum = self.settings_["probe_mailboxes"]
        column = SIGNAL_NAMES.index("scam_competitor_probe")
        moments, missing, tick_nanoseconds = _instants(inquiries)
        # Whole ticks: for whole-tick instants, |a - b| <= window exactly when |a - b| <= window // tick.
        window //= tick_nanoseconds
        mailboxes = [cell_text(sender).strip().lower() for sender in column_values(inquiries, "sender_email")]
        countries = [
            _region_key(code, name, mailbox)
            for code, name, mailbox in zip(column_values(inquiries, "country_code"), column_values(inquiries, "country"), mailboxes)
        ]
        history = _history_mask(inquiries)
        eligible = [
            row for row in range(len(skus_named))
            if not history[row] and countries[row] and mailboxes[row] and not missing[row]
        ]
        # Only countries with enough distinct mailboxes can hold a probe: match products there alone.
        boxes_per_country: dict[str, set[str]] = {}
        for row in eligible:
            boxes_per_country.setdefault(countries[row], set()).add(mailboxes[row])
        asks: dict[tuple[str, str], list[tuple[int, str, int]]] = {}
        for row in eligible:
            if len(boxes_per_country[countries[row]]) < minimum:
                continue
            for sku in skus_named[row]:
                asks.setdefault((sku, countries[row]), []).append((moments[row], mailboxes[row], row))
        for (sku, country), group in asks.items():
            if len({mailbox for _, mailbox, _ in group}) < minimum:
                continue
            group.sort()
            # Sorted by time, the asks within the window of one ask are a contiguous run.
            times = [moment for moment, _, _ in group]
            for moment, _, row in group:
                nearby = group[bisect_left(times, moment - window) : bisect_right(times, moment + window)]
                boxes = sorted({mailbox for _, mailbox, _ in nearby})
                if len(boxes) >= minimum:
                    values[row, column] = 1.0
                    note = f"{sku} from {country} asked by {len(boxes)} mailboxes within {hours:g} h: {', '.join(boxes[:4])}"
                    if note not in evidence["scam_competitor_probe"][row]:
                        evidence["scam_competitor_probe"][row].append(note)


def _instants(inquiries: pd.DataFrame) -> tuple[list[int], np.ndarray, int]:
    """`received_at` in UTC as whole ticks of its own unit, which rows have none (or an
    unreadable one), and the nanoseconds in one tick."""
    column = inquiries["received_at"] if "received_at" in inquiries.columns else None
    if column is not None and column.dtype.kind == "M":
        received = pd.to_datetime(column, utc=True)
    else:
        received = pd.to_datetime(pd.Series(column_values(inquiries, "received_at"), dtype=object), utc=True, errors="coerce")
    naive = received.dt.tz_convert(None)
    ticks = naive.to_numpy().view(np.int64)
    return ticks.tolist(), received.isna().to_numpy(), pd.Timedelta(1, unit=naive.dt.unit).value


def _inside(position: int, found: Matches | None) -> bool:
    """Whether a position falls inside one of the phrases found."""
    return found is not None and any(
        start <= position < start + len(snippet) for start, snippet in zip(found.starts, found.snippets)
    )


def _named_like(domain: str, company: str) -> bool:
    """A domain named after the buyer's company ("pacificoffice.com.ng" for "Pacific Office Trading")."""
    label = re.sub(r"[^a-z0-9]", "", domain.split(".")[0])
    name = re.sub(r"[^a-z0-9]", "", company.lower())
    return len(label) >= 5 and len(name) >= 5 and (label in name or name in label)


def _region_key(code: object, name: object, mailbox: str) -> str:
    """The buyer's country as given, else the country of the sender's domain ("yandex.com.tr" -> "TR")."""
    given = cell_text(code).strip().upper() or cell_text(name).strip().lower()
    if given or "@" not in mailbox:
        return given
    suffix = registered_domain(mailbox).rsplit(".", 1)[-1]
    return suffix.upper() if len(suffix) == 2 and suffix.isalpha() else ""


def _history_mask(inquiries: pd.DataFrame) -> np.ndarray:
    """Buyers with orders, paid samples or a visit are customers, not probes."""
    mask = np.zeros(len(inquiries), dtype=bool)
    for name in ("prior_orders", "sample_orders"):
        if name in inquiries.columns:
            mask |= pd.to_numeric(inquiries[name], errors="coerce").fillna(0).to_numpy() > 0
    if "visited_factory" in inquiries.columns:
        visited = inquiries["visited_factory"].map(lambda v: v is True or str(v).strip().lower() in {"true", "1", "yes"})
        mask |= visited.to_numpy(dtype=bool)
    return mask
