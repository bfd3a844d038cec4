"""The day's work at a glance: per rep, and the two queues nobody owns yet.

Per rep: open inquiries by grade, how many replies are due today (before the
end of the team's calendar day) and how many are overdue (due before now).
Then the `unassigned` queue with the reason each inquiry waits, and the
`verification` queue of suspected frauds. Shown as a rich table and as a
self-contained HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import jinja2
import pandas as pd

from pipeline.routing.assign import QUEUE_REP, QUEUE_UNASSIGNED, QUEUE_VERIFICATION

TEMPLATES_DIR = Path(__file__).with_name("templates")
REP_COLUMNS = (
    "rep_id",
    "rep_name",
    "grade_1",
    "grade_2",
    "grade_3",
    "grade_4",
    "total",
    "due_today",
    "overdue",
    "supervisor_reviews",
)


@dataclass(frozen=True)
class Workload:
    """Counts per rep and the two queues, as of `now`."""

    now: pd.Timestamp
    team_timezone: str
    reps: pd.DataFrame
    unassigned: pd.DataFrame
    verification: pd.DataFrame


def build_workload(routed: pd.DataFrame, *, now: datetime, team_timezone: str = "UTC") -> Workload:
    """Summarise routed inquiries; the latest row per inquiry counts if a run was repeated."""
    missing = [column for column in ("inquiry_id", "grade", "queue") if column not in routed]
    if missing:
        raise ValueError(
            f"routed inquiries: missing column(s) {', '.join(missing)}; "
            "route the batch before asking for the workload"
        )
    now_stamp = pd.Timestamp(now)
    if now_stamp.tzinfo is None:
        raise ValueError("workload: 'now' must carry a timezone")
    now_stamp = now_stamp.tz_convert("UTC")
    local = now_stamp.tz_convert(team_timezone)
    day_end = pd.Timestamp(
        datetime.combine(local.date() + timedelta(days=1), time(0)), tz=team_timezone
    ).tz_convert("UTC")

    latest = routed.drop_duplicates("inquiry_id", keep="last")
    due = _utc(latest, "reply_due_at")
    on_rep = latest["queue"] == QUEUE_REP
    frame = pd.DataFrame(
        {
            "rep_id": latest.get("assigned_to", pd.Series(None, index=latest.index, dtype=object)),
            "rep_name": latest.get("assigned_rep_name", pd.Series(None, index=latest.index, dtype=object)),
            "grade": latest["grade"].astype(int),
            "due_today": (due >= now_stamp) & (due < day_end),
            "overdue": due < now_stamp,
            "supervisor_reviews": latest.get("requires_supervisor_review", latest["grade"] == 1).astype(bool),
        }
    ).loc[on_rep]
    rows = []
    for rep_id, group in frame.groupby("rep_id", sort=True):
        names = group["rep_name"].dropna()
        row = {"rep_id": str(rep_id), "rep_name": str(names.iloc[0]) if len(names) else None}
        for grade in (1, 2, 3, 4):
            row[f"grade_{grade}"] = int((group["grade"] == grade).sum())
        row.update(
            total=len(group),
            due_today=int(group["due_today"].sum()),
            overdue=int(group["overdue"].sum()),
            supervisor_reviews=int(group["supervisor_reviews"].sum()),
        )
        rows.append(row)
    reps = pd.DataFrame(rows, columns=list(REP_COLUMNS))

    waiting = latest.loc[latest["queue"] == QUEUE_UNASSIGNED]
    unassigned = pd.DataFrame(
        {
            "inquiry_id": waiting["inquiry_id"].astype(str),
            "grade": waiting["grade"].astype(int),
            "reply_due_at": due.loc[waiting.index],
            "reason": waiting.get("unassigned_reason", pd.Series("", index=waiting.index))
            .fillna("")
            .astype(str),
        }
    ).sort_values(["grade", "reply_due_at"], kind="stable")
    flagged = latest.loc[latest["queue"] == QUEUE_VERIFICATION]
    verification = pd.DataFrame(
        {
            "inquiry_id": flagged["inquiry_id"].astype(str),
            "sender": [_sender(row) for row in flagged.to_dict("records")],
            "received_at": _utc(flagged, "received_at"),
            "reasons": [
                _reasons(value)
                for value in flagged.get("fraud_reasons", pd.Series(None, index=flagged.index))
            ],
        }
    )
    return Workload(
        now=now_stamp,
        team_timezone=team_timezone,
        reps=reps,
        unassigned=unassigned,
        verification=verification,
    )


def workload_table(workload: Workload):
    """Rich tables: per rep, then the unassigned and verification queues."""
    from rich.console import Group
    from rich.table import Table

    local = workload.now.tz_convert(workload.team_timezone)
    reps = Table(title=f"Workload {local:%Y-%m-%d %H:%M} ({workload.team_timezone})")
    for header in ("Rep", "Name", "G1", "G2", "G3", "G4", "Total", "Due today", "Overdue", "Review"):
        reps.add_column(header, justify="left" if header in ("Rep", "Name") else "right")
    for row in workload.reps.to_dict("records"):
        overdue = f"[bold red]{row['overdue']}[/]" if row["overdue"] else "0"
        reps.add_row(
            row["rep_id"],
            row["rep_name"] or "",
            *(str(row[f"grade_{g}"]) for g in (1, 2, 3, 4)),
            str(row["total"]),
            str(row["due_today"]),
            overdue,
            str(row["supervisor_reviews"]),
        )
    waiting = Table(title=f"Unassigned queue ({len(workload.unassigned)})")
    for header in ("Inquiry", "Grade", "Reply due", "Why it waits"):
        waiting.add_column(header)
    for row in workload.unassigned.to_dict("records"):
        waiting.add_row(
            row["inquiry_id"],
            str(row["grade"]),
            _local(row["reply_due_at"], workload.team_timezone),
            row["reason"],
        )
    flagged = Table(title=f"Verification queue ({len(workload.verification)})")
    for header in ("Inquiry", "From", "Received", "Why it was flagged"):
        flagged.add_column(header)
    for row in workload.verification.to_dict("records"):
        flagged.add_row(
            row["inquiry_id"],
            row["sender"],
            _local(row["received_at"], workload.team_timezone),
            row["reasons"],
        )
    return Group(reps, waiting, flagged)


def render_workload_html(workload: Workload) -> str:
    """A self-contained HTML page (inline style, no scripts, no external files)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    zone = workload.team_timezone
    local = workload.now.tz_convert(zone)
    return env.get_template("workload.html.j2").render(
        today=f"{local:%A %Y-%m-%d}",
        as_of=f"{local:%Y-%m-%d %H:%M}",
        team_timezone=zone,
        reps=workload.reps.to_dict("records"),
        unassigned=[
            {**row, "reply_due": _local(row["reply_due_at"], zone)}
            for row in workload.unassigned.to_dict("records")
        ],
        verification=[
            {**row, "received": _local(row["received_at"], zone)}
            for row in workload.verification.to_dict("records")
        ],
    )


def write_workload_html(workload: Workload, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_workload_html(workload), encoding="utf-8")
    return path


def _utc(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
    return pd.to_datetime(frame[column], utc=True, errors="coerce")


def _local(stamp: object, zone: str) -> str:
    if stamp is None or pd.isna(stamp):
        return ""
    return f"{pd.Timestamp(stamp).tz_convert(zone):%a %Y-%m-%d %H:%M}"


def _sender(row: dict) -> str:
    parts = [
        str(row[key]).strip() for key in ("sender_name", "company", "sender_email") if _present(row.get(key))
    ]
    return ", ".join(parts) or "(unknown)"


def _present(value: object) -> bool:
    return (
        value is not None and not (isinstance(value, float) and value != value) and str(value).strip() != ""
    )


def _reasons(value: object) -> str:
    if value is None or isinstance(value, float):
        return ""
    if isinstance(value, str):
        return value
    return "; ".join(str(reason) for reason in value)
