"""Market-standing claims: what a sales manager reads as "a big buyer says so"."""

from __future__ import annotations

import pandas as pd
import pytest

from features.standing import Standing


def _signals(*bodies: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    inquiries = pd.DataFrame({"body": list(bodies)})
    return Standing().fit(inquiries).transform_with_evidence(inquiries)


@pytest.mark.parametrize(
    ("body", "outlets"),
    [
        ("We are Brico Sur, a national chain with 1,240 stores across Spain.", 1240),
        ("Die Holz AG betreibt 1.200 Filialen in Deutschland.", 1200),
        ("Somos una cadena con 85 tiendas en México.", 85),
        ("我们是家居连锁，在全国有120家门店。", 120),
        ("نحن سلسلة وطنية تضم 64 فرعاً.", 64),
        ("Сеть из 310 магазинов по всей стране.", 310),
        ("Our group runs 45 hotels and 12 restaurants.", 45),
    ],
)
def test_outlet_counts_are_read_in_every_language(body, outlets):
    values, evidence = _signals(body)
    assert values.loc[0, "standing_outlets"] == outlets
    assert evidence.loc[0, "standing_outlets"]


@pytest.mark.parametrize(
    "body",
    [
        "We have 2 shops in Lyon and need 40 chairs.",  # a small business, not a chain
        "Please quote 75 units of vanity tops and 500 pcs of tiles.",  # quantities
        "Our order number 20250304 stores no data.",  # a number that is not a count of outlets
        "Send catalogue and price list.",
    ],
)
def test_ordinary_inquiries_claim_no_outlets(body):
    values, evidence = _signals(body)
    assert values.loc[0, "standing_outlets"] == 0
    assert evidence.loc[0, "standing_outlets"] == []


def test_each_kind_of_claim_counts_once_and_shows_its_words():
    values, evidence = _signals(
        "Meridian Land Holdings (PSE: MLHI), listed on the stock exchange, is the market leader and "
        "the largest retailer; we supply ministries and government agencies."
    )
    assert values.loc[0, "standing_claims"] == 3  # leader, listed, public sector
    assert evidence.loc[0, "standing_claims"] == ["market leader", "PSE: MLHI", "ministries"]


def test_a_plain_rfq_claims_nothing():
    values, _ = _signals("Dear Lisa, please quote 300 sqm G603 flamed 60x40x3, CIF Valencia, T/T 30/70.")
    assert values.loc[0, ["standing_outlets", "standing_claims"]].tolist() == [0.0, 0.0]
