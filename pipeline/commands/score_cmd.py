"""`inquiry-grader score`: the nightly job: grade, flag, explain and route new inquiries."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.scoring import CHUNK_ROWS


def score(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Inquiry files or folders, as with --input.", show_default=False)] = None,
    inputs: Annotated[Optional[list[Path]], typer.Option("--input", "-i", help="Inquiry files or folders (.jsonl, .csv, .parquet, .eml, mbox); repeat -i, or list them after it.", show_default=False)] = None,
    profile: Annotated[Optional[Path], typer.Option("--profile", "-p", help="Company profile YAML (default: profile.yaml beside the first input).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder; inquiries already scored there are skipped.")] = Path("runs/score"),
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="MLflow model URI (models:/inquiry-grader@champion), an MLflow model folder or a .joblib file. Default: the registered champion.")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Grade by the rulebook alone, without a model.")] = False,
    reviewed: Annotated[Optional[list[Path]], typer.Option("--reviewed", help="Extra reviewed-grade files (JSONL: inquiry_id, grade, suspected_fraud, reviewed_by); OUT/reviewed.jsonl is always read.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes for scoring (1 = in this process).", min=1, max=64)] = 2,
    chunk_rows: Annotated[int, typer.Option(help="Inquiries per chunk; memory grows with it.", min=100)] = CHUNK_ROWS,
    route: Annotated[bool, typer.Option("--route/--no-route", help="Assign reps, set reply deadlines and follow-ups.")] = True,
    drafts: Annotated[bool, typer.Option("--drafts/--no-drafts", help="Write reply drafts (.eml) and fraud checklists under OUT/drafts/.")] = True,
    now: Annotated[Optional[str], typer.Option(help="The moment the team starts on the batch (ISO time with offset); default: now.")] = None,
) -> None:
    """Score tonight's inquiries: grade 1-4, fraud flag with reasons, rep, deadline, draft.

    Streams the inputs in chunks, quarantines bad rows with reasons, skips
    inquiries already scored into OUT (a rerun adds nothing and loses
    nothing), and never overwrites a grade a manager set (OUT/reviewed.jsonl).
    Writes OUT/scored.parquet, scored.csv, disagreements.csv, quarantine.jsonl,
    run.json, assignment_log.jsonl, routing_summary.json and drafts/.

    Examples:

      inquiry-grader score -i data/sample/tonight.jsonl -p data/sample/profile.yaml -o runs/tonight

      inquiry-grader score -i inbox/ -i crm_export.csv -o runs/2026-11-27 --model models:/inquiry-grader/3

      inquiry-grader score --input monday.jsonl tuesday.jsonl -p profile.yaml -o runs/week

      inquiry-grader score -i tonight.jsonl --rules-only --no-drafts -o runs/rules-check
    """
    from rich.console import Console

    from pipeline.commands.common import load_profile_or_exit, resolve_profile_path
    from pipeline.readers import InputError, discover_sources

    console = Console()
    # `--input a b` reads as `--input a` and the path b: both ways of listing inputs count.
    inputs = [*(inputs or []), *(paths or [])]
    if not inputs:
        console.print("[bold red]error:[/] no input: give inquiry files or folders, e.g. "
                      "`score --input tonight.jsonl` (or several: `--input a.jsonl b.jsonl`)", highlight=False)
        raise typer.Exit(code=2)
    try:
        discover_sources(inputs)
    except InputError as error:
        console.print(f"[bold red]error:[/] {error}", highlight=False)
        raise typer.Exit(code=2) from None
    company = load_profile_or_exit(resolve_profile_path(profile, inputs), console)
    start_moment = _parse_now(now)

    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from pipeline.scoring.assemble import build_scorer
    from pipeline.scoring.job import new_run_id, run_scoring
    from pipeline.scoring.summary import print_summary

    run_id = new_run_id()
    scorer, note = build_scorer(company, model, run_id, use_model=not rules_only)
    style = "yellow" if scorer.model is None else "green"
    console.print(f"[{style}]{note}[/]", highlight=False)
    with Progress(SpinnerColumn(), TextColumn("Scoring"), MofNCompleteColumn(), TextColumn("inquiries"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("score", total=None)
        run = run_scoring(inputs, company, out, scorer, workers=workers, chunk_rows=chunk_rows,
                          reviewed_paths=reviewed or [], route=route, drafts=drafts, now=start_moment,
                          progress=lambda rows: bar.advance(task, rows))
    run.model_note = note
    print_summary(console, run)


def _parse_now(text: str | None) -> datetime:
    if not text:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not an ISO time like 2026-11-27T09:00:00+08:00", param_hint="--now") from None
    if moment.tzinfo is None:
        raise typer.BadParameter("give the time with its offset, e.g. 2026-11-27T09:00:00+08:00", param_hint="--now")
    return moment
