"""The whole routing step on in-memory batches, with properties that must hold for any batch."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.routing import SUMMARY_FILENAME, route
from pipeline.routing.assign import QUEUES
from pipeline.routing.working_time import Calendars
from routing_cases import NOW, batch, inquiry, with_team


def test_route_adds_the_contract_columns_and_writes_files(profile, tmp_path):
    frame = batch(
        inquiry("g1", grade=1, language="de"),
        inquiry("g3", country_code="ES", language="es", body="¿Cuál es el precio?"),
        inquiry("scam", grade=4, suspected_fraud=True, fraud_reasons=["invitation letter request"]),
    )
    routed = route(frame, profile, tmp_path, run_id="run-1", now=NOW)
    for column in (
        "assigned_to",
        "reply_due_at",
        "requires_supervisor_review",
        "queue",
        "send_window_local",
        "next_follow_up_at",
        "draft_path",
    ):
        assert column in routed
    assert str(routed["reply_due_at"].dtype) == "datetime64[ns, UTC]"
    assert routed.loc[2, "reply_due_at"] is pd.NaT and routed.loc[2, "draft_path"].endswith(
        ".verification.md"
    )
    assert sorted(p.name for p in (tmp_path / "drafts").iterdir()) == [
        "g1.eml",
        "g3.eml",
        "scam.verification.md",
    ]
    summary = json.loads((tmp_path / SUMMARY_FILENAME).read_text())
    assert summary["by_queue"] == {"rep": 2, "unassigned": 0, "verification": 1}
    assert summary["drafts_written"] == 2 and summary["checklists_written"] == 1
    assert summary["supervisor_reviews"] == 1


COUNTRIES = ["DE", "FR", "ES", "US", "BR", "JP", "AU", "SA", "NG", "HK", None]
rows = st.fixed_dictionaries(
    {
        "grade": st.integers(1, 4),
        "fraud": st.booleans(),
        "country": st.sampled_from(COUNTRIES),
        "language": st.sampled_from(["en", "de", "es", "fr", "ar", "und", None]),
        "buyer": st.integers(0, 6),
        "categories": st.lists(st.sampled_from(["chairs", "desks", "sofas", "lamps"]), max_size=2),
        "minutes": st.integers(0, 60 * 24 * 20),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=30), st.integers(0, 6))
def test_every_inquiry_ends_with_a_rep_or_a_queue_and_deadlines_stay_in_team_time(profile, specs, capacity):
    tight = with_team(profile, capacity_per_day={rep: capacity for rep in profile.team["rep_id"]})
    frame = batch(
        *[
            inquiry(
                f"q{i}",
                grade=4 if spec["fraud"] else spec["grade"],
                suspected_fraud=spec["fraud"],
                country_code=spec["country"],
                language=spec["language"],
                product_categories=spec["categories"],
                sender_email=f"buyer{spec['buyer']}@example.com",
                received_at=NOW - pd.Timedelta(days=10) + pd.Timedelta(minutes=spec["minutes"]),
            )
            for i, spec in enumerate(specs)
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        routed = route(frame, tight, Path(folder), run_id="prop", now=NOW, drafts=False)

    assert len(routed) == len(frame)
    assert set(routed["queue"]) <= set(QUEUES)
    on_rep = routed["queue"] == "rep"
    assert routed.loc[on_rep, "assigned_to"].notna().all()
    assert routed.loc[~on_rep, "assigned_to"].isna().all()
    assert (routed.loc[routed["queue"] == "unassigned", "unassigned_reason"].str.len() > 0).all()
    assert (routed.loc[frame["suspected_fraud"], "queue"] == "verification").all()
    assert "R6" not in set(routed["assigned_to"].dropna())  # inactive
    assert (routed.loc[on_rep, "assigned_to"].value_counts() <= capacity).all()
    per_buyer = routed.loc[on_rep].groupby("sender_email")["assigned_to"].nunique()
    assert (per_buyer <= 1).all()

    replied = routed.loc[routed["queue"] != "verification"]
    assert replied["reply_due_at"].notna().all()
    start = min(frame["received_at"].min(), NOW).to_pydatetime()
    team = Calendars.for_profile(profile, start, start + pd.Timedelta(days=80)).team()
    for stamp in replied["reply_due_at"]:
        assert team.covers(stamp.timestamp())
