"""Load the rulebook: `rulebook.yaml` (version, precedence, weights, thresholds) plus the rules.

The YAML and the rule functions are checked against each other, so a typo in
a rule id or a stage name is an error naming the file, not a silent no-op.

>>> book = load_rulebook()
>>> book.version == load_rulebook().version and book.stage_grade("history")
1
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rules import fraud, grades
from rules.registry import RULE_KINDS, Rule, rules_in

RULEBOOK_PATH = Path(__file__).with_name("rulebook.yaml")


class RulebookError(ValueError):
    """A rulebook file that does not match the rules it configures."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Stage:
    """One step of the precedence: the stage's rules, when they fire, set `grade`."""

    name: str
    grade: int
    kind: str


@dataclass(frozen=True)
class Rulebook:
    version: str
    precedence: tuple[Stage, ...]
    default_grade: int
    fraud_threshold: float
    weights: dict[str, float]
    params: dict[str, Any]
    rules: tuple[Rule, ...]
    path: Path

    def stage_grade(self, stage: str) -> int:
        """The grade a stage sets."""
        return next(step.grade for step in self.precedence if step.name == stage)

    def vote(self, rule: Rule) -> int:
        """The grade a rule votes for (a fraud rule votes grade 4)."""
        return self.stage_grade(rule.stage)

    def rule(self, rule_id: str) -> Rule:
        for candidate in self.rules:
            if candidate.id == rule_id:
                return candidate
        raise KeyError(f"no rule '{rule_id}' in rulebook {self.version}")


def all_rules() -> list[Rule]:
    """Every rule the project defines, fraud rules first."""
    return rules_in(fraud) + rules_in(grades)


def load_rulebook(path: str | Path | None = None, rules: list[Rule] | None = None) -> Rulebook:
    """Read and check a rulebook YAML (the packaged one by default)."""
    path = Path(path) if path is not None else RULEBOOK_PATH
    if not path.exists():
        raise RulebookError(path, "rulebook file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise RulebookError(path, f"not valid YAML: {error}") from error
    rules = list(rules if rules is not None else all_rules())
    version = str(raw.get("version") or "").strip()
    if not version:
        raise RulebookError(path, "missing 'version'")
    precedence = tuple(_stage(path, entry) for entry in raw.get("precedence") or [])
    if not precedence:
        raise RulebookError(path, "missing 'precedence' (a list of stages)")
    stage_kinds = {stage.name: stage.kind for stage in precedence}
    seen_ids: set[str] = set()
    for candidate in rules:
        if candidate.id in seen_ids:
            raise RulebookError(path, f"two rules share the id {candidate.id}")
        seen_ids.add(candidate.id)
        if candidate.stage not in stage_kinds:
            raise RulebookError(path, f"rule {candidate.id} belongs to stage '{candidate.stage}', which precedence lacks")
        if stage_kinds[candidate.stage] != candidate.kind:
            raise RulebookError(
                path, f"rule {candidate.id} is a {candidate.kind} rule but stage '{candidate.stage}' holds {stage_kinds[candidate.stage]} rules"
            )
    fraud_section = raw.get("fraud") or {}
    weights = {str(key): float(value) for key, value in (fraud_section.get("weights") or {}).items()}
    fraud_ids = {candidate.id for candidate in rules if candidate.kind == "fraud_flag"}
    unknown = sorted(set(weights) - fraud_ids)
    if unknown:
        raise RulebookError(path, f"fraud.weights names unknown fraud rule(s): {', '.join(unknown)}")
    unweighted = sorted(fraud_ids - set(weights))
    if unweighted:
        raise RulebookError(path, f"fraud rule(s) without a weight in fraud.weights: {', '.join(unweighted)}")
    threshold = float(fraud_section.get("threshold", 1.0))
    if threshold <= 0:
        raise RulebookError(path, f"fraud.threshold must be above 0, got {threshold}")
    default_grade = int(raw.get("default_grade", 4))
    if default_grade not in (1, 2, 3, 4):
        raise RulebookError(path, f"default_grade must be 1..4, got {default_grade}")
    return Rulebook(
        version=version,
        precedence=precedence,
        default_grade=default_grade,
        fraud_threshold=threshold,
        weights=weights,
        params=dict(raw.get("params") or {}),
        rules=tuple(rules),
        path=path,
    )


def _stage(path: Path, entry: Any) -> Stage:
    if not isinstance(entry, dict) or not {"stage", "grade", "kind"} <= set(entry):
        raise RulebookError(path, f"each precedence entry needs stage, grade and kind; got {entry!r}")
    if entry["kind"] not in RULE_KINDS:
        raise RulebookError(path, f"stage '{entry['stage']}': kind must be one of {', '.join(RULE_KINDS)}")
    if int(entry["grade"]) not in (1, 2, 3, 4):
        raise RulebookError(path, f"stage '{entry['stage']}': grade must be 1..4, got {entry['grade']}")
    return Stage(name=str(entry["stage"]), grade=int(entry["grade"]), kind=str(entry["kind"]))
