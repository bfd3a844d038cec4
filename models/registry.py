"""MLflow tracking and the model registry: where models live and which one serves.

The default store is inside the project folder (`mlruns/`: a SQLite database
plus an artifact folder); `MLFLOW_TRACKING_URI` overrides it. Serving is by
alias (`models:/inquiry-grader@champion`), and every batch records the
resolved version number, never just the alias.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MODEL_NAME = "inquiry-grader"
EXPERIMENT_NAME = "inquiry-grader"
CHAMPION_ALIAS = "champion"
DEFAULT_MODEL_URI = f"models:/{MODEL_NAME}@{CHAMPION_ALIAS}"
# Writing the dependency list ourselves skips MLflow's slow environment probe.
PIP_REQUIREMENTS = ["inquiry-grader", "scikit-learn", "pandas", "numpy"]


@dataclass(frozen=True)
class ResolvedModel:
    """A loaded model and the exact version it came from."""

    model: object
    version: str  # "inquiry-grader/3", or the local path it was loaded from
    uri: str


def default_tracking_uri(project_dir: Path | None = None) -> str:
    project_dir = (project_dir or Path.cwd()).resolve()
    return f"sqlite:///{project_dir / 'mlruns' / 'mlflow.db'}"


def configure_tracking(project_dir: Path | None = None) -> str:
    """Point MLflow at MLFLOW_TRACKING_URI, else the project's own store; return the URI."""
    import logging

    import mlflow

    # MLflow's INFO chatter (database migrations, pickle advice) drowns the command's own output.
    logging.getLogger("mlflow").setLevel(logging.ERROR)
    uri = os.environ.get("MLFLOW_TRACKING_URI") or default_tracking_uri(project_dir)
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    return uri


def ensure_experiment(project_dir: Path | None = None) -> str:
    """The experiment id, creating it with artifacts inside the project folder."""
    import mlflow

    experiment = mlflow.get_experiment_by_name(EXPERIMENT_NAME)
    if experiment is None:
        artifacts = ((project_dir or Path.cwd()).resolve() / "mlruns" / "artifacts").as_uri()
        experiment_id = mlflow.create_experiment(EXPERIMENT_NAME, artifact_location=artifacts)
    else:
        experiment_id = experiment.experiment_id
    mlflow.set_experiment(experiment_id=experiment_id)
    return experiment_id


def champion_version() -> str | None:
    """The version number the champion alias points at, or None."""
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    try:
        return str(MlflowClient().get_model_version_by_alias(MODEL_NAME, CHAMPION_ALIAS).version)
    except MlflowException:
        return None


def set_champion(version: str) -> None:
    from mlflow import MlflowClient

    MlflowClient().set_registered_model_alias(MODEL_NAME, CHAMPION_ALIAS, version)


def tag_version(version: str, tags: dict[str, str]) -> None:
    from mlflow import MlflowClient

    client = MlflowClient()
    for key, value in tags.items():
        client.set_model_version_tag(MODEL_NAME, version, key, str(value))


def load_model(uri: str | None = None) -> ResolvedModel | None:
    """Load a model by registry URI or local path; None when the registry has no such model.

    A local path may be an MLflow model folder (with an `MLmodel` file) or a
    joblib file. A registry URI with an alias is resolved to its version so the
    batch output can name it.
    """
    import mlflow.sklearn
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    uri = uri or DEFAULT_MODEL_URI
    if uri.startswith("models:/"):
        name, _, reference = uri.removeprefix("models:/").partition("@")
        client = MlflowClient()
        try:
            if reference:
                version = client.get_model_version_by_alias(name, reference).version
            else:
                name, _, version = uri.removeprefix("models:/").partition("/")
                client.get_model_version(name, version)
        except MlflowException:
            return None
        model = mlflow.sklearn.load_model(f"models:/{name}/{version}")
        return ResolvedModel(model=model, version=f"{name}/{version}", uri=uri)
    path = Path(uri)
    if not path.exists():
        raise FileNotFoundError(f"model not found: {uri} (give a models:/ URI, an MLflow model folder or a .joblib file)")
    if path.is_dir():
        return ResolvedModel(model=mlflow.sklearn.load_model(str(path)), version=str(path), uri=uri)
    import joblib

    return ResolvedModel(model=joblib.load(path), version=str(path), uri=uri)
