"""Small helpers the verbs share: finding the profile, reading labelled files, printing tables."""

from __future__ import annotations

from pathlib import Path

import typer


def resolve_profile_path(profile: Path | None, inputs: list[Path]) -> Path:
    """The given profile, else a `profile.yaml` beside the first input."""
    if profile is not None:
        return profile
    for candidate in inputs:
        folder = candidate if candidate.is_dir() else candidate.parent
        if (folder / "profile.yaml").exists():
            return folder / "profile.yaml"
    raise typer.BadParameter("no --profile given and no profile.yaml beside the input", param_hint="--profile")


def load_profile_or_exit(path: Path, console):
    from pipeline.profile import ProfileError, load_profile

    try:
        return load_profile(path)
    except ProfileError as error:
        console.print(f"[bold red]error:[/] {error}", highlight=False)
        raise typer.Exit(code=2) from None


def read_labelled_or_exit(paths: list[Path], console):
    """Valid labelled rows of all files; quarantined rows are counted and shown, not fatal."""
    from pipeline.readers import InputError, discover_sources
    from pipeline.validate import ValidationCounts, iter_validated

    try:
        discover_sources(paths)
    except InputError as error:
        console.print(f"[bold red]error:[/] {error}", highlight=False)
        raise typer.Exit(code=2) from None
    import pandas as pd

    frames, quarantined, files = [], [], {}
    for chunk in iter_validated(paths, labelled=True):
        frames.append(chunk.inquiries)
        quarantined.extend(chunk.quarantined)
        files[chunk.source] = chunk.counts
    total = ValidationCounts()
    for counts in files.values():
        total.add(counts)
    console.print(
        f"Read {total.read:,} labelled rows: {total.valid:,} valid, {total.quarantined:,} quarantined, "
        f"{total.duplicates:,} duplicates.", highlight=False)
    for entry in quarantined[:3]:
        console.print(f"  [yellow]quarantined[/] {entry['file']}, row {entry['row']}: {entry['message']}", highlight=False)
    inquiries = pd.concat([frame for frame in frames if len(frame)], ignore_index=True) if frames else pd.DataFrame()
    if inquiries.empty:
        console.print("[bold red]error:[/] no valid labelled rows to learn from", highlight=False)
        raise typer.Exit(code=2)
    return inquiries


def metrics_table(title: str, rows: dict[str, dict]):
    from rich.table import Table

    from models.metrics import METRICS_TABLE_HEADER, format_metrics_table

    table = Table(title=title, title_justify="left")
    for position, header in enumerate(METRICS_TABLE_HEADER):
        table.add_column(header, justify="left" if position == 0 else "right")
    for row in format_metrics_table(rows):
        table.add_row(*row)
    return table


def confusion_table(title: str, matrix: list[list[int]]):
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("manager \\ predicted")
    for grade in range(1, 5):
        table.add_column(str(grade), justify="right")
    for grade, row in enumerate(matrix, start=1):
        table.add_row(str(grade), *[str(count) for count in row])
    return table
