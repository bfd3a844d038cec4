"""Write one inquiry: draw its latent buyer, write its text for its channel, fill its
contract fields, and decide the manager's label from what was written."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pipeline.generate.buyer_types import BuyerMix, BuyerType
from pipeline.generate.companies import Category, Company, Product
from pipeline.generate.contacts import BuyerCompany, ContactFactory
from pipeline.generate.crm import LANGUAGE_MIX, Customer
from pipeline.generate.labels import LabelFacts, clean_label, noisy_label, non_buyer_visible
from pipeline.generate.text.channels import (
    join_body,
    masked_email,
    platform_title,
    quoted_chain,
    signature_block,
    website_form_body,
    whatsapp_export,
)
from pipeline.generate.text.compose import Composer, Draft
from pipeline.generate.text.noise import NoiseRules
from pipeline.generate.text.plans import PLANS
from pipeline.generate.text.slots import InquiryContext, Slots
from pipeline.generate.timeline import SELLER_ZONE, Timeline, written_timestamp
from pipeline.generate.world import Country, LANGUAGES, WeightedChoice, World, between, pick

QUOTING_TYPES = ("existing_customer", "serious_buyer", "switching_supplier", "oem_seeker", "quick_quote", "small_buyer", "influential_buyer")
SCAM_LINK_PATHS = ("inquiry/view?id={n}", "login.php?ref=buyer&msg={n}", "secure/message/{n}", "verify/account?session={n}", "doc/{n}/view", "s/{n}")


@dataclass
class Cluster:
    """A competitor probing prices: several mailboxes, same product and region, same days."""

    remaining: int
    size: int  # mailboxes in the whole cluster
    country: Country
    lang: str
    category: Category
    product: Product


@dataclass
class Latent:
    """The hidden draw behind one inquiry, before a word is written."""

    kind: BuyerType
    variant: str
    customer: Customer | None
    non_native: bool
    channel: str
    fair: dict[str, Any] | None
    moment: datetime
    ctx: InquiryContext
    next_cluster: Cluster | None
    cluster_size: int  # mailboxes of the competitor cluster this inquiry belongs to (0: none)


@dataclass
class Written:
    """One generated inquiry with its label and the latent facts behind it."""

    row: dict[str, Any]
    buyer_type: str
    fraud_kind: str | None
    language: str
    channel: str
    clean_grade: int
    clean_fraud: bool
    noisy: bool
    extra: dict[str, Any] = field(default_factory=dict)


class InquiryWriter:
    """Writes inquiries for one seller; holds only read-only data and per-country pools."""

    def __init__(self, world: World, company: Company, mix: BuyerMix, contacts: ContactFactory, customers: list[Customer], team: list[dict[str, Any]], noise: NoiseRules, timeline: Timeline):
        self.world, self.company, self.mix, self.contacts = world, company, mix, contacts
        self.customers, self.team, self.noise, self.timeline = customers, team, noise, timeline
        self.languages = WeightedChoice(LANGUAGE_MIX)
        self.categories = WeightedChoice({index: 1.0 for index in range(len(company.categories))})
        active = [rep for rep in team if rep["active"] == "true"]
        self.reps_by_country: dict[str, list[dict[str, Any]]] = {}
        for code, country in world.countries.items():
            covering = [rep for rep in active if code in rep["regions"].split(";")] or [rep for rep in active if country.region in rep["regions"].split(";")]
            self.reps_by_country[code] = covering or active
        self.managers = [rep["name"] for rep in team if rep["seniority"] == 3]
        self.bank_has_scam = {lang: set((world.phrases[lang].get("scam") or {}).keys()) for lang in LANGUAGES}

    # --- latent draws ----------------------------------------------------------------
    def _language_and_country(self, kind: BuyerType, variant: str, rng: random.Random) -> tuple[str, Country]:
        if kind.name == "fraud":
            fraud_kind = self.mix.fraud_kinds[variant]
            lang = fraud_kind.langs.draw(rng)
            if variant not in self.bank_has_scam[lang]:
                lang = "en"
            if fraud_kind.countries:
                candidates = [code for code in fraud_kind.countries if lang == "en" or lang in self.world.countries[code].langs]
                if candidates:
                    return lang, self.world.countries[pick(rng, candidates)]
            return lang, self.world.country_for(lang, rng)
        lang = self.languages.draw(rng)
        return lang, self.world.country_for(lang, rng)

    def _variant(self, kind: BuyerType, rng: random.Random) -> str:
        if kind.name == "fraud":
            return self.mix.fraud_choice.draw(rng)
        if kind.name == "existing_customer":
            return self.mix.existing_variants.draw(rng)
        if kind.name == "serious_buyer":
            roll = rng.random()
            return "architect" if roll < 0.04 else "portal" if roll < 0.09 else "terse" if roll < 0.22 else "rfq"
        return "default"

    # --- the whole inquiry -----------------------------------------------------------
    def write(self, inquiry_id: str, day: date, rng: random.Random, cluster: Cluster | None = None, labelled: bool = True, moment: datetime | None = None) -> tuple[Written, Cluster | None]:
        """One inquiry received on `day` (or at `moment`), and the competitor cluster to continue."""
        latent = self._draw_latent(day, rng, cluster, moment)
        kind, variant, ctx = latent.kind, latent.variant, latent.ctx
        composer = Composer(ctx, latent.non_native)
        PLANS[kind.name](composer, kind, variant)
        draft = composer.draft
        pitch = ctx.extra.get("vendor_pitch")
        if pitch and pitch != "vendor_agent":  # would-be agents write from their own trading firm
            ctx.buyer = self._vendor_company(ctx.country, pitch, rng)

        thread = kind.thread_length(rng)
        if variant == "architect":
            thread = max(thread, 5)
        completeness = kind.contact.draw(rng)
        if latent.channel == "trade_show" or variant in ("architect", "terse"):
            completeness = "full"  # a scanned business card; an architect's or big buyer's full signature
        fields = self._contact_fields(kind, variant, completeness, ctx, latent.customer, rng, latent.channel)
        body, subject, draft, written_lang = self._shape(latent, draft, fields, completeness, thread, rng)
        row = self._row(inquiry_id, latent, draft, body, subject, fields, thread, rng)
        history = self._history(row, kind.name, variant, latent.customer, latent.moment, rng)

        facts = LabelFacts(
            fraud=kind.name == "fraud",
            has_history=history,
            influential=kind.name == "influential_buyer",
            non_buyer=kind.non_buyer and non_buyer_visible(draft.shows_non_buyer, latent.cluster_size, self._traceable(row)),
            named_product=draft.named_product,
            explicit_requirement=draft.explicit_requirement,
            requirement_areas=len(draft.requirement_areas),
            contact_complete=self._complete(row),
            thread_messages=thread,
        )
        label = noisy_label(facts, rng)
        clean_grade, clean_fraud = clean_label(facts)
        if labelled:
            row["grade"] = label.grade
            row["suspected_fraud"] = label.suspected_fraud
            row["labelled_by"] = pick(rng, self.managers)
            row["labelled_at"] = (latent.moment + timedelta(hours=1 + int(rng.expovariate(1 / 20)))).astimezone(SELLER_ZONE).replace(microsecond=0).isoformat()
            row["buyer_type"] = kind.name
            if kind.name == "fraud":
                row["fraud_kind"] = variant
        fraud_kind = variant if kind.name == "fraud" else None
        written = Written(row, kind.name, fraud_kind, written_lang, latent.channel, clean_grade, clean_fraud, label.noisy)
        return written, latent.next_cluster

    def _draw_latent(self, day: date, rng: random.Random, cluster: Cluster | None, moment: datetime | None) -> Latent:
        """Who writes, from where, about what, through which channel and when."""
        kind_name = "competitor_probe" if cluster else self.mix.type_choice.draw(rng)
        kind = self.mix.types[kind_name]
        variant = self._variant(kind, rng)
        customer: Customer | None = None
        if kind_name == "existing_customer" or (kind_name == "fraud" and variant == "bank_detail_change"):
            customer = pick(rng, self.customers)
        if cluster:
            lang, country = cluster.lang, cluster.country
        elif customer and kind_name == "existing_customer":
            lang, country = customer.lang, customer.country
        else:
            lang, country = self._language_and_country(kind, variant, rng)
        if customer and variant == "bank_detail_change" and lang not in ("en", "de"):
            lang = "en"
        non_native = lang == "en" and not country.native_en and rng.random() < 0.8

        if cluster:
            category, product = cluster.category, cluster.product
        else:
            category = self.company.categories[self.categories.draw(rng)]
            product = pick(rng, category.products)
        product2 = pick(rng, category.products if rng.random() < 0.7 else self.company.products)
        next_cluster = None
        if kind.cluster and cluster is None:
            size = between(rng, kind.cluster[0], kind.cluster[1] + 1)
            next_cluster = Cluster(size - 1, size, country, lang, category, product)
        elif cluster and cluster.remaining > 1:
            next_cluster = Cluster(cluster.remaining - 1, cluster.size, cluster.country, cluster.lang, cluster.category, cluster.product)

        if customer and kind_name == "existing_customer":
            person, buyer = customer.person, customer.buyer
        else:
            person = self.contacts.person(country, lang, rng)
            buyer = self.contacts.pooled_company(country, lang, rng)
            if customer:  # a spoof borrows the customer's name and company
                person, buyer = customer.person, customer.buyer
        rep = pick(rng, self.reps_by_country[country.code])
        titles = self.world.phrases[lang]["titles"]
        channel = kind.channels.draw(rng)
        fair = None
        if channel == "trade_show":
            fairs = [candidate for candidate in self.company.fairs if day.month in candidate["months"]]
            if fairs:
                fair = pick(rng, fairs)
            else:
                channel = "email"  # no fair this month: the buyer writes after meeting at one

        # When: the sender's local time (or the fair's); each channel writes it its own way.
        if moment is None:
            zone = fair["timezone"] if fair else pick(rng, country.timezones)
            # Scammers write at odd hours; booth notes are typed during fair hours.
            off_hours = 0.3 if kind_name == "fraud" else 0.0 if fair else 0.12
            moment = self.timeline.local_moment(day, zone, rng, off_hours=off_hours)
        else:
            moment = moment.astimezone(self.timeline.zone(fair["timezone"] if fair else pick(rng, country.timezones)))
        city, port = pick(rng, country.cities), pick(rng, country.ports)
        places = self.world.formats[lang].get("places", {})
        ctx = InquiryContext(
            rng=rng,
            lang=lang,
            bank=self.world.phrases[lang],
            fmt=self.world.formats[lang],
            company=self.company,
            country=country,
            person=person,
            buyer=buyer,
            category=category,
            product=product,
            product2=product2,
            rep_first=rep["name"].split()[0],
            rep_email=rep["email"],
            title=pick(rng, self.world.phrases["en"]["vendor_titles"] if kind_name == "service_vendor" and lang == "en" else titles),
            marketplace=pick(rng, self.mix.marketplaces),
            city=places.get(city, city),
            port=places.get(port, port),
            moment=moment,
        )
        if fair:
            ctx.extra["fair"] = fair["name"]
            ctx.extra["booth"] = fair["booth"]
        if kind_name == "fraud":
            self._scam_props(ctx, variant, rng)
        cluster_size = cluster.size if cluster else next_cluster.size if next_cluster else 0
        return Latent(kind, variant, customer, non_native, channel, fair, moment, ctx, next_cluster, cluster_size)

    def _shape(self, latent: Latent, draft: Draft, fields: dict[str, Any], completeness: str, thread: int, rng: random.Random) -> tuple[str, str | None, Draft, str]:
        """Body and subject as the channel delivers them, with careless or L2 writing applied."""
        channel, ctx, kind_name, fair = latent.channel, latent.ctx, latent.kind.name, latent.fair
        subject = draft.subject
        written_lang = ctx.lang
        if channel == "platform":
            body, subject = self._platform(draft, kind_name, ctx, rng)
            fields.pop("sender_email", None)
            if rng.random() < 0.45:
                fields["sender_email"] = masked_email(ctx.person.latin_first + ctx.person.latin_last, rng)
            for key in ("address", "fax", "website", "sender_title"):
                fields.pop(key, None)
        elif channel == "website_form":
            body = self._website_form(draft, fields, ctx, rng)
            subject = pick(rng, ctx.bank["form_subject"]).format_map(draft.slots)
        elif channel == "trade_show":
            written_lang = "zh" if ("show_note" in self.world.phrases["zh"] and rng.random() < 0.2) else "en"
            note_bank = self.world.phrases[written_lang]["show_note"]
            # The rep's note replaces the buyer's text, so only its facts count.
            draft = Draft(ctx=ctx, slots=Slots(ctx), paragraphs=[], formal=False)
            body = pick(rng, note_bank).format_map(draft.slots)
            draft.paragraphs = [body]
            buyer_name = ctx.buyer.name
            subject = pick(rng, (f"{fair['name']} lead - {buyer_name}", f"Booth visitor: {buyer_name}", f"{fair['name']} contact", None)) if fair else None
        elif channel == "other":
            body = self._whatsapp(draft, fields, ctx, rng, latent.moment)
            subject = None
        else:
            body = self._email_body(draft, fields, completeness, ctx, rng, latent.non_native, thread, kind_name)

        if kind_name in ("vague_lead", "info_collector") and rng.random() < 0.04:
            body = "" if rng.random() < 0.5 else self.noise.garble(rng)
            written_lang = "und"
        if latent.non_native and channel != "trade_show":
            body = self.noise.non_native_english(body, rng, strength=rng.random())
        elif not draft.formal and rng.random() < 0.5:
            body = self.noise.sloppy(body, rng)
        if channel == "email" and rng.random() < 0.04 and body:
            body = self.noise.html(body, rng)
        if subject and channel == "email" and thread > 1 and kind_name != "fraud" and rng.random() < 0.5 and not subject.upper().startswith(("RE", "AW", "回复")):
            subject = f"{pick(rng, ('RE: ', 'Re: ', 'RE: RE: ', 'Fwd: '))}{subject}"
        return body, subject, draft, written_lang

    def _row(self, inquiry_id: str, latent: Latent, draft: Draft, body: str, subject: str | None, fields: dict[str, Any], thread: int, rng: random.Random) -> dict[str, Any]:
        """The contract fields in their usual order; absent fields are left out."""
        fair_zone = self.timeline.zone(latent.fair["timezone"]) if latent.fair else None
        row: dict[str, Any] = {"inquiry_id": inquiry_id}
        row["received_at"] = written_timestamp(latent.moment, latent.channel, rng, fair_zone)
        row["channel"] = latent.channel
        if subject:
            row["subject"] = subject
        row["body"] = body
        row.update(fields)
        if draft.attachments:
            row["attachments"] = draft.attachments
        if thread > 1 or rng.random() < 0.65:
            row["thread_messages"] = thread
        return row

    # --- pieces ------------------------------------------------------------------------
    def _vendor_company(self, country: Country, pitch: str, rng: random.Random) -> BuyerCompany:
        """A service vendor's company: a forwarder, an agency, a fair organiser."""
        bank = self.world.phrases["en"]
        word = pick(rng, bank["vendor_words"])
        name = pick(rng, bank["vendor_companies"][pitch]).format(word=word)
        stem = "".join(ch for ch in (word + name.split()[-2 if len(name.split()) > 2 else -1]).lower() if ch.isalnum())[:20]
        domain = f"{stem}.{pick(rng, ('com', 'net', 'co', country.tld))}"
        return BuyerCompany(name=name, stem=stem, domain=domain, website=f"www.{domain}")

    def _scam_props(self, ctx: InquiryContext, variant: str, rng: random.Random) -> None:
        domains = self.mix.scam_domains
        number = f"{between(rng, 10**8, 10**9)}"
        if variant == "document_share_phishing":
            host = pick(rng, domains["docshare"])
        else:
            host = pick(rng, domains["marketplace"])
        path = pick(rng, SCAM_LINK_PATHS).format(n=number)
        link = f"{pick(rng, ('http://', 'https://', 'https://www.'))}{host}/{path}"
        if rng.random() < 0.15:
            link = f"https://{pick(rng, domains['short'])}/{number[:6]}"
        ctx.extra["link"] = link
        ctx.extra["scam_host"] = host
        ctx.extra["fake_bank"] = pick(rng, self.mix.fake_banks)
        ctx.extra["fake_account"] = pick(rng, (f"GB{between(rng, 10, 99)} BARC {between(rng, 10**13, 10**14)}", f"{between(rng, 10**11, 10**12)}", f"DE{between(rng, 10, 99)} {between(rng, 10**15, 10**16)}"))
        ctx.extra["fake_swift"] = pick(rng, ("HSBCHKHHHKH", "SCBLSG22", "BARCGB22", "VALLMTMT", "EBILAEAD", "CITIUS33", "DEUTDEFF"))

    def _contact_fields(self, kind: BuyerType, variant: str, completeness: str, ctx: InquiryContext, customer: Customer | None, rng: random.Random, channel: str) -> dict[str, Any]:
        """The stated contact details; which exist depends on type and completeness."""
        fields: dict[str, Any] = {}
        country, person, buyer = ctx.country, ctx.person, ctx.buyer
        free = rng.random() < kind.free_mail
        if kind.name == "fraud" and variant in ("marketplace_phishing", "document_share_phishing"):
            host = ctx.extra["scam_host"]
            if variant == "marketplace_phishing":
                fields["sender_name"] = pick(rng, (f"{ctx.marketplace} Service", "Buyer Message Center", f"{ctx.marketplace}.com", "Trade Assurance Team"))
                fields["sender_email"] = f"{pick(rng, ('notice', 'service', 'no-reply', 'message', 'security'))}@{host}"
            else:
                fields["sender_name"] = pick(rng, (person.display, "OneDrive", "DocuSign via " + person.latin_first, "Dropbox"))
                fields["sender_email"] = pick(rng, (f"share@{host}", self.contacts.email(person, pick(rng, country.freemail), rng, True), f"no-reply@{host}"))
            return fields
        if customer is not None and kind.name == "existing_customer":
            fields["sender_name"] = person.display
            fields["sender_email"] = customer.email
        elif customer is not None:  # bank-detail spoof from a look-alike of the customer's domain
            fields["sender_name"] = person.display
            fields["sender_email"] = self.contacts.email(person, self.contacts.lookalike_domain(customer.buyer.domain, rng), rng, False)
            fields["company"] = buyer.name
            return fields
        else:
            if completeness != "none" or rng.random() < 0.5:
                domain = pick(rng, country.freemail) if free else buyer.domain
                if not free and rng.random() < 0.08:
                    domain = self.contacts.pooled_company(country, ctx.lang, rng).domain  # contradicts the company
                fields["sender_email"] = self.contacts.email(person, domain, rng, free)
            if completeness in ("full", "partial") or rng.random() < 0.6:
                fields["sender_name"] = person.display if completeness != "thin" else pick(rng, (person.first, person.display, person.latin_first.lower()))
        phone_ok = {"full": 0.95, "partial": 0.85, "thin": 0.7, "none": 0.5}[completeness] - (0.3 if kind.name == "fraud" else 0)
        if completeness == "full":
            fields["sender_title"] = ctx.title
            fields["company"] = buyer.name
            fields["address"] = customer.address if customer else self.contacts.address(country, rng, ctx.city)
            fields["phone"] = self._phone(country, rng, phone_ok, customer)
            if rng.random() < 0.4:
                fields["fax"] = self.contacts.phone_text(country, rng, "fixed")
            if rng.random() < 0.7:
                fields["website"] = buyer.website
            if rng.random() < 0.35:
                fields["messenger"] = self.contacts.messenger(person, country, rng, None)
        elif completeness == "partial":
            if rng.random() < 0.7:
                fields["company"] = buyer.name
            if rng.random() < 0.65:
                fields["phone"] = self._phone(country, rng, phone_ok, customer)
            if rng.random() < 0.2:
                fields["messenger"] = self.contacts.messenger(person, country, rng, None)
            if rng.random() < 0.25:
                fields["sender_title"] = ctx.title
        elif completeness == "thin" and rng.random() < 0.3:
            fields["phone"] = self._phone(country, rng, phone_ok, customer)
        if rng.random() < {"full": 0.92, "partial": 0.8, "thin": 0.55, "none": 0.3}[completeness]:
            fields["country"] = pick(rng, country.names)
        if customer is not None:
            fields.setdefault("company", buyer.name)
        return fields

    def _phone(self, country: Country, rng: random.Random, valid_share: float, customer: Customer | None) -> str:
        if customer is not None:
            return pick(rng, customer.phone.forms)
        if rng.random() < valid_share:
            return self.contacts.phone_text(country, rng, "mobile" if rng.random() < 0.6 else "fixed")
        return self.contacts.invalid_phone(country, rng)

    @staticmethod
    def _traceable(row: dict[str, Any]) -> bool:
        """A mailbox and a country: what links look-alike asks to each other."""
        return "@" in str(row.get("sender_email") or "") and bool(str(row.get("country") or "").strip())

    @staticmethod
    def _complete(row: dict[str, Any]) -> bool:
        has = lambda key: bool(str(row.get(key, "")).strip()) and str(row.get(key)).strip().lower() not in ("n/a", "-", "000")  # noqa: E731
        return has("sender_name") and has("company") and (has("phone") or has("address") or has("website"))

    def _signature(self, fields: dict[str, Any], ctx: InquiryContext, rng: random.Random, completeness: str) -> str | None:
        signoff = pick(rng, ctx.bank["signoff"])
        if completeness in ("thin", "none") or "sender_name" not in fields:
            return signoff + ("\n" + fields["sender_name"] if "sender_name" in fields and rng.random() < 0.7 else "") if rng.random() < 0.7 else None
        lines = [("name", fields["sender_name"])]
        order = ("sender_title", "company", "address", "phone", "fax", "sender_email", "website", "messenger")
        kinds = {"sender_title": "title", "company": "company", "address": "address", "phone": "mobile", "fax": "fax", "sender_email": "email", "website": "web", "messenger": "messenger"}
        for key in order:
            if key in fields and (key != "sender_email" or rng.random() < 0.35):
                lines.append((kinds[key], fields[key]))
        if "country" in fields and "address" in fields and rng.random() < 0.5:
            lines.append(("country", fields["country"]))
        return signature_block(lines, signoff, rng, ctx.fmt["sig"])

    def _email_body(self, draft: Draft, fields: dict[str, Any], completeness: str, ctx: InquiryContext, rng: random.Random, non_native: bool, thread: int, kind_name: str) -> str:
        signature = self._signature(fields, ctx, rng, completeness) if draft.signed else None
        body = join_body(draft, signature)
        if thread > 1 and kind_name in QUOTING_TYPES and rng.random() < 0.35 and "quoted_intro" in ctx.bank:
            intro = pick(rng, ctx.bank["quoted_intro"]).format_map(draft.slots)
            # Only customers get "goods ready" replies; new leads were sent a quotation.
            replies = ctx.bank["quoted_body"] if kind_name == "existing_customer" else ctx.bank["quoted_body"][:1]
            quoted = pick(rng, replies).format_map(draft.slots)
            ctx.extra["subject"] = draft.subject or ""
            body = f"{body}\n\n{quoted_chain(intro, quoted)}"
        return body

    def _platform(self, draft: Draft, kind_name: str, ctx: InquiryContext, rng: random.Random) -> tuple[str, str | None]:
        """A marketplace message: the product page's title as subject, a short body."""
        subject = draft.subject
        if kind_name in ("quick_quote", "small_buyer", "serious_buyer", "switching_supplier", "oem_seeker", "competitor_probe", "existing_customer") and rng.random() < 0.75:
            subject = f"{pick(rng, ('Inquiry about: ', 'Inquiry about ', 'Product inquiry: ', 'RFQ: '))}{platform_title(ctx.product, ctx.category.title_words, rng)}"
            draft.product_in_subject = True
        elif kind_name == "vague_lead" and rng.random() < 0.3 and "platform_rfq_pool" in ctx.bank:
            subject = f"Buyer is looking for: {pick(rng, ctx.company.industry_words['en'])}"
            draft.paragraphs = [pick(rng, ctx.bank["platform_rfq_pool"]).format_map(draft.slots)]
            draft.greeting = None
        text = "\n".join(([draft.greeting] if draft.greeting else []) + draft.paragraphs)
        return text, subject

    def _website_form(self, draft: Draft, fields: dict[str, Any], ctx: InquiryContext, rng: random.Random) -> str:
        """A contact-form e-mail; only the fields a form asks for survive."""
        message = "\n".join(draft.paragraphs) if rng.random() < 0.6 else join_body(draft, None)
        form = []
        if "sender_name" in fields:
            form.append(("Name", fields["sender_name"]))
        if "sender_email" in fields:
            form.append(("Email", fields["sender_email"]))
        if rng.random() < 0.12:
            fields["phone"] = pick(rng, ("", "n/a", "-"))
        if "phone" in fields:
            form.append(("Phone", fields["phone"]))
        if "company" in fields:
            form.append(("Company", fields["company"]))
        if "country" in fields:
            form.append(("Country", fields["country"]))
        for key in ("address", "fax", "messenger", "sender_title"):
            fields.pop(key, None)
        return website_form_body(message, form, rng)

    def _whatsapp(self, draft: Draft, fields: dict[str, Any], ctx: InquiryContext, rng: random.Random, moment: datetime) -> str:
        """A WhatsApp chat exported into the CRM, keyed by the buyer's number."""
        phone_entry = self.contacts.phone(ctx.country, rng)
        fields["phone"] = pick(rng, phone_entry.forms)
        fields["messenger"] = f"WhatsApp: {phone_entry.e164}"
        for key in ("address", "fax", "website", "sender_title"):
            fields.pop(key, None)
        if rng.random() < 0.6:
            fields.pop("sender_email", None)
        lines = [text for paragraph in ([draft.greeting] if draft.greeting else []) + draft.paragraphs for text in paragraph.split("\n") if text]
        if rng.random() < 0.5 and "whatsapp" in ctx.bank:
            lines.insert(0, pick(rng, ctx.bank["whatsapp"][:2]))
        lines = [self.noise.sloppy(line, rng) for line in lines]
        start = moment.astimezone(SELLER_ZONE).replace(tzinfo=None) - timedelta(minutes=between(rng, 5, 90))
        label = fields.get("sender_name") or fields["phone"]
        return whatsapp_export(lines, label, ctx.rep_first, start, rng)

    def _history(self, row: dict[str, Any], kind_name: str, variant: str, customer: Customer | None, moment: datetime, rng: random.Random) -> bool:
        """Fill CRM fields; True when the buyer has ordered, paid for samples or visited."""
        if customer is not None and (kind_name == "existing_customer" or rng.random() < 0.6):
            row["customer_id"] = customer.customer_id
            row["prior_orders"] = customer.prior_orders
            row["sample_orders"] = customer.sample_orders
            row["visited_factory"] = customer.visited_factory
            last = customer.last_order_at(moment, rng)
            if last is not None:
                row["last_order_at"] = last.isoformat()
                row["lifetime_value_usd"] = customer.lifetime_value_usd
            return kind_name == "existing_customer"
        if kind_name in ("serious_buyer", "switching_supplier", "oem_seeker", "influential_buyer") and rng.random() < 0.18:
            row["customer_id"] = f"{self.company.customer_prefix}-L{between(rng, 10**4, 10**5)}"
            row["prior_orders"] = 0
            if rng.random() < 0.5:
                row["sample_orders"] = 0
                row["visited_factory"] = False
        return False
