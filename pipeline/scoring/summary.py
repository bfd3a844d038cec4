"""The run summary a person reads at the end of a scoring job."""

from __future__ import annotations

from pipeline.scoring.job import ScoringRun
from pipeline.scoring.outputs import DISAGREEMENTS_CSV, QUARANTINE_JSONL, RUN_JSON, SCORED_CSV, SCORED_PARQUET

GRADE_NAMES = {1: "closed / near-closed", 2: "strong interest", 3: "clear intent", 4: "no clear intent"}


def print_summary(console, run: ScoringRun) -> None:
    from rich.table import Table

    counts = run.as_dict()["counts"]
    table = Table(title=f"Run {run.run_id}", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("inquiries read", f"{counts['read']:,}")
    table.add_row("scored", f"{counts['scored']:,}")
    table.add_row("quarantined (see quarantine.jsonl)", f"{counts['quarantined']:,}")
    table.add_row("duplicates skipped", f"{counts['duplicates']:,}")
    table.add_row("already scored before, skipped", f"{counts['already_scored']:,}")
    table.add_row("counts reconcile", "yes" if counts["reconciles"] else "[red]NO[/]")
    console.print(table)

    if run.scored:
        grades = Table(title="Grades", title_justify="left")
        for header in ("grade", "meaning", "inquiries", "share"):
            grades.add_column(header, justify="right" if header in ("inquiries", "share") else "left")
        for grade in (1, 2, 3, 4):
            number = run.grade_mix.get(grade, 0)
            grades.add_row(str(grade), GRADE_NAMES[grade], f"{number:,}", f"{number / run.scored:.0%}")
        console.print(grades)
        sources = ", ".join(f"{name} {count:,}" for name, count in sorted(run.source_mix.items()))
        cleared = f" (and {run.frauds_cleared:,} rule flags cleared by the model)" if run.frauds_cleared else ""
        console.print(f"Decided by: {sources}. Suspected fraud: {run.frauds:,}{cleared}. "
                      f"Model and rules disagree: {run.disagreements:,}. Manager grades kept: {run.reviewed_kept:,}.",
                      highlight=False)
    if run.routing:
        queues = ", ".join(f"{name} {count:,}" for name, count in sorted(run.routing["by_queue"].items()))
        console.print(f"Routing: {queues}; supervisor reviews {run.routing['supervisor_reviews']:,}; "
                      f"drafts written {run.routing['drafts_written']:,}.", highlight=False)
        if run.routing.get("unassigned_reasons"):
            worst = sorted(run.routing["unassigned_reasons"].items(), key=lambda item: -item[1])[:2]
            for reason, number in worst:
                console.print(f"  unassigned ({number:,}): {reason}", highlight=False)
    stages = ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in run.seconds.items() if seconds >= 0.05)
    console.print(f"Time per stage: {stages}.", highlight=False)
    out = run.out_dir
    # Point at the drafts only when this run wrote some: an empty or stale folder misleads.
    drafts = f"; drafts in {out / 'drafts'}" if run.routing.get("drafts_written") else ""
    console.print(f"Results: {out / SCORED_CSV} (also {SCORED_PARQUET}), {out / DISAGREEMENTS_CSV}, "
                  f"{out / QUARANTINE_JSONL}, {out / RUN_JSON}{drafts}.", highlight=False)
