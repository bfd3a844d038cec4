"""The one command-line entry point: `inquiry-grader VERB ...`.

Each verb lives in its own module under `pipeline/commands/`; this file only
wires them into one Typer app. Heavy libraries are imported inside the verbs,
so `--help` stays instant.
"""

from __future__ import annotations

import typer

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


def main() -> None:
    app()
