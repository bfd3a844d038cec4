"""When inquiries arrive and how their `received_at` is written.

Row i of n falls on a day drawn from the period with weekday weights (quiet weekends,
quiet Chinese New Year week), so ids follow time at day level and the output does not
depend on how rows are split among workers. The hour is the sender's local working
time; the written offset depends on the channel: e-mail carries the sender's own
offset (DST and half-hour zones included), platforms and chat exports the seller's
system time (+08:00), website forms UTC ("+00:00" or "Z"), trade shows the fair's zone.
"""

from __future__ import annotations

from pipeline.generate.world import between

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from zoneinfo import ZoneInfo

SELLER_ZONE = timezone(timedelta(hours=8))
UTC = timezone.utc
# Chinese New Year periods in the generated span: buyers write less, and know the seller is away.
QUIET_DAYS = ((date(2025, 1, 27), date(2025, 2, 4)), (date(2026, 2, 15), date(2026, 2, 23)))
WEEKDAY_WEIGHT = (1.0, 1.05, 1.0, 0.95, 0.85, 0.35, 0.25)


@dataclass
class Timeline:
    """Maps a row index onto a day and builds the written timestamp."""

    start: date
    end: date
    _cumulative: list[float] = field(default_factory=list, repr=False)
    _zones: dict[str, ZoneInfo] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        days = (self.end - self.start).days
        weights = []
        for offset in range(days):
            day = self.start + timedelta(days=offset)
            weight = WEEKDAY_WEIGHT[day.weekday()]
            if any(first <= day <= last for first, last in QUIET_DAYS):
                weight *= 0.3
            weights.append(weight)
        self._cumulative = list(accumulate(weights))

    def day_for(self, index: int, n: int, rng: random.Random) -> date:
        """The day of row `index` out of `n`: later rows never fall on earlier days."""
        fraction = (index + rng.random()) / max(n, 1)
        position = bisect.bisect_left(self._cumulative, fraction * self._cumulative[-1])
        return self.start + timedelta(days=min(position, len(self._cumulative) - 1))

    def zone(self, name: str) -> ZoneInfo:
        if name not in self._zones:
            self._zones[name] = ZoneInfo(name)
        return self._zones[name]

    def local_moment(self, day: date, zone_name: str, rng: random.Random, off_hours: float = 0.12) -> datetime:
        """A sender-local time on `day`: mostly office hours, some evenings and nights."""
        if rng.random() < off_hours:
            hour = rng.choice((0, 1, 5, 6, 7, 19, 20, 21, 22, 23))
        else:
            hour = min(18, max(8, int(rng.gauss(11.5, 2.6))))
        local = datetime(day.year, day.month, day.day, hour, between(rng, 0, 60), between(rng, 0, 60), tzinfo=self.zone(zone_name))
        return local


def written_timestamp(moment: datetime, channel: str, rng: random.Random, fair_zone: ZoneInfo | None = None) -> str:
    """`received_at` as the channel writes it (ISO-8601 with an offset)."""
    if channel in ("platform", "other"):
        return moment.astimezone(SELLER_ZONE).isoformat()
    if channel == "website_form":
        text = moment.astimezone(UTC).isoformat()
        return text.replace("+00:00", "Z") if rng.random() < 0.35 else text
    if channel == "trade_show" and fair_zone is not None:
        return moment.astimezone(fair_zone).isoformat()
    return moment.isoformat()


def night_moment(night_start: datetime, hours: float, rng: random.Random) -> datetime:
    """A moment in the night window the seller was offline (for the tonight batch)."""
    return night_start + timedelta(seconds=int(rng.random() * hours * 3600))
