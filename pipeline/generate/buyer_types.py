"""The latent buyer types behind every inquiry, read from `buyer_types.yaml`.

A type says how likely each channel is, how complete the contact details are, how long
the thread is, how many requirement areas the buyer writes about, whether a product is
named, and whether the sender is a buyer at all. Fraud is one type with several kinds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from pipeline.generate.world import WeightedChoice, read_yaml

BUYER_TYPES = (
    "existing_customer",
    "influential_buyer",
    "serious_buyer",
    "switching_supplier",
    "oem_seeker",
    "small_buyer",
    "quick_quote",
    "info_collector",
    "sample_hunter",
    "competitor_probe",
    "service_vendor",
    "vague_lead",
    "fraud",
)


@dataclass(frozen=True)
class BuyerType:
    """What one latent type implies for the inquiry it writes."""

    name: str
    weight: float
    channels: WeightedChoice
    contact: WeightedChoice
    free_mail: float
    thread: tuple[int, int]
    areas: tuple[int, int]
    product: float
    non_buyer: bool
    cluster: tuple[int, int] | None

    def thread_length(self, rng: random.Random) -> int:
        """Messages so far: skewed to short threads, a tail of long ones."""
        low, high = self.thread
        if high <= low:
            return low
        return low + int((high - low + 1) * rng.random() ** 2.2)


@dataclass(frozen=True)
class FraudKind:
    """One scam script family and where its senders claim to be."""

    name: str
    weight: float
    countries: tuple[str, ...]
    langs: WeightedChoice


@dataclass(frozen=True)
class BuyerMix:
    """The mixture of types and fraud kinds, plus the scam props (domains, banks)."""

    types: dict[str, BuyerType]
    fraud_kinds: dict[str, FraudKind]
    type_choice: WeightedChoice
    fraud_choice: WeightedChoice
    existing_variants: WeightedChoice
    scam_domains: dict[str, list[str]]
    marketplaces: tuple[str, ...]
    fake_banks: tuple[str, ...]


def load_buyer_mix() -> BuyerMix:
    """Read the mixture; every type named in BUYER_TYPES must be configured."""
    raw: dict[str, Any] = read_yaml("buyer_types.yaml")
    missing = [name for name in BUYER_TYPES if name not in raw["types"]]
    if missing:
        raise ValueError(f"buyer_types.yaml: missing type(s) {', '.join(missing)}")
    types = {}
    for name in BUYER_TYPES:
        spec = raw["types"][name]
        types[name] = BuyerType(
            name=name,
            weight=float(spec["weight"]),
            channels=WeightedChoice(spec["channels"]),
            contact=WeightedChoice(spec["contact"]),
            free_mail=float(spec["free_mail"]),
            thread=tuple(spec["thread"]),
            areas=tuple(spec["areas"]),
            product=float(spec["product"]),
            non_buyer=bool(spec.get("non_buyer", False)),
            cluster=tuple(spec["cluster"]) if "cluster" in spec else None,
        )
    fraud_kinds = {
        name: FraudKind(name=name, weight=float(spec["weight"]), countries=tuple(spec["countries"]), langs=WeightedChoice(spec["langs"]))
        for name, spec in raw["fraud_kinds"].items()
    }
    return BuyerMix(
        types=types,
        fraud_kinds=fraud_kinds,
        type_choice=WeightedChoice({name: spec.weight for name, spec in types.items()}),
        fraud_choice=WeightedChoice({name: kind.weight for name, kind in fraud_kinds.items()}),
        existing_variants=WeightedChoice(raw["existing_variants"]),
        scam_domains=raw["scam_domains"],
        marketplaces=tuple(raw["marketplaces"]),
        fake_banks=tuple(raw["fake_banks"]),
    )
