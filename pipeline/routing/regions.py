"""Sales regions: which countries each rep covers, and how specifically.

A rep's `regions` cell mixes ISO 3166 alpha-2 codes and region names
(`Europe;ES;PT`). Region names come from `regions.yaml`. When several reps
cover a country, the most specific listing wins: an ISO code beats every
region, a small region beats a large one (a rep listing `ES` beats the rep
listing `Europe` for Spain; `GCC` beats `Middle East`, which beats `Asia`).
Specificity is simply the number of countries the listing covers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pycountry

from pipeline.profile import ProfileError
from pipeline.routing.data_files import read_yaml

REGIONS_FILE = Path(__file__).with_name("regions.yaml")
ALL_COUNTRIES = "*"


def _key(name: str) -> str:
    """Region names compare without case, spacing, hyphens or '&'.

    >>> _key("Latin-America") == _key(" latin  america ")
    True
    """
    return re.sub(r"[\s_\-&]+", " ", name).strip().casefold()


@dataclass(frozen=True)
class RegionBook:
    """Region names and the countries in each, as read from `regions.yaml`."""

    regions: Mapping[str, frozenset[str]]
    aliases: Mapping[str, str]
    country_aliases: Mapping[str, str]
    countries: frozenset[str]

    @classmethod
    def load(cls, path: Path | str = REGIONS_FILE) -> RegionBook:
        raw = read_yaml(path)
        countries = frozenset(country.alpha_2 for country in pycountry.countries)
        regions: dict[str, frozenset[str]] = {}
        for name, codes in raw["regions"].items():
            members = countries if codes == ALL_COUNTRIES else frozenset(str(code) for code in codes)
            unknown = sorted(members - countries)
            if unknown:
                raise ValueError(f"{path}: region '{name}' lists unknown ISO codes {', '.join(unknown)}")
            regions[name] = members
        by_key = {_key(name): name for name in regions}
        aliases = {}
        for alias, target in (raw.get("aliases") or {}).items():
            if _key(target) not in by_key:
                raise ValueError(f"{path}: alias '{alias}' names unknown region '{target}'")
            aliases[_key(alias)] = by_key[_key(target)]
        aliases.update(by_key)
        country_aliases = {
            str(k).upper(): str(v).upper() for k, v in (raw.get("country_aliases") or {}).items()
        }
        return cls(regions=regions, aliases=aliases, country_aliases=country_aliases, countries=countries)

    def resolve(self, listing: str) -> tuple[str, frozenset[str]] | None:
        """The countries one entry of a rep's `regions` cell covers, or None if unknown.

        >>> book = RegionBook.load()
        >>> book.resolve("es")
        ('ES', frozenset({'ES'}))
        >>> name, members = book.resolve("latam")
        >>> name, "MX" in members, "US" in members
        ('Latin America', True, False)
        >>> book.resolve("Eurasia") is None
        True
        """
        text = listing.strip()
        code = self.country_aliases.get(text.upper(), text.upper())
        if len(text) == 2 and code in self.countries:
            return code, frozenset({code})
        name = self.aliases.get(_key(text))
        if name is None:
            return None
        return name, self.regions[name]

    def regions_of(self, country_code: str | None) -> tuple[str, ...]:
        """Names of the regions a country belongs to, smallest first.

        >>> RegionBook.load().regions_of("SA")[:3]
        ('GCC', 'Middle East', 'MENA')
        """
        if not country_code:
            return ()
        named = [name for name, members in self.regions.items() if country_code in members]
        return tuple(sorted(named, key=lambda name: (len(self.regions[name]), name)))

    def in_any(self, country_code: str | None, region_names: list[str] | tuple[str, ...]) -> bool:
        """True if the country is in one of the named regions (names as in `regions.yaml`)."""
        if not country_code:
            return False
        for name in region_names:
            resolved = self.resolve(name)
            if resolved is not None and country_code in resolved[1]:
                return True
        return False


@dataclass(frozen=True)
class RegionCoverage:
    """For each country, the reps covering it and how specific each listing is."""

    by_country: Mapping[str, Mapping[str, int]]

    def tiers(self, country_code: str | None, rep_ids: list[str]) -> list[list[str]]:
        """The given reps that cover the country, grouped most specific first.

        >>> book = RegionBook.load()
        >>> coverage = RegionCoverage.from_listings({"R1": ["Europe"], "R2": ["ES"], "R3": ["Asia"]}, book)
        >>> coverage.tiers("ES", ["R1", "R2", "R3"])
        [['R2'], ['R1']]
        >>> coverage.tiers("BR", ["R1", "R2", "R3"])
        []
        """
        if not country_code:
            return []
        covering = self.by_country.get(country_code, {})
        sizes = sorted({covering[rep] for rep in rep_ids if rep in covering})
        return [[rep for rep in rep_ids if covering.get(rep) == size] for size in sizes]

    @classmethod
    def from_listings(
        cls, listings: Mapping[str, list[str]], book: RegionBook, *, source: str = "team"
    ) -> RegionCoverage:
        by_country: dict[str, dict[str, int]] = {}
        for position, (rep_id, entries) in enumerate(listings.items()):
            for entry in entries:
                resolved = book.resolve(entry)
                if resolved is None:
                    known = ", ".join(sorted(book.regions))
                    raise ProfileError(
                        source,
                        f"rep '{rep_id}' lists unknown region '{entry}' (use ISO codes or one of: {known})",
                        row=position + 2,
                        column="regions",
                    )
                for country in resolved[1]:
                    reps = by_country.setdefault(country, {})
                    reps[rep_id] = min(reps.get(rep_id, len(book.countries) + 1), len(resolved[1]))
        return cls(by_country=by_country)

    @classmethod
    def of_team(cls, team, book: RegionBook, *, source: str = "team") -> RegionCoverage:
        """Coverage of a profile's team frame (`regions` already split into lists)."""
        listings = {
            str(rep): list(regions) for rep, regions in zip(team["rep_id"], team["regions"], strict=True)
        }
        return cls.from_listings(listings, book, source=source)
