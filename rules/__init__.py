"""The rulebook: readable rules that grade inquiries 1-4 and flag fraud, with reasons.

>>> from rules import grade, RULESET_VERSION
>>> isinstance(RULESET_VERSION, str) and len(RULESET_VERSION) > 0
True
"""

from __future__ import annotations

from rules.engine import RuleError, RuleVerdicts, grade
from rules.rulebook import Rulebook, load_rulebook

__all__ = ["RULESET_VERSION", "RuleError", "RuleVerdicts", "Rulebook", "grade", "load_rulebook"]


def __getattr__(name: str) -> str:
    # Read lazily so importing the package does no file I/O.
    if name == "RULESET_VERSION":
        return load_rulebook().version
    raise AttributeError(f"module 'rules' has no attribute {name!r}")
