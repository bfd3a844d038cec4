"""The buyers' world as data: countries, names, company-name patterns and phrase banks.

Everything here is read once per generation run from the YAML files beside the code and
passed around as a frozen `World`; nothing is cached at module level.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any, Sequence

import yaml

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "es", "fr", "de", "pt", "ru", "ar", "zh")


def read_yaml(relative: str) -> Any:
    """Parse one data file shipped beside the generator code."""
    path = HERE / relative
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same result, faster
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader


class WeightedChoice:
    """Draw keys with fixed relative weights, fast enough for a million draws.

    >>> choice = WeightedChoice({"a": 1, "b": 3})
    >>> sorted({choice.draw(random.Random(seed)) for seed in range(50)})
    ['a', 'b']
    """

    __slots__ = ("keys", "cumulative", "total")

    def __init__(self, weights: dict[Any, float]):
        items = [(key, float(weight)) for key, weight in weights.items() if weight > 0]
        if not items:
            raise ValueError("WeightedChoice needs at least one positive weight")
        self.keys = [key for key, _ in items]
        self.cumulative = list(accumulate(weight for _, weight in items))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> Any:
        return self.keys[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


@dataclass(frozen=True)
class Country:
    """A buyer country: how its buyers write, where they are, how they are named."""

    code: str
    langs: dict[str, float]
    native_en: bool
    region: str
    timezones: tuple[str, ...]
    names: tuple[str, ...]
    culture: str
    cities: tuple[str, ...]
    ports: tuple[str, ...]
    freemail: tuple[str, ...]
    tld: str
    address: str
    postcode: str


@dataclass(frozen=True)
class World:
    """All static data the generator draws from."""

    countries: dict[str, Country]
    names: dict[str, dict[str, list[str]]]
    company_words: dict[str, Any]
    phrases: dict[str, dict[str, Any]]
    formats: dict[str, dict[str, Any]]
    noise: dict[str, Any]
    countries_by_lang: dict[str, WeightedChoice]

    def country_for(self, lang: str, rng: random.Random) -> Country:
        return self.countries[self.countries_by_lang[lang].draw(rng)]


def load_world() -> World:
    """Read countries, names, company patterns, phrase banks and formats."""
    countries = {
        code: Country(
            code=code,
            langs=dict(raw["langs"]),
            native_en=bool(raw.get("native_en", False)),
            region=raw["region"],
            timezones=tuple(raw["timezones"]),
            names=tuple(str(name) for name in raw["names"]),
            culture=raw["culture"],
            cities=tuple(raw["cities"]),
            ports=tuple(raw["ports"]),
            freemail=tuple(raw["freemail"]),
            tld=raw["tld"],
            address=raw["address"],
            postcode=str(raw.get("postcode") or ""),
        )
        for code, raw in read_yaml("world/countries.yaml").items()
    }
    by_lang: dict[str, dict[str, float]] = {lang: {} for lang in LANGUAGES}
    for country in countries.values():
        for lang, weight in country.langs.items():
            by_lang[lang][country.code] = weight
    phrases = {lang: read_yaml(f"phrases/{lang}.yaml") for lang in LANGUAGES}
    return World(
        countries=countries,
        names=read_yaml("world/names.yaml"),
        company_words=read_yaml("world/companies.yaml"),
        phrases=phrases,
        formats=read_yaml("phrases/formats.yaml"),
        noise=read_yaml("phrases/noise.yaml"),
        countries_by_lang={lang: WeightedChoice(weights) for lang, weights in by_lang.items()},
    )


def pick(rng: random.Random, options: Sequence[Any]) -> Any:
    """One element of a non-empty sequence (a shorthand that reads well in composers)."""
    return options[int(rng.random() * len(options))]


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number in [low, high), like `rng.randrange(low, high)` but cheaper.

    >>> all(3 <= between(random.Random(seed), 3, 7) < 7 for seed in range(100))
    True
    """
    return low + int(rng.random() * (high - low))
