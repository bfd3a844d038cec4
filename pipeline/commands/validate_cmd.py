"""`inquiry-grader validate`: check input files against the data contract."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

SHOWN_PROBLEMS = 5


def validate(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Inquiry files (.jsonl, .csv, .parquet, .eml, mbox) or folders of them.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for inquiries.parquet, quarantine.jsonl and manifest.json."),
    ] = Path("runs/validate"),
    labelled: Annotated[
        Optional[bool],
        typer.Option(
            "--labelled/--unlabelled",
            help=(
                "Read grade and suspected_fraud as labels, or ignore them. "
                "Default: decided per file, labelled when its rows carry a grade."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Validate inquiries or labelled history against the data contract.

    Prints, per input, the rows read, valid, quarantined and duplicated, the
    first quarantine reasons, and where the files went. Bad rows never stop
    the run: each is written to quarantine.jsonl with file, row, field and
    what to fix. Exit code 0 when the run finished, 2 when an input is missing.

    Examples:

      inquiry-grader validate data/sample/history.jsonl

      inquiry-grader validate tonight.csv mails/ --out runs/tonight --unlabelled

      inquiry-grader validate export.mbox crm.parquet --labelled -o runs/history
    """
    from rich.console import Console

    from pipeline.readers import InputError, discover_sources
    from pipeline.validate import ValidationCounts, validate_files

    console = Console()
    errors = Console(stderr=True)
    try:
        discover_sources(inputs)
    except InputError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False)
        raise typer.Exit(code=2) from None

    with console.status("Validating...") as status:

        def progress(source: str, counts: ValidationCounts) -> None:
            status.update(f"Validating {_short(source)}: {counts.read:,} rows read")

        report = validate_files(inputs, out, labelled=labelled, progress=progress)
    _print_report(console, report)


def _print_report(console, report) -> None:
    from rich.table import Table
    from rich.text import Text

    seconds = (report.finished_at - report.started_at).total_seconds()
    base = _common_folder(list(report.files))
    where = f" in {_short(base)}" if base is not None and _short(base) != "." else ""
    title = f"Validated {len(report.files)} input(s){where} in {seconds:.1f} s"
    table = Table(title=title, title_justify="left")
    table.add_column("input", overflow="fold")
    table.add_column("format")
    table.add_column("labels")
    for name in ("read", "valid", "quarantined", "duplicates"):
        table.add_column(name, justify="right")
    table.add_column("notes", overflow="fold")
    for name, counts in report.files.items():
        table.add_row(
            Text(str(Path(name).resolve().relative_to(base)) if base is not None else _short(name)),
            report.formats[name],
            {True: "yes", False: "no"}.get(counts.labelled, "-"),
            f"{counts.read:,}",
            f"{counts.valid:,}",
            _highlight(counts.quarantined, "red"),
            _highlight(counts.duplicates, "yellow"),
            Text("; ".join(counts.notes)),
        )
    total = report.total
    table.add_section()
    table.add_row(
        "total",
        "",
        "",
        *(f"{count:,}" for count in (total.read, total.valid, total.quarantined, total.duplicates)),
        "",
    )
    console.print(table)
    if report.skipped_inputs:
        console.print(f"Skipped {len(report.skipped_inputs)} file(s) that are not inquiry files: "
                      + ", ".join(_short(path) for path in report.skipped_inputs[:5]), highlight=False)
    if report.first_problems:
        shown = report.first_problems[:SHOWN_PROBLEMS]
        console.print(f"\nFirst quarantine reasons ({len(shown)} of {total.quarantined:,}):")
        for entry in shown:
            where = f"{_short(entry['file'])}, row {entry['row']}"
            console.print(f"  {where}: {entry['message']}", highlight=False, markup=False)
        by_field = ", ".join(f"{field} {count:,}" for field, count in report.quarantine_by_field.items())
        console.print(f"Quarantined by field: {by_field}", highlight=False)
    console.print("\nWrote:")
    console.print(f"  {report.inquiries_path}  ({total.valid:,} valid rows)", highlight=False)
    console.print(f"  {report.quarantine_path}  ({total.quarantined:,} quarantined rows)", highlight=False)
    console.print(f"  {report.manifest_path}", highlight=False)


def _common_folder(names: list[str]) -> Path | None:
    """The folder all inputs share, so the table can show short names."""
    import os

    if not names:
        return None
    folders = [
        str(Path(name).resolve().parent if Path(name).is_file() else Path(name).resolve())
        for name in names
    ]
    base = Path(os.path.commonpath(folders))
    resolved = [Path(name).resolve() for name in names]
    return base if all(path != base for path in resolved) else base.parent


def _highlight(count: int, colour: str) -> str:
    return f"[{colour}]{count:,}[/]" if count else "0"


def _short(path: str | Path) -> str:
    """A path relative to the working folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
