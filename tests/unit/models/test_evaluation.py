"""How `evaluate` compares the hybrid with its parts, and how sure that comparison can be."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from models.evaluation import difference_intervals, macro_f1
from models.metrics import grading_metrics

grades = st.lists(st.integers(1, 4), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_resampling_macro_f1_is_the_reported_macro_f1(data):
    truth = data.draw(grades)
    predicted = data.draw(st.lists(st.integers(1, 4), min_size=len(truth), max_size=len(truth)))
    expected = grading_metrics(truth, predicted)["macro_f1"]
    assert abs(float(macro_f1(np.array(truth), np.array(predicted))) - expected) < 1e-12
    # Row by row over a 2-D input: each resample gets its own value.
    stacked = macro_f1(np.array([truth, truth]), np.array([predicted, truth]))
    assert abs(stacked[0] - expected) < 1e-12 and stacked[1] == grading_metrics(truth, truth)["macro_f1"]


def _decided(rows: int, model_wrong: int, rules_wrong: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 5, rows)
    labels = pd.DataFrame({"inquiry_id": [f"q{i}" for i in range(rows)], "grade": truth})
    model, rules = truth.copy(), truth.copy()
    model[:model_wrong] = model[:model_wrong] % 4 + 1
    rules[-rules_wrong:] = rules[-rules_wrong:] % 4 + 1
    return labels.assign(grade=truth, model_grade=model, rule_grade=rules), labels


def test_a_few_rows_of_difference_on_a_small_set_is_within_chance():
    scored, labels = _decided(rows=260, model_wrong=3, rules_wrong=3)
    low, high = difference_intervals(scored, labels)["model"]
    assert low <= 0.0 < high  # 3 rows of 260: the set cannot say the hybrid is better


def test_a_large_difference_on_a_large_set_is_clear():
    scored, labels = _decided(rows=4_000, model_wrong=400, rules_wrong=4)
    intervals = difference_intervals(scored, labels)
    assert intervals["model"][0] > 0.05  # the hybrid (perfect here) is clearly above a model wrong on 10%
    assert intervals["rules"][0] >= 0.0


def test_rules_only_results_get_an_interval_against_the_rules_alone():
    scored, labels = _decided(rows=100, model_wrong=0, rules_wrong=5)
    intervals = difference_intervals(scored.drop(columns=["model_grade"]), labels)
    assert set(intervals) == {"rules"}


def test_evaluate_says_how_sure_the_comparison_is(sample_dir, trained_model, tmp_path):
    # Analysts compare the hybrid with its parts on their own labelled rows: the command must say
    # whether a difference is more than those rows can tell from chance.
    import json

    import joblib
    from typer.testing import CliRunner

    from pipeline.cli import app

    model_path = tmp_path / "model.joblib"
    joblib.dump(trained_model, model_path)
    out = tmp_path / "evaluate"
    result = CliRunner().invoke(app, ["evaluate", "-l", str(sample_dir / "history.jsonl"), "-p",
                                      str(sample_dir / "profile.yaml"), "--model", str(model_path), "-o", str(out)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Hybrid minus model macro-F1" in result.output and "95% over resampled rows" in result.output
    intervals = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["hybrid_minus_part_macro_f1_95"]
    assert set(intervals) == {"model", "rules"}
    assert all(low <= high for low, high in intervals.values())
