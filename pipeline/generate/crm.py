"""The seller's CRM: existing customers who write again, with consistent RFM history.

The pool is drawn from the generation seed and its size from n, so every worker
rebuilds exactly the same customers. A customer's history (orders, paid samples,
visits, lifetime value) is fixed; each inquiry adds the time since the last order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pipeline.generate.companies import Company
from pipeline.generate.contacts import BuyerCompany, ContactFactory, Person, PhoneEntry
from pipeline.generate.world import Country, LANGUAGES, WeightedChoice, World, between, pick

_SELLER = timezone(timedelta(hours=8))
LANGUAGE_MIX = {"en": 70, "es": 4.3, "fr": 4.3, "de": 4.3, "pt": 4.3, "ru": 4.3, "ar": 4.3, "zh": 4.2}


@dataclass(frozen=True)
class Customer:
    """One existing customer and their history with the seller."""

    customer_id: str
    country: Country
    lang: str
    person: Person
    buyer: BuyerCompany
    email: str
    phone: PhoneEntry
    address: str
    prior_orders: int
    sample_orders: int
    visited_factory: bool
    lifetime_value_usd: float

    def last_order_at(self, received: datetime, rng: random.Random) -> datetime | None:
        """A CRM timestamp (+08:00) before the inquiry; None when nothing was ever ordered."""
        if self.prior_orders == 0 and self.sample_orders == 0:
            return None
        # Frequent buyers ordered recently; a few old customers come back after years.
        mean_days = 700 / (1 + self.prior_orders) + 20
        days = min(2600, int(rng.expovariate(1 / mean_days)) + 3)
        moment = received - timedelta(days=days, hours=between(rng, 0, 24))
        return moment.astimezone(_SELLER).replace(microsecond=0)




def build_customers(world: World, company: Company, contacts: ContactFactory, seed: int, n: int) -> list[Customer]:
    """The CRM pool: about one customer per 30 inquiries, at least 60."""
    rng = random.Random(f"crm:{company.key}:{seed}")
    size = max(60, n // 30)
    languages = WeightedChoice({lang: LANGUAGE_MIX[lang] for lang in LANGUAGES})
    customers = []
    for number in range(1, size + 1):
        lang = languages.draw(rng)
        country = world.country_for(lang, rng)
        person = contacts.person(country, lang, rng)
        buyer = contacts.buyer_company(country, lang, person, rng)
        free = rng.random() < 0.22
        domain = pick(rng, country.freemail) if free else buyer.domain
        roll = rng.random()
        if roll < 0.66:
            orders, samples, visited = 1 + int(rng.expovariate(1 / 5)), between(rng, 0, 3), rng.random() < 0.2
        elif roll < 0.8:
            orders, samples, visited = 0, 1 + between(rng, 0, 2), rng.random() < 0.1
        elif roll < 0.92:
            orders, samples, visited = 0, 0, True
        else:
            orders, samples, visited = 2 + int(rng.expovariate(1 / 10)), between(rng, 0, 4), True
        value = orders * rng.uniform(8_000, 60_000) + samples * rng.uniform(150, 900)
        customers.append(
            Customer(
                customer_id=f"{company.customer_prefix}-C{number:05d}",
                country=country,
                lang=lang,
                person=person,
                buyer=buyer,
                email=contacts.email(person, domain, rng, free),
                phone=contacts.phone(country, rng),
                address=contacts.address(country, rng),
                prior_orders=orders,
                sample_orders=samples,
                visited_factory=visited,
                lifetime_value_usd=round(value, 2),
            )
        )
    return customers
