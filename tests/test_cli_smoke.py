"""The whole CLI through subprocess, as a user runs it: generate -> validate -> train -> score -> explain."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]


def cli(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_generate_train_score_explain(tmp_path):
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}", "COLUMNS": "160"}
    data = tmp_path / "company"
    cli("generate", "--out", str(data), "--n", "700", "--seed", "3", "--tonight", "40", cwd=tmp_path, env=env)
    assert {"profile.yaml", "catalog.csv", "team.csv", "history.jsonl", "tonight.jsonl"} <= {p.name for p in data.iterdir()}

    validated = cli("validate", str(data / "history.jsonl"), "--out", str(tmp_path / "validated"), cwd=tmp_path, env=env)
    assert "700" in validated.stdout

    trained = cli("train", "--labelled", str(data / "history.jsonl"), "--folds", "2", "--out", str(tmp_path / "train"),
                  cwd=tmp_path, env=env)
    assert "promoted to champion" in trained.stdout
    metrics = json.loads((tmp_path / "train" / "metrics.json").read_text())
    assert set(metrics["holdout"]) == {"model", "rules"}

    out = tmp_path / "score"
    scored_run = cli("score", "--input", str(data / "tonight.jsonl"), "--out", str(out),
                     "--now", "2026-03-13T09:00:00+08:00", "--workers", "1", cwd=tmp_path, env=env)
    assert "inquiry-grader/1" in scored_run.stdout
    assert "drafts in" in scored_run.stdout
    scored = pd.read_parquet(out / "scored.parquet")
    assert len(scored) == 40 and (scored["model_version"] == "inquiry-grader/1").all()
    run = json.loads((out / "run.json").read_text())
    assert run["counts"]["reconciles"] and run["counts"]["scored"] == 40

    explained = cli("explain", scored.iloc[0]["inquiry_id"], "--out", str(out), cwd=tmp_path, env=env)
    assert "Grade" in explained.stdout

    workload = cli("workload", "--out", str(out), "--now", "2026-03-13T09:00:00+08:00", cwd=tmp_path, env=env)
    assert (out / "workload.html").exists() and "EW-R" in workload.stdout


def test_help_lists_every_verb():
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "160"}, timeout=120)
    assert result.returncode == 0
    for verb in ("generate", "validate", "train", "evaluate", "score", "explain", "workload", "demo", "rules"):
        assert verb in result.stdout
