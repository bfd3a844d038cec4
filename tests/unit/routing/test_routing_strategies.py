"""Each assignment strategy on its own, and the chain that combines them."""

from __future__ import annotations

import pytest

from pipeline.routing.strategies import (
    InquiryFacts,
    LoadBook,
    StrategyChain,
    TeamView,
    choose_rep,
    narrow_by_category,
    narrow_by_language,
    narrow_by_region,
    narrow_by_seniority,
    pick_least_loaded,
    pick_random,
    pick_round_robin,
)
from routing_cases import with_team


@pytest.fixture(scope="module")
def team(profile):
    return TeamView.of_team(profile.team)


def facts(**fields) -> InquiryFacts:
    return InquiryFacts(**{"inquiry_id": "q1", "grade": 3, **fields})


def test_region_prefers_the_rep_listing_the_country(team):
    answer = narrow_by_region(facts(country_code="ES"), list(team.active_reps), team)
    assert answer.tiers == [["R2"], ["R1", "R5"]]


def test_region_abstains_without_country_or_cover(team):
    assert narrow_by_region(facts(country_code=None), ["R1", "R2"], team).tiers == []
    answer = narrow_by_region(facts(country_code="NG"), ["R1", "R2", "R3"], team)
    assert answer.tiers == [] and "no candidate covers NG" in answer.note


def test_category_ranks_reps_covering_all_requested_lines_first(team):
    answer = narrow_by_category(facts(categories=("chairs", "sofas")), ["R1", "R2", "R3", "R4", "R5"], team)
    assert answer.tiers == [["R2", "R3", "R4", "R5"], ["R1"]]
    assert narrow_by_category(facts(categories=()), ["R1"], team).tiers == []


def test_language_matches_primary_subtag_and_abstains_when_unknown(team):
    assert narrow_by_language(facts(language="de-AT"), ["R1", "R5"], team).tiers == [["R1"]]
    assert narrow_by_language(facts(language="und"), ["R1", "R5"], team).tiers == []
    answer = narrow_by_language(facts(language="ar"), ["R1", "R5"], team)
    assert answer.tiers == [] and "no candidate writes ar" in answer.note


def test_seniority_sends_grade_1_to_the_most_senior(team):
    grade1 = narrow_by_seniority(facts(grade=1), ["R1", "R3", "R5"], team)
    assert grade1.tiers[0] == ["R1"]
    assert narrow_by_seniority(facts(grade=2), ["R1", "R3", "R5"], team).tiers == []


def test_least_loaded_uses_share_of_capacity(profile):
    team = TeamView.of_team(with_team(profile, capacity_per_day={"R1": 10, "R5": 2}).team)
    load = LoadBook(team=team, load={"R1": 4, "R5": 1})  # R1 at 40%, R5 at 50%
    assert pick_least_loaded(facts(), ["R1", "R5"], load, 0) == "R1"
    load.record("R1", 3)
    assert pick_least_loaded(facts(), ["R1", "R5"], load, 0) == "R5"


def test_round_robin_cycles_through_candidates(team):
    load = LoadBook(team=team)
    picks = []
    for _ in range(6):
        rep = pick_round_robin(facts(), ["R1", "R2", "R5"], load, 0)
        load.record(rep, 3)
        picks.append(rep)
    assert picks == ["R1", "R2", "R5", "R1", "R2", "R5"]


def test_random_is_reproducible_per_seed_and_inquiry(team):
    load = LoadBook(team=team)
    candidates = ["R1", "R2", "R3", "R4", "R5"]
    first = [pick_random(facts(inquiry_id=f"q{i}"), candidates, load, 7) for i in range(40)]
    again = [pick_random(facts(inquiry_id=f"q{i}"), candidates, load, 7) for i in range(40)]
    other_seed = [pick_random(facts(inquiry_id=f"q{i}"), candidates, load, 8) for i in range(40)]
    assert first == again
    assert first != other_seed
    assert set(first) == set(candidates)  # every candidate gets picked sometimes


def test_chain_reports_which_strategy_decided(team):
    chain = StrategyChain.from_settings(None)
    choice = choose_rep(
        facts(country_code="ES", categories=("chairs",), language="es"), team, LoadBook(team=team), chain
    )
    assert (choice.rep_id, choice.rule) == ("R2", "region")
    choice = choose_rep(
        facts(country_code="DE", categories=("chairs",), language="de"), team, LoadBook(team=team), chain
    )
    assert (choice.rep_id, choice.rule) == ("R1", "language")
    choice = choose_rep(
        facts(country_code="FR", categories=("chairs",), language="en"), team, LoadBook(team=team), chain
    )
    assert choice.rule == "least_loaded" and choice.rep_id in ("R1", "R5")


def test_chain_falls_back_to_the_next_tier_when_the_specific_rep_is_full(team):
    load = LoadBook(team=team, load={"R2": 5})
    choice = choose_rep(
        facts(country_code="ES", categories=("chairs",)), team, load, StrategyChain.from_settings(None)
    )
    assert choice.rep_id in ("R1", "R5")
    assert any("R2 at capacity" in note for note in choice.notes)


def test_chain_never_hands_work_to_an_unsuited_rep_when_the_suited_ones_are_full(team):
    load = LoadBook(team=team, load={"R1": 5, "R5": 5})
    choice = choose_rep(facts(country_code="DE"), team, load, StrategyChain.from_settings(None))
    assert choice.rep_id is None
    assert "R1" in choice.reason and "R5" in choice.reason and "capacity" in choice.reason


def test_chain_settings_are_checked():
    with pytest.raises(ValueError, match="unknown strategy 'regoin'"):
        StrategyChain.from_settings({"strategies": ["regoin"]})
    with pytest.raises(ValueError, match="would never run"):
        StrategyChain.from_settings({"strategies": ["round_robin", "language"]})
    with pytest.raises(ValueError, match="routing.seed"):
        StrategyChain.from_settings({"seed": "abc"})
    chain = StrategyChain.from_settings({"strategies": ["seniority", "region"]})
    assert chain.picker == "least_loaded"
