"""Message plans per buyer type: which phrases, in what order, with which requirements.

A plan draws optional slots (intro, source, questions, closing) with type-specific
probabilities, shuffles the requirement sentences, and records what it wrote, so the
label can be decided from the facts and not from reading the text back.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.generate.text.slots import InquiryContext, Slots
from pipeline.generate.world import pick

REQUIREMENT_AREAS = (
    "quantity",
    "spec",
    "certification",
    "incoterm",
    "payment",
    "delivery",
    "packaging",
    "target_price",
    "photos",
    "sample",
)
# Placeholders whose use means the buyer stated a requirement of that area.
SLOT_AREAS = {
    "qty": "quantity",
    "container": "quantity",
    "spec": "spec",
    "material": "spec",
    "colour": "spec",
    "cert": "certification",
    "incoterm_port": "incoterm",
    "port": "incoterm",
    "payment": "payment",
    "lead": "delivery",
    "month": "delivery",
    "packing": "packaging",
    "price": "target_price",
}
EXPLICIT_AREAS = {"quantity", "spec", "target_price"}
EXPLICIT_SLOTS = tuple(slot for slot, area in SLOT_AREAS.items() if area in EXPLICIT_AREAS)
PRODUCT_SLOTS = ("product", "product2", "code")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.\.(?!\.)")  # "Est.." after a company name ending in "."


@dataclass
class Draft:
    """A message being written, and the facts the labeller will judge it on."""

    ctx: InquiryContext
    slots: Slots
    greeting: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    subject: str | None = None
    attachments: list[str] = field(default_factory=list)
    areas: set[str] = field(default_factory=set)
    signed: bool = True
    formal: bool = True
    product_in_subject: bool = False
    shows_non_buyer: bool = True  # False when a non-buyer writes like any buyer would

    @property
    def named_product(self) -> bool:
        return self.product_in_subject or any(slot in self.slots for slot in PRODUCT_SLOTS)

    @property
    def requirement_areas(self) -> set[str]:
        slots = self.slots
        return self.areas | {area for slot, area in SLOT_AREAS.items() if slot in slots}

    @property
    def explicit_requirement(self) -> bool:
        return bool(self.areas & EXPLICIT_AREAS) or any(slot in self.slots for slot in EXPLICIT_SLOTS)


class Composer:
    """Writes the body of one inquiry from the phrase bank of its language."""

    def __init__(self, ctx: InquiryContext, non_native: bool):
        self.ctx = ctx
        self.rng: random.Random = ctx.rng
        self.bank: dict[str, Any] = ctx.bank
        self.non_native = non_native
        self.draft = Draft(ctx=ctx, slots=Slots(ctx))

    # --- phrase access ---------------------------------------------------------------
    def has(self, key: str) -> bool:
        return bool(self.bank.get(key))

    def line(self, key: str) -> str:
        """One phrase of the slot `key`, non-native variants mixed in for L2 English."""
        options = self.bank[key]
        if self.non_native:
            alternative = self.bank.get(f"nn_{key}")
            if alternative and self.rng.random() < 0.55:
                options = alternative
        text = pick(self.rng, options).format_map(self.draft.slots)
        return _DOUBLE_PERIOD.sub(".", text) if ".." in text else text

    def maybe(self, key: str, probability: float) -> str | None:
        return self.line(key) if self.has(key) and self.rng.random() < probability else None

    def add(self, *texts: str | None) -> None:
        self.draft.paragraphs.extend(text for text in texts if text)

    # --- building blocks --------------------------------------------------------------
    def greet(self, named: float) -> None:
        key = "greet_named" if self.rng.random() < named else "greet_generic"
        if key == "greet_generic" and self.non_native and self.has("nn_greet") and self.rng.random() < 0.5:
            key = "nn_greet"
        self.draft.greeting = pick(self.rng, self.bank[key]).format_map(self.draft.slots)

    def requirements(self, count: int, allowed: tuple[str, ...] = REQUIREMENT_AREAS) -> None:
        """`count` requirement sentences in random order, as prose or as a list."""
        areas = [area for area in allowed if self.has(f"req_{area}")]
        chosen = self.rng.sample(areas, k=min(count, len(areas)))
        sentences = []
        for area in chosen:
            sentences.append(self.line(f"req_{area}"))
            self.draft.areas.add(area)
        if not sentences:
            return
        if len(sentences) >= 3 and self.draft.formal and self.rng.random() < 0.45:
            bullet = pick(self.rng, ("- ", "* ", "• ", ""))
            if bullet == "":
                sentences = [f"{number}. {text}" for number, text in enumerate(sentences, start=1)]
            else:
                sentences = [bullet + text for text in sentences]
            self.add("\n".join(sentences))
        elif len(sentences) > 2 and self.rng.random() < 0.5:
            middle = len(sentences) // 2
            self.add(" ".join(sentences[:middle]), " ".join(sentences[middle:]))
        else:
            self.add(" ".join(sentences))

    def interest(self, product_probability: float, two: float = 0.25) -> None:
        if self.rng.random() < product_probability:
            key = "interest_two" if self.rng.random() < two and self.has("interest_two") else "interest"
            self.add(self.line(key))
        elif self.has("interest_category"):
            self.add(self.line("interest_category"))

    def closing(self, probability: float = 0.8) -> None:
        self.add(self.maybe("closing", probability))

    def area_count(self, low: int, high: int) -> int:
        return low + int((high - low + 1) * self.rng.random()) if high > low else low
