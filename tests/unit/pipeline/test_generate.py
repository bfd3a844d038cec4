"""The synthetic data generator: determinism, label logic, distributions, contract shape."""

from __future__ import annotations

import doctest
import json
import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import phonenumbers
import pytest

from features.scam_markers import ScamMarkers
from pipeline import contract
from pipeline.generate import BUYER_TYPES, generate_company
from pipeline.generate import blocks as generate_blocks
from pipeline.generate.blocks import BatchSpec, RunSpec, block_rows, build_writer
from pipeline.generate.buyer_types import load_buyer_mix
from pipeline.generate.companies import company_files, load_company
from pipeline.generate.contacts import ContactFactory
from pipeline.generate.world import load_world
from pipeline.profile import load_profile

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "data" / "sample"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_spec(n: int, seed: int = 11, company: str = "seating") -> RunSpec:
    return RunSpec(company, seed, n, date(2024, 9, 2), date(2026, 3, 13), datetime(2026, 3, 12, 18, 30, tzinfo=timezone(timedelta(hours=8))), 14.0)


@pytest.fixture(scope="module")
def written_3000():
    """3000 labelled inquiries with their latent facts (one block, in process)."""
    spec = run_spec(3000)
    writer = build_writer(spec)
    rows, _ = block_rows(writer, spec, BatchSpec("history", 3000, "EW-H", True, "jsonl"), 0)
    return rows


@pytest.fixture(scope="module")
def generated_900(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen900")
    summary = generate_company(out, n=900, seed=5, workers=1)
    return out, summary


# --- determinism ------------------------------------------------------------------------
def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_company(first, n=250, seed=3, workers=1)
    generate_company(second, n=250, seed=3, workers=1)
    generate_company(other, n=250, seed=4, workers=1)
    for name in ("profile.yaml", "catalog.csv", "team.csv", "history.jsonl", "tonight.jsonl", "generation.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "history.jsonl").read_bytes() != (other / "history.jsonl").read_bytes()
    assert (first / "tonight.jsonl").read_bytes() != (other / "tonight.jsonl").read_bytes()


def test_output_does_not_depend_on_worker_count(tmp_path, monkeypatch):
    monkeypatch.setattr(generate_blocks, "BLOCK_SIZE", 400)
    generate_company(tmp_path / "one", n=1000, seed=9, workers=1, tonight=10)
    generate_company(tmp_path / "two", n=1000, seed=9, workers=2, tonight=10)
    for name in ("history.jsonl", "tonight.jsonl", "generation.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_sample_is_what_the_documented_command_makes(tmp_path):
    """data/sample was made by: inquiry-grader generate --out data/sample --n 600 --seed 7"""
    if not (SAMPLE / "history.jsonl").exists():
        pytest.fail("data/sample is missing; run: inquiry-grader generate --out data/sample --n 600 --seed 7")
    generate_company(tmp_path, n=600, seed=7)
    for name in ("profile.yaml", "catalog.csv", "team.csv", "history.jsonl", "tonight.jsonl", "generation.json"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), f"data/sample/{name} is stale: regenerate it"
    assert sum(path.stat().st_size for path in SAMPLE.iterdir()) < 1_100_000


# --- labels -------------------------------------------------------------------------------
def test_every_buyer_type_and_fraud_kind_is_present(written_3000):
    types = Counter(written.buyer_type for written in written_3000)
    kinds = Counter(written.fraud_kind for written in written_3000 if written.fraud_kind)
    assert set(types) == set(BUYER_TYPES)
    assert set(kinds) == set(load_buyer_mix().fraud_kinds)


def test_grade_mix_is_in_sensible_bands(written_3000):
    grades = Counter(written.row["grade"] for written in written_3000)
    share = {grade: grades[grade] / len(written_3000) for grade in (1, 2, 3, 4)}
    assert 0.08 <= share[1] <= 0.22
    assert 0.12 <= share[2] <= 0.30
    assert 0.18 <= share[3] <= 0.36
    assert 0.30 <= share[4] <= 0.50
    fraud = sum(written.row["suspected_fraud"] for written in written_3000) / len(written_3000)
    assert 0.06 <= fraud <= 0.14


def test_flagged_fraud_is_always_grade_4(written_3000):
    flagged = [written.row for written in written_3000 if written.row["suspected_fraud"]]
    assert flagged and all(row["grade"] == 4 for row in flagged)


def test_buyers_with_history_are_mostly_grade_1(written_3000):
    holders = [
        written.row
        for written in written_3000
        if written.buyer_type != "fraud"
        and (written.row.get("prior_orders", 0) > 0 or written.row.get("sample_orders", 0) > 0 or written.row.get("visited_factory"))
    ]
    assert len(holders) > 200
    assert sum(row["grade"] == 1 for row in holders) / len(holders) >= 0.88


def test_competitor_probes_are_grade_4_when_a_manager_can_tell(written_3000):
    probes = [written for written in written_3000 if written.buyer_type == "competitor_probe"]
    grades = Counter(written.clean_grade for written in probes)
    assert not any(written.clean_fraud for written in probes)
    assert set(grades) == {3, 4} and grades[4] > grades[3]
    # A probe graded 3 only asked for a price: nothing in it gives a competitor away.
    plain = pd.DataFrame({"body": [written.row["body"] for written in probes if written.clean_grade == 3]})
    cues = ScamMarkers().fit(plain).transform_with_evidence(plain)[1]["scam_competitor_probe"]
    assert len(plain) and not any(cues)


def test_label_noise_rate_is_between_5_and_8_percent(written_3000):
    changed = [written for written in written_3000 if (written.row["grade"], written.row["suspected_fraud"]) != (written.clean_grade, written.clean_fraud)]
    rate = len(changed) / len(written_3000)
    assert 0.05 <= rate <= 0.08
    # Mostly adjacent grades; a few missed frauds.
    far = [written for written in changed if abs(written.row["grade"] - written.clean_grade) > 1]
    missed = [written for written in changed if written.clean_fraud and not written.row["suspected_fraud"]]
    assert len(far) <= 0.15 * len(changed)
    assert 1 <= len(missed) <= 0.3 * len(changed)


def test_competitor_probes_come_in_clusters_of_mailboxes(written_3000):
    probes = [written.row for written in written_3000 if written.buyer_type == "competitor_probe"]
    by_id = sorted(probes, key=lambda row: row["inquiry_id"])
    clusters = 0
    for first, second in zip(by_id, by_id[1:]):
        a, b = int(first["inquiry_id"][-7:]), int(second["inquiry_id"][-7:])
        if b == a + 1:
            clusters += 1
            assert first.get("sender_email") != second.get("sender_email") or "sender_email" not in first
            gap = datetime.fromisoformat(first["received_at"].replace("Z", "+00:00")) - datetime.fromisoformat(second["received_at"].replace("Z", "+00:00"))
            assert abs(gap) <= timedelta(days=3)
    assert clusters >= len(probes) // 3


# --- languages ------------------------------------------------------------------------------
def test_seven_languages_are_written_and_detected_as_such(written_3000):
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    by_language: dict[str, list[str]] = defaultdict(list)
    for written in written_3000:
        body = written.row["body"]
        # E-mail and platform messages; web forms carry the site's English field labels.
        if written.channel in ("email", "platform") and len(body) > 60:
            by_language[written.language].append(body)
    languages = {"en", "es", "fr", "de", "pt", "ru", "ar", "zh"}
    assert languages <= set(by_language)
    shares = Counter(written.language for written in written_3000)
    assert 0.6 <= shares["en"] / len(written_3000) <= 0.8
    rng = random.Random(0)
    for language in sorted(languages):
        texts = rng.sample(by_language[language], k=min(40, len(by_language[language])))
        detected = Counter()
        for text in texts:
            try:
                detected[detect(text).split("-")[0]] += 1
            except LangDetectException:
                detected["none"] += 1
        top, top_count = detected.most_common(1)[0]
        assert top == language, (language, detected)
        # langdetect weighs the Latin model codes and ports inside Chinese text heavily,
        # so for Chinese a plurality is the fair bar; alphabetic languages must agree clearly.
        assert top_count / len(texts) >= (0.4 if language == "zh" else 0.75), (language, detected)


# --- contract shape ---------------------------------------------------------------------------
def _check_contract_row(row: dict, labelled: bool) -> None:
    for field in contract.REQUIRED_FIELDS:
        assert field in row, field
    for key, value in row.items():
        assert value is not None, f"{row['inquiry_id']}: {key} is null; absent fields must be omitted"
    for field in contract.STRING_FIELDS:
        if field in row:
            assert isinstance(row[field], str), (field, row[field])
    received = datetime.fromisoformat(row["received_at"].replace("Z", "+00:00"))
    assert received.utcoffset() is not None
    if "last_order_at" in row:
        assert datetime.fromisoformat(row["last_order_at"]) < received
    assert row.get("channel", "email") in contract.CHANNELS
    for field, minimum in contract.COUNT_MINIMUM.items():
        if field in row:
            assert isinstance(row[field], int) and not isinstance(row[field], bool) and row[field] >= minimum
    for field in contract.BOOL_FIELDS:
        if field in row:
            assert isinstance(row[field], bool)
    if "attachments" in row:
        assert isinstance(row["attachments"], list) and all(isinstance(name, str) for name in row["attachments"])
    if "lifetime_value_usd" in row:
        assert row["lifetime_value_usd"] >= 0
    if labelled:
        assert row["grade"] in contract.GRADES and isinstance(row["suspected_fraud"], bool)
        assert datetime.fromisoformat(row["labelled_at"]).utcoffset() is not None
    else:
        assert not set(contract.LABEL_FIELDS) & set(row) and "buyer_type" not in row


def test_history_and_tonight_follow_the_contract(generated_900):
    out, summary = generated_900
    history, tonight = read_jsonl(out / "history.jsonl"), read_jsonl(out / "tonight.jsonl")
    assert len(history) == 900 and len(tonight) == summary.tonight_rows == 90
    ids = [row["inquiry_id"] for row in history + tonight]
    assert len(ids) == len(set(ids))
    for row in history:
        _check_contract_row(row, labelled=True)
    for row in tonight:
        _check_contract_row(row, labelled=False)
    night_start = datetime(2026, 3, 12, 10, 30, tzinfo=timezone.utc)
    for row in tonight:
        received = datetime.fromisoformat(row["received_at"].replace("Z", "+00:00"))
        assert night_start <= received <= night_start + timedelta(hours=14)


def test_received_at_offsets_follow_the_channel(generated_900):
    out, _ = generated_900
    offsets: dict[str, set[str]] = defaultdict(set)
    for row in read_jsonl(out / "history.jsonl"):
        text = row["received_at"]
        offsets[row["channel"]].add("Z" if text.endswith("Z") else text[-6:])
    assert offsets["platform"] == {"+08:00"} and offsets["other"] <= {"+08:00"}
    assert offsets["website_form"] <= {"Z", "+00:00"}
    assert len(offsets["email"]) >= 10
    assert offsets["email"] & {"+05:30", "+05:45", "+04:30", "+09:30", "+10:30", "-02:30", "-03:30", "+03:30"}


def test_summary_counts_match_the_history_file(generated_900):
    out, _ = generated_900
    history = read_jsonl(out / "history.jsonl")
    summary = json.loads((out / "generation.json").read_text(encoding="utf-8"))
    assert summary["seed"] == 5 and summary["history_rows"] == len(history)
    assert summary["counts"]["grade"] == {str(grade): count for grade, count in Counter(row["grade"] for row in history).most_common()} or sum(summary["counts"]["grade"].values()) == len(history)
    assert sum(summary["counts"]["buyer_type"].values()) == len(history)
    assert Counter(row["buyer_type"] for row in history) == Counter(summary["counts"]["buyer_type"])
    assert Counter(row["fraud_kind"] for row in history if "fraud_kind" in row) == Counter(summary["counts"]["fraud_kind"])


def test_parquet_history_holds_the_same_rows(tmp_path):
    import pandas as pd

    generate_company(tmp_path / "json", n=120, seed=2, workers=1, tonight=0)
    generate_company(tmp_path / "pq", n=120, seed=2, workers=1, tonight=0, history_format="parquet")
    frame = pd.read_parquet(tmp_path / "pq" / "history.parquet")
    rows = read_jsonl(tmp_path / "json" / "history.jsonl")
    assert list(frame["inquiry_id"]) == [row["inquiry_id"] for row in rows]
    assert list(frame["grade"]) == [row["grade"] for row in rows]
    assert list(frame["body"]) == [row["body"] for row in rows]


# --- companies, teams, phones -------------------------------------------------------------------
@pytest.mark.parametrize("key", sorted(company_files()))
def test_each_company_has_a_usable_catalog_and_team(tmp_path, key):
    company = load_company(key)
    assert len(company.products) >= 40 and 5 <= len(company.categories) <= 8
    assert all(product.model_codes for product in company.products)
    generate_company(tmp_path, n=40, seed=1, company=key, workers=1, tonight=5)
    profile = load_profile(tmp_path / "profile.yaml")
    assert len(profile.catalog) == len(company.products)
    assert len(profile.team) >= 8 and (~profile.team["active"]).sum() == 1
    assert set(profile.team["seniority"]) == {1, 2, 3}
    assert len(profile.settings["intro"]) == 3 and profile.settings["holiday_country"] == "CN"
    regions = {region for regions in profile.team["regions"] for region in regions}
    assert {"Europe", "Middle East", "Latin America", "North America"} <= regions


def test_company_can_be_chosen_by_alias_or_full_name():
    assert load_company("Brightway").key == "lighting"
    assert load_company("Wenzhou Hengtai Valve & Pump Co., Ltd.").key == "valves"
    with pytest.raises(ValueError, match="unknown company 'bakery'.*seating"):
        load_company("bakery")


@pytest.mark.parametrize("country", ["DE", "US", "IN", "BR", "SA", "RU", "CN", "NG", "MX", "AE", "FR", "GB"])
def test_generated_phones_validate_for_their_country_and_invalid_ones_do_not(country):
    world = load_world()
    contacts = ContactFactory(world, load_company())
    rng = random.Random(country)
    for _ in range(15):
        entry = contacts.phone(world.countries[country], rng)
        for form in entry.forms:
            assert phonenumbers.is_valid_number(phonenumbers.parse(form, country)), (country, form)
    for _ in range(15):
        bad = contacts.invalid_phone(world.countries[country], rng)
        try:
            assert not phonenumbers.is_valid_number(phonenumbers.parse(bad, country)), (country, bad)
        except phonenumbers.NumberParseException:
            pass


def test_scams_use_invented_lookalike_domains_and_dangerous_attachments(written_3000):
    phishing = [written.row for written in written_3000 if written.fraud_kind == "marketplace_phishing"]
    assert phishing and all("http" in row["body"] for row in phishing)
    fake_po = [written.row for written in written_3000 if written.fraud_kind == "fake_po_attachment"]
    dangerous = (".exe", ".html", ".iso", ".zip", ".scr", ".js", ".img", ".r00", ".htm")
    assert fake_po and all(any(name.endswith(dangerous) for name in row["attachments"]) for row in fake_po)
    legit_po = [written.row for written in written_3000 if written.buyer_type == "existing_customer" and any(name.endswith((".pdf", ".xlsx")) for name in written.row.get("attachments", []))]
    assert legit_po and all(row["grade"] in (1, 2) and not row["suspected_fraud"] for row in legit_po)


def test_generator_modules_doctests_pass():
    import pipeline.generate as package
    from pipeline.generate import companies, contacts, labels, text, world
    from pipeline.generate.text import slots

    for module in (package, companies, contacts, labels, world, slots, text):
        failures, _ = doctest.testmod(module)
        assert failures == 0, module.__name__


def _phrase_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _phrase_strings(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _phrase_strings(value)


def test_every_phrase_of_every_language_renders():
    """A placeholder without a value maker would crash generation on some rare row."""
    from pipeline.generate.text.slots import InquiryContext, Slots

    world = load_world()
    company = load_company()
    contacts = ContactFactory(world, company)
    rng = random.Random(1)
    for lang, bank in world.phrases.items():
        country = world.country_for(lang, rng)
        person = contacts.person(country, lang, rng)
        ctx = InquiryContext(
            rng=rng, lang=lang, bank=bank, fmt=world.formats[lang], company=company, country=country, person=person,
            buyer=contacts.buyer_company(country, lang, person, rng), category=company.categories[0],
            product=company.products[0], product2=company.products[1], rep_first="Lisa", rep_email="lisa@example.com",
            title="Buyer", marketplace="Alibaba", city=country.cities[0], port=country.ports[0],
            moment=datetime(2025, 5, 6, 10, 0, tzinfo=timezone.utc),
            extra={"link": "http://example.invalid/x", "scam_host": "example.invalid", "fake_bank": "Bank", "fake_account": "1", "fake_swift": "X"},
        )
        slots = Slots(ctx)
        for key, node in bank.items():
            if key == "vendor_companies":  # name patterns, filled by the writer, not phrases
                continue
            for phrase in _phrase_strings(node):
                text = phrase.format_map(slots)
                assert "{" not in text or key in ("scam",), (lang, key, phrase)


def test_generate_verb_writes_the_company_and_rejects_unknown_ones(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["generate", "--out", str(tmp_path / "led"), "--n", "60", "--company", "lighting", "--tonight", "7", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "Zhongshan Brightway" in result.output and "buyer type" in result.output
    assert len(read_jsonl(tmp_path / "led" / "history.jsonl")) == 60
    assert len(read_jsonl(tmp_path / "led" / "tonight.jsonl")) == 7
    bad = runner.invoke(app, ["generate", "--out", str(tmp_path / "x"), "--company", "bakery"])
    assert bad.exit_code != 0 and "unknown company 'bakery'" in bad.output
    assert not (tmp_path / "x").exists()
