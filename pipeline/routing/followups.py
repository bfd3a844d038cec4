"""When to follow up a replied inquiry, by the grade's cadence.

Grade 2: every 3 days for two weeks after the reply, then weekly. Grade 1:
every N days, N set per rep (`routing.follow_up_days`, default 2). Grades 3-4
get no scheduled follow-up (the rep watches for the buyer's reaction).
The next follow-up is the first one after `now`, moved to the first moment
when the team and the buyer are both at work; if their hours never overlap,
to the end of the team's day before the buyer's next working day starts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.routing.data_files import read_yaml
from pipeline.routing.working_time import Calendars

FOLLOW_UPS_FILE = Path(__file__).with_name("follow_ups.yaml")
DAY = 86400


@dataclass(frozen=True)
class FollowUpCadence:
    """Days between follow-ups per grade; grade 1 may differ per rep."""

    grade2_every: float
    grade2_early_phase: float
    grade2_then_every: float
    grade1_default: float
    grade1_by_rep: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Mapping | None = None, path: Path | str = FOLLOW_UPS_FILE) -> FollowUpCadence:
        """Cadence from `follow_ups.yaml`, with the profile's `routing.follow_up_days`."""
        raw = read_yaml(path)
        default = float(raw["grade_1"]["default_every_days"])
        by_rep: dict[str, float] = {}
        setting = ((settings or {}).get("routing") or {}).get("follow_up_days")
        if isinstance(setting, Mapping):
            by_rep = {
                str(rep): _positive_days(days, f"routing.follow_up_days.{rep}")
                for rep, days in setting.items()
            }
            default = by_rep.pop("default", default)
        elif setting is not None:
            default = _positive_days(setting, "routing.follow_up_days")
        grade2 = raw["grade_2"]
        return cls(
            grade2_every=float(grade2["every_days"]),
            grade2_early_phase=float(grade2["early_phase_days"]),
            grade2_then_every=float(grade2["then_every_days"]),
            grade1_default=default,
            grade1_by_rep=by_rep,
        )

    def next_offset_days(self, grade: int, elapsed_days: float, rep_id: str | None = None) -> float | None:
        """Days from the reply to the first follow-up after `elapsed_days`; None if the grade has none.

        >>> cadence = FollowUpCadence.load()
        >>> [cadence.next_offset_days(2, d) for d in (0, 3, 11.5, 12, 20)]
        [3.0, 6.0, 12.0, 19.0, 26.0]
        >>> cadence.next_offset_days(1, 0), cadence.next_offset_days(3, 0)
        (2.0, None)
        """
        elapsed = max(elapsed_days, 0.0)
        if grade == 1:
            every = self.grade1_by_rep.get(rep_id or "", self.grade1_default)
            return (math.floor(elapsed / every) + 1) * every
        if grade != 2:
            return None
        last_early = math.floor(self.grade2_early_phase / self.grade2_every) * self.grade2_every
        if elapsed < last_early:
            return (math.floor(elapsed / self.grade2_every) + 1) * self.grade2_every
        weeks = math.floor((elapsed - last_early) / self.grade2_then_every) + 1
        return last_early + weeks * self.grade2_then_every


def follow_up_moment(
    nominal: float, zone_name: str, country: str | None, calendars: Calendars, horizon_days: int
) -> float:
    """The nominal follow-up time moved to when team and buyer are both at work (epoch seconds)."""
    joint = calendars.joint(zone_name, country).first_at_or_after(nominal)
    if joint is not None and joint <= nominal + horizon_days * DAY:
        return joint
    team = calendars.team()
    first = team.first_at_or_after(nominal)
    if first is None:
        raise ValueError("the team has no working time left in the calendar span")
    opening = calendars.buyer(zone_name, country).next_opening(first)
    if opening is None:
        return first
    before_opening = team.last_at_or_before(opening)
    return max(before_opening if before_opening is not None else first, first)


def next_follow_up_at(
    reply_due: float,
    grade: int,
    zone_name: str,
    country: str | None,
    calendars: Calendars,
    cadence: FollowUpCadence,
    *,
    now: float,
    rep_id: str | None = None,
    horizon_days: int = 21,
) -> float | None:
    """The next follow-up after `now` (epoch seconds), or None when the grade has no cadence."""
    elapsed = (now - reply_due) / DAY
    offset = cadence.next_offset_days(grade, elapsed, rep_id)
    if offset is None:
        return None
    return follow_up_moment(reply_due + offset * DAY, zone_name, country, calendars, horizon_days)


def _positive_days(value: object, where: str) -> float:
    try:
        days = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"profile: {where}: expected a number of days, got {value!r}") from None
    if not days > 0:
        raise ValueError(f"profile: {where}: must be more than 0 days, got {value!r}")
    return days
