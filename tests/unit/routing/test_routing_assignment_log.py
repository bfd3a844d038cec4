"""The assignment log: append-only, read back for reruns, stickiness and today's load."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.routing import LOG_FILENAME, route
from pipeline.routing.assignment_log import append_log, load_between, read_log
from routing_cases import NOW, batch, inquiry, with_team


def test_log_records_inquiry_rep_rule_time_and_run(profile, tmp_path):
    route(batch(inquiry("q1", country_code="ES")), profile, tmp_path, run_id="run-1", now=NOW, drafts=False)
    lines = (tmp_path / LOG_FILENAME).read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[0])
    assert entry["inquiry_id"] == "q1" and entry["assigned_to"] == "R2"
    assert entry["assignment_rule"] == "region" and entry["run_id"] == "run-1"
    assert pd.Timestamp(entry["assigned_at"]) == NOW


def test_rerun_keeps_assignments_and_adds_no_lines(profile, tmp_path):
    frame = batch(
        *[inquiry(f"q{i}", country_code=code) for i, code in enumerate(["DE", "FR", "US", "BR", "JP"])]
    )
    first = route(frame, profile, tmp_path, run_id="run-1", now=NOW, drafts=False)
    size = (tmp_path / LOG_FILENAME).stat().st_size
    second = route(frame, profile, tmp_path, run_id="run-2", now=NOW + pd.Timedelta(hours=1), drafts=False)
    assert second["assigned_to"].tolist() == first["assigned_to"].tolist()
    assert (tmp_path / LOG_FILENAME).stat().st_size == size


def test_rerun_does_not_count_kept_inquiries_twice_against_capacity(profile, tmp_path):
    tight = with_team(profile, capacity_per_day={"R4": 2})
    frame = batch(inquiry("a", country_code="US"), inquiry("b", country_code="US"))
    route(frame, tight, tmp_path, run_id="run-1", now=NOW, drafts=False)
    again = route(
        batch(
            inquiry("a", country_code="US"), inquiry("b", country_code="US"), inquiry("c", country_code="US")
        ),
        tight,
        tmp_path,
        run_id="run-2",
        now=NOW + pd.Timedelta(hours=1),
        drafts=False,
    )
    assert again["assigned_to"].tolist() == ["R4", "R4", None]


def test_capacity_resets_on_the_next_team_day(profile, tmp_path):
    tight = with_team(profile, capacity_per_day={"R4": 1})
    route(batch(inquiry("a", country_code="US")), tight, tmp_path, run_id="day-1", now=NOW, drafts=False)
    same_day = route(
        batch(inquiry("b", country_code="US")),
        tight,
        tmp_path / "x",
        run_id="d1b",
        now=NOW,
        drafts=False,
        log_path=tmp_path / LOG_FILENAME,
    )
    next_day = route(
        batch(inquiry("c", country_code="US")),
        tight,
        tmp_path,
        run_id="day-2",
        now=NOW + pd.Timedelta(days=1),
        drafts=False,
    )
    assert same_day.iloc[0]["queue"] == "unassigned"
    assert next_day.iloc[0]["assigned_to"] == "R4"


def test_outcome_changes_are_appended(profile, tmp_path):
    tight = with_team(profile, capacity_per_day={"R4": 0})
    route(batch(inquiry("a", country_code="US")), tight, tmp_path, run_id="run-1", now=NOW, drafts=False)
    route(batch(inquiry("a", country_code="US")), profile, tmp_path, run_id="run-2", now=NOW, drafts=False)
    log = read_log(tmp_path / LOG_FILENAME)
    assert log["queue"].tolist() == ["unassigned", "rep"]
    assert log["run_id"].tolist() == ["run-1", "run-2"]


def test_load_between_counts_rep_entries_in_the_window():
    log = pd.DataFrame(
        {
            "inquiry_id": ["a", "b", "c", "d"],
            "assigned_to": ["R1", "R1", "R2", None],
            "queue": ["rep", "rep", "rep", "unassigned"],
            "assigned_at": pd.to_datetime(
                ["2025-03-03 01:00", "2025-03-03 05:00", "2025-03-02 01:00", "2025-03-03 02:00"], utc=True
            ),
        }
    )
    start, end = pd.Timestamp("2025-03-02 16:00", tz="UTC"), pd.Timestamp("2025-03-03 16:00", tz="UTC")
    assert load_between(log, start, end) == {"R1": 2}


def test_damaged_log_names_file_and_line(tmp_path):
    path = tmp_path / LOG_FILENAME
    path.write_text(
        '{"inquiry_id": "a", "queue": "rep", "assigned_at": "2025-03-03T00:00:00+00:00", "run_id": "r"}\n'
        "{oops\n"
    )
    with pytest.raises(ValueError, match=r"line 2: not valid JSON"):
        read_log(path)
    path.write_text('{"inquiry_id": "a", "queue": "rep", "run_id": "r"}\n')
    with pytest.raises(ValueError, match=r"line 1: field 'assigned_at'"):
        read_log(path)


def test_append_log_writes_only_new_outcomes(profile, tmp_path):
    from pipeline.routing.assign import assign

    assigned = assign(batch(inquiry("a"), inquiry("b")), profile, run_id="r", now=NOW)
    path = tmp_path / LOG_FILENAME
    assert append_log(path, assigned, run_id="r") == 2
    assert append_log(path, assigned, run_id="r") == 0
