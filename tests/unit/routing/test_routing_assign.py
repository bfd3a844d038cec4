"""Assigning a batch: capacity, queues, inactive reps, urgent first, same buyer, reruns."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.routing.assign import assign
from routing_cases import NOW, batch, inquiry, with_settings, with_team


def run(profile, frame, **kwargs):
    return assign(frame, profile, run_id="run-1", now=NOW, **kwargs)


def by_id(assigned: pd.DataFrame) -> dict[str, dict]:
    return {row["inquiry_id"]: row for row in assigned.to_dict("records")}


def test_rows_keep_their_order_and_gain_assignment_columns(profile):
    frame = batch(
        inquiry("a", country_code="ES"), inquiry("b", country_code="US"), inquiry("c", country_code="JP")
    )
    assigned = run(profile, frame)
    assert assigned["inquiry_id"].tolist() == ["a", "b", "c"]
    assert assigned["assigned_to"].tolist() == ["R2", "R4", "R3"]
    assert set(assigned["queue"]) == {"rep"}


def test_capacity_is_never_exceeded_and_overflow_waits_with_a_reason(profile):
    small = with_team(profile, capacity_per_day={"R1": 2, "R5": 1})
    frame = batch(*[inquiry(f"de{i}", country_code="DE") for i in range(5)])
    assigned = run(small, frame)
    counts = assigned["assigned_to"].value_counts().to_dict()
    assert counts == {"R1": 2, "R5": 1}
    waiting = assigned.loc[assigned["queue"] == "unassigned"]
    assert len(waiting) == 2 and waiting["assigned_to"].isna().all()
    assert waiting["unassigned_reason"].str.contains("at capacity").all()
    assert waiting["unassigned_reason"].str.contains("R1").all()


def test_existing_load_counts_against_todays_capacity(profile):
    frame = batch(*[inquiry(f"us{i}", country_code="US") for i in range(3)])
    assigned = run(profile, frame, existing_load={"R4": 4})
    assert assigned["assigned_to"].tolist() == ["R4", None, None]


def test_inactive_reps_get_nothing(profile):
    # R6 covers the world but is inactive: a Nigerian inquiry must go to an active rep or wait.
    frame = batch(*[inquiry(f"ng{i}", country_code="NG") for i in range(8)])
    assigned = run(profile, frame)
    assert "R6" not in set(assigned["assigned_to"].dropna())
    everyone_inactive = with_team(profile, active={rep: False for rep in profile.team["rep_id"]})
    assigned = run(everyone_inactive, batch(inquiry("x")))
    assert assigned.loc[0, "queue"] == "unassigned"
    assert assigned.loc[0, "unassigned_reason"] == "no active rep in the team"


def test_suspected_fraud_goes_to_verification_not_to_a_rep(profile):
    frame = batch(
        inquiry("scam", grade=4, suspected_fraud=True, fraud_reasons=["asks to change bank details"])
    )
    row = run(profile, frame).iloc[0]
    assert row["queue"] == "verification"
    assert row["assigned_to"] is None
    assert row["assignment_rule"] == "suspected_fraud"


def test_grade_1_requires_supervisor_review(profile):
    assigned = run(profile, batch(inquiry("g1", grade=1), inquiry("g2", grade=2)))
    assert assigned["requires_supervisor_review"].tolist() == [True, False]


def test_urgent_grades_get_capacity_first(profile):
    tight = with_team(profile, capacity_per_day={"R1": 1, "R5": 1})
    later = NOW + pd.Timedelta(hours=3)
    frame = batch(
        inquiry("early_g4", grade=4),
        inquiry("early_g3", grade=3),
        inquiry("late_g1", grade=1, received_at=later),
        inquiry("late_g2", grade=2, received_at=later),
    )
    rows = by_id(run(tight, frame))
    assert rows["late_g1"]["queue"] == "rep" and rows["late_g2"]["queue"] == "rep"
    assert rows["early_g4"]["queue"] == "unassigned" and rows["early_g3"]["queue"] == "unassigned"


def test_same_buyer_goes_to_the_same_rep_within_a_batch(profile):
    frame = batch(
        inquiry("first", sender_email="Buyer@Stuhl.de", country_code="DE"),
        inquiry("second", sender_email="buyer@stuhl.de", country_code="FR"),
        inquiry("third", sender_email="other@x.fr", company="Stuhl-Handel GmbH", country_code="FR"),
        inquiry("fourth", sender_email="else@y.fr", company="STUHL HANDEL", country_code="FR"),
        inquiry("filler1", country_code="FR"),
        inquiry("filler2", country_code="FR"),
    )
    rows = by_id(run(profile, frame))
    assert rows["second"]["assigned_to"] == rows["first"]["assigned_to"]
    assert rows["second"]["assignment_rule"] == "same_buyer"
    assert rows["fourth"]["assigned_to"] == rows["third"]["assigned_to"]
    assert "same company" in rows["fourth"]["assignment_notes"]


def test_same_buyer_follows_prior_runs(profile):
    prior = pd.DataFrame(
        {
            "inquiry_id": ["old-1"],
            "assigned_to": ["R5"],
            "queue": ["rep"],
            "assignment_rule": ["region"],
            "buyer_email_key": ["hans@moebel.de"],
            "buyer_company_key": [None],
            "assigned_at": [NOW - pd.Timedelta(days=3)],
            "run_id": ["run-0"],
        }
    )
    frame = batch(
        inquiry("new", sender_email="hans@moebel.de", language="de")
    )  # language alone would pick R1
    row = run(profile, frame, prior_assignments=prior).iloc[0]
    assert row["assigned_to"] == "R5" and row["assignment_rule"] == "same_buyer"


def test_same_buyer_waits_for_their_rep_rather_than_switching(profile):
    frame = batch(
        inquiry("a", sender_email="x@buyer.de", grade=1),
        inquiry("b", sender_email="x@buyer.de", grade=3),
    )
    tight = with_team(profile, capacity_per_day={"R1": 1, "R5": 1})
    rows = by_id(run(tight, frame, existing_load={"R5": 1}))
    assert rows["a"]["assigned_to"] == "R1"
    assert rows["b"]["queue"] == "unassigned"
    assert "same buyer" in rows["b"]["unassigned_reason"] and "R1" in rows["b"]["unassigned_reason"]


def test_same_buyer_is_reassigned_when_their_rep_left(profile):
    prior = pd.DataFrame(
        {
            "inquiry_id": ["old"],
            "assigned_to": ["R6"],
            "queue": ["rep"],
            "buyer_email_key": ["x@buyer.ng"],
            "buyer_company_key": [None],
            "assigned_at": [NOW],
            "run_id": ["run-0"],
        }
    )
    row = run(
        profile, batch(inquiry("new", sender_email="x@buyer.ng", country_code="DE")), prior_assignments=prior
    ).iloc[0]
    assert row["assigned_to"] in ("R1", "R5")
    assert "R6 is not active" in row["assignment_notes"]


def test_inquiries_already_assigned_keep_their_rep(profile):
    prior = pd.DataFrame(
        {
            "inquiry_id": ["q1"],
            "assigned_to": ["R5"],
            "queue": ["rep"],
            "assignment_rule": ["language"],
            "assigned_at": [NOW - pd.Timedelta(hours=2)],
            "run_id": ["run-0"],
        }
    )
    row = run(profile, batch(inquiry("q1", language="de")), prior_assignments=prior).iloc[0]
    assert row["assigned_to"] == "R5"
    assert row["assignment_rule"] == "language"
    assert row["assigned_at"] == NOW - pd.Timedelta(hours=2)


def test_profile_strategies_are_applied_in_order(profile):
    seniority_first = with_settings(profile, strategies=["seniority", "region", "least_loaded"])
    row = run(seniority_first, batch(inquiry("g1", grade=1, country_code="JP"))).iloc[0]
    assert row["assigned_to"] in ("R1", "R4")  # most senior active reps, whatever the region
    round_robin = with_settings(profile, strategies=["round_robin"])
    assigned = run(round_robin, batch(*[inquiry(f"r{i}") for i in range(5)]))
    assert assigned["assigned_to"].tolist() == ["R1", "R2", "R3", "R4", "R5"]


def test_bad_grade_names_row_inquiry_and_field(profile):
    with pytest.raises(ValueError, match=r"row 2 \(inquiry b\), field 'grade'"):
        run(profile, batch(inquiry("a"), inquiry("b", grade=7)))
    with pytest.raises(ValueError, match="missing column"):
        run(profile, batch(inquiry("a")).drop(columns=["suspected_fraud"]))
    with pytest.raises(ValueError, match="timezone"):
        assign(batch(inquiry("a")), profile, run_id="r", now=pd.Timestamp("2025-03-03 09:00"))
