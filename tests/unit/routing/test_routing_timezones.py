"""The buyer's timezone from country, phone and the sender's UTC offset."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pipeline.routing.timezones import ZoneResolver


@pytest.fixture()
def resolver():
    return ZoneResolver.load("Asia/Shanghai")


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("DE", "Europe/Berlin"),
        ("ES", "Europe/Madrid"),
        ("RU", "Europe/Moscow"),
        ("AU", "Australia/Sydney"),
        ("BR", "America/Sao_Paulo"),
        ("CA", "America/Toronto"),
        ("IN", "Asia/Kolkata"),
        ("NP", "Asia/Kathmandu"),
    ],
)
def test_country_gives_the_capitals_zone(resolver, country, zone):
    found = resolver.zone(country)
    assert (found.name, found.source) == (zone, "country")


def test_phone_picks_the_zone_in_a_multi_zone_country(resolver):
    assert resolver.zone("US", "+13105550100").name == "America/Los_Angeles"
    assert resolver.zone("US", "+15205550100").name == "America/Phoenix"
    assert resolver.zone("US", "+13105550100").source == "phone"


def test_phone_that_cannot_tell_the_zone_falls_back_to_the_capital(resolver):
    assert resolver.zone("RU", "+79161234567").name == "Europe/Moscow"  # mobile: any zone of Russia
    assert resolver.zone("AU", "+61893335555").name == "Australia/Sydney"  # +61 8: Adelaide or Perth


def test_phone_from_another_country_does_not_move_the_buyer(resolver):
    assert resolver.zone("DE", "+13105550100").name == "Europe/Berlin"


def test_without_country_the_phone_then_the_offset_then_the_team(resolver):
    assert resolver.zone(None, "+4930123456").name == "Europe/Berlin"
    offset = resolver.zone(None, None, 330)
    assert offset.name == "UTC+05:30" and offset.source == "offset"
    assert offset.tz.utcoffset(datetime(2025, 1, 1)) == timedelta(hours=5, minutes=30)
    assert resolver.zone(None, None, float("nan")).source == "team"
    assert resolver.zone("", None, None).name == "Asia/Shanghai"


def test_lookups_are_cached_per_resolver(resolver):
    assert resolver.zone("DE") is resolver.zone("de")
