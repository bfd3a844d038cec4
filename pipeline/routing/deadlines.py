"""When a reply is due, timed to land in the buyer's working hours.

Policy, as applied to every inquiry (rules in `reply_rules.yaml`):

1. The service level gives a deadline D counted from arrival E: grades 1-2
   the same team working day, grade 3 within 24 hours, grade 4 within 72
   hours (so after grades 1-3). For grades 1-2 regional practice replaces the
   grade's rule: Hong Kong, Taiwan, Korea within 2 working hours; Australia
   at once; Europe before 15:00 in the team's zone; the Americas before the
   end of the team's working day.
2. The reply should land while both the team and the buyer are at work (the
   buyer: 09:00-18:00 local on a buyer workday that is not a public holiday;
   the team: its working hours on its workdays, minus its holidays). If such
   a moment exists between E and D, the reply is due at the latest one: the
   deadline, pulled earlier into shared working time when needed.
3. When the deadline and the buyer's hours conflict (no shared moment before
   D), the reply is due at the earliest shared moment after E: the buyer's
   hours win over the clock.
4. When team and buyer hours never overlap within the look-ahead horizon (a
   Shanghai team and a buyer in New York), the reply is due in team time as
   late as possible before both D and the buyer's next opening, so it waits in
   the buyer's inbox when their day starts; never before the team's first
   working moment after E.

The due moment therefore always lies inside the team's working time. Days are
built in local time with zoneinfo, so daylight-saving changes and year ends
need no special case; only the result is converted to UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from pipeline.routing.data_files import read_yaml
from pipeline.routing.regions import RegionBook
from pipeline.routing.timezones import BuyerZone, zone_by_name
from pipeline.routing.working_time import Calendars, WorkingTime

REPLY_RULES_FILE = Path(__file__).with_name("reply_rules.yaml")
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RULE_KINDS = ("same_team_day", "within_hours", "within_working_hours", "at_once", "before_team_clock")

INSIDE = "inside"  # lands in shared working time before the deadline
LATE = "late"  # the deadline yields to the buyer's hours
NO_OVERLAP = "no_overlap"  # the hours never meet: waits in the buyer's inbox


class ReplyDue(NamedTuple):
    """When the reply is due (UTC), the buyer-local window it lands in, and why."""

    reply_due_at: pd.Timestamp
    send_window_local: str
    rule: str


@dataclass(frozen=True)
class ServiceLevel:
    """One deadline rule: a kind from RULE_KINDS with its hours or clock time."""

    kind: str
    text: str
    hours: float = 0.0
    clock: time | None = None

    @classmethod
    def parse(cls, raw: Mapping, where: str) -> ServiceLevel:
        kind = raw.get("rule")
        if kind not in RULE_KINDS:
            raise ValueError(f"{where}: unknown rule '{kind}' (use {', '.join(RULE_KINDS)})")
        clock = None
        if kind == "before_team_clock":
            clock = _clock(raw.get("clock"), f"{where}.clock")
        hours = float(raw.get("hours") or 0)
        if kind in ("within_hours", "within_working_hours") and hours <= 0:
            raise ValueError(f"{where}: rule '{kind}' needs hours > 0")
        return cls(kind=kind, text=str(raw.get("text") or kind), hours=hours, clock=clock)

    def deadline(self, arrival: float, team: WorkingTime, team_zone) -> float:
        """The deadline D in UTC epoch seconds for an inquiry arriving at `arrival`."""
        first = team.first_at_or_after(arrival)
        if first is None:
            raise ValueError("the team has no working time left in the calendar span")
        if self.kind == "within_hours":
            return arrival + self.hours * 3600
        if self.kind == "at_once":
            return first
        if self.kind == "within_working_hours":
            due = team.add_working(first, self.hours * 3600)
            return due if due is not None else first + self.hours * 3600
        start, end = team.segment(first)
        if self.kind == "same_team_day":
            return end
        while True:  # before_team_clock: the cutoff on the first working day it can still be met
            local_day = datetime.fromtimestamp(start, team_zone).date()
            cutoff = max(datetime.combine(local_day, self.clock, tzinfo=team_zone).timestamp(), start)
            if cutoff >= first:
                return cutoff
            following = team.segment(end + 1)
            if following is None:
                return end
            start, end = following


@dataclass(frozen=True)
class ReplyPolicy:
    """Deadline rules per grade and regional practice, with the buyer's working hours."""

    grades: Mapping[int, ServiceLevel]
    regional_grades: frozenset[int]
    regional: tuple[tuple[frozenset[str], ServiceLevel], ...]
    buyer_hours: tuple[time, time]
    horizon_days: int

    @classmethod
    def load(
        cls,
        settings: Mapping | None = None,
        *,
        path: Path | str = REPLY_RULES_FILE,
        book: RegionBook | None = None,
    ) -> ReplyPolicy:
        """Rules from `reply_rules.yaml`; `settings["routing"]["buyer_hours"]` may override the hours."""
        raw = read_yaml(path)
        book = book or RegionBook.load()
        grades = {
            int(grade): ServiceLevel.parse(rule, f"{path}: grades.{grade}")
            for grade, rule in raw["grades"].items()
        }
        missing = [grade for grade in (1, 2, 3, 4) if grade not in grades]
        if missing:
            raise ValueError(f"{path}: grades: no rule for grade {missing[0]}")
        regional = []
        for number, rule in enumerate(raw.get("regional", {}).get("rules") or [], start=1):
            countries = {str(code).upper() for code in rule.get("countries") or []}
            for name in rule.get("regions") or []:
                resolved = book.resolve(str(name))
                if resolved is None:
                    raise ValueError(f"{path}: regional rule {number}: unknown region '{name}'")
                countries |= resolved[1]
            regional.append(
                (frozenset(countries), ServiceLevel.parse(rule, f"{path}: regional rule {number}"))
            )
        hours = ((settings or {}).get("routing") or {}).get("buyer_hours") or raw.get("buyer_hours") or {}
        start = _clock(hours.get("start", "09:00"), "buyer_hours.start")
        end = _clock(hours.get("end", "18:00"), "buyer_hours.end")
        if end <= start:
            raise ValueError("routing.buyer_hours: end must be after start")
        return cls(
            grades=grades,
            regional_grades=frozenset(int(g) for g in raw.get("regional", {}).get("grades") or ()),
            regional=tuple(regional),
            buyer_hours=(start, end),
            horizon_days=int(raw.get("horizon_days", 21)),
        )

    def service_level(self, grade: int, country: str | None) -> tuple[ServiceLevel, str]:
        """The rule that sets the deadline, and the text explaining it.

        >>> policy = ReplyPolicy.load()
        >>> policy.service_level(1, "DE")[1]
        'grade 1: the same team working day; Europe: before 15:00 team time'
        >>> policy.service_level(3, "DE")[1]
        'grade 3: within 24 hours'
        """
        level = self.grades[grade]
        if grade in self.regional_grades and country:
            for countries, regional in self.regional:
                if country in countries:
                    return regional, f"{level.text}; {regional.text}"
        return level, level.text


@dataclass(frozen=True)
class ReplyPlan:
    """The due moment in epoch seconds, the buyer window it lands in, and which policy case applied."""

    due: float
    window: tuple[float, float] | None
    case: str
    rule: str


def plan_reply(
    arrival: float,
    grade: int,
    zone_name: str,
    country: str | None,
    calendars: Calendars,
    policy: ReplyPolicy,
) -> ReplyPlan:
    """Apply the module's policy to one inquiry (times in UTC epoch seconds)."""
    team = calendars.team()
    level, text = policy.service_level(grade, country)
    deadline = level.deadline(arrival, team, calendars.team_tz)
    joint = calendars.joint(zone_name, country)
    horizon = arrival + policy.horizon_days * 86400
    latest = joint.last_at_or_before(deadline) if deadline >= arrival else None
    if latest is not None and latest >= arrival:
        start, end = joint.segment(latest)
        opens = max(start, arrival)
        # The window runs up to the due moment; for "at once" it is the rest of the shared hours.
        window = (opens, latest) if latest > opens else (opens, end)
        return ReplyPlan(latest, window, INSIDE, f"{text}; lands in the buyer's working hours")
    earliest = joint.first_at_or_after(arrival)
    if earliest is not None and earliest <= horizon:
        start, end = joint.segment(earliest)
        return ReplyPlan(
            earliest,
            (earliest, end),
            LATE,
            f"{text}; moved to the buyer's next working hours shared with the team",
        )
    first = team.first_at_or_after(arrival)
    if first is None:
        raise ValueError("the team has no working time left in the calendar span")
    buyer = calendars.buyer(zone_name, country)
    opening = buyer.next_opening(first)
    limit = min(deadline, opening) if opening is not None else deadline
    due = team.last_at_or_before(limit) if limit >= first else first
    due = max(due if due is not None else first, first)
    window = buyer.segment(opening) if opening is not None else None
    return ReplyPlan(
        due,
        window,
        NO_OVERLAP,
        f"{text}; working hours do not overlap: waits in the buyer's inbox for their day",
    )


def describe_window(window: tuple[float, float] | None, zone_name: str, zone=None) -> str:
    """The buyer-local window, e.g. 'Mon 2025-03-03 09:00-11:00 Europe/Berlin'.

    >>> start = datetime(2025, 3, 3, 8, tzinfo=UTC).timestamp()
    >>> describe_window((start, start + 7200), "Europe/Berlin")
    'Mon 2025-03-03 09:00-11:00 Europe/Berlin'
    """
    if window is None:
        return ""
    zone = zone or zone_by_name(zone_name)
    start = datetime.fromtimestamp(window[0], zone)
    end = datetime.fromtimestamp(window[1], zone)
    closes = f"{end.hour:02d}:{end.minute:02d}"
    if end.date() != start.date():
        closes = f"{_day_text(end)} {closes}"
    return f"{_day_text(start)} {start.hour:02d}:{start.minute:02d}-{closes} {zone_name}"


def _day_text(moment: datetime) -> str:
    """'Mon 2025-03-03': formatted by hand, strftime is slow over thousands of rows."""
    return f"{_DAY_NAMES[moment.weekday()]} {moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def reply_due(
    received_at: datetime,
    grade: int,
    buyer_zone: BuyerZone | str,
    profile,
    *,
    country_code: str | None = None,
    calendars: Calendars | None = None,
    policy: ReplyPolicy | None = None,
) -> ReplyDue:
    """When to reply to one inquiry; see the module docstring for the policy.

    `buyer_zone` is a BuyerZone or a zone name ('Europe/Berlin', 'UTC+05:30').
    Pass `calendars` and `policy` when deciding many inquiries: they cache.
    """
    arrival = pd.Timestamp(received_at)
    if arrival.tzinfo is None:
        raise ValueError("reply_due: received_at must carry a timezone")
    zone_name = buyer_zone.name if isinstance(buyer_zone, BuyerZone) else str(buyer_zone)
    policy = policy or ReplyPolicy.load(profile.settings)
    if calendars is None:
        moment = arrival.to_pydatetime().astimezone(UTC)
        calendars = Calendars.for_profile(
            profile, moment, moment + timedelta(days=policy.horizon_days + 7), buyer_hours=policy.buyer_hours
        )
    plan = plan_reply(arrival.timestamp(), int(grade), zone_name, country_code, calendars, policy)
    return ReplyDue(
        pd.Timestamp(plan.due, unit="s", tz="UTC"), describe_window(plan.window, zone_name), plan.rule
    )


def _clock(text: object, where: str) -> time:
    try:
        hours, minutes = str(text).strip().split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise ValueError(f"{where}: expected a time like 09:00, got {text!r}") from None
