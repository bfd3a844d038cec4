"""Builders for routing test cases: a small seating-furniture seller and scored inquiry rows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "routing"
NOW = pd.Timestamp("2025-03-03 01:30", tz="UTC")  # Monday 09:30 in Shanghai


def with_settings(profile, **routing):
    """The profile with routing settings replaced (other settings kept)."""
    settings = {**profile.settings, "routing": {**profile.settings["routing"], **routing}}
    return dataclasses.replace(profile, settings=settings)


def with_team(profile, **changes):
    """The profile with team columns changed per rep: with_team(p, capacity_per_day={"R1": 0})."""
    team = profile.team.copy()
    for column, by_rep in changes.items():
        for rep, value in by_rep.items():
            team.loc[team["rep_id"] == rep, column] = value
    return dataclasses.replace(profile, team=team)


def inquiry(inquiry_id: str, **fields) -> dict:
    """A scored inquiry row with harmless defaults: grade 3, German buyer, chairs."""
    row = {
        "inquiry_id": inquiry_id,
        "received_at": NOW,
        "received_offset_minutes": 60,
        "grade": 3,
        "suspected_fraud": False,
        "fraud_reasons": [],
        "country_code": "DE",
        "phone": None,
        "phone_e164": None,
        "sender_email": f"{inquiry_id}@buyer-{inquiry_id}.com",
        "sender_name": "Hans Weber",
        "company": None,
        "language": "en",
        "subject": "Office chairs",
        "body": "We need 500 pcs EW-100.",
        "product_skus": ["CH-100"],
        "product_categories": ["chairs"],
    }
    row.update(fields)
    return row


def batch(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True)
    return frame
