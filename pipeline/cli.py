"""The one command-line entry point: `inquiry-grader VERB ...`.

Each verb lives in its own module under `pipeline/commands/`; this file only
wires them into one Typer app. Heavy libraries are imported inside the verbs,
so `--help` stays instant.
"""

from __future__ import annotations

import typer

from pipeline.commands import (
    demo_cmd,
    evaluate_cmd,
    explain_cmd,
    generate_cmd,
    rules_cmd,
    score_cmd,
    train_cmd,
    validate_cmd,
    workload_cmd,
)

app = typer.Typer(
    name="inquiry-grader",
    help=(
        "Grade overseas buyer inquiries into four grades, flag scams with reasons, "
        "route them to sales reps and draft replies."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
rules_app = typer.Typer(help="Inspect the rulebook.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

# Verbs, in the order a user meets them.
app.command("generate")(generate_cmd.generate)
app.command("validate")(validate_cmd.validate)
app.command("train")(train_cmd.train)
app.command("evaluate")(evaluate_cmd.evaluate)
app.command("score")(score_cmd.score)
app.command("explain")(explain_cmd.explain)
app.command("demo")(demo_cmd.demo)
rules_app.command("report")(rules_cmd.report)
app.command("workload")(workload_cmd.workload)


def main() -> None:
    app()
