"""Assemble a Scorer: the company's signal extractor, the model (if any), the policy."""

from __future__ import annotations

from pipeline.profile import CompanyProfile
from pipeline.scoring.batch import Scorer


def build_scorer(profile: CompanyProfile, model_uri: str | None, run_id: str, *,
                 use_model: bool = True) -> tuple[Scorer, str]:
    """The scorer and a one-line note on which model it uses (or why none)."""
    import pandas as pd

    from features.extractor import SignalExtractor
    from models.hybrid import default_policy
    from models.registry import DEFAULT_MODEL_URI, configure_tracking, load_model

    extractor = SignalExtractor(catalog=profile.catalog).fit(pd.DataFrame({"body": pd.Series([], dtype=object)}))
    model = version = None
    if not use_model:
        note = "rules only: the model was switched off (--rules-only)"
    else:
        configure_tracking()
        resolved = load_model(model_uri)
        if resolved is None:
            note = (f"rules only: no model at {model_uri or DEFAULT_MODEL_URI} "
                    "(train one with `inquiry-grader train`)")
        else:
            model, version = resolved.model, resolved.version
            note = f"model {resolved.version} (from {resolved.uri}) combined with the rulebook"
    scorer = Scorer(
        extractor=extractor,
        model=model,
        model_version=version,
        policy=default_policy(),
        profile_settings=profile.settings,
        run_id=run_id,
    )
    return scorer, note
