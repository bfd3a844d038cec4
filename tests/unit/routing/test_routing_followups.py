"""Follow-up cadence by grade, landing on the buyer's workdays."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.routing.followups import FollowUpCadence, follow_up_moment, next_follow_up_at
from pipeline.routing.working_time import Calendars
from routing_cases import with_settings

DAY = 86400


@pytest.fixture(scope="module")
def calendars(profile):
    start = pd.Timestamp("2025-03-01", tz="UTC").to_pydatetime()
    return Calendars.for_profile(profile, start, start + pd.Timedelta(days=80))


def at(text: str) -> float:
    return pd.Timestamp(text).timestamp()


def shown(seconds: float, zone: str) -> str:
    return f"{pd.Timestamp(seconds, unit='s', tz='UTC').tz_convert(zone):%a %Y-%m-%d %H:%M}"


def test_grade_2_every_three_days_for_two_weeks_then_weekly():
    cadence = FollowUpCadence.load()
    offsets, elapsed = [], 0.0
    for _ in range(7):
        elapsed = cadence.next_offset_days(2, elapsed)
        offsets.append(elapsed)
    assert offsets == [3, 6, 9, 12, 19, 26, 33]


def test_grade_1_per_rep_and_other_grades_none(profile):
    cadence = FollowUpCadence.load(with_settings(profile, follow_up_days={"R1": 1, "default": 4}).settings)
    assert cadence.next_offset_days(1, 0, "R1") == 1
    assert cadence.next_offset_days(1, 0, "R2") == 4
    assert FollowUpCadence.load().next_offset_days(1, 0) == 2
    assert cadence.next_offset_days(3, 0) is None and cadence.next_offset_days(4, 0) is None
    with pytest.raises(ValueError, match="follow_up_days"):
        FollowUpCadence.load({"routing": {"follow_up_days": 0}})


def test_next_follow_up_is_after_now(calendars):
    cadence = FollowUpCadence.load()
    reply = at("2025-03-03 16:00+08:00")  # Monday, Berlin opens
    first = next_follow_up_at(reply, 2, "Europe/Berlin", "DE", calendars, cadence, now=reply)
    assert shown(first, "Asia/Shanghai") == "Thu 2025-03-06 16:00"
    later = next_follow_up_at(reply, 2, "Europe/Berlin", "DE", calendars, cadence, now=reply + 13 * DAY)
    assert shown(later, "Asia/Shanghai") == "Mon 2025-03-24 16:00"  # day 19: weekly phase, moved to Monday
    assert next_follow_up_at(reply, 3, "Europe/Berlin", "DE", calendars, cadence, now=reply) is None


def test_follow_up_never_falls_on_the_buyers_weekend(calendars):
    # Nominally Friday noon in Riyadh (a weekend day there).
    moment = follow_up_moment(at("2025-03-07 12:00+03:00"), "Asia/Riyadh", "SA", calendars, 21)
    assert shown(moment, "Asia/Riyadh")[:3] not in ("Fri", "Sat")
    assert calendars.team().covers(moment) and calendars.buyer("Asia/Riyadh", "SA").covers(moment)


def test_follow_up_without_shared_hours_waits_for_the_buyers_day(calendars):
    moment = follow_up_moment(at("2025-03-07 12:00-05:00"), "America/New_York", "US", calendars, 21)  # Friday
    assert calendars.team().covers(moment)
    assert shown(moment, "America/New_York") == "Mon 2025-03-10 06:00"  # sent 18:00 Beijing, read Monday
