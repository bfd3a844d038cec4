"""`inquiry-grader workload`: the day's work per rep, and the queues nobody owns yet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

SCORED_FILENAME = "scored.parquet"
HTML_FILENAME = "workload.html"


def workload(
    out: Annotated[
        Path, typer.Option("--out", help="Run folder holding scored.parquet (the scoring job's output).")
    ],
    now: Annotated[
        str | None,
        typer.Option(
            help="Moment to count 'due today' and 'overdue' from, ISO 8601; without an offset it is read "
            "in the team's zone. Default: the current time."
        ),
    ] = None,
) -> None:
    """Show each rep's workload and the unassigned and verification queues.

    Per rep: open inquiries by grade, replies due today and overdue. Also
    writes DIR/workload.html for people who prefer a page.

    Examples:

        inquiry-grader workload --out runs/demo

        inquiry-grader workload --out runs/2025-03-03 --now 2025-03-03T17:00+08:00
    """
    import pandas as pd
    from rich.console import Console

    from pipeline.routing import SUMMARY_FILENAME
    from pipeline.routing.workload import build_workload, workload_table, write_workload_html

    scored_path = out / SCORED_FILENAME
    if not scored_path.exists():
        raise typer.BadParameter(
            f"{scored_path} not found: run `inquiry-grader score --out {out}` first", param_hint="--out"
        )
    try:
        routed = pd.read_parquet(scored_path)
    except Exception as error:  # pyarrow raises several types for a damaged file
        raise typer.BadParameter(
            f"{scored_path}: cannot read as Parquet ({error})", param_hint="--out"
        ) from None
    team_timezone = _team_timezone(out / SUMMARY_FILENAME)
    moment = _moment(now, team_timezone)
    try:
        result = build_workload(routed, now=moment, team_timezone=team_timezone)
    except ValueError as error:
        raise typer.BadParameter(f"{scored_path}: {error}", param_hint="--out") from None
    Console().print(workload_table(result))
    page = write_workload_html(result, out / HTML_FILENAME)
    typer.echo(f"Wrote {page}")


def _team_timezone(summary_path: Path) -> str:
    """The team's zone as recorded by the routing run; UTC when the run left no summary."""
    if not summary_path.exists():
        return "UTC"
    try:
        return str(json.loads(summary_path.read_text(encoding="utf-8")).get("team_timezone") or "UTC")
    except (json.JSONDecodeError, AttributeError):
        raise typer.BadParameter(
            f"{summary_path}: not a valid routing summary (JSON)", param_hint="--out"
        ) from None


def _moment(text: str | None, team_timezone: str):
    import pandas as pd

    if text is None:
        return pd.Timestamp.now(tz="UTC")
    try:
        stamp = pd.Timestamp(text)
    except ValueError:
        raise typer.BadParameter(
            f"expected an ISO 8601 time like 2025-03-03T17:00+08:00, got '{text}'", param_hint="--now"
        ) from None
    return stamp.tz_localize(team_timezone) if stamp.tzinfo is None else stamp
