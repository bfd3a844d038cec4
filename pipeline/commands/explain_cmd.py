"""`inquiry-grader explain`: why one inquiry got its grade."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def explain(
    inquiry_id: Annotated[str, typer.Argument(help="The inquiry id to explain.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="The scoring output folder that holds scored.parquet.")] = Path("runs/score"),
) -> None:
    """Print why an inquiry got its grade.

    Shows the decision and its source, the model's reasons, the rules that
    fired, fraud reasons, and where the inquiry was routed.

    Examples:

      inquiry-grader explain EW-T20260312-00001 --out runs/demo/score

      inquiry-grader explain sx-0042 -o runs/eval
    """
    import pyarrow.parquet as pq
    from rich.console import Console
    from rich.table import Table

    console = Console()
    path = out / "scored.parquet"
    if not path.exists():
        console.print(f"[bold red]error:[/] {path} not found: run `inquiry-grader score --out {out}` first", highlight=False)
        raise typer.Exit(code=2)
    rows = pq.read_table(path, filters=[("inquiry_id", "==", inquiry_id)]).to_pandas()
    if rows.empty:
        console.print(f"[bold red]error:[/] inquiry '{inquiry_id}' is not in {path}", highlight=False)
        raise typer.Exit(code=1)
    row = rows.iloc[-1]
    console.print(f"[bold]{inquiry_id}[/]: {row.get('subject') or '(no subject)'} "
                  f"from {row.get('sender_name') or row.get('sender_email') or 'unknown sender'}", highlight=False)
    console.print(row["explanation"], highlight=False)
    table = Table(show_header=False)
    table.add_column("field")
    table.add_column("value")
    for label, value in _facts(row):
        table.add_row(label, value)
    console.print(table)


def _facts(row) -> list[tuple[str, str]]:
    def text(value) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return "-"
        if hasattr(value, "tolist") and not isinstance(value, str):
            value = value.tolist()
        if isinstance(value, list):
            return "; ".join(str(item) for item in value) or "-"
        return str(value)

    facts = [
        ("grade", text(row["grade"])),
        ("decided by", text(row["grade_source"]) + (f" (reviewed by {row['reviewed_by']})" if text(row.get("reviewed_by")) != "-" else "")),
        ("confidence", f"{row['confidence']:.0%}" if row["confidence"] == row["confidence"] else "-"),
        ("model grade", text(row["model_grade"]) + (f" ({row['model_confidence']:.0%})" if row["model_confidence"] == row["model_confidence"] else "")),
        ("rule grade", f"{text(row['rule_grade'])} (stage {text(row.get('rule_stage'))})"),
        ("rules fired", text(row["rules_fired"])),
        ("model's reasons", text(row["model_reasons"])),
        ("suspected fraud", "yes" if row["suspected_fraud"] else "no"),
        ("fraud reasons", text(row["fraud_reasons"])),
        ("fraud flag cleared by the model", text(row.get("fraud_cleared"))),
        ("language / country", f"{text(row['language'])} / {text(row['country_code'])}"),
        ("products named", text(row.get("product_skus"))),
    ]
    if "queue" in row:
        facts += [
            ("queue / rep", f"{text(row.get('queue'))} / {text(row.get('assigned_to'))} {text(row.get('assigned_rep_name'))}"),
            ("reply due (UTC)", text(row.get("reply_due_at"))),
            ("send window", text(row.get("send_window_local"))),
            ("draft", text(row.get("draft_path"))),
        ]
    facts += [("model / rule-set / run", f"{text(row['model_version'])} / {text(row['ruleset_version'])} / {text(row['run_id'])}")]
    return facts
