"""`inquiry-grader generate`: write a realistic synthetic company and its inquiries."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.generate.companies import DEFAULT_COMPANY, company_files


def generate(
    out: Path = typer.Option(..., "--out", help="Folder to write the company and its inquiries into."),
    n: int = typer.Option(5000, "--n", min=1, help="Labelled history rows to generate."),
    seed: int = typer.Option(7, "--seed", help="Random seed; the same seed gives byte-identical files."),
    company: str = typer.Option(
        DEFAULT_COMPANY,
        "--company",
        help="Seller to generate, by industry key, short name or full name: " + ", ".join(company_files()) + ".",
    ),
    tonight: int | None = typer.Option(None, "--tonight", min=0, help="Unlabelled rows received last night (default: max(50, n // 10))."),
    workers: int = typer.Option(2, "--workers", min=1, help="Processes to generate with; output does not depend on it."),
    history_format: str = typer.Option("jsonl", "--format", help="History file format: jsonl or parquet (for large n)."),
) -> None:
    """Generate a seller's profile, catalog, team, labelled history and tonight's inquiries.

    Writes profile.yaml, catalog.csv, team.csv, history.jsonl (or .parquet), tonight.jsonl
    and generation.json (counts per grade, buyer type, language, channel, fraud kind).

    Examples:

        inquiry-grader generate --out data/sample --n 600 --seed 7

        inquiry-grader generate --out runs/lighting --n 20000 --company lighting

        inquiry-grader generate --out runs/big --n 1000000 --format parquet --workers 2
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from pipeline.generate import generate_company
    from pipeline.generate.companies import resolve_company_key

    console = Console()
    try:
        resolve_company_key(company)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--company") from None
    if history_format not in ("jsonl", "parquet"):
        raise typer.BadParameter("use jsonl or parquet", param_hint="--format")
    with Progress(
        TextColumn("[bold]generating history"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=n < 20_000,
        transient=True,
    ) as progress:
        task = progress.add_task("history", total=n)
        summary = generate_company(
            out, n=n, seed=seed, company=company, tonight=tonight, workers=workers, history_format=history_format, on_progress=lambda rows: progress.advance(task, rows)
        )
    console.print(f"[bold]{summary.company}[/bold]: {summary.history_rows} history rows -> {summary.history_path}, {summary.tonight_rows} tonight rows -> {summary.tonight_path}")
    console.print(f"label noise: {summary.label_noise_rate:.1%} of history rows")
    for title, key in (("grade", "grade"), ("buyer type", "buyer_type"), ("language", "language"), ("channel", "channel"), ("fraud kind", "fraud_kind")):
        table = Table(title=title, title_justify="left", show_edge=False)
        table.add_column(title)
        table.add_column("rows", justify="right")
        table.add_column("share", justify="right")
        for value, count in summary.counts[key].items():
            table.add_row(value, str(count), f"{count / summary.history_rows:.1%}")
        console.print(table)
