"""`inquiry-grader demo`: the whole night on built-in data: generate, train, score, route."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated

import typer

from pipeline.scoring import CHUNK_ROWS


def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo's data, model report and results.")] = Path("runs/demo"),
    # As many rows as `dvc repro` trains the default model on: on generated companies the model it
    # shows is then as good as the default (8,000 rows scored 0.01 lower), for about 15 s more.
    n: Annotated[int, typer.Option("--n", help="Labelled history rows to generate and train on.", min=500)] = 20_000,
    seed: Annotated[int, typer.Option(help="Seed for the generated company and its inquiries.")] = 7,
    workers: Annotated[int, typer.Option(help="Worker processes for generation and scoring.", min=1)] = 2,
) -> None:
    """Run the product end to end on a generated company.

    1. generate a company (catalogue, team, profile), its labelled history and
       tonight's unlabelled inquiries;
    2. train the classifier on the history, log it to MLflow and register it;
    3. score tonight's inquiries with the champion and the rulebook, route them
       to reps with reply deadlines, write drafts;
    4. print the summary and the workload per rep.

    Examples:

      inquiry-grader demo

      inquiry-grader demo --out runs/demo-big --n 30000
    """
    from rich.console import Console
    from rich.rule import Rule

    from pipeline.commands.score_cmd import score
    from pipeline.commands.train_cmd import train
    from pipeline.commands.workload_cmd import workload
    from pipeline.generate import generate_company

    console = Console()
    started = time.perf_counter()
    data = out / "data"
    console.print(Rule("1. Generate a company and its inquiries"))
    with console.status(f"Generating {n:,} labelled inquiries and tonight's batch..."):
        generate_company(data, n=n, seed=seed, workers=workers)
    generation = json.loads((data / "generation.json").read_text(encoding="utf-8"))
    console.print(f"{generation['company']}: {generation['history_rows']:,} labelled inquiries in "
                  f"{data / 'history.jsonl'}, {generation['tonight_rows']:,} new ones in {data / 'tonight.jsonl'}.",
                  highlight=False)

    console.print(Rule("2. Train and register the classifier"))
    train(labelled=[data / "history.jsonl"], profile=data / "profile.yaml", out=out / "train", folds=3,
          holdout_share=0.2, seed=seed, candidates="logistic,boosting", register=True)

    console.print(Rule("3. Score, flag and route tonight's inquiries"))
    morning = _next_morning(data / "tonight.jsonl", data / "profile.yaml")
    console.print(f"The team starts on the batch at {morning.isoformat()}.", highlight=False)
    score(inputs=[data / "tonight.jsonl"], profile=data / "profile.yaml", out=out / "score", model=None,
          rules_only=False, reviewed=None, workers=workers, chunk_rows=CHUNK_ROWS, route=True, drafts=True,
          now=morning.isoformat())

    console.print(Rule("4. Today's workload"))
    workload(out=out / "score", now=morning.isoformat())
    console.print(f"Demo finished in {time.perf_counter() - started:.0f} s. Try: "
                  f"inquiry-grader explain <inquiry_id> --out {out / 'score'}", highlight=False)


def _next_morning(tonight: Path, profile_path: Path) -> datetime:
    """The start of the team's next working day after the last inquiry of the batch."""
    from pipeline.profile import load_profile
    from pipeline.validate import read_inquiries

    profile = load_profile(profile_path)
    last = read_inquiries(tonight)["received_at"].max().to_pydatetime().astimezone(profile.zone)
    day = last.date() + timedelta(days=1)
    while day.strftime("%a") not in profile.workdays:
        day += timedelta(days=1)
    start = datetime.combine(day, profile.work_start, tzinfo=profile.zone)
    return start.astimezone(timezone.utc)
