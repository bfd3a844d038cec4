"""Routing against the evaluation seller's real team file (read only; skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.profile import load_profile
from pipeline.routing.assign import assign
from routing_cases import NOW, batch, inquiry

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
PROFILE = SHARED / "eval" / "realistic" / "profile.yaml"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not PROFILE.exists(), reason="../shared evaluation data not present"),
]


@pytest.mark.parametrize(
    ("country", "rep"),
    [
        ("ES", "R02"),  # listed as ES by Carlos, beats Lisa's Europe
        ("PT", "R02"),
        ("FR", "R06"),  # listed as FR by Sophie
        ("EG", "R03"),  # listed as EG by Omar, beats Sophie's Africa
        ("PK", "R03"),  # listed as PK by Omar, beats Sophie's Asia
        ("SA", "R03"),  # Middle East is more specific than Asia
        ("JP", "R06"),
        ("RU", "R04"),
        ("US", "R05"),
        ("JM", "R05"),  # listed by Kevin, beats Carlos's Latin America
        ("MX", "R02"),
        ("DE", "R01"),
        ("KE", "R06"),
    ],
)
def test_iso_codes_override_region_names(country, rep):
    profile = load_profile(PROFILE)
    row = assign(
        batch(inquiry("x", country_code=country, product_categories=["granite"])),
        profile,
        run_id="r",
        now=NOW,
    ).iloc[0]
    assert row["assigned_to"] == rep
