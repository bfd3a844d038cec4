import pickle

import numpy as np
import pandas as pd
import pytest

from models.classifier import InquiryGradeModel


@pytest.fixture(scope="module")
def toy():
    rng = np.random.default_rng(0)
    n = 400
    signals = pd.DataFrame({"spec_products_named": rng.integers(0, 3, n).astype(float),
                            "hist_prior_orders": rng.integers(0, 2, n).astype(float),
                            "scam_login_link": (rng.random(n) < 0.1).astype(float)})
    grades = np.where(signals.hist_prior_orders > 0, 1, np.where(signals.spec_products_named > 1, 2,
                      np.where(signals.spec_products_named > 0, 3, 4)))
    grades = np.where(signals.scam_login_link > 0, 4, grades)
    signals["text"] = np.where(signals.scam_login_link > 0, "kindly login to view the inquiry", "price for chairs")
    return signals, grades, signals.scam_login_link.to_numpy() > 0


@pytest.mark.parametrize("kind", ["logistic", "boosting"])
def test_learns_the_grades_and_gives_calibrated_probabilities(toy, kind):
    signals, grades, fraud = toy
    model = InquiryGradeModel(kind=kind).fit(signals, grades, fraud=fraud)
    probabilities = model.predict_proba(signals)
    assert probabilities.shape == (len(signals), 4)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert (model.predict(signals) == grades).mean() > 0.9
    assert model.predict_fraud_proba(signals)[fraud].mean() > model.predict_fraud_proba(signals)[~fraud].mean()
    assert pickle.loads(pickle.dumps(model)).predict(signals.head(3)).tolist() == model.predict(signals.head(3)).tolist()


@pytest.mark.parametrize("kind", ["logistic", "boosting"])
def test_contributions_name_the_signal_that_decided(toy, kind):
    signals, grades, fraud = toy
    model = InquiryGradeModel(kind=kind).fit(signals, grades, fraud=fraud)
    customer = signals[signals.hist_prior_orders > 0].head(1)
    contributions = model.signal_contributions(customer)
    assert contributions.iloc[0].idxmax() == "hist_prior_orders"


def test_clear_errors_for_bad_training_input(toy):
    signals, grades, fraud = toy
    with pytest.raises(ValueError, match="text"):
        InquiryGradeModel().fit(signals.drop(columns="text"), grades)
    with pytest.raises(ValueError, match="1..4"):
        InquiryGradeModel().fit(signals, np.where(grades == 4, 5, grades))
    model = InquiryGradeModel().fit(signals, grades, fraud=fraud)
    with pytest.raises(ValueError, match="lacks signal column"):
        model.predict_proba(signals.drop(columns="hist_prior_orders"))


def test_history_without_any_fraud_gives_zero_fraud_probability(toy):
    signals, grades, _ = toy
    model = InquiryGradeModel().fit(signals, grades)
    assert (model.predict_fraud_proba(signals) == 0).all()
