"""Reply drafts as unsent `.eml` files, and checklists for suspected frauds.

A draft follows the house style for replies: subject "<Company> / quotation
of <product>", the buyer's name in the salutation, thanks for the inquiry of
its date, one answer slot per question the buyer asked, a three-line company
introduction, the quotation prefilled from the catalogue, and the assigned
rep's signature, all written as "we". Templates (`templates/*.j2`) exist per
grade, buyer type and language; the most specific one available is used:

    grade{g}.{buyer_type}.{lang}.j2 -> grade{g}.{lang}.j2 -> grade{g}.{buyer_type}.en.j2 -> grade{g}.en.j2

Suspected frauds get no draft, only a verification checklist (markdown).
Drafts carry `X-Unsent: 1`; nothing here sends mail.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy as email_policy
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from features.text import new_body_text
from pipeline.routing.buyers import BuyerKeys
from pipeline.routing.data_files import read_yaml
from pipeline.routing.questions import QuestionWords
from pipeline.routing.timezones import zone_by_name

TEMPLATES_DIR = Path(__file__).with_name("templates")
DEFAULTS_FILE = Path(__file__).with_name("draft_defaults.yaml")
CHECKLIST_FILE = Path(__file__).with_name("verification_checklist.yaml")
DRAFTS_DIRNAME = "drafts"
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
_PLACEHOLDER_NAMES = {
    "n/a",
    "na",
    "none",
    "-",
    "sir",
    "madam",
    "sir/madam",
    "buyer",
    "customer",
    "purchasing",
}


class _CachedHeaderRegistry(HeaderRegistry):
    """The stdlib registry builds a new header class on every lookup; build each one once."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        if key not in self._classes:
            self._classes[key] = super().__getitem__(name)
        return self._classes[key]


def template_environment(*, strict: bool = False) -> jinja2.Environment:
    """The Jinja2 environment for drafts; `strict=True` makes any unguarded missing field an error."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined if strict else jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # plain-text e-mail, not HTML
    )


def reply_template_names(env: jinja2.Environment) -> list[str]:
    """Every reply template (not the bases, subjects or checklists)."""
    return sorted(name for name in env.list_templates(extensions=["j2"]) if name.startswith("grade"))


def choose_template(grade: int, language: str | None, buyer_type: str | None, available: set[str]) -> str:
    """The most specific template for the grade, language and buyer type.

    >>> available = {"grade1.en.j2", "grade1.es.j2", "grade1.existing_customer.en.j2"}
    >>> choose_template(1, "es", "existing_customer", available)
    'grade1.es.j2'
    >>> choose_template(1, "de", "existing_customer", available)
    'grade1.existing_customer.en.j2'
    >>> choose_template(1, None, None, available)
    'grade1.en.j2'
    """
    language = (language or "en").lower().split("-")[0]
    buyer_type = _slug(buyer_type) if buyer_type else None
    candidates = []
    if buyer_type:
        candidates.append(f"grade{grade}.{buyer_type}.{language}.j2")
    candidates.append(f"grade{grade}.{language}.j2")
    if buyer_type:
        candidates.append(f"grade{grade}.{buyer_type}.en.j2")
    candidates.append(f"grade{grade}.en.j2")
    for name in candidates:
        if name in available:
            return name
    raise ValueError(f"no reply template for grade {grade} (looked for {', '.join(candidates)})")


@dataclass(frozen=True)
class Draft:
    """A rendered reply: subject, body, and the template that made it."""

    subject: str
    body: str
    template: str
    language: str


@dataclass(frozen=True)
class VerificationChecklist:
    """Checklist items for suspected frauds: always-on ones and ones keyed by reason words."""

    always: tuple[str, ...]
    by_reason: tuple[tuple[tuple[str, ...], str], ...]

    @classmethod
    def load(cls, path: Path | str = CHECKLIST_FILE) -> VerificationChecklist:
        raw = read_yaml(path)
        by_reason = tuple(
            (tuple(str(word).casefold() for word in entry["words"]), str(entry["item"]))
            for entry in raw["by_reason"]
        )
        return cls(always=tuple(str(item) for item in raw["always"]), by_reason=by_reason)

    def items(self, reasons: list[str]) -> list[str]:
        """The checklist for these fraud reasons: specific items first, then the general ones.

        >>> checklist = VerificationChecklist.load()
        >>> items = checklist.items(["asks to change bank details"])
        >>> items[0].startswith("Confirm any change of bank details")
        True
        """
        text = " ".join(reasons).casefold()
        specific = [item for words, item in self.by_reason if any(word in text for word in words)]
        return specific + [item for item in self.always if item not in specific]


@dataclass
class DraftWriter:
    """Renders drafts and checklists for one company profile (one writer per batch)."""

    profile: Any
    env: jinja2.Environment = field(default_factory=template_environment)
    questions: QuestionWords = field(default_factory=QuestionWords.load)
    checklist: VerificationChecklist = field(default_factory=VerificationChecklist.load)
    buyer_keys: BuyerKeys = field(default_factory=BuyerKeys.load)

    def __post_init__(self) -> None:
        # Fold headers only past the SMTP line limit, so the subject reads on one line in the file.
        self._mail_policy = email_policy.default.clone(
            header_factory=_CachedHeaderRegistry(), max_line_length=998
        )
        raw = read_yaml(DEFAULTS_FILE)
        self._quote_defaults = {**raw["quote"], **(self.profile.settings.get("quote") or {})}
        self._max_products = int(raw.get("max_products", 5))
        self._highlights = int(raw.get("intro_highlights", 3))
        catalog = self.profile.catalog
        self._products = {str(row["sku"]): row for row in catalog.to_dict("records")}
        self._categories = [_readable(category) for category in dict.fromkeys(catalog["category"])]
        first_per_category = catalog.drop_duplicates("category")["name"].tolist()
        self._highlight_names = [str(name) for name in first_per_category[: self._highlights]]
        self._reps = {str(row["rep_id"]): row for row in self.profile.team.to_dict("records")}
        self._available = set(reply_template_names(self.env))

    # Context -----------------------------------------------------------------------

    def context(self, inquiry: Mapping[str, Any]) -> dict[str, Any]:
        """Everything a template may use, from one routed inquiry row."""
        received = _timestamp(inquiry.get("received_at"))
        zone_name = _text(inquiry.get("buyer_timezone"))
        local = (
            received.tz_convert(zone_by_name(zone_name)) if received is not None and zone_name else received
        )
        products = [self._product(sku) for sku in _list(inquiry.get("product_skus"))]
        products = [product for product in products if product][: self._max_products]
        categories = [_readable(category) for category in _list(inquiry.get("product_categories"))]
        label = products[0]["name"] if products else (categories[0] if categories else None)
        rep = self._reps.get(_text(inquiry.get("assigned_to")) or "")
        quote = dict(self._quote_defaults)
        validity = quote.pop("validity_days", None)
        quoted_on = _timestamp(inquiry.get("reply_due_at")) or received  # validity runs from the reply
        if validity and quoted_on is not None:
            if zone_name:
                quoted_on = quoted_on.tz_convert(zone_by_name(zone_name))
            until = quoted_on + timedelta(days=int(validity))
            quote["valid_until"] = {"day": until.day, "month": until.month, "year": until.year}
        body = new_body_text(inquiry.get("body"), _int(inquiry.get("quoted_reply_at"), -1))
        intro = self.profile.settings.get("intro") or []
        if isinstance(intro, str):
            intro = [line.strip() for line in intro.splitlines() if line.strip()]
        return {
            "grade": _int(inquiry.get("grade"), 3),
            "buyer_type": _text(inquiry.get("buyer_type")),
            "seller": {"name": self.profile.name, "website": self.profile.settings.get("website")},
            "buyer": {
                "name": _buyer_name(inquiry.get("sender_name")),
                "company": _text(inquiry.get("company"))
                if self.buyer_keys.company(inquiry.get("company"))
                else None,
                "email": self.buyer_keys.email(inquiry.get("sender_email")),
            },
            "inquiry": {
                "id": _text(inquiry.get("inquiry_id")),
                "subject": _text(inquiry.get("subject")),
                "received": {"day": local.day, "month": local.month, "year": local.year}
                if local is not None
                else None,
                "received_text": f"{local:%Y-%m-%d %H:%M} {zone_name or 'UTC'}"
                if local is not None
                else None,
            },
            "product_label": label,
            "products": products,
            "questions": self.questions.extract(body, _text(inquiry.get("language"))),
            "intro": [str(line) for line in intro][:3],
            "catalogue_categories": self._categories,
            "catalogue_highlights": self._highlight_names,
            "quote": quote,
            "rep": {"name": rep["name"], "email": rep["email"]} if rep else {},
        }

    def _product(self, sku: str) -> dict[str, Any] | None:
        row = self._products.get(sku)
        if row is None:
            return None
        product = {key: row.get(key) for key in ("sku", "name", "category", "unit", "moq", "price_usd")}
        for optional in ("specification", "packaging"):  # catalogues may carry these extra columns
            if _text(row.get(optional)):
                product[optional] = str(row[optional])
        return product

    # Rendering ---------------------------------------------------------------------

    def render(self, inquiry: Mapping[str, Any], context: Mapping[str, Any] | None = None) -> Draft:
        """The reply draft for a (non-fraud) inquiry."""
        context = context if context is not None else self.context(inquiry)
        language = (_text(inquiry.get("language")) or "en").lower().split("-")[0]
        name = choose_template(context["grade"], language, context.get("buyer_type"), self._available)
        language = name.rsplit(".", 2)[-2]
        body = self.env.get_template(name).render(**context)
        subject = self.env.get_template(f"subject.{language}.j2").render(**context).strip()
        return Draft(subject=subject, body=body, template=name, language=language)

    def message(self, draft: Draft, context: Mapping[str, Any]) -> EmailMessage:
        """The draft as an unsent e-mail, ready to open in a mail client."""
        message = EmailMessage(policy=self._mail_policy)
        message["Subject"] = draft.subject
        rep = context.get("rep") or {}
        if rep.get("email"):
            message["From"] = formataddr((str(rep.get("name") or ""), str(rep["email"])))
        if context["buyer"].get("email"):
            message["To"] = context["buyer"]["email"]
        message["X-Unsent"] = "1"
        if context["inquiry"].get("id"):
            message["X-Inquiry-Id"] = context["inquiry"]["id"]
        message["X-Inquiry-Grade"] = str(context["grade"])
        if context["grade"] == 1:
            message["X-Review"] = "supervisor approval required before sending"
        message.set_content(draft.body, cte="8bit")  # readable when opened as a file
        return message

    def verification(self, inquiry: Mapping[str, Any]) -> str:
        """The verification checklist (markdown) for a suspected fraud."""
        context = self.context(inquiry)
        reasons = [str(reason) for reason in _list(inquiry.get("fraud_reasons"))]
        return self.env.get_template("verification.en.j2").render(
            inquiry=context["inquiry"],
            buyer=context["buyer"],
            reasons=reasons,
            checklist=self.checklist.items(reasons),
        )

    def write(self, routed: pd.DataFrame, out_dir: Path | str) -> list[str | None]:
        """Write one file per inquiry under `out_dir/drafts/`; returns the paths, row by row.

        Suspected frauds get `<id>.verification.md`, every other inquiry `<id>.eml`.
        """
        folder = Path(out_dir) / DRAFTS_DIRNAME
        folder.mkdir(parents=True, exist_ok=True)
        paths: list[str | None] = []
        used: set[str] = set()
        for inquiry in routed.to_dict("records"):
            stem = _file_stem(str(inquiry.get("inquiry_id")), used)
            if _truthy(inquiry.get("suspected_fraud")):
                path = folder / f"{stem}.verification.md"
                path.write_text(self.verification(inquiry), encoding="utf-8")
            else:
                context = self.context(inquiry)
                path = folder / f"{stem}.eml"
                path.write_bytes(bytes(self.message(self.render(inquiry, context), context)))
            paths.append(str(path))
        return paths


def _file_stem(inquiry_id: str, used: set[str]) -> str:
    """A safe, unique file name stem for an inquiry id."""
    stem = _UNSAFE_FILENAME.sub("_", inquiry_id).strip("._") or "inquiry"
    candidate, number = stem, 2
    while candidate in used:
        candidate, number = f"{stem}_{number}", number + 1
    used.add(candidate)
    return candidate


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _readable(category: object) -> str:
    return str(category).replace("_", " ").strip()


def _buyer_name(value: object) -> str | None:
    name = _text(value)
    if not name or "@" in name or name.casefold().strip(" .") in _PLACEHOLDER_NAMES:
        return None
    return name


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _int(value: object, default: int) -> int:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return default if math.isnan(number) else int(number)


def _list(value: object) -> list:
    if value is None or isinstance(value, float) or value is pd.NA:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [item for item in value if _text(item)]


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


def _timestamp(value: object) -> pd.Timestamp | None:
    if value is None or value is pd.NaT:
        return None
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
