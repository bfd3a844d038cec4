"""Assignment strategies: small named rules that narrow the reps or pick one.

A profile lists strategies in order under `routing.strategies`; the default is
region -> category -> language -> least_loaded. Two kinds exist:

- *narrowing* strategies (`region`, `category`, `language`, `seniority`) rank
  the candidate reps into preference tiers. The first tier with a rep who still
  has capacity becomes the new candidate set. If no candidate matches at all,
  the strategy abstains and says why; the candidates stay as they were.
- *picking* strategies (`least_loaded`, `round_robin`, `random`) choose one rep
  among candidates with capacity. A picker ends the chain, so it must come last;
  a chain without one ends with `least_loaded`.

If a strategy matches reps but every one of them is at capacity, the inquiry
is not handed to someone unsuited: `choose_rep` returns no rep and the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pipeline.routing.regions import RegionBook, RegionCoverage

DEFAULT_STRATEGIES = ("region", "category", "language", "least_loaded")
URGENT_GRADES = (1, 2)


@dataclass(frozen=True)
class InquiryFacts:
    """What the strategies read about one inquiry."""

    inquiry_id: str
    grade: int
    country_code: str | None = None
    language: str | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamView:
    """The sales team prepared for routing: skills as sets, in team-file order."""

    rep_ids: tuple[str, ...]
    names: Mapping[str, str]
    emails: Mapping[str, str]
    coverage: RegionCoverage
    categories: Mapping[str, frozenset[str]]
    languages: Mapping[str, frozenset[str]]
    seniority: Mapping[str, int]
    capacity: Mapping[str, int]
    active: Mapping[str, bool]

    @classmethod
    def of_team(cls, team, book: RegionBook | None = None, *, source: str = "team") -> TeamView:
        """Build from a profile's team frame (list columns already split)."""
        book = book or RegionBook.load()
        rep_ids = tuple(str(rep) for rep in team["rep_id"])

        def column(name: str) -> dict:
            return dict(zip(rep_ids, team[name], strict=True))

        return cls(
            rep_ids=rep_ids,
            names={rep: str(name) for rep, name in column("name").items()},
            emails={rep: str(email) for rep, email in column("email").items()},
            coverage=RegionCoverage.of_team(team, book, source=source),
            categories={
                rep: frozenset(c.casefold() for c in cats) for rep, cats in column("categories").items()
            },
            languages={
                rep: frozenset(_language(code) for code in langs)
                for rep, langs in column("languages").items()
            },
            seniority={rep: int(level) for rep, level in column("seniority").items()},
            capacity={rep: int(cap) for rep, cap in column("capacity_per_day").items()},
            active={rep: bool(flag) for rep, flag in column("active").items()},
        )

    @property
    def active_reps(self) -> list[str]:
        return [rep for rep in self.rep_ids if self.active[rep]]


@dataclass
class LoadBook:
    """Today's load per rep, updated as a batch is assigned (one per `assign` call)."""

    team: TeamView
    load: dict[str, int] = field(default_factory=dict)
    urgent: dict[str, int] = field(default_factory=dict)
    last_turn: dict[str, int] = field(default_factory=dict)
    turns: int = 0
    full: set[str] = field(default_factory=set)
    full_changes: int = (
        0  # grows whenever a rep fills up: narrowing results cached before stay valid until then
    )

    def __post_init__(self) -> None:
        self.full = {rep for rep in self.team.rep_ids if self.load.get(rep, 0) >= self.team.capacity[rep]}

    def has_room(self, rep: str) -> bool:
        return rep not in self.full

    def record(self, rep: str, grade: int) -> None:
        self.load[rep] = self.load.get(rep, 0) + 1
        if grade in URGENT_GRADES:
            self.urgent[rep] = self.urgent.get(rep, 0) + 1
        self.turns += 1
        self.last_turn[rep] = self.turns
        if self.load[rep] >= self.team.capacity[rep] and rep not in self.full:
            self.full.add(rep)
            self.full_changes += 1

    def describe(self, rep: str) -> str:
        return f"{self.load.get(rep, 0)} of {self.team.capacity[rep]} taken today"


@dataclass(frozen=True)
class Tiers:
    """A narrowing strategy's answer: matching reps, best tier first (empty: abstain)."""

    tiers: list[list[str]]
    note: str


@dataclass(frozen=True)
class Choice:
    """The outcome for one inquiry: a rep, or None with the reason."""

    rep_id: str | None
    rule: str
    notes: tuple[str, ...]
    reason: str | None = None


def _language(code: object) -> str:
    """Primary language subtag, lower case: 'zh-CN' -> 'zh'."""
    return str(code or "").strip().lower().replace("_", "-").split("-")[0]


# Narrowing strategies --------------------------------------------------------------


def narrow_by_region(facts: InquiryFacts, candidates: list[str], team: TeamView) -> Tiers:
    """Reps whose regions cover the buyer's country, most specific listing first."""
    if not facts.country_code:
        return Tiers([], "region: abstained, country unknown")
    tiers = team.coverage.tiers(facts.country_code, candidates)
    if not tiers:
        return Tiers([], f"region: abstained, no candidate covers {facts.country_code}")
    return Tiers(tiers, f"region: {facts.country_code}")


def narrow_by_category(facts: InquiryFacts, candidates: list[str], team: TeamView) -> Tiers:
    """Reps selling the inquiry's product categories; covering all of them first."""
    wanted = {category.casefold() for category in facts.categories if category}
    if not wanted:
        return Tiers([], "category: abstained, no product category named")
    covered = {rep: len(wanted & team.categories[rep]) for rep in candidates}
    counts = sorted({count for count in covered.values() if count}, reverse=True)
    if not counts:
        return Tiers([], f"category: abstained, no candidate sells {', '.join(sorted(wanted))}")
    return Tiers(
        [[rep for rep in candidates if covered[rep] == n] for n in counts],
        f"category: {', '.join(sorted(wanted))}",
    )


def narrow_by_language(facts: InquiryFacts, candidates: list[str], team: TeamView) -> Tiers:
    """Reps who write the inquiry's language."""
    language = _language(facts.language)
    if not language or language == "und":
        return Tiers([], "language: abstained, language unknown")
    speakers = [rep for rep in candidates if language in team.languages[rep]]
    if not speakers:
        return Tiers([], f"language: abstained, no candidate writes {language}")
    return Tiers([speakers], f"language: {language}")


def narrow_by_seniority(facts: InquiryFacts, candidates: list[str], team: TeamView) -> Tiers:
    """Grade 1 goes to the most senior candidates; other grades are left alone."""
    if facts.grade != 1:
        return Tiers([], "seniority: not grade 1")
    levels = sorted({team.seniority[rep] for rep in candidates}, reverse=True)
    return Tiers(
        [[rep for rep in candidates if team.seniority[rep] == level] for level in levels],
        "seniority: grade 1",
    )


# Picking strategies ----------------------------------------------------------------


def pick_least_loaded(facts: InquiryFacts, open_reps: list[str], load: LoadBook, seed: int) -> str:
    """The rep with the lowest share of today's capacity used; urgent leads spread evenly."""
    urgent = facts.grade in URGENT_GRADES

    def key(rep: str) -> tuple[float, float, int]:
        capacity = max(load.team.capacity[rep], 1)
        urgent_share = load.urgent.get(rep, 0) / capacity if urgent else 0.0
        return (load.load.get(rep, 0) / capacity, urgent_share, load.last_turn.get(rep, 0))

    return min(open_reps, key=key)


def pick_round_robin(facts: InquiryFacts, open_reps: list[str], load: LoadBook, seed: int) -> str:
    """The candidate who was given an inquiry least recently (never: first in team order)."""
    return min(open_reps, key=lambda rep: load.last_turn.get(rep, 0))


def pick_random(facts: InquiryFacts, open_reps: list[str], load: LoadBook, seed: int) -> str:
    """A random candidate, reproducible: the same seed and inquiry give the same rep."""
    digest = hashlib.sha256(f"{seed}:{facts.inquiry_id}".encode()).digest()
    return sorted(open_reps)[int.from_bytes(digest[:8], "big") % len(open_reps)]


NARROWING: Mapping[str, Callable[[InquiryFacts, list[str], TeamView], Tiers]] = {
    "region": narrow_by_region,
    "category": narrow_by_category,
    "language": narrow_by_language,
    "seniority": narrow_by_seniority,
}
PICKING: Mapping[str, Callable[[InquiryFacts, list[str], LoadBook, int], str]] = {
    "least_loaded": pick_least_loaded,
    "round_robin": pick_round_robin,
    "random": pick_random,
}


@dataclass(frozen=True)
class StrategyChain:
    """The profile's strategies, checked: narrowing ones in order, then one picker."""

    narrowing: tuple[str, ...]
    picker: str
    seed: int = 0

    @classmethod
    def from_settings(cls, routing: Mapping | None, *, source: str = "profile") -> StrategyChain:
        """Read `routing.strategies` and `routing.seed` from profile settings.

        >>> StrategyChain.from_settings({"strategies": ["region", "round_robin"]})
        StrategyChain(narrowing=('region',), picker='round_robin', seed=0)
        >>> StrategyChain.from_settings({"strategies": ["least_loaded", "region"]})
        Traceback (most recent call last):
        ...
        ValueError: profile: routing.strategies: 'region' after the picker 'least_loaded' would never run
        """
        routing = routing or {}
        names = [str(name).strip().lower() for name in (routing.get("strategies") or DEFAULT_STRATEGIES)]
        known = sorted({*NARROWING, *PICKING})
        narrowing: list[str] = []
        picker = None
        for name in names:
            if name not in NARROWING and name not in PICKING:
                raise ValueError(
                    f"{source}: routing.strategies: unknown strategy '{name}' (known: {', '.join(known)})"
                )
            if picker is not None:
                raise ValueError(
                    f"{source}: routing.strategies: '{name}' after the picker '{picker}' would never run"
                )
            if name in PICKING:
                picker = name
            else:
                narrowing.append(name)
        try:
            seed = int(routing.get("seed", 0) or 0)
        except (TypeError, ValueError):
            raise ValueError(
                f"{source}: routing.seed must be a whole number, got {routing.get('seed')!r}"
            ) from None
        return cls(narrowing=tuple(narrowing), picker=picker or "least_loaded", seed=seed)


def choose_rep(
    facts: InquiryFacts, team: TeamView, load: LoadBook, chain: StrategyChain, cache: dict | None = None
) -> Choice:
    """Run the chain for one inquiry; the rule is the strategy that settled it.

    `cache` (one dict per batch) remembers the narrowing for inquiries that look
    alike to the strategies, until a rep fills up; the picker always runs anew.
    """
    key = (
        facts.country_code,
        _language(facts.language),
        frozenset(category.casefold() for category in facts.categories),
        facts.grade == 1,
        load.full_changes,
    )
    narrowed = cache.get(key) if cache is not None else None
    if narrowed is None:
        narrowed = _narrow(facts, team, load, chain)
        if cache is not None:
            cache[key] = narrowed
    if isinstance(narrowed, Choice):
        return narrowed
    candidates, notes, decided_by = narrowed
    open_reps = [rep for rep in candidates if load.has_room(rep)]
    if not open_reps:
        reason = f"every eligible rep ({', '.join(candidates)}) is at capacity today"
        return Choice(None, "capacity", notes, reason)
    rep = PICKING[chain.picker](facts, open_reps, load, chain.seed)
    return Choice(rep, decided_by or chain.picker, (*notes, f"{chain.picker}: {rep} ({load.describe(rep)})"))


def _narrow(
    facts: InquiryFacts, team: TeamView, load: LoadBook, chain: StrategyChain
) -> Choice | tuple[list[str], tuple[str, ...], str | None]:
    """The narrowing strategies in order: (candidates, notes, deciding strategy), or a Choice without rep."""
    candidates = team.active_reps
    if not candidates:
        return Choice(None, "no_active_rep", (), "no active rep in the team")
    notes: list[str] = []
    decided_by = None
    for name in chain.narrowing:
        answer = NARROWING[name](facts, candidates, team)
        if not answer.tiers:
            notes.append(answer.note)
            continue
        chosen = None
        for tier in answer.tiers:
            with_room = [rep for rep in tier if load.has_room(rep)]
            if with_room:
                chosen = with_room
                break
            notes.append(f"{answer.note}: {', '.join(tier)} at capacity")
        if chosen is None:
            matched = [rep for tier in answer.tiers for rep in tier]
            reason = f"every rep matching {answer.note} ({', '.join(matched)}) is at capacity today"
            return Choice(None, name, tuple(notes), reason)
        notes.append(f"{answer.note} -> {', '.join(chosen)}")
        candidates = chosen
        if decided_by is None and len(candidates) == 1:
            decided_by = name
    return candidates, tuple(notes), decided_by
