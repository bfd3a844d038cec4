"""Fixtures for the routing tests; row builders live in routing_cases.py."""

from __future__ import annotations

import pytest

from pipeline.profile import load_profile
from routing_cases import FIXTURES


@pytest.fixture(scope="session")
def profile():
    """Team: R1 Europe (senior), R2 ES/PT/Latin America, R3 Asia/Oceania, R4 North America,
    R5 Europe, R6 worldwide but inactive. Capacity 5 each."""
    return load_profile(FIXTURES / "profile.yaml")
