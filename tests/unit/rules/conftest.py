"""Tiny signal frames for rule tests: every signal a rule reads, zero unless a test says otherwise."""

from __future__ import annotations

import pandas as pd
import pytest

from rules.rulebook import all_rules


def signal_names() -> list[str]:
    return sorted({column for rule in all_rules() for column in rule.reads})


@pytest.fixture
def signals():
    """`signals(dict, dict, ...)`: one row per dict, unnamed signals at 0."""

    def build(*rows: dict) -> pd.DataFrame:
        frame = pd.DataFrame(0.0, index=range(len(rows)), columns=signal_names())
        for position, row in enumerate(rows):
            for name, value in row.items():
                frame.loc[position, name] = float(value)
        return frame

    return build
