"""Shared fixtures: the committed sample company, ../shared when present, a trained model."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_profile():
    from pipeline.profile import load_profile

    return load_profile(SAMPLE / "profile.yaml")


@pytest.fixture(scope="session")
def sample_history():
    from pipeline.validate import read_inquiries

    return read_inquiries(SAMPLE / "history.jsonl", strict=True)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared/eval is not present")
    return SHARED


@pytest.fixture(scope="session")
def sample_training_frame(sample_history, sample_profile):
    from models.dataset import training_frame

    return training_frame(sample_history, sample_profile.catalog, sample_profile.settings)


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory, sample_profile):
    """The boosting model `train` ships, fitted on 3,000 generated inquiries of the sample company.

    The committed 600-row sample leaves 120 rows to calibrate four grades on,
    too few for the behaviour tests to be about the model rather than the draw.
    """
    from models.classifier import InquiryGradeModel
    from models.dataset import training_frame
    from pipeline.generate import generate_company
    from pipeline.validate import read_inquiries

    folder = tmp_path_factory.mktemp("model-history")
    generate_company(folder, n=3000, seed=7, tonight=0)
    history = read_inquiries(folder / "history.jsonl", strict=True)
    frame = training_frame(history, sample_profile.catalog, sample_profile.settings)
    return InquiryGradeModel(kind="boosting").fit(frame.features, frame.grades, fraud=frame.fraud)
