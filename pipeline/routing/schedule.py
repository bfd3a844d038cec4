"""Time a batch: buyer zones, reply deadlines and next follow-ups for every row.

Wires `timezones`, `deadlines` and `followups` over a frame. Calendars are
built once for the batch's span of dates, and zone lookups are cached, so the
per-row cost is a few binary searches.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from pipeline.routing.assign import utc_times
from pipeline.routing.deadlines import INSIDE, LATE, NO_OVERLAP, ReplyPolicy, describe_window, plan_reply
from pipeline.routing.followups import FollowUpCadence, next_follow_up_at
from pipeline.routing.timezones import ZoneResolver
from pipeline.routing.working_time import Calendars

SCHEDULE_COLUMNS = (
    "buyer_timezone",
    "buyer_timezone_source",
    "reply_due_at",
    "send_window_local",
    "reply_rule",
    "reply_in_buyer_hours",
    "reply_timing",
    "next_follow_up_at",
)
# How the deadline relates to the service level and the buyer's hours (see `deadlines`).
REPLY_TIMING = {
    INSIDE: "within_sla",  # inside the service level and the buyer's working hours
    LATE: "buyer_hours_first",  # the service level yields to the buyer's next working hours
    NO_OVERLAP: "no_shared_hours",  # sent in team time, waiting in the buyer's inbox for their day
}
FOLLOW_UP_SPAN_DAYS = 45  # calendars reach this far past `now` so the next follow-up always fits
NO_REPLY_RULE = "suspected fraud: verify first, no reply is drafted"


def _column(frame: pd.DataFrame, name: str) -> list:
    return frame[name].tolist() if name in frame else [None] * len(frame)


def batch_calendars(profile, arrivals: pd.Series, now: datetime, policy: ReplyPolicy) -> Calendars:
    """Calendars spanning the batch's arrivals, the look-ahead horizon and the follow-up cadence."""
    known = arrivals.dropna()
    now_stamp = pd.Timestamp(now).tz_convert("UTC")
    first = min(known.min(), now_stamp) if len(known) else now_stamp
    last = max(known.max(), now_stamp) if len(known) else now_stamp
    extra = timedelta(days=policy.horizon_days + FOLLOW_UP_SPAN_DAYS)
    return Calendars.for_profile(
        profile, first.to_pydatetime(), (last + extra).to_pydatetime(), buyer_hours=policy.buyer_hours
    )


def schedule(
    assigned: pd.DataFrame,
    profile,
    *,
    now: datetime,
    policy: ReplyPolicy | None = None,
    cadence: FollowUpCadence | None = None,
    calendars: Calendars | None = None,
    zones: ZoneResolver | None = None,
) -> pd.DataFrame:
    """The assigned frame with the buyer's zone, reply deadline and next follow-up added.

    Suspected frauds get no reply deadline and no follow-up: they wait for verification.
    """
    policy = policy or ReplyPolicy.load(profile.settings)
    cadence = cadence or FollowUpCadence.load(profile.settings)
    zones = zones or ZoneResolver.load(profile.timezone)
    now_stamp = pd.Timestamp(now)
    if now_stamp.tzinfo is None:
        raise ValueError("schedule: 'now' must carry a timezone (use UTC)")
    now_seconds = now_stamp.timestamp()
    arrivals = utc_times(assigned, "received_at")
    calendars = calendars or batch_calendars(profile, arrivals, now_stamp, policy)

    countries = [
        str(code).upper() if isinstance(code, str) and code.strip() else None
        for code in _column(assigned, "country_code")
    ]
    phones = _column(assigned, "phone_e164")
    offsets = _column(assigned, "received_offset_minutes")
    grades = [int(grade) for grade in assigned["grade"]]
    frauds = [str(flag).strip().lower() in ("true", "1", "yes") for flag in assigned["suspected_fraud"]]
    reps = _column(assigned, "assigned_to")
    arrival_seconds = [stamp.timestamp() if pd.notna(stamp) else now_seconds for stamp in arrivals]

    n = len(assigned)
    out: dict[str, list] = {name: [None] * n for name in SCHEDULE_COLUMNS}
    due_seconds: list[float | None] = [None] * n
    follow_seconds: list[float | None] = [None] * n
    in_hours = [False] * n
    buyer_calendars = {}
    # One object per distinct text: a million rows share a few thousand windows and rules,
    # and a million copies of them would cost hundreds of MB.
    texts: dict[str, str] = {}
    for i in range(n):
        zone = zones.zone(countries[i], phones[i], offsets[i])
        out["buyer_timezone"][i] = texts.setdefault(zone.name, zone.name)
        out["buyer_timezone_source"][i] = texts.setdefault(zone.source, zone.source)
        if frauds[i]:
            out["reply_rule"][i] = NO_REPLY_RULE
            continue
        plan = plan_reply(arrival_seconds[i], grades[i], zone.name, countries[i], calendars, policy)
        due_seconds[i] = plan.due
        window = describe_window(plan.window, zone.name, zone.tz)
        out["send_window_local"][i] = texts.setdefault(window, window)
        out["reply_rule"][i] = texts.setdefault(plan.rule, plan.rule)
        out["reply_timing"][i] = REPLY_TIMING[plan.case]
        key = (zone.name, countries[i])
        if key not in buyer_calendars:
            buyer_calendars[key] = calendars.buyer(zone.name, countries[i])
        in_hours[i] = plan.case == INSIDE or buyer_calendars[key].covers(plan.due)
        rep = reps[i] if isinstance(reps[i], str) else None
        follow_seconds[i] = next_follow_up_at(
            plan.due,
            grades[i],
            zone.name,
            countries[i],
            calendars,
            cadence,
            now=now_seconds,
            rep_id=rep,
            horizon_days=policy.horizon_days,
        )

    scheduled = assigned.copy()
    for name in (
        "buyer_timezone",
        "buyer_timezone_source",
        "send_window_local",
        "reply_rule",
        "reply_timing",
    ):
        scheduled[name] = pd.Series(out[name], index=assigned.index, dtype=object)
    scheduled["reply_due_at"] = _utc(due_seconds, assigned.index)
    scheduled["reply_in_buyer_hours"] = pd.Series(in_hours, index=assigned.index, dtype=bool)
    scheduled["next_follow_up_at"] = _utc(follow_seconds, assigned.index)
    return scheduled


def _utc(seconds: list[float | None], index: pd.Index) -> pd.Series:
    values = pd.Series(
        [float("nan") if value is None else value for value in seconds], index=index, dtype="float64"
    )
    return pd.to_datetime(values, unit="s", utc=True).astype("datetime64[ns, UTC]")
