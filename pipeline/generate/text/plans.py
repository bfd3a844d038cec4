"""One writing plan per latent buyer type (and per scam kind).

Each plan fills a `Draft` through a `Composer`: greeting, optional intro, the type's own
lines, requirement sentences, questions, closing, attachments and a subject. What makes
a type recognisable is in these plans; what makes text vary is in the phrase banks.
"""

from __future__ import annotations

from pipeline.generate.buyer_types import BuyerType
from pipeline.generate.text.compose import Composer
from pipeline.generate.world import between, pick

# Share of competitor probes that only ask for a price (the rest ask about costs,
# suppliers or customers, which gives them away).
PLAIN_PROBE_SHARE = 0.4
ATTACHMENTS = {
    "po": ("{po}.pdf", "{po}.xlsx", "Purchase Order {po}.pdf", "PO_{po}_signed.pdf"),
    "complaint": ("IMG_{n}.jpg", "IMG_{n2}.jpg", "damage_photos.zip", "WhatsApp Image 2025-{n3}.jpeg"),
    "visa": ("passport_{last}.pdf", "passport copy.jpg", "visa_application_form.pdf"),
    "payment": ("bank slip {po}.pdf", "TT copy.pdf", "remittance_{po}.pdf"),
    "rfq": ("RFQ_{n}.pdf", "specification.xlsx", "BOQ_rev2.xlsx", "layout_{n}.pdf", "tech_requirements.docx", "reference_photo.jpg"),
    "architect": ("drawings_rev3.zip", "project_{n}_dwg.zip", "BOQ.xlsx"),
    "vendor": ("company_profile.pdf", "rate_card_2025.pdf", "CV.pdf"),
    "fake_po": ("PO#{n}.pdf.exe", "Order_Specification.html", "RFQ_documents.iso", "PO_{n}.zip", "Invoice_{n}.xlsx.scr", "Purchase Order.pdf.js", "New_Order_{n}.img", "Payment_copy.html", "PO-{n}.r00", "Quotation_request.xls.exe"),
    "docshare": ("Shared_Document.html", "View_PDF.htm", "Secure_Message.shtml"),
}


def _attachment(composer: Composer, kind: str) -> str:
    rng = composer.rng
    template = pick(rng, ATTACHMENTS[kind])
    slots = composer.draft.slots
    values = {
        "po": slots["po"].replace("#", "").replace(" ", "_") if "{po}" in template else "",
        "n": str(between(rng, 1000, 9999)),
        "n2": str(between(rng, 1000, 9999)),
        "n3": f"{between(rng, 1, 13):02d}-{between(rng, 1, 29):02d} at {between(rng, 8, 22)}.{between(rng, 10, 59)}.{between(rng, 10, 59)}",
        "last": composer.ctx.person.latin_last.lower(),
    }
    return template.format(**values)


def subject_from(composer: Composer, group: str) -> None:
    subjects = composer.bank["subject"].get(group) or composer.bank["subject"]["inquiry"]
    composer.draft.subject = pick(composer.rng, subjects).format_map(composer.draft.slots)


# --- buyers ---------------------------------------------------------------------------
def existing_customer(composer: Composer, kind: BuyerType, variant: str) -> None:
    rng = composer.rng
    composer.draft.formal = rng.random() < 0.4
    composer.greet(named=0.75)
    composer.add(composer.line(f"existing_{variant}"))
    if variant in ("followup", "offtopic") and rng.random() < 0.25:
        composer.add(composer.line(f"existing_{pick(rng, ('followup', 'payment', 'offtopic'))}"))
    if variant == "reorder" and rng.random() < 0.4:
        composer.requirements(composer.area_count(1, 2), ("delivery", "packaging", "payment"))
    composer.closing(0.45)
    if variant == "po":
        composer.draft.attachments.append(_attachment(composer, "po"))
    elif variant == "complaint":
        composer.draft.attachments.extend(_attachment(composer, "complaint") for _ in range(between(rng, 1, 4)))
    elif variant == "visa":
        composer.draft.attachments.extend(_attachment(composer, "visa") for _ in range(between(rng, 1, 3)))
    elif variant == "payment" and rng.random() < 0.7:
        composer.draft.attachments.append(_attachment(composer, "payment"))
    subject_from(composer, "existing")


def serious_buyer(composer: Composer, kind: BuyerType, variant: str) -> None:
    rng = composer.rng
    if variant == "terse" and composer.has("terse_rfq"):
        # A big buyer who knows what he wants: one line of spec, then a full signature.
        composer.draft.formal = False
        if rng.random() < 0.5:
            composer.greet(named=0.3)
        composer.add(composer.line("terse_rfq"))
        subject_from(composer, "inquiry")
        return
    composer.greet(named=0.25)
    if variant == "architect" and composer.has("architect"):
        composer.add(composer.line("architect"))
        composer.draft.attachments.append(_attachment(composer, "architect"))
    else:
        composer.add(composer.maybe("intro", 0.7), composer.maybe("source", 0.3))
    composer.interest(1.0, two=0.35)
    composer.requirements(composer.area_count(*kind.areas))
    if variant == "portal" and composer.has("supplier_portal"):
        composer.add(composer.line("supplier_portal"))
    if rng.random() < 0.5:
        composer.add(" ".join(composer.line("questions") for _ in range(between(rng, 1, 3))))
    composer.add(composer.maybe("ask_price", 0.55))
    composer.closing(0.85)
    if rng.random() < 0.25:
        composer.draft.attachments.append(_attachment(composer, "rfq"))
    subject_from(composer, "inquiry")


def switching_supplier(composer: Composer, kind: BuyerType, variant: str) -> None:
    composer.greet(named=0.2)
    composer.add(composer.maybe("intro", 0.5))
    reason = composer.line("switch_reason")
    if composer.rng.random() < 0.5:
        composer.add(reason)
        composer.interest(kind.product)
    else:
        composer.interest(kind.product)
        composer.add(reason)
    composer.requirements(composer.area_count(*kind.areas))
    composer.add(composer.maybe("ask_price", 0.6))
    composer.closing()
    subject_from(composer, "inquiry")


def oem_seeker(composer: Composer, kind: BuyerType, variant: str) -> None:
    composer.greet(named=0.15)
    composer.add(composer.maybe("intro", 0.55), composer.line("oem_pitch"))
    if composer.rng.random() < kind.product:
        composer.add(composer.line("interest"))
    composer.requirements(composer.area_count(*kind.areas), ("quantity", "spec", "packaging", "target_price", "certification", "sample", "delivery"))
    composer.add(composer.maybe("questions", 0.5))
    composer.closing()
    subject_from(composer, "oem")


def influential_buyer(composer: Composer, kind: BuyerType, variant: str) -> None:
    composer.greet(named=0.3)
    composer.add(composer.line("influential_intro"))
    composer.interest(kind.product, two=0.4)
    composer.requirements(composer.area_count(*kind.areas))
    composer.add(composer.maybe("questions", 0.4))
    composer.closing(0.9)
    subject_from(composer, "inquiry")


def small_buyer(composer: Composer, kind: BuyerType, variant: str) -> None:
    composer.draft.formal = False
    if composer.rng.random() < 0.6:
        composer.greet(named=0.1)
    composer.interest(kind.product, two=0.1)
    composer.requirements(composer.area_count(*kind.areas), ("quantity", "spec", "delivery", "target_price", "incoterm"))
    composer.add(composer.maybe("ask_price", 0.5))
    composer.closing(0.4)
    subject_from(composer, "inquiry")


def quick_quote(composer: Composer, kind: BuyerType, variant: str) -> None:
    rng = composer.rng
    composer.draft.formal = False
    if rng.random() < 0.4:
        composer.greet(named=0.1)
    if rng.random() < 0.55:
        composer.add(composer.line("interest"))
    for _ in range(between(rng, 1, 3)):
        composer.add(composer.line("platform_short"))
    composer.requirements(composer.area_count(*kind.areas), ("quantity", "incoterm", "delivery", "target_price"))
    composer.add(composer.maybe("ask_price", 0.3))
    composer.draft.signed = rng.random() < 0.3
    subject_from(composer, "inquiry")


def info_collector(composer: Composer, kind: BuyerType, variant: str) -> None:
    composer.greet(named=0.05)
    composer.add(composer.maybe("intro", 0.35), composer.line("collector"))
    composer.closing(0.6)
    composer.draft.signed = composer.rng.random() < 0.6
    subject_from(composer, "vague")


def sample_hunter(composer: Composer, kind: BuyerType, variant: str) -> None:
    composer.greet(named=0.05)
    composer.add(composer.maybe("intro", 0.3), composer.line("sample_free"))
    composer.closing(0.5)
    subject_from(composer, "vague")


def competitor_probe(composer: Composer, kind: BuyerType, variant: str) -> None:
    composer.draft.formal = False
    if composer.rng.random() < 0.5:
        composer.greet(named=0.0)
    # Some competitors only ask for a price, which reads like any buyer's question.
    plain = composer.rng.random() < PLAIN_PROBE_SHARE
    composer.add(composer.line("competitor_plain" if plain else "competitor"))
    composer.draft.shows_non_buyer = not plain
    composer.closing(0.3)
    composer.draft.signed = composer.rng.random() < 0.25
    subject_from(composer, "inquiry")


def service_vendor(composer: Composer, kind: BuyerType, variant: str) -> None:
    rng = composer.rng
    composer.greet(named=0.1)
    pitches = [key for key in ("vendor_seo", "vendor_logistics", "vendor_fair", "vendor_agent", "vendor_other") if composer.has(key)]
    pitch = pick(rng, pitches)
    composer.ctx.extra["vendor_pitch"] = pitch
    composer.add(composer.line(pitch))
    composer.add(composer.maybe("cooperation_spam", 0.3))
    composer.closing(0.7)
    if rng.random() < 0.2:
        composer.draft.attachments.append(_attachment(composer, "vendor"))
    subject_from(composer, pitch if pitch in composer.bank["subject"] else "vendor")


def vague_lead(composer: Composer, kind: BuyerType, variant: str) -> None:
    rng = composer.rng
    composer.draft.formal = False
    if rng.random() < 0.5:
        composer.greet(named=0.0)
    composer.add(composer.line("vague"))
    composer.add(composer.maybe("cooperation_spam", 0.15))
    composer.draft.signed = rng.random() < 0.4
    subject_from(composer, "vague")


# --- frauds ---------------------------------------------------------------------------
def fraud(composer: Composer, kind: BuyerType, variant: str) -> None:
    """A scam script: one line from each of the kind's parts, in order."""
    script = composer.bank["scam"][variant]
    rng = composer.rng
    parts = [pick(rng, options).format_map(composer.draft.slots) for options in script["parts"]]
    composer.draft.greeting = parts[0] or None
    composer.add(*parts[1:])
    composer.draft.subject = pick(rng, script["subject"]).format_map(composer.draft.slots)
    composer.draft.signed = variant not in ("marketplace_phishing", "document_share_phishing", "directory_listing_fee")
    if variant == "fake_po_attachment":
        names = {_attachment(composer, "fake_po") for _ in range(between(rng, 1, 3))}
        composer.draft.attachments.extend(sorted(names))
    elif variant == "document_share_phishing" and rng.random() < 0.4:
        composer.draft.attachments.append(_attachment(composer, "docshare"))
    elif variant == "invitation_visa" and rng.random() < 0.5:
        composer.draft.attachments.append(_attachment(composer, "visa"))
    elif variant == "bank_detail_change" and rng.random() < 0.4:
        composer.draft.attachments.append("New_bank_details_letter.pdf")
    elif variant == "directory_listing_fee" and rng.random() < 0.6:
        composer.draft.attachments.append(pick(rng, ("Eintragungsformular.pdf", "update_form.pdf", "Korrekturabzug.pdf")))


PLANS = {
    "existing_customer": existing_customer,
    "influential_buyer": influential_buyer,
    "serious_buyer": serious_buyer,
    "switching_supplier": switching_supplier,
    "oem_seeker": oem_seeker,
    "small_buyer": small_buyer,
    "quick_quote": quick_quote,
    "info_collector": info_collector,
    "sample_hunter": sample_hunter,
    "competitor_probe": competitor_probe,
    "service_vendor": service_vendor,
    "vague_lead": vague_lead,
    "fraud": fraud,
}
