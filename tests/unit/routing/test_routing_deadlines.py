"""Reply deadlines: service levels, buyer working hours, weekends, holidays, DST, year ends."""

from __future__ import annotations

from datetime import time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.routing.deadlines import INSIDE, LATE, NO_OVERLAP, ReplyPolicy, plan_reply, reply_due
from pipeline.routing.working_time import Calendars

SHANGHAI = "Asia/Shanghai"


@pytest.fixture(scope="module")
def policy():
    return ReplyPolicy.load()


def due(profile, arrival: str, grade: int, zone: str, country: str | None, policy) -> pd.Timestamp:
    return reply_due(
        pd.Timestamp(arrival), grade, zone, profile, country_code=country, policy=policy
    ).reply_due_at


def local(stamp: pd.Timestamp, zone: str) -> str:
    return f"{stamp.tz_convert(zone):%a %Y-%m-%d %H:%M}"


def test_europe_grade_1_lands_when_the_buyers_day_opens(profile, policy):
    # Monday 10:00 Beijing is 03:00 in Berlin; "before 15:00 Beijing" cannot land in Berlin hours,
    # so the reply is due when Berlin opens (16:00 Beijing in winter).
    result = reply_due(
        pd.Timestamp("2025-03-03 10:00+08:00"), 1, "Europe/Berlin", profile, country_code="DE", policy=policy
    )
    assert local(result.reply_due_at, SHANGHAI) == "Mon 2025-03-03 16:00"
    assert result.send_window_local == "Mon 2025-03-03 09:00-11:00 Europe/Berlin"
    assert "Europe: before 15:00 team time" in result.rule


def test_hong_kong_within_two_working_hours(profile, policy):
    assert (
        local(due(profile, "2025-03-03 10:00+08:00", 1, "Asia/Hong_Kong", "HK", policy), SHANGHAI)
        == "Mon 2025-03-03 12:00"
    )
    # 17:30: half an hour today, 1.5 hours tomorrow.
    assert (
        local(due(profile, "2025-03-03 17:30+08:00", 2, "Asia/Hong_Kong", "HK", policy), SHANGHAI)
        == "Tue 2025-03-04 10:30"
    )


def test_australia_at_once_and_regional_rules_only_for_grades_1_and_2(profile, policy):
    assert (
        local(due(profile, "2025-03-03 10:00+08:00", 1, "Australia/Sydney", "AU", policy), SHANGHAI)
        == "Mon 2025-03-03 10:00"
    )
    grade3 = reply_due(
        pd.Timestamp("2025-03-03 10:00+08:00"),
        3,
        "Australia/Sydney",
        profile,
        country_code="AU",
        policy=policy,
    )
    assert "Australia" not in grade3.rule
    assert local(grade3.reply_due_at, SHANGHAI) == "Tue 2025-03-04 10:00"  # 24 h later, inside Sydney's hours


def test_grade_3_within_24_hours_and_grade_4_after_72(profile, policy):
    assert (
        local(due(profile, "2025-03-03 10:00+08:00", 3, "Asia/Shanghai", "CN", policy), SHANGHAI)
        == "Tue 2025-03-04 10:00"
    )
    assert (
        local(due(profile, "2025-03-03 10:00+08:00", 4, "Asia/Shanghai", "CN", policy), SHANGHAI)
        == "Thu 2025-03-06 10:00"
    )


def test_americas_with_no_shared_hours_wait_in_the_inbox(profile, policy):
    result = reply_due(
        pd.Timestamp("2025-03-03 10:00+08:00"),
        2,
        "America/New_York",
        profile,
        country_code="US",
        policy=policy,
    )
    assert local(result.reply_due_at, SHANGHAI) == "Mon 2025-03-03 18:00"  # end of the team's day
    assert local(result.reply_due_at, "America/New_York") == "Mon 2025-03-03 05:00"  # before New York opens
    assert result.send_window_local == "Mon 2025-03-03 09:00-18:00 America/New_York"
    assert "do not overlap" in result.rule


@pytest.mark.parametrize(
    ("arrival", "expected_utc"),
    [
        ("2025-03-28 10:00+08:00", "2025-03-28 08:00"),  # Friday, Berlin still on CET (UTC+1)
        ("2025-03-31 10:00+08:00", "2025-03-31 07:00"),  # Monday after the switch to CEST (UTC+2)
        ("2025-10-24 10:00+08:00", "2025-10-24 07:00"),  # Friday, still CEST
        ("2025-10-27 10:00+08:00", "2025-10-27 08:00"),  # Monday after the switch back to CET
    ],
)
def test_berlin_daylight_saving_keeps_the_reply_at_9_local(profile, policy, arrival, expected_utc):
    stamp = due(profile, arrival, 1, "Europe/Berlin", "DE", policy)
    assert stamp == pd.Timestamp(expected_utc, tz="UTC")
    assert f"{stamp.tz_convert('Europe/Berlin'):%H:%M}" == "09:00"


def test_us_daylight_saving_changes_whether_los_angeles_and_shanghai_overlap(profile, policy):
    winter = plan_for(profile, policy, "2025-03-04 10:00+08:00", 3, "America/Los_Angeles", "US")
    summer = plan_for(profile, policy, "2025-03-11 10:00+08:00", 3, "America/Los_Angeles", "US")
    assert winter.case == INSIDE  # PST: 09:00-10:00 Beijing is 17:00-18:00 in Los Angeles
    assert summer.case == NO_OVERLAP  # PDT: Los Angeles closes as Beijing opens
    autumn = plan_for(profile, policy, "2025-11-04 10:00+08:00", 3, "America/Los_Angeles", "US")
    assert autumn.case == INSIDE  # back on PST after 2 November


def plan_for(profile, policy, arrival, grade, zone, country):
    moment = pd.Timestamp(arrival).tz_convert("UTC")
    calendars = Calendars.for_profile(
        profile, moment.to_pydatetime(), (moment + pd.Timedelta(days=40)).to_pydatetime()
    )
    return plan_reply(moment.timestamp(), grade, zone, country, calendars, policy)


def test_buyer_weekend_is_skipped(profile, policy):
    # Friday 18:30 Beijing: the team has left; Berlin's next working hours are Monday.
    assert (
        local(due(profile, "2025-03-07 18:30+08:00", 3, "Europe/Berlin", "DE", policy), SHANGHAI)
        == "Mon 2025-03-10 16:00"
    )


def test_friday_saturday_weekend(profile, policy):
    # Friday is the weekend in Riyadh but a workday in Dubai (Saturday-Sunday since 2022).
    riyadh = due(profile, "2025-03-07 10:00+08:00", 1, "Asia/Riyadh", "SA", policy)
    dubai = due(profile, "2025-03-07 10:00+08:00", 1, "Asia/Dubai", "AE", policy)
    assert f"{riyadh.tz_convert('Asia/Riyadh'):%a}" not in ("Fri", "Sat")
    assert local(riyadh, SHANGHAI) == "Mon 2025-03-10 14:00"  # Sunday is a Riyadh workday but the team is off
    assert local(dubai, SHANGHAI) == "Fri 2025-03-07 18:00"


def test_buyer_public_holidays_are_skipped(profile, policy):
    # Good Friday and Easter Monday 2025 are holidays in Germany, not in China.
    stamp = due(profile, "2025-04-18 10:00+08:00", 1, "Europe/Berlin", "DE", policy)
    assert local(stamp, "Europe/Berlin") == "Tue 2025-04-22 09:00"


def test_team_holidays_national_day(profile, policy):
    # 1-8 October 2025 are Chinese public holidays: the next team working day is Thursday 9 October.
    stamp = due(profile, "2025-09-30 19:00+08:00", 1, "Europe/Berlin", "DE", policy)
    assert local(stamp, SHANGHAI) == "Thu 2025-10-09 15:00"


def test_team_holidays_spring_festival(profile, policy):
    before = due(profile, "2025-01-27 10:00+08:00", 2, "America/New_York", "US", policy)
    during = due(profile, "2025-01-28 10:00+08:00", 2, "America/New_York", "US", policy)
    assert local(before, SHANGHAI) == "Mon 2025-01-27 18:00"
    assert local(during, SHANGHAI) == "Wed 2025-02-05 18:00"


def test_team_works_official_make_up_days(profile):
    moment = pd.Timestamp("2025-09-20", tz="UTC").to_pydatetime()
    team = Calendars.for_profile(profile, moment, moment + pd.Timedelta(days=30)).team()

    def worked(text: str) -> bool:
        return team.covers(pd.Timestamp(text).timestamp())

    assert worked("2025-09-28 10:00+08:00")  # Sunday, a make-up working day
    assert worked("2025-10-11 10:00+08:00")  # Saturday, a make-up working day
    assert not worked("2025-10-01 10:00+08:00")  # National Day
    assert not worked("2025-10-04 10:00+08:00")  # an ordinary Saturday off


def test_year_end(profile, policy):
    assert (
        local(due(profile, "2025-12-31 17:30+08:00", 3, "Europe/Berlin", "DE", policy), SHANGHAI)
        == "Wed 2025-12-31 18:00"
    )
    # After hours on New Year's Eve: China is off 1-2 January 2026 and works Sunday 4 January
    # (a make-up day), when Berlin is off; the first shared hours are Monday 5 January.
    new_year = reply_due(
        pd.Timestamp("2025-12-31 19:00+08:00"), 1, "Europe/Berlin", profile, country_code="DE", policy=policy
    )
    assert local(new_year.reply_due_at, SHANGHAI) == "Mon 2026-01-05 16:00"
    assert new_year.send_window_local == "Mon 2026-01-05 09:00-11:00 Europe/Berlin"


def test_fixed_offset_buyer_without_country(profile, policy):
    stamp = due(profile, "2025-03-03 10:00+08:00", 2, "UTC+05:30", None, policy)
    assert (
        local(stamp, SHANGHAI) == "Mon 2025-03-03 18:00"
    )  # India-like offset: 15:30 local, inside both days


def test_buyer_hours_come_from_the_profile(profile):
    from routing_cases import with_settings

    late_buyers = ReplyPolicy.load(
        with_settings(profile, buyer_hours={"start": "13:00", "end": "20:00"}).settings
    )
    assert late_buyers.buyer_hours == (time(13), time(20))
    with pytest.raises(ValueError, match="buyer_hours"):
        ReplyPolicy.load({"routing": {"buyer_hours": {"start": "18:00", "end": "09:00"}}})


def test_received_at_needs_a_timezone(profile, policy):
    with pytest.raises(ValueError, match="timezone"):
        reply_due(pd.Timestamp("2025-03-03 10:00"), 1, "Europe/Berlin", profile, policy=policy)


COUNTRIES = [
    ("DE", "Europe/Berlin"),
    ("US", "America/New_York"),
    ("US", "America/Los_Angeles"),
    ("SA", "Asia/Riyadh"),
    ("AU", "Australia/Sydney"),
    ("HK", "Asia/Hong_Kong"),
    ("BR", "America/Sao_Paulo"),
    ("IR", "Asia/Tehran"),
    ("NZ", "Pacific/Auckland"),
    ("IN", "Asia/Kolkata"),
    ("CN", "Asia/Shanghai"),
    (None, "UTC+05:45"),
]


@settings(max_examples=150, deadline=None)
@given(
    minutes=st.integers(min_value=0, max_value=2 * 366 * 24 * 60),
    grade=st.integers(min_value=1, max_value=4),
    buyer=st.sampled_from(COUNTRIES),
)
def test_no_deadline_lands_outside_the_team_working_time(profile, policy, minutes, grade, buyer):
    arrival = pd.Timestamp("2025-01-01", tz="UTC") + pd.Timedelta(minutes=minutes)
    calendars = Calendars.for_profile(
        profile,
        arrival.to_pydatetime(),
        (arrival + pd.Timedelta(days=30)).to_pydatetime(),
        buyer_hours=policy.buyer_hours,
    )
    country, zone = buyer
    plan = plan_reply(arrival.timestamp(), grade, zone, country, calendars, policy)
    assert calendars.team().covers(plan.due)
    assert plan.due >= arrival.timestamp()
    if plan.case in (INSIDE, LATE):
        assert calendars.buyer(zone, country).covers(plan.due)
