"""`inquiry-grader rules report`: how every rule of the rulebook does on labelled history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

CHUNK_ROWS = 5_000


def report(
    labelled: Annotated[
        list[Path],
        typer.Option("--labelled", "-l", help="Labelled history files (repeat for several).", show_default=False),
    ],
    profile: Annotated[
        Optional[Path],
        typer.Option("--profile", "-p", help="Company profile YAML (default: profile.yaml beside the first file)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for rules.csv, confusion.csv, metrics.json, report.html.")] = Path(
        "runs/rules_report"
    ),
) -> None:
    """Rule-quality report: coverage, overlaps, conflicts and accuracy of every rule.

    Grades the labelled inquiries by the rulebook alone and compares with the
    manager's labels: per rule its hits by grade and on scams (precision for
    fraud rules), then the rules-only confusion matrix, macro-F1 and fraud
    precision / recall. Writes CSV files and a self-contained HTML page.

    Examples:

      inquiry-grader rules report --labelled data/sample/history.jsonl

      inquiry-grader rules report -l history.jsonl -l reviewed.csv --profile company/profile.yaml --out runs/rules
    """
    from rich.console import Console

    from pipeline.commands.common import load_profile_or_exit, read_labelled_or_exit, resolve_profile_path

    console = Console()
    try:
        profile_path = resolve_profile_path(profile, labelled)
    except typer.BadParameter:
        console.print(
            "[bold red]error:[/] no company profile: pass --profile PATH, or put profile.yaml beside "
            f"{labelled[0] if labelled else 'the labelled file'}",
            highlight=False,
        )
        raise typer.Exit(code=2) from None
    if not profile_path.exists():
        console.print(f"[bold red]error:[/] company profile not found: {profile_path}", highlight=False)
        raise typer.Exit(code=2)
    company = load_profile_or_exit(profile_path, console)
    inquiries = read_labelled_or_exit(labelled, console).reset_index(drop=True)

    from rules.report import print_report, rule_quality, write_report

    with console.status("Grading by the rulebook...") as status:
        verdicts = grade_labelled(
            inquiries,
            company.catalog,
            company.settings,
            progress=lambda done: status.update(f"Grading by the rulebook: {done:,} / {len(inquiries):,} inquiries"),
        )
    if "suspected_fraud" in inquiries:
        fraud = inquiries["suspected_fraud"].fillna(False).astype(bool).to_numpy()
    else:
        fraud = [False] * len(inquiries)
    quality = rule_quality(verdicts, inquiries["grade"].astype(int).to_numpy(), fraud)
    print_report(quality, console)
    paths = write_report(quality, out)
    console.print(f"Wrote {', '.join(str(path) for path in paths.values())}", highlight=False)


def grade_labelled(inquiries, catalog, profile_settings, progress=None):
    """Signals and rule verdicts, chunk by chunk so memory stays flat on long histories."""
    from features.extractor import SignalExtractor
    from rules import RuleVerdicts, grade

    extractor = SignalExtractor(catalog=catalog).fit(inquiries.head(0))
    parts = []
    for start in range(0, len(inquiries), CHUNK_ROWS):
        chunk = inquiries.iloc[start : start + CHUNK_ROWS]
        values, evidence = extractor.transform_with_evidence(chunk)
        parts.append(grade(values, evidence, profile_settings=profile_settings, inquiries=chunk))
        if progress:
            progress(start + len(chunk))
    return RuleVerdicts.concat(parts)
