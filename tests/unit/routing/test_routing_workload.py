"""The workload view: per rep counts, due today, overdue, and the two queues; table and HTML."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from pipeline.commands.workload_cmd import workload as workload_command
from pipeline.routing import route
from pipeline.routing.workload import build_workload, render_workload_html
from routing_cases import NOW, batch, inquiry, with_team

SHANGHAI = "Asia/Shanghai"


def routed_rows() -> pd.DataFrame:
    rows = [
        {
            "inquiry_id": "a",
            "grade": 1,
            "queue": "rep",
            "assigned_to": "R1",
            "assigned_rep_name": "Anna Liu",
            "reply_due_at": "2025-03-03 08:00Z",
            "requires_supervisor_review": True,
        },
        {
            "inquiry_id": "b",
            "grade": 3,
            "queue": "rep",
            "assigned_to": "R1",
            "assigned_rep_name": "Anna Liu",
            "reply_due_at": "2025-03-03 01:00Z",
            "requires_supervisor_review": False,
        },  # overdue at 09:30 Beijing
        {
            "inquiry_id": "c",
            "grade": 4,
            "queue": "rep",
            "assigned_to": "R1",
            "assigned_rep_name": "Anna Liu",
            "reply_due_at": "2025-03-05 08:00Z",
            "requires_supervisor_review": False,
        },  # due later this week
        {
            "inquiry_id": "d",
            "grade": 2,
            "queue": "rep",
            "assigned_to": "R2",
            "assigned_rep_name": "Bruno Zhang",
            "reply_due_at": "2025-03-03 09:59Z",
            "requires_supervisor_review": False,
        },  # 17:59 Beijing: today
        {
            "inquiry_id": "e",
            "grade": 2,
            "queue": "unassigned",
            "assigned_to": None,
            "unassigned_reason": "R4 at capacity",
            "reply_due_at": "2025-03-03 10:00Z",
            "requires_supervisor_review": False,
        },
        {
            "inquiry_id": "f",
            "grade": 4,
            "queue": "verification",
            "assigned_to": None,
            "sender_email": "x@scam.biz",
            "fraud_reasons": ["<script>alert(1)</script> login link"],
            "requires_supervisor_review": False,
        },
    ]
    frame = pd.DataFrame(rows)
    frame["reply_due_at"] = pd.to_datetime(frame["reply_due_at"], utc=True)
    return frame


def test_counts_per_rep_due_today_and_overdue():
    result = build_workload(routed_rows(), now=NOW, team_timezone=SHANGHAI)
    reps = result.reps.set_index("rep_id")
    assert reps.loc["R1", ["grade_1", "grade_2", "grade_3", "grade_4", "total"]].tolist() == [1, 0, 1, 1, 3]
    assert reps.loc["R1", "due_today"] == 1 and reps.loc["R1", "overdue"] == 1
    assert reps.loc["R1", "supervisor_reviews"] == 1
    assert reps.loc["R2", "due_today"] == 1 and reps.loc["R2", "overdue"] == 0
    assert result.unassigned["inquiry_id"].tolist() == ["e"]
    assert result.verification["inquiry_id"].tolist() == ["f"]


def test_html_page_is_self_contained_and_escaped():
    page = render_workload_html(build_workload(routed_rows(), now=NOW, team_timezone=SHANGHAI))
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "src=" not in page and "<link" not in page
    assert "R4 at capacity" in page and "Anna Liu" in page


def test_routing_columns_are_required():
    with pytest.raises(ValueError, match="route the batch"):
        build_workload(pd.DataFrame({"inquiry_id": ["a"], "grade": [1]}), now=NOW)


def test_command_prints_the_table_and_writes_the_page(profile, tmp_path):
    tight = with_team(profile, capacity_per_day={"R4": 1})
    frame = batch(
        inquiry("de1", grade=1),
        inquiry("us1", country_code="US"),
        inquiry("us2", country_code="US"),
        inquiry("scam", grade=4, suspected_fraud=True, fraud_reasons=["fee in advance"]),
    )
    route(frame, tight, tmp_path, run_id="run-1", now=NOW, drafts=False).to_parquet(
        tmp_path / "scored.parquet"
    )
    app = typer.Typer()
    app.command("workload")(workload_command)
    app.command("other")(lambda: None)  # two commands, so the verb is named as in the real CLI
    result = CliRunner().invoke(app, ["workload", "--out", str(tmp_path), "--now", "2025-03-03T10:00"])
    assert result.exit_code == 0, result.output
    assert (
        "R4" in result.output
        and "Unassigned queue (1)" in result.output
        and "Verification queue (1)" in result.output
    )
    page = (tmp_path / "workload.html").read_text(encoding="utf-8")
    assert "fee in advance" in page and "Asia/Shanghai" in page


def test_command_explains_a_missing_run(tmp_path):
    app = typer.Typer()
    app.command("workload")(workload_command)
    app.command("other")(lambda: None)
    # A wide terminal keeps the temporary path on one line of the error box.
    result = CliRunner().invoke(app, ["workload", "--out", str(tmp_path)], env={"COLUMNS": "400"})
    assert result.exit_code != 0
    assert "scored.parquet" in result.output and "not found" in result.output
