"""Time a batch: buyer zones, reply deadlines and next follow-ups for every row.

Wires `timezones`, `deadlines` and `followups` over a frame. Calendars are
built once for the batch's span of dates, and zone lookups are cached, so the
per-row cost is a few binary searches.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
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

    countries = _country_codes(_column(assigned, "country_code"))
    phones = _column(assigned, "phone_e164")
    offsets = _column(assigned, "received_offset_minutes")
    grades = _whole_numbers(assigned["grade"])
    frauds = _fraud_flags(assigned["suspected_fraud"])
    reps = _column(assigned, "assigned_to")
    arrival_seconds = _epoch_seconds(arrivals, missing=now_seconds)

    n = len(assigned)
    out: dict[str, list] = {name: [None] * n for name in SCHEDULE_COLUMNS}
    due_seconds: list[float | None] = [None] * n
    follow_seconds: list[float | None] = [None] * n
    in_hours = [False] * n
    buyer_calendars = {}
    # One object per distinct text: a million rows share a few thousand windows and rules,
    # and a million copies of them would cost hundreds of MB.
    texts: dict[str, str] = {}
    windows: dict[tuple, str] = {}
    for i in range(n):
        zone = zones.zone(countries[i], phones[i], offsets[i])
        out["buyer_timezone"][i] = texts.setdefault(zone.name, zone.name)
        out["buyer_timezone_source"][i] = texts.setdefault(zone.source, zone.source)
        if frauds[i]:
            out["reply_rule"][i] = NO_REPLY_RULE
            continue
        plan = plan_reply(arrival_seconds[i], grades[i], zone.name, countries[i], calendars, policy)
        due_seconds[i] = plan.due
        # Rows landing in the same shared hours share a window: each is described once.
        window_key = (plan.window, zone.name, zone.tz)
        window = windows.get(window_key)
        if window is None:
            text = describe_window(plan.window, zone.name, zone.tz)
            window = windows[window_key] = texts.setdefault(text, text)
        out["send_window_local"][i] = window
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


def _country_codes(values: list) -> list[str | None]:
    """Country codes upper-cased, blank or missing as None; each distinct code read once."""
    codes = {value: _country_code(value) for value in set(values) if value.__class__ is str}
    return [codes[value] if value.__class__ is str else _country_code(value) for value in values]


def _country_code(value: object) -> str | None:
    return str(value).upper() if isinstance(value, str) and value.strip() else None


def _whole_numbers(column: pd.Series) -> list[int]:
    if column.dtype.kind in "iu":
        return column.tolist()  # Python ints already
    return [int(value) for value in column]


def _fraud_flags(column: pd.Series) -> list[bool]:
    if column.dtype == np.dtype(bool):
        return column.tolist()
    return [str(flag).strip().lower() in ("true", "1", "yes") for flag in column]


def _epoch_seconds(arrivals: pd.Series, *, missing: float) -> list[float]:
    """`Timestamp.timestamp()` of each arrival (missing ones: `missing`), for the whole column at once.

    Exact for second, milli- and microsecond times: the integer count over the unit's
    ticks per second is the same correctly rounded division; nanoseconds go one by one.
    """
    ticks_per_second = {"s": 1, "ms": 1_000, "us": 1_000_000}.get(getattr(arrivals.dtype, "unit", None))
    if ticks_per_second is None:
        return [stamp.timestamp() if pd.notna(stamp) else missing for stamp in arrivals]
    seconds = arrivals.array.asi8 / ticks_per_second
    seconds[arrivals.isna().to_numpy()] = missing
    return seconds.tolist()


def _utc(seconds: list[float | None], index: pd.Index) -> pd.Series:
    values = pd.Series(
        [float("nan") if value is None else value for value in seconds], index=index, dtype="float64"
    )
    return pd.to_datetime(values, unit="s", utc=True).astype("datetime64[ns, UTC]")
