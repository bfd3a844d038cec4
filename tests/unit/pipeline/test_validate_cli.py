"""`python -m pipeline validate` end to end, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "io"


def run_validate(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "validate", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_broken_file_is_reported_and_the_run_succeeds(tmp_path):
    result = run_validate(str(FIXTURES / "broken.jsonl"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    table_row = next(line for line in result.stdout.splitlines() if "│ broken.jsonl" in line)
    assert [cell.strip() for cell in table_row.split("│")[4:8]] == ["13", "2", "10", "1"]
    assert "First quarantine reasons (5 of 10)" in result.stdout
    assert "row 2: inquiry_id: missing" in result.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    total = {"read": 13, "valid": 2, "quarantined": 10, "duplicates": 1, "already_scored": 0}
    assert manifest["total"] == total
    assert len((tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()) == 10
    assert (tmp_path / "out" / "inquiries.parquet").exists()


def test_a_folder_of_files_gets_one_row_per_file_and_notes(tmp_path):
    result = run_validate(str(FIXTURES), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "header only: no data rows" in result.stdout
    assert "empty file: no rows" in result.stdout
    total_row = next(line for line in result.stdout.splitlines() if "total" in line)
    assert [cell.strip() for cell in total_row.split("│")[4:8]] == ["21", "7", "13", "1"]


def test_a_missing_input_exits_with_code_2(tmp_path):
    result = run_validate(str(tmp_path / "nowhere.jsonl"), cwd=tmp_path)
    assert result.returncode == 2
    assert "input not found" in result.stderr
    assert not (tmp_path / "runs").exists()


def test_help_shows_examples(tmp_path):
    result = run_validate("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "inquiry-grader validate tonight.csv mails/" in result.stdout
