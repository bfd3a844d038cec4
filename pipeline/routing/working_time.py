"""Working time as sorted UTC intervals, for the team and for each buyer.

A working day is built in local time (so daylight-saving changes and year
ends fall out of zoneinfo arithmetic) and stored as UTC epoch seconds. Queries
are binary searches, so a batch of thousands of inquiries costs little once
each (zone, country) has been built.

Team: the profile's workdays and hours, minus the public holidays of
`settings["holiday_country"]` (default CN), plus that country's official
make-up working days (China's 调休 weekends). Buyer: 09:00-18:00 local on days
outside the buyer country's weekend (`weekends.yaml`) and public holidays.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from pipeline.routing.data_files import read_yaml
from pipeline.routing.timezones import zone_by_name

WEEKENDS_FILE = Path(__file__).with_name("weekends.yaml")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class WorkingTime:
    """Disjoint working intervals [start, end] in UTC epoch seconds, sorted."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def _index(self, moment: float) -> int:
        """Index of the last interval starting at or before the moment (-1 if none)."""
        return bisect_right(self.starts, moment) - 1

    def covers(self, moment: float) -> bool:
        i = self._index(moment)
        return i >= 0 and moment <= self.ends[i]

    def first_at_or_after(self, moment: float) -> float | None:
        """The earliest working moment at or after `moment`."""
        i = self._index(moment)
        if i >= 0 and moment <= self.ends[i]:
            return moment
        return self.starts[i + 1] if i + 1 < len(self.starts) else None

    def last_at_or_before(self, moment: float) -> float | None:
        """The latest working moment at or before `moment`."""
        i = self._index(moment)
        return None if i < 0 else min(moment, self.ends[i])

    def segment(self, moment: float) -> tuple[int, int] | None:
        """The interval containing `moment`, else the next one after it."""
        i = self._index(moment)
        if i >= 0 and moment <= self.ends[i]:
            return self.starts[i], self.ends[i]
        return (self.starts[i + 1], self.ends[i + 1]) if i + 1 < len(self.starts) else None

    def next_opening(self, moment: float) -> int | None:
        """The first interval start at or after `moment`."""
        i = bisect_right(self.starts, moment - 1)
        return self.starts[i] if i < len(self.starts) else None

    def add_working(self, moment: float, seconds: float) -> float | None:
        """The moment `seconds` of working time after `moment` (None past the calendar's end)."""
        i = self._index(moment)
        if i < 0 or moment > self.ends[i]:
            i += 1
            if i >= len(self.starts):
                return None
            moment = self.starts[i]
        while True:
            available = self.ends[i] - moment
            if seconds <= available:
                return moment + seconds
            seconds -= available
            i += 1
            if i >= len(self.starts):
                return None
            moment = self.starts[i]

    def intersect(self, other: WorkingTime) -> WorkingTime:
        """Moments working in both, e.g. the team's hours that fall in the buyer's.

        >>> a = WorkingTime((0, 100), (50, 150))
        >>> b = WorkingTime((40,), (120,))
        >>> a.intersect(b)
        WorkingTime(starts=(40, 100), ends=(50, 120))
        """
        starts, ends = [], []
        i = j = 0
        while i < len(self.starts) and j < len(other.starts):
            start = max(self.starts[i], other.starts[j])
            end = min(self.ends[i], other.ends[j])
            if start < end:
                starts.append(start)
                ends.append(end)
            if self.ends[i] < other.ends[j]:
                i += 1
            else:
                j += 1
        return WorkingTime(tuple(starts), tuple(ends))


def working_days_to_intervals(zone: tzinfo, days: list[date], start: time, end: time) -> WorkingTime:
    """UTC intervals for the given local working days and hours."""
    starts, ends = [], []
    for day in days:
        starts.append(int(datetime.combine(day, start, tzinfo=zone).timestamp()))
        ends.append(int(datetime.combine(day, end, tzinfo=zone).timestamp()))
    return WorkingTime(tuple(starts), tuple(ends))


@dataclass(frozen=True)
class WeekendTable:
    """Weekend days (0 = Monday) per buyer country; others rest on Saturday and Sunday."""

    default: frozenset[int]
    countries: dict[str, frozenset[int]]

    @classmethod
    def load(cls, path: Path | str = WEEKENDS_FILE) -> WeekendTable:
        raw = read_yaml(path)

        def days(names: list[str], where: str) -> frozenset[int]:
            unknown = [name for name in names if name not in WEEKDAY_NAMES]
            if unknown:
                raise ValueError(
                    f"{path}: {where}: unknown day '{unknown[0]}' (use {', '.join(WEEKDAY_NAMES)})"
                )
            return frozenset(WEEKDAY_NAMES.index(name) for name in names)

        countries = {
            str(code).upper(): days(names, str(code)) for code, names in (raw.get("countries") or {}).items()
        }
        return cls(default=days(raw.get("default") or ["Sat", "Sun"], "default"), countries=countries)

    def of(self, country: str | None) -> frozenset[int]:
        return self.countries.get(country or "", self.default)


@dataclass
class Calendars:
    """Team and buyer working time over one span of dates, built once per zone and country.

    One object serves a batch; it caches holiday sets per (country, year), the dates
    worked per (country, weekdays) and working-time intervals per (zone, country).
    """

    team_zone: str
    team_days: frozenset[int]
    team_hours: tuple[time, time]
    holiday_country: str | None
    first_day: date
    last_day: date
    buyer_hours: tuple[time, time] = (time(9), time(18))
    weekends: WeekendTable = field(default_factory=WeekendTable.load)
    _holidays: dict = field(default_factory=dict, repr=False)
    _worked: dict = field(default_factory=dict, repr=False)
    _buyers: dict = field(default_factory=dict, repr=False)
    _joint: dict = field(default_factory=dict, repr=False)
    _team: WorkingTime | None = field(default=None, repr=False)

    @classmethod
    def for_profile(
        cls, profile, first: datetime, last: datetime, *, buyer_hours: tuple[time, time] = (time(9), time(18))
    ) -> Calendars:
        """Calendars covering the dates from `first` to `last` (both UTC moments), with a day's margin."""
        days = frozenset(WEEKDAY_NAMES.index(day) for day in profile.workdays)
        country = profile.settings.get("holiday_country", "CN")
        return cls(
            team_zone=profile.timezone,
            team_days=days,
            team_hours=(profile.work_start, profile.work_end),
            holiday_country=str(country).upper() if country else None,
            first_day=(first - timedelta(days=2)).date(),
            last_day=(last + timedelta(days=2)).date(),
            buyer_hours=buyer_hours,
        )

    @property
    def team_tz(self) -> tzinfo:
        return zone_by_name(self.team_zone)

    def _dates(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]

    def _calendar(self, country: str | None, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """(public holidays, official make-up working days) of a country in a year; empty if unknown."""
        if not country:
            return frozenset(), frozenset()
        key = (country, year)
        if key not in self._holidays:
            import holidays as holiday_calendars  # half a second to import: only when a calendar is built

            try:
                calendar = holiday_calendars.country_holidays(country, years=year)
            except (NotImplementedError, KeyError):
                self._holidays[key] = (frozenset(), frozenset())
            else:
                makeup = frozenset(
                    day for day in getattr(calendar, "weekend_workdays", ()) if day.year == year
                )
                self._holidays[key] = (frozenset(calendar.keys()), makeup)
        return self._holidays[key]

    def is_holiday(self, country: str | None, day: date) -> bool:
        return day in self._calendar(country, day.year)[0]

    def _working_days(self, country: str | None, work_weekdays: frozenset[int]) -> list[date]:
        """Local dates worked: a working weekday (or an official make-up day) that is not a holiday.

        The same for every zone of a country (and for every buyer whose country is unknown),
        so each (country, weekdays, span) is worked out once.
        """
        key = (country, work_weekdays, self.first_day, self.last_day)
        if key not in self._worked:
            worked = []
            for day in self._dates():
                holidays_, makeup = self._calendar(country, day.year)
                if day not in holidays_ and (day.weekday() in work_weekdays or day in makeup):
                    worked.append(day)
            self._worked[key] = tuple(worked)
        return list(self._worked[key])

    def team(self) -> WorkingTime:
        if self._team is None:
            days = self._working_days(self.holiday_country, self.team_days)
            self._team = working_days_to_intervals(zone_by_name(self.team_zone), days, *self.team_hours)
        return self._team

    def buyer(self, zone_name: str, country: str | None) -> WorkingTime:
        key = (zone_name, country)
        if key not in self._buyers:
            work_weekdays = frozenset(range(7)) - self.weekends.of(country)
            days = self._working_days(country, work_weekdays)
            self._buyers[key] = working_days_to_intervals(zone_by_name(zone_name), days, *self.buyer_hours)
        return self._buyers[key]

    def joint(self, zone_name: str, country: str | None) -> WorkingTime:
        """Moments when both the team and this buyer are at work."""
        key = (zone_name, country)
        if key not in self._joint:
            self._joint[key] = self.team().intersect(self.buyer(zone_name, country))
        return self._joint[key]
