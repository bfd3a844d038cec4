"""Behaviour of the trained model (CheckList style): minimum functionality, invariance, direction."""

import numpy as np
import pandas as pd
import pytest

from features.text import inquiry_texts
from models.training import model_input


def score(model, profile, inquiries: pd.DataFrame):
    import rules
    from features.extractor import SignalExtractor

    extractor = SignalExtractor(catalog=profile.catalog).fit(inquiries.head(0))
    values, evidence = extractor.transform_with_evidence(inquiries)
    verdicts = rules.grade(values, evidence, profile_settings=profile.settings, inquiries=inquiries)
    features = model_input(values, inquiry_texts(inquiries), verdicts.frame["rule_grade"])
    return model.predict(features), model.predict_proba(features), model.predict_fraud_proba(features)


def inquiry(**fields):
    base = {"inquiry_id": "t-1", "received_at": pd.Timestamp("2026-03-12T10:00:00Z"), "channel": "email",
            "subject": "", "body": "", "sender_name": None, "sender_email": None, "company": None, "phone": None,
            "country": None, "country_code": None, "attachments": [], "thread_messages": 1, "prior_orders": 0,
            "sample_orders": 0, "visited_factory": False, "quoted_reply_at": -1}
    return {**base, **fields}


@pytest.fixture(scope="module")
def product_name(sample_profile):
    return sample_profile.catalog.iloc[0]["name"]


def test_minimum_functionality_on_clear_cases(trained_model, sample_profile, product_name):
    customer = inquiry(body="Hi Grace, any update on our last order?", prior_orders=4, customer_id="C-1",
                       sender_email="tom@acme-office.com", last_order_at=pd.Timestamp("2026-01-20T08:00:00Z"),
                       lifetime_value_usd=86_000.0)
    spam = inquiry(body="Dear Sir/Madam, we offer SEO services to rank your website first on Google.",
                   sender_email="seo.expert@gmail.com")
    grades, _, _ = score(trained_model, sample_profile, pd.DataFrame([customer, spam]))
    assert grades[0] == 1
    assert grades[1] == 4


def test_adding_a_valid_phone_and_signature_never_lowers_the_grade(trained_model, sample_profile, product_name):
    bare = inquiry(body=f"Please quote 500 pcs of {product_name}, FOB Shenzhen. What is the lead time?",
                   sender_email="purchasing@nordbuero.de", country="Germany", country_code="DE")
    signed = {**bare, "body": bare["body"] + "\n\nBest regards,\nAnna Weber\nPurchasing Manager\nNordbuero GmbH\n"
              "Hafenstrasse 12, 20457 Hamburg\nTel: +49 40 30901234",
              "sender_name": "Anna Weber", "company": "Nordbuero GmbH", "phone": "+49 40 30901234",
              "phone_e164": "+494030901234", "sender_title": "Purchasing Manager"}
    grades, _, _ = score(trained_model, sample_profile, pd.DataFrame([bare, signed]))
    assert grades[1] <= grades[0]  # a lower number is a better grade


def test_changing_the_buyers_name_never_changes_the_grade(trained_model, sample_profile, product_name):
    names = ["Anna Weber", "Mohammed Al-Farsi", "Li Wei", "Carlos Gómez", "Olga Ivanova"]
    rows = [inquiry(inquiry_id=f"n-{i}", sender_name=name,
                    body=f"Dear team, we need 300 units of {product_name}. Regards, {name}")
            for i, name in enumerate(names)]
    grades, _, _ = score(trained_model, sample_profile, pd.DataFrame(rows))
    assert len(set(grades.tolist())) == 1


def test_a_phishing_login_link_raises_the_fraud_probability(trained_model, sample_profile):
    plain = inquiry(subject="New inquiry", body="Dear supplier, you have received a new inquiry from a buyer.",
                    sender_email="service@notice-center.com")
    phishing = {**plain, "body": plain["body"] + " Please login to view the inquiry: "
                "http://alibaba-secure-login.com/verify?id=8812"}
    _, _, fraud = score(trained_model, sample_profile, pd.DataFrame([plain, phishing]))
    assert fraud[1] > fraud[0]


def test_probabilities_are_calibrated_enough_to_threshold(trained_model, sample_training_frame):
    probabilities = trained_model.predict_proba(sample_training_frame.features)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    top = probabilities.max(axis=1)
    predicted = trained_model.classes_[probabilities.argmax(axis=1)]
    confident = top >= 0.8
    # Where the model is sure, it is right far more often than where it is not.
    assert (predicted[confident] == sample_training_frame.grades[confident]).mean() > \
        (predicted[~confident] == sample_training_frame.grades[~confident]).mean()
