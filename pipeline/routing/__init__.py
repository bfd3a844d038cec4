"""Routing: give every graded inquiry a rep or a queue, a reply deadline and a draft.

`route` ties the steps together for one scored batch:

1. read the assignment log (`DIR/assignment_log.jsonl`) for earlier runs;
2. `assign`: fraud to verification, earlier assignments kept, same buyer to
   the same rep, else the profile's strategies, within today's capacity;
3. `schedule`: buyer zone, reply deadline in the buyer's working hours, next
   follow-up;
4. append the new decisions to the log;
5. write reply drafts (`.eml`) and fraud checklists under `DIR/drafts/`;
6. write `DIR/routing_summary.json`.

Each step is a pure function over a DataFrame except the log and the files.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

import pandas as pd

from pipeline.routing.assign import QUEUE_REP, QUEUE_UNASSIGNED, QUEUE_VERIFICATION, assign
from pipeline.routing.assignment_log import append_log, load_between, read_log
from pipeline.routing.deadlines import ReplyPolicy
from pipeline.routing.drafts import DraftWriter
from pipeline.routing.regions import RegionBook
from pipeline.routing.schedule import schedule
from pipeline.routing.strategies import TeamView

LOG_FILENAME = "assignment_log.jsonl"
SUMMARY_FILENAME = "routing_summary.json"

__all__ = ["route", "route_with_summary", "RoutingSummary", "team_day", "assign", "schedule"]


@dataclass(frozen=True)
class RoutingSummary:
    """What a routing run did, in numbers a person can check."""

    run_id: str
    routed_at: str
    team_timezone: str
    inquiries: int
    by_queue: dict[str, int]
    by_rep: dict[str, int]
    unassigned_reasons: dict[str, int]
    supervisor_reviews: int
    drafts_written: int
    checklists_written: int
    log_lines_added: int
    reply_in_buyer_hours: float | None = None
    reply_in_buyer_hours_where_hours_overlap: float | None = None
    reply_timing: dict[str, int] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, routed: pd.DataFrame, *, run_id: str, now: datetime, team_timezone: str, log_lines_added: int = 0
    ):
        queues = Counter(routed["queue"]) if len(routed) else Counter()
        by_rep = Counter(routed.loc[routed["queue"] == QUEUE_REP, "assigned_to"])
        reasons = Counter(routed.loc[routed["queue"] == QUEUE_UNASSIGNED, "unassigned_reason"])
        paths = (
            routed["draft_path"].dropna().astype(str) if "draft_path" in routed else pd.Series([], dtype=str)
        )
        replied = routed.loc[routed["queue"] != QUEUE_VERIFICATION]
        overlap = (
            replied.loc[replied["reply_timing"] != "no_shared_hours"]
            if "reply_timing" in replied
            else replied
        )
        share = float(replied["reply_in_buyer_hours"].mean()) if len(replied) else None
        share_possible = float(overlap["reply_in_buyer_hours"].mean()) if len(overlap) else None
        return cls(
            run_id=run_id,
            routed_at=pd.Timestamp(now).tz_convert("UTC").isoformat(),
            team_timezone=team_timezone,
            inquiries=len(routed),
            by_queue={
                queue: int(queues.get(queue, 0))
                for queue in (QUEUE_REP, QUEUE_UNASSIGNED, QUEUE_VERIFICATION)
            },
            by_rep={str(rep): int(count) for rep, count in sorted(by_rep.items())},
            unassigned_reasons={str(reason): int(count) for reason, count in reasons.most_common()},
            supervisor_reviews=int(routed["requires_supervisor_review"].sum()) if len(routed) else 0,
            drafts_written=int(paths.str.endswith(".eml").sum()),
            checklists_written=int(paths.str.endswith(".verification.md").sum()),
            log_lines_added=log_lines_added,
            reply_in_buyer_hours=share,
            reply_in_buyer_hours_where_hours_overlap=share_possible,
            reply_timing={
                str(k): int(v)
                for k, v in Counter(replied.get("reply_timing", pd.Series(dtype=object))).most_common()
            },
            rules={str(rule): int(count) for rule, count in Counter(routed["assignment_rule"]).most_common()},
        )

    def to_dict(self) -> dict:
        return asdict(self)


def team_day(now: datetime, profile) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end (UTC) of the team's calendar day containing `now`: the day capacity counts."""
    local = pd.Timestamp(now).tz_convert(profile.timezone)
    start = pd.Timestamp(datetime.combine(local.date(), time(0)), tz=profile.timezone)
    end = pd.Timestamp(datetime.combine(local.date() + timedelta(days=1), time(0)), tz=profile.timezone)
    return start.tz_convert("UTC"), end.tz_convert("UTC")


def route(
    scored: pd.DataFrame,
    profile,
    out_dir: Path | str,
    *,
    run_id: str,
    now: datetime,
    drafts: bool = True,
    log_path: Path | str | None = None,
) -> pd.DataFrame:
    """Route one scored batch; returns it with the routing columns and writes log, drafts and summary."""
    return route_with_summary(
        scored, profile, out_dir, run_id=run_id, now=now, drafts=drafts, log_path=log_path
    )[0]


def route_with_summary(
    scored: pd.DataFrame,
    profile,
    out_dir: Path | str,
    *,
    run_id: str,
    now: datetime,
    drafts: bool = True,
    log_path: Path | str | None = None,
) -> tuple[pd.DataFrame, RoutingSummary]:
    """`route`, also returning the run's RoutingSummary (as written to DIR/routing_summary.json)."""
    if pd.Timestamp(now).tzinfo is None:
        raise ValueError("route: 'now' must carry a timezone (use UTC)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = Path(log_path) if log_path else out_dir / LOG_FILENAME
    log = read_log(log_path)
    day_start, day_end = team_day(now, profile)
    book = RegionBook.load()
    assigned = assign(
        scored,
        profile,
        existing_load=load_between(log, day_start, day_end),
        prior_assignments=log,
        run_id=run_id,
        now=now,
        team=TeamView.of_team(
            profile.team, book, source=f"team of {profile.path}" if profile.path else "team"
        ),
    )
    routed = schedule(assigned, profile, now=now, policy=ReplyPolicy.load(profile.settings, book=book))
    added = append_log(log_path, routed, run_id=run_id, log=log)
    paths = DraftWriter(profile).write(routed, out_dir) if drafts else [None] * len(routed)
    routed["draft_path"] = pd.Series(paths, index=routed.index, dtype=object)
    summary = RoutingSummary.of(
        routed, run_id=run_id, now=now, team_timezone=profile.timezone, log_lines_added=added
    )
    text = json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n"
    (out_dir / SUMMARY_FILENAME).write_text(text, encoding="utf-8")
    return routed, summary
