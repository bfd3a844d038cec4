"""MLflow registry: register, champion / challenger both ways, load by alias."""

import numpy as np
import pytest

from models.classifier import InquiryGradeModel
from models.training import TrainingResult


@pytest.fixture()
def tracking(tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.chdir(tmp_path)
    from models.registry import configure_tracking

    return configure_tracking(tmp_path)


def result_for(model, frame, macro_f1, holdout_rows):
    return TrainingResult(
        model=model, chosen="logistic", cross_validation={"logistic": {"macro_f1": macro_f1}},
        holdout={"model": {"macro_f1": macro_f1, "confusion_matrix": [[1, 0, 0, 0]] * 4,
                           "per_grade": {str(g): {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1} for g in range(1, 5)},
                           "accuracy": 1.0},
                 "rules": {"macro_f1": 0.5, "confusion_matrix": [[1, 0, 0, 0]] * 4,
                           "per_grade": {str(g): {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1} for g in range(1, 5)},
                           "accuracy": 0.5}},
        holdout_ids=frame.inquiry_ids[holdout_rows], params={"chosen": "logistic"})


def test_champion_moves_only_for_a_better_challenger_and_loads_by_alias(tracking, sample_training_frame):
    from models.registry import DEFAULT_MODEL_URI, champion_version, load_model
    from models.tracking import log_training

    frame = sample_training_frame
    holdout = np.arange(0, len(frame.grades), 5)
    train = np.setdiff1d(np.arange(len(frame.grades)), holdout)
    good = InquiryGradeModel(kind="logistic").fit(frame.features.iloc[train], frame.grades[train], fraud=frame.fraud[train])

    _, first = log_training(result_for(good, frame, 0.8, holdout), frame, run_name="first", extra_params={})
    assert first.promoted and champion_version() == first.new_version

    # A challenger that only ever says "grade 4" is worse on the same held-out rows: the alias stays.
    worse = InquiryGradeModel(kind="logistic").fit(frame.features.iloc[train], np.full(len(train), 4) - (np.arange(len(train)) % 50 == 0))
    _, second = log_training(result_for(worse, frame, 0.1, holdout), frame, run_name="worse", extra_params={})
    assert not second.promoted and champion_version() == first.new_version
    assert second.champion_macro_f1 is not None and second.champion_macro_f1 > 0.1

    # A challenger claiming a better held-out score than the champion's real one moves the alias.
    _, third = log_training(result_for(good, frame, 0.999, holdout), frame, run_name="better", extra_params={})
    assert third.promoted and champion_version() == third.new_version

    resolved = load_model(DEFAULT_MODEL_URI)
    assert resolved.version == f"inquiry-grader/{third.new_version}"
    assert resolved.model.predict(frame.features.head(3)).tolist() == good.predict(frame.features.head(3)).tolist()

    from mlflow import MlflowClient

    tags = MlflowClient().get_model_version("inquiry-grader", second.new_version).tags
    assert tags["validation_status"] == "challenger_rejected"


def test_an_empty_registry_gives_no_model(tracking):
    from models.registry import load_model

    assert load_model("models:/inquiry-grader@champion") is None
