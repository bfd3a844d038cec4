"""The committed sample: it meets the data contract and carries the label mix tests rely on."""

import pandas as pd

from pipeline.contract import CHANNELS
from pipeline.validate import iter_validated


def test_sample_history_and_tonight_validate_without_loss(sample_dir):
    for name in ("history.jsonl", "tonight.jsonl"):
        chunks = list(iter_validated(sample_dir / name))
        counts = chunks[-1].counts
        assert counts.balanced and counts.quarantined == 0 and counts.duplicates == 0, name


def test_sample_labels_follow_the_contract(sample_history):
    assert set(sample_history["grade"]) == {1, 2, 3, 4}
    assert (sample_history.loc[sample_history["suspected_fraud"], "grade"] == 4).all()
    assert sample_history["channel"].isin(CHANNELS).all()
    shares = sample_history["grade"].value_counts(normalize=True)
    assert shares.min() > 0.08, "every grade needs enough examples to learn from"


def test_sample_profile_is_a_full_company(sample_profile):
    assert len(sample_profile.catalog) >= 40
    assert len(sample_profile.team) >= 8
    assert not sample_profile.team["active"].all(), "one inactive rep exercises routing"
    assert pd.api.types.is_numeric_dtype(sample_profile.catalog["price_usd"])
