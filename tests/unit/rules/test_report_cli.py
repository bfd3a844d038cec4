"""`rules report` end to end on a tiny labelled history: files written, totals printed, clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.commands import rules_cmd

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HISTORY = [
    {"inquiry_id": "h1", "received_at": "2026-03-02T09:00:00+01:00", "body": "Any update on our order?",
     "prior_orders": 3, "grade": 1, "suspected_fraud": False},
    {"inquiry_id": "h2", "received_at": "2026-03-02T10:00:00+01:00",
     "body": "Please quote 300 pcs CH-88 visitor chair, FOB Ningbo, T/T.", "grade": 3, "suspected_fraud": False},
    {"inquiry_id": "h3", "received_at": "2026-03-02T11:00:00+01:00",
     "body": "You have a new inquiry. Log in to view the inquiry: http://alibaba-secure-login.com/view?id=7",
     "sender_email": "notice@alibaba-secure-login.com", "grade": 4, "suspected_fraud": True},
    {"inquiry_id": "h4", "received_at": "2026-03-02T12:00:00+01:00", "body": "hello", "grade": 4,
     "suspected_fraud": False},
]


@pytest.fixture
def company(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "catalog_small.csv", tmp_path / "catalog.csv")
    (tmp_path / "team.csv").write_text(
        "rep_id,name,email,regions,categories,languages,seniority,capacity_per_day,active\n"
        "r1,Lisa Wang,lisa@example.com,Europe,office chairs,en,3,40,true\n",
        encoding="utf-8",
    )
    (tmp_path / "profile.yaml").write_text(
        "name: Test Seating Co.\ntimezone: Asia/Shanghai\ncatalog: catalog.csv\nteam: team.csv\n", encoding="utf-8"
    )
    (tmp_path / "history.jsonl").write_text("\n".join(json.dumps(row) for row in HISTORY) + "\n", encoding="utf-8")
    return tmp_path


def run(*arguments: str):
    app = typer.Typer()
    app.command()(rules_cmd.report)
    app.command("unused")(lambda: None)  # two commands, so Typer keeps the verb name out of the arguments
    return CliRunner().invoke(app, ["report", *arguments])


def test_report_writes_its_files_and_prints_the_totals(company: Path, tmp_path: Path):
    out = tmp_path / "rules"
    result = run("--labelled", str(company / "history.jsonl"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "fraud precision" in result.output
    assert {path.name for path in out.iterdir()} == {"rules.csv", "confusion.csv", "metrics.json", "report.html"}
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["rows"] == 4 and metrics["fraud_recall"] == 1.0


def test_a_missing_profile_is_one_clear_line(tmp_path: Path, company: Path):
    lonely = tmp_path / "elsewhere"
    lonely.mkdir()
    shutil.copy(company / "history.jsonl", lonely / "history.jsonl")
    result = run("--labelled", str(lonely / "history.jsonl"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no company profile" in result.output
    result = run("--labelled", str(lonely / "history.jsonl"), "--profile", str(lonely / "profile.yaml"))
    assert result.exit_code == 2 and "company profile not found" in result.output
