"""Turn labelled inquiries into the training frame: signals, text, labels, rule verdicts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.text import inquiry_texts
from models.training import TrainingFrame, model_input


def _chunk_signals(extractor, chunk: pd.DataFrame, profile_settings: dict):
    import rules
    from pipeline.collector import collection_paused

    with collection_paused():
        values, evidence = extractor.transform_with_evidence(chunk)
        verdicts = rules.grade(values, evidence, profile_settings=profile_settings, inquiries=chunk)
    return values, evidence, verdicts.frame


def signals_and_verdicts(inquiries: pd.DataFrame, catalog: pd.DataFrame, profile_settings: dict | None = None,
                         chunk_rows: int = 5_000, workers: int = 2, progress=None):
    """Signal values, evidence and rule verdicts for a labelled or unlabelled frame, chunk by chunk.

    With `workers` > 1 the chunks are spread over worker processes; results
    come back in input order.
    """
    from joblib import Parallel, delayed

    from features.extractor import SignalExtractor, language_codes

    extractor = SignalExtractor(catalog=catalog).fit(inquiries.head(0))
    chunks = [inquiries.iloc[start:start + chunk_rows] for start in range(0, len(inquiries), chunk_rows)]
    settings = profile_settings or {}
    if workers > 1 and len(chunks) > 1:
        results = Parallel(n_jobs=workers, return_as="generator")(
            delayed(_chunk_signals)(extractor, chunk, settings) for chunk in chunks)
    else:
        results = (_chunk_signals(extractor, chunk, settings) for chunk in chunks)
    values_parts, evidence_parts, verdict_parts = [], [], []
    for chunk, (values, evidence, verdicts) in zip(chunks, results):
        values_parts.append(values)
        evidence_parts.append(evidence)
        verdict_parts.append(verdicts)
        if progress:
            progress(len(chunk))
    values = pd.concat(values_parts) if values_parts else extractor.transform_with_evidence(inquiries)[0]
    evidence = pd.concat(evidence_parts) if evidence_parts else pd.DataFrame(index=inquiries.index)
    verdicts = pd.concat(verdict_parts) if verdict_parts else pd.DataFrame(index=inquiries.index)
    return values, evidence, verdicts, language_codes(evidence)


def training_frame(inquiries: pd.DataFrame, catalog: pd.DataFrame, profile_settings: dict | None = None,
                   workers: int = 2, progress=None) -> TrainingFrame:
    """Everything `train_and_evaluate` needs, from validated labelled inquiries."""
    if "grade" not in inquiries:
        raise ValueError("training needs labelled history: the inquiries have no 'grade' column")
    inquiries = inquiries.reset_index(drop=True)
    values, _, verdicts, languages = signals_and_verdicts(inquiries, catalog, profile_settings, workers=workers,
                                                          progress=progress)
    fraud = inquiries["suspected_fraud"].fillna(False).astype(bool).to_numpy() if "suspected_fraud" in inquiries \
        else np.zeros(len(inquiries), dtype=bool)
    channels = inquiries["channel"].fillna("unknown").astype(str).to_numpy() if "channel" in inquiries \
        else np.full(len(inquiries), "unknown")
    return TrainingFrame(
        features=model_input(values.reset_index(drop=True), inquiry_texts(inquiries), verdicts["rule_grade"]),
        grades=inquiries["grade"].astype(int).to_numpy(),
        fraud=fraud,
        rule_grades=verdicts["rule_grade"].astype(int).to_numpy(),
        rule_fraud=verdicts["suspected_fraud"].astype(bool).to_numpy(),
        rule_overrides=verdicts["rule_override"].to_numpy(dtype=object),
        rule_stages=verdicts["rule_stage"].to_numpy(dtype=object),
        inquiry_ids=inquiries["inquiry_id"].astype(str).to_numpy(),
        languages=languages.to_numpy(),
        channels=channels,
    )
