"""The nightly job: counts reconcile, reruns are idempotent, manager grades survive."""

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import joblib
import pandas as pd
import pytest

from pipeline.scoring.assemble import build_scorer
from pipeline.scoring.job import run_scoring

MORNING = datetime(2026, 3, 13, 1, 0, tzinfo=timezone.utc)
SAMPLE_PROFILE = Path(__file__).resolve().parents[3] / "data" / "sample" / "profile.yaml"


@pytest.fixture()
def tonight(sample_dir, tmp_path) -> Path:
    """Tonight's sample plus a broken file: a bad row, a duplicate and a truncated last line."""
    rows = [json.loads(line) for line in (sample_dir / "tonight.jsonl").read_text(encoding="utf-8").splitlines()][:40]
    good = tmp_path / "tonight.jsonl"
    good.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")
    broken = tmp_path / "broken.jsonl"
    bad_time = {**rows[0], "inquiry_id": "bad-1", "received_at": "yesterday evening"}
    duplicate = rows[1]
    broken.write_text(json.dumps(bad_time) + "\n" + json.dumps(duplicate) + "\n" + '{"inquiry_id": "cut-', encoding="utf-8")
    return tmp_path


def rules_only_scorer(profile, run_id="test-run"):
    scorer, note = build_scorer(profile, None, run_id, use_model=False)
    assert note.startswith("rules only")
    return scorer


def test_every_row_is_scored_quarantined_or_a_duplicate(tonight, sample_profile, tmp_path):
    out = tmp_path / "out"
    run = run_scoring([tonight / "tonight.jsonl", tonight / "broken.jsonl"], sample_profile, out,
                      rules_only_scorer(sample_profile), now=MORNING)
    counts = run.as_dict()["counts"]
    assert counts == {"read": 43, "scored": 40, "quarantined": 2, "duplicates": 1, "already_scored": 0,
                      "reconciles": True}
    scored = pd.read_parquet(out / "scored.parquet")
    assert len(scored) == 40 and scored["inquiry_id"].is_unique
    quarantine = [json.loads(line) for line in (out / "quarantine.jsonl").read_text().splitlines()]
    assert {entry["row"] for entry in quarantine} == {1, 3}
    assert any(entry["field"] == "received_at" for entry in quarantine)
    assert json.loads((out / "run.json").read_text())["counts"]["reconciles"] is True


def test_rules_only_rows_say_so(tonight, sample_profile, tmp_path):
    out = tmp_path / "out"
    run_scoring([tonight / "tonight.jsonl"], sample_profile, out, rules_only_scorer(sample_profile), now=MORNING)
    scored = pd.read_parquet(out / "scored.parquet")
    assert set(scored["grade_source"]) <= {"rules", "override"}
    assert scored["model_version"].isna().all() and scored["model_grade"].isna().all()
    assert (scored["grade"] == scored["rule_grade"]).all()
    assert scored["ruleset_version"].notna().all()


def test_rerun_adds_nothing_and_loses_nothing(tonight, sample_profile, tmp_path):
    out = tmp_path / "out"
    scorer = rules_only_scorer(sample_profile)
    first = run_scoring([tonight / "tonight.jsonl"], sample_profile, out, scorer, now=MORNING)
    before = pd.read_parquet(out / "scored.parquet")
    second = run_scoring([tonight / "tonight.jsonl"], sample_profile, out, scorer, now=MORNING)
    after = pd.read_parquet(out / "scored.parquet")
    assert first.scored == 40 and second.scored == 0 and second.total.already_scored == 40
    assert len(after) == 40
    pd.testing.assert_frame_equal(before, after)
    assert len(pd.read_csv(out / "scored.csv")) == 40


def test_a_managers_grade_is_never_overwritten(tonight, sample_profile, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = json.loads((tonight / "tonight.jsonl").read_text().splitlines()[5])["inquiry_id"]
    (out / "reviewed.jsonl").write_text(json.dumps(
        {"inquiry_id": target, "grade": 1, "suspected_fraud": False, "reviewed_by": "manager.li"}) + "\n")
    run = run_scoring([tonight / "tonight.jsonl"], sample_profile, out, rules_only_scorer(sample_profile), now=MORNING)
    row = pd.read_parquet(out / "scored.parquet").set_index("inquiry_id").loc[target]
    assert row["grade"] == 1 and row["reviewed_by"] == "manager.li" and row["grade_source"] == "override"
    assert "manager" in row["explanation"]
    assert run.reviewed_kept == 1


def test_a_broken_review_file_is_an_error_naming_file_and_line(tonight, sample_profile, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "reviewed.jsonl").write_text('{"inquiry_id": "x", "grade": 9}\n')
    with pytest.raises(ValueError, match=r"reviewed.jsonl, line 1, field 'grade'"):
        run_scoring([tonight / "tonight.jsonl"], sample_profile, out, rules_only_scorer(sample_profile), now=MORNING)


def test_model_rows_carry_resolved_version_and_explanations(tonight, sample_profile, trained_model, tmp_path):
    model_path = tmp_path / "model.joblib"
    joblib.dump(trained_model, model_path)
    scorer, note = build_scorer(sample_profile, str(model_path), "run-with-model")
    assert scorer.model is not None and str(model_path) in note
    out = tmp_path / "out"
    run_scoring([tonight / "tonight.jsonl"], sample_profile, out, scorer, workers=2, chunk_rows=15, now=MORNING)
    scored = pd.read_parquet(out / "scored.parquet")
    assert len(scored) == 40
    assert (scored["model_version"] == str(model_path)).all()
    assert scored["model_grade"].between(1, 4).all()
    assert set(scored["grade_source"]) <= {"override", "model", "rules"}
    assert (scored.loc[scored.grade_source == "model", "grade"] == scored.loc[scored.grade_source == "model", "model_grade"]).all()
    disagreements = pd.read_csv(out / "disagreements.csv")
    assert len(disagreements) == int(scored["disagreement"].sum())
    assert disagreements["model_confidence"].is_monotonic_decreasing
    assert scored["explanation"].str.startswith("Grade").all()


def test_routing_fills_the_contract_columns(tonight, sample_profile, tmp_path):
    out = tmp_path / "out"
    run_scoring([tonight / "tonight.jsonl"], sample_profile, out, rules_only_scorer(sample_profile), now=MORNING)
    scored = pd.read_parquet(out / "scored.parquet")
    for column in ("assigned_to", "reply_due_at", "requires_supervisor_review", "queue"):
        assert column in scored
    assert scored["queue"].isin(["rep", "verification", "unassigned"]).all()
    assert (scored.loc[scored.suspected_fraud, "queue"] == "verification").all()
    assert scored.loc[scored.queue == "rep", "assigned_to"].notna().all()
    assert scored["requires_supervisor_review"].eq(scored["grade"] == 1).all()


def test_worker_processes_survive_a_parent_that_trained_gradient_boosting(tonight, tmp_path):
    """Regression: forked workers hung after the parent had run OpenMP code (the demo trains first)."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        from datetime import datetime, timezone
        from pathlib import Path
        import numpy as np, pandas as pd
        from models.classifier import InquiryGradeModel
        from pipeline.profile import load_profile
        from pipeline.scoring.assemble import build_scorer
        from pipeline.scoring.job import run_scoring
        rng = np.random.default_rng(0)
        X = pd.DataFrame({{"a": rng.random(400), "text": ["x"] * 400}})
        InquiryGradeModel(kind="boosting").fit(X, rng.integers(1, 5, 400))  # OpenMP threads in this process
        profile = load_profile(Path({str(SAMPLE_PROFILE)!r}))
        scorer, _ = build_scorer(profile, None, "spawn-check", use_model=False)
        run = run_scoring([Path({str(tonight / "tonight.jsonl")!r})], profile, Path({str(tmp_path / "out")!r}),
                          scorer, workers=2, chunk_rows=10, now=datetime(2026, 3, 13, 1, tzinfo=timezone.utc))
        print("scored", run.scored)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "scored 40" in result.stdout


class ConvincedItIsNoScam:
    """The trained model, except that it rates every inquiry 2% likely a scam."""

    def __init__(self, model):
        self._model = model

    def __getattr__(self, name):
        return getattr(self._model, name)

    def predict_fraud_proba(self, X):
        import numpy as np

        return np.full(len(X), 0.02)


def test_a_fraud_flag_the_model_clears_is_counted_explained_and_listed_for_review(
        sample_dir, sample_profile, trained_model, tmp_path):
    import dataclasses

    template = json.loads((sample_dir / "tonight.jsonl").read_text(encoding="utf-8").splitlines()[0])
    product = sample_profile.catalog.iloc[0]
    # A credible buyer's detailed RFQ whose only fraud marker is an odd unit ("price per kilo" for chairs).
    row = {**template, "inquiry_id": "odd-unit-1", "channel": "email", "subject": "RFQ office chairs",
           "body": f"Dear Ms. Chen,\n\nPlease quote {product['name']} ({product['sku']}): what is your price per kilo? "
                   "Quantity about 400 units, FOB Shenzhen, T/T 30/70, delivery within 45 days. Please send photos "
                   "and packing details.\n\nBest regards,\nAnna Weber\nPurchasing Manager\nNordbuero GmbH\n"
                   "Hafenstrasse 12, 20457 Hamburg\nTel: +49 40 30901234",
           "sender_name": "Anna Weber", "sender_email": "a.weber@nordbuero.de", "company": "Nordbuero GmbH",
           "phone": "+49 40 30901234", "country": "Germany", "attachments": [], "thread_messages": 1}
    for history_field in ("prior_orders", "sample_orders", "visited_factory", "customer_id", "last_order_at"):
        row.pop(history_field, None)
    source = tmp_path / "odd_unit.jsonl"
    source.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    scorer = dataclasses.replace(rules_only_scorer(sample_profile), model=ConvincedItIsNoScam(trained_model),
                                 model_version="test-double")
    out = tmp_path / "out"
    run = run_scoring([source], sample_profile, out, scorer, workers=1, now=MORNING)

    scored = pd.read_parquet(out / "scored.parquet").iloc[0]
    assert scored["rule_grade"] == 4 and "FRAUD_ABSURD_UNITS" in list(scored["rules_fired"])
    assert not scored["suspected_fraud"] and scored["grade_source"] == "model"
    assert len(scored["fraud_cleared"]) == 1 and "per kilo" in scored["fraud_cleared"][0]
    assert "flag is cleared: a manager should confirm" in scored["explanation"]
    assert run.frauds_cleared == 1
    assert json.loads((out / "run.json").read_text())["fraud_flags_cleared_by_model"] == 1
    review_list = pd.read_csv(out / "disagreements.csv")
    assert review_list["inquiry_id"].tolist() == ["odd-unit-1"] and "per kilo" in review_list.loc[0, "fraud_cleared"]


def test_a_rerun_into_output_written_by_an_earlier_version_works(tonight, sample_dir, sample_profile, tmp_path):
    out = tmp_path / "out"
    scorer = rules_only_scorer(sample_profile)
    run_scoring([tonight / "tonight.jsonl"], sample_profile, out, scorer, now=MORNING)
    # An earlier version wrote no fraud_cleared column.
    import pyarrow.parquet as pq

    old = pq.read_table(out / "scored.parquet")
    pq.write_table(old.drop_columns(["fraud_cleared"]), out / "scored.parquet")
    second = run_scoring([tonight / "tonight.jsonl"], sample_profile, out, scorer, now=MORNING)
    assert second.scored == 0 and len(pd.read_csv(out / "scored.csv")) == 40
    assert "fraud_cleared" in pd.read_csv(out / "disagreements.csv").columns
    more = [json.loads(line) for line in (sample_dir / "tonight.jsonl").read_text(encoding="utf-8").splitlines()][40:50]
    (tmp_path / "later.jsonl").write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in more) + "\n",
                                          encoding="utf-8")
    third = run_scoring([tmp_path / "later.jsonl"], sample_profile, out, scorer, now=MORNING)
    merged = pd.read_parquet(out / "scored.parquet")
    assert third.scored == 10 and len(merged) == 50
    assert merged["fraud_cleared"].isna().sum() == 40  # the old rows: not recorded then


@pytest.mark.parametrize("arguments", [
    ["--input", "tonight.jsonl", "broken.jsonl"],  # as the issue writes it: --input FILE...
    ["-i", "tonight.jsonl", "-i", "broken.jsonl"],
    ["tonight.jsonl", "broken.jsonl"],
])
def test_the_score_command_reads_every_input_however_they_are_listed(tonight, arguments, monkeypatch):
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.chdir(tonight)
    result = CliRunner().invoke(app, ["score", *arguments, "--profile", str(SAMPLE_PROFILE), "--rules-only",
                                      "--no-drafts", "--workers", "1", "--out", "out", "--now", "2026-03-13T09:00:00+08:00"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    run = json.loads((tonight / "out" / "run.json").read_text(encoding="utf-8"))
    assert sorted(Path(name).name for name in run["files"]) == ["broken.jsonl", "tonight.jsonl"]
    assert run["counts"]["reconciles"] and run["counts"]["read"] == 43
    assert "drafts in" not in result.output  # --no-drafts: the summary points at no drafts folder


def test_the_score_command_without_an_input_says_how_to_give_one(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["score", "--rules-only"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "no input" in result.output and "--input" in result.output
