"""The buyer's timezone, from what the inquiry tells us.

In order of trust:

1. the country: its capital's zone (`country_timezones.yaml`); for a country
   spanning several UTC offsets (US, CA, BR, RU, AU, MX, ID...) the phone
   number picks the zone when it belongs to that country;
2. no country: the phone number's country and zone;
3. neither: the UTC offset the sender's mail client wrote (`received_offset_minutes`);
4. nothing at all: the team's own zone.

Lookups repeat a lot in a batch, so `ZoneResolver` caches them per resolver
(one per batch), never at module level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezones

from pipeline.routing.data_files import read_yaml

COUNTRY_ZONES_FILE = Path(__file__).with_name("country_timezones.yaml")


@dataclass(frozen=True)
class BuyerZone:
    """A buyer's zone: its name (an IANA name or 'UTC+05:30'), the tzinfo, and where it came from."""

    name: str
    tz: tzinfo
    source: str  # country | phone | offset | team


def offset_name(minutes: int) -> str:
    """A readable name for a fixed UTC offset.

    >>> offset_name(330), offset_name(-300), offset_name(0)
    ('UTC+05:30', 'UTC-05:00', 'UTC+00:00')
    """
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(int(minutes)), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_by_name(name: str) -> tzinfo:
    """A tzinfo for an IANA name or an 'UTC+05:30' style name.

    >>> zone_by_name("UTC+05:30").utcoffset(None)
    datetime.timedelta(seconds=19800)
    """
    if name.startswith("UTC") and len(name) == 9 and name[3] in "+-":
        minutes = int(name[4:6]) * 60 + int(name[7:9])
        return timezone(timedelta(minutes=minutes if name[3] == "+" else -minutes), name)
    return ZoneInfo(name)


@dataclass
class ZoneResolver:
    """Finds buyer zones; holds the country table and this batch's lookups."""

    team_zone: str
    capital_zone: dict[str, str]
    multi_zone: frozenset[str]
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, team_zone: str, path: Path | str = COUNTRY_ZONES_FILE) -> ZoneResolver:
        raw = read_yaml(path)
        capitals = {str(code).upper(): str(zone) for code, zone in raw["capital_zone"].items()}
        return cls(
            team_zone=team_zone, capital_zone=capitals, multi_zone=frozenset(raw.get("multi_zone") or ())
        )

    def zone(
        self, country_code: object = None, phone_e164: object = None, offset_minutes: object = None
    ) -> BuyerZone:
        """The buyer's zone from country, phone and the sender's UTC offset.

        >>> resolver = ZoneResolver.load("Asia/Shanghai")
        >>> resolver.zone("DE").name
        'Europe/Berlin'
        >>> resolver.zone("US", "+13105550100").name  # a Los Angeles number
        'America/Los_Angeles'
        >>> resolver.zone("US").name, resolver.zone("US").source
        ('America/New_York', 'country')
        >>> resolver.zone(None, None, 330).name
        'UTC+05:30'
        >>> resolver.zone(None).source
        'team'
        """
        country = _text(country_code)
        country = country.upper() if country else None
        phone = _text(phone_e164)
        offset = _minutes(offset_minutes)
        key = (country, phone if (phone and (not country or country in self.multi_zone)) else None, offset)
        found = self._cache.get(key)
        if found is None:
            found = self._resolve(*key)
            self._cache[key] = found
        return found

    def _resolve(self, country: str | None, phone: str | None, offset: int | None) -> BuyerZone:
        phone_country, phone_zone = _phone_zone(phone) if phone else (None, None)
        if country and country in self.capital_zone:
            capital = self.capital_zone[country]
            if phone_zone and phone_country == country and phone_zone != capital:
                return BuyerZone(phone_zone, ZoneInfo(phone_zone), "phone")
            return BuyerZone(capital, ZoneInfo(capital), "country")
        if phone_country and (phone_zone or phone_country in self.capital_zone):
            name = phone_zone or self.capital_zone[phone_country]
            return BuyerZone(name, ZoneInfo(name), "phone")
        if offset is not None and -14 * 60 <= offset <= 14 * 60:
            name = offset_name(offset)
            return BuyerZone(name, zone_by_name(name), "offset")
        return BuyerZone(self.team_zone, ZoneInfo(self.team_zone), "team")


def _phone_zone(phone: str) -> tuple[str | None, str | None]:
    """(country, zone) of an E.164 number; zone None when the number does not pin one zone down.

    >>> _phone_zone("+13105550100")
    ('US', 'America/Los_Angeles')
    >>> _phone_zone("+79161234567")  # a Russian mobile: any zone of Russia
    ('RU', None)
    """
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None, None
    country = phonenumbers.region_code_for_number(number)
    if not country or country == "ZZ":
        return None, None
    zones = [name for name in phone_timezones.time_zones_for_number(number) if name != "Etc/Unknown"]
    if len(zones) != 1:  # a mobile or nationwide number: the phone cannot tell the zone
        return country, None
    try:
        ZoneInfo(zones[0])
    except (ZoneInfoNotFoundError, ValueError):
        return country, None
    return country, zones[0]


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _minutes(value: object) -> int | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)
