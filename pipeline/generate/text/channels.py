"""How each channel shapes a message: signatures, platform subjects, web forms, rep notes
from trade shows, WhatsApp exports and quoted reply chains."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from pipeline.generate.companies import Product
from pipeline.generate.text.compose import Draft
from pipeline.generate.world import between, pick


def join_body(draft: Draft, signature: str | None) -> str:
    """Greeting, paragraphs and signature, separated the way e-mail clients do."""
    blocks = []
    if draft.greeting:
        blocks.append(draft.greeting)
    blocks.extend(draft.paragraphs)
    separator = "\n\n" if draft.formal else "\n"
    text = separator.join(blocks)
    if signature:
        text = f"{text}\n\n{signature}" if text else signature
    return text


def signature_block(lines: list[tuple[str, str]], signoff: str, rng: random.Random, sig_labels: dict[str, list[str]]) -> str:
    """A signature: sign-off, then labelled or bare contact lines.

    `lines` are (kind, value) pairs with kind in name, title, company, address, tel,
    mobile, fax, email, web, messenger, country.
    """
    separator = pick(rng, (": ", ": ", " ", ". ", ":"))
    out = [signoff] if signoff else []
    for kind, value in lines:
        if kind in sig_labels and rng.random() < 0.85:
            out.append(f"{pick(rng, sig_labels[kind])}{separator}{value}")
        else:
            out.append(value)
    if rng.random() < 0.3 and len(out) > 2:
        out.insert(1, pick(rng, ("--", "____________________", "", "---")))
    return "\n".join(out)


def platform_title(product: Product, title_words: tuple[str, ...], rng: random.Random) -> str:
    """A marketplace product title: stacked adjectives, the product, a model code."""
    words = rng.sample(title_words, k=min(len(title_words), between(rng, 1, 4)))
    code = pick(rng, product.model_codes)
    title = f"{' '.join(words)} {product.name} {code}"
    if rng.random() < 0.4:
        title += pick(rng, (" Factory Price", " Wholesale", " OEM Customized", " for Export", " Hot Sale"))
    return title[:128]


def masked_email(name_hint: str, rng: random.Random) -> str:
    """Platforms hide the buyer's address behind a relay or stars."""
    stem = "".join(ch for ch in name_hint.lower() if ch.isalnum())[:8] or "buyer"
    return pick(rng, (f"{stem[0]}***{stem[-1]}@{pick(rng, ('gmail.com', 'hotmail.com', 'yahoo.com', 'outlook.com'))}", f"buyer{between(rng, 10**6, 10**7)}@message.alibaba.com", f"{stem[:2]}****@{pick(rng, ('gmail.com', 'hotmail.com'))}"))


def website_form_body(message: str, fields: list[tuple[str, str]], rng: random.Random) -> str:
    """A contact-form e-mail: the form fields, then the message."""
    if rng.random() < 0.45:
        return message
    lines = [f"{label}: {value}" for label, value in fields]
    lines.append(f"Message: {message}" if "\n" not in message else f"Message:\n{message}")
    if rng.random() < 0.5:
        lines.append(pick(rng, ("--\nThis e-mail was sent from a contact form on your website.", "Sent via website contact form", "IP: 10.{a}.{b}.{c}".format(a=between(rng, 0, 255), b=between(rng, 0, 255), c=between(rng, 0, 255)))))
    return "\n".join(lines)


def whatsapp_export(lines: list[str], buyer_label: str, rep_name: str, start: datetime, rng: random.Random) -> str:
    """A chat exported to the CRM: one timestamped line per message, buyer and rep."""
    moment = start.replace(second=0)
    out = []
    rep_lines = ("Hello, thanks for contacting us", "Which model do you need?", "Sure, let me check", "Please send your email, we will send the catalogue", "ok, quotation later today")
    for index, text in enumerate(lines):
        stamp = moment.strftime(pick(rng, ("[%d/%m/%Y, %H:%M]", "[%d.%m.%y %H:%M:%S]", "%m/%d/%y, %I:%M %p -")))
        out.append(f"{stamp} {buyer_label}: {text}")
        moment += timedelta(minutes=between(rng, 1, 40))
        if index < len(lines) - 1 and rng.random() < 0.35:
            out.append(f"{moment.strftime('[%d/%m/%Y, %H:%M]')} {rep_name}: {pick(rng, rep_lines)}")
            moment += timedelta(minutes=between(rng, 1, 20))
    return "\n".join(out)


def quoted_chain(intro: str, quoted: str) -> str:
    """A previous message below the new one, each line quoted with '>'."""
    return f"{intro}\n" + "\n".join(f"> {line}" if line else ">" for line in quoted.splitlines())
