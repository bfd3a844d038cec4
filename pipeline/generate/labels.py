"""The sales manager's label: from the latent type, the history and what the buyer wrote.

The label is decided by the facts the generator chose while writing the inquiry (was a
catalogue product named, how many requirement areas, how complete the contact, how long
the thread, any order or visit), in the trade's order: fraud first, then history, then
not-a-buyer, then the strength of intent. A share of labels is then disturbed the way
real labellers err: mostly by one grade, sometimes a missed fraud.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

NOISE_RATE = 0.06
# "The same product asked from the same region by several mailboxes" (DOMAIN):
# three alike in a few days is what makes a manager notice a competitor.
VISIBLE_PROBE_MAILBOXES = 3


@dataclass(frozen=True)
class LabelFacts:
    """What the labeller sees, decided by the generator while writing the inquiry."""

    fraud: bool
    has_history: bool  # prior order, paid sample or factory visit
    influential: bool  # verified influential in its market
    non_buyer: bool  # competitor, vendor, collector, sample hunter, as far as the labeller can tell
    named_product: bool
    explicit_requirement: bool  # quantity, size or target price stated
    requirement_areas: int
    contact_complete: bool  # a name, a company and a phone, address or website
    thread_messages: int


@dataclass(frozen=True)
class Label:
    grade: int
    suspected_fraud: bool
    noisy: bool


def non_buyer_visible(shown_in_text: bool, cluster_size: int, traceable: bool) -> bool:
    """Whether a manager can tell a non-buyer from a buyer: by what it wrote, or by its cluster.

    A competitor who only asks "best price for 500 pcs" reads like any buyer; its
    manager grades the message (grade 3), not the sender's hidden motive, unless
    several look-alike asks give it away. Asks are linked by their mailbox and
    country, so an ask without them (`traceable` False) cannot be linked.

    >>> non_buyer_visible(True, 0, False), non_buyer_visible(False, 2, True)
    (True, False)
    >>> non_buyer_visible(False, 3, True), non_buyer_visible(False, 3, False)
    (True, False)
    """
    return shown_in_text or (traceable and cluster_size >= VISIBLE_PROBE_MAILBOXES)


def clean_label(facts: LabelFacts) -> tuple[int, bool]:
    """The grade and fraud flag a careful manager gives.

    >>> base = dict(fraud=False, has_history=False, influential=False, non_buyer=False, named_product=True,
    ...             explicit_requirement=True, requirement_areas=4, contact_complete=True, thread_messages=1)
    >>> clean_label(LabelFacts(**base))
    (2, False)
    >>> clean_label(LabelFacts(**{**base, "contact_complete": False}))
    (3, False)
    >>> clean_label(LabelFacts(**{**base, "fraud": True, "has_history": True}))
    (4, True)
    >>> clean_label(LabelFacts(**{**base, "named_product": False, "explicit_requirement": False}))
    (4, False)
    """
    if facts.fraud:
        return 4, True
    if facts.has_history or facts.influential:
        return 1, False
    if facts.non_buyer:
        return 4, False
    if facts.named_product and (
        (facts.requirement_areas >= 3 and facts.contact_complete) or facts.thread_messages >= 6
    ):
        return 2, False
    if facts.named_product or facts.explicit_requirement:
        return 3, False
    return 4, False


def noisy_label(facts: LabelFacts, rng: random.Random, noise_rate: float = NOISE_RATE) -> Label:
    """The clean label, disturbed in `noise_rate` of cases like a busy labeller would."""
    grade, fraud = clean_label(facts)
    if rng.random() >= noise_rate:
        return Label(grade, fraud, False)
    if fraud:
        # A flagged fraud is always grade 4, so a labeller's slip here is a missed fraud,
        # judged on its surface as a weak or plausible lead.
        return Label(rng.choice((3, 4, 4)), False, True)
    if grade == 1:
        return Label(2, False, True)
    if grade == 4:
        return Label(3, False, True)
    step = -1 if rng.random() < 0.5 else 1
    if rng.random() < 0.08:
        step *= 2
    return Label(min(4, max(1, grade + step)), False, True)
