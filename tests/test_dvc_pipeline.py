"""The DVC pipeline is wired: stages in order, each calling the one CLI, rule files as deps."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


def test_stages_call_the_cli_and_depend_on_their_code():
    stages = yaml.safe_load((REPO / "dvc.yaml").read_text())["stages"]
    assert list(stages) == ["generate", "train", "evaluate", "score"]
    for name, stage in stages.items():
        assert stage["cmd"].startswith("inquiry-grader "), name
    assert "rules" in stages["evaluate"]["deps"], "a change to a rule file must re-run evaluate"
    params = yaml.safe_load((REPO / "params.yaml").read_text())
    assert {"generate", "train", "score"} <= set(params)


@pytest.mark.skipif(shutil.which("dvc") is None and not (REPO / ".venv" / "bin" / "dvc").exists(),
                    reason="dvc is not installed (it comes with the dev extra)")
def test_dvc_repro_dry_lists_every_stage():
    dvc = shutil.which("dvc") or str(REPO / ".venv" / "bin" / "dvc")
    result = subprocess.run([dvc, "repro", "--dry", "--force"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for stage in ("generate", "train", "evaluate", "score"):
        assert f"Running stage '{stage}'" in result.stdout
