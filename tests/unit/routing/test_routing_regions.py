"""Which reps cover which countries: ISO codes and small regions win over big ones."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pycountry
import pytest
import yaml

from pipeline.profile import ProfileError
from pipeline.routing.regions import RegionBook, RegionCoverage
from pipeline.routing.timezones import COUNTRY_ZONES_FILE


@pytest.fixture(scope="module")
def book():
    return RegionBook.load()


def test_iso_code_beats_region_for_overlapping_country(book):
    coverage = RegionCoverage.from_listings({"europe_rep": ["Europe"], "iberia_rep": ["ES", "PT"]}, book)
    assert coverage.tiers("ES", ["europe_rep", "iberia_rep"]) == [["iberia_rep"], ["europe_rep"]]
    assert coverage.tiers("DE", ["europe_rep", "iberia_rep"]) == [["europe_rep"]]


def test_smaller_region_beats_larger_one(book):
    coverage = RegionCoverage.from_listings(
        {"asia": ["Asia"], "gulf": ["GCC"], "mideast": ["Middle East"]}, book
    )
    assert coverage.tiers("AE", ["asia", "gulf", "mideast"]) == [["gulf"], ["mideast"], ["asia"]]
    assert coverage.tiers("JP", ["asia", "gulf", "mideast"]) == [["asia"]]


def test_worldwide_rep_is_the_last_resort(book):
    coverage = RegionCoverage.from_listings({"world": ["Worldwide"], "europe": ["Europe"]}, book)
    assert coverage.tiers("FR", ["world", "europe"]) == [["europe"], ["world"]]
    assert coverage.tiers("BR", ["world", "europe"]) == [["world"]]


def test_region_names_ignore_case_spacing_and_aliases(book):
    assert book.resolve("latin-america")[0] == "Latin America"
    assert book.resolve("LATAM")[0] == "Latin America"
    assert book.resolve("uk") == ("GB", frozenset({"GB"}))


def test_two_letter_iso_codes_are_countries_even_when_yaml_reads_them_oddly(book):
    # NO is Norway (YAML 1.1 reads a bare NO as false); NA is Namibia, not an alias.
    assert book.resolve("NO") == ("NO", frozenset({"NO"}))
    assert book.resolve("NA") == ("NA", frozenset({"NA"}))
    assert "NO" in book.regions["Nordics"]


def test_unknown_region_names_the_rep_row_and_column(book):
    with pytest.raises(ProfileError) as error:
        RegionCoverage.from_listings({"R1": ["Europe"], "R2": ["Eurasia"]}, book, source="team.csv")
    message = str(error.value)
    assert "team.csv" in message and "row 3" in message and "'regions'" in message and "Eurasia" in message


def test_region_membership_used_by_reply_rules(book):
    assert book.in_any("MX", ["Americas"]) and book.in_any("US", ["Americas"])
    assert not book.in_any("DE", ["Americas"])
    assert book.regions_of("SA")[0] == "GCC"


def test_every_country_has_a_valid_capital_zone():
    table = yaml.safe_load(COUNTRY_ZONES_FILE.read_text(encoding="utf-8"))
    codes = {country.alpha_2 for country in pycountry.countries}
    assert codes <= set(table["capital_zone"])
    for zone in table["capital_zone"].values():
        ZoneInfo(zone)
    assert {"US", "CA", "BR", "RU", "AU", "MX", "ID"} <= set(table["multi_zone"])
