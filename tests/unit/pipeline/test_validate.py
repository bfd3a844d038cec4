"""Validation: every bad row lands in quarantine with a reason; nothing is dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.contract import (
    CONTRACT_VERSION,
    INQUIRY_FIELDS,
    LABEL_FIELDS,
    MAX_PROCESSING_CHARS,
    NORMALISED_EXTRA_FIELDS,
)
from pipeline.validate import InquiryValidationError, iter_validated, read_inquiries, validate_files

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "io"
GOOD = {"inquiry_id": "G-1", "received_at": "2025-03-04T10:15:00+08:00", "body": "Need 500 pcs EW-201"}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    lines = [json.dumps(record, ensure_ascii=False) + "\n" for record in records]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def validate_one(tmp_path: Path, changes: dict, *, drop: tuple[str, ...] = (), labelled=None):
    """Validate one record (GOOD with `changes`); returns (valid frame, quarantine entries)."""
    record = {key: value for key, value in {**GOOD, **changes}.items() if key not in drop}
    path = write_jsonl(tmp_path / "one.jsonl", [record])
    chunks = list(iter_validated([path], labelled=labelled))
    frame = pd.concat([chunk.inquiries for chunk in chunks])
    quarantined = [entry for chunk in chunks for entry in chunk.quarantined]
    return frame, quarantined


@pytest.mark.parametrize(
    ("changes", "drop", "field", "words"),
    [
        ({}, ("inquiry_id",), "inquiry_id", "missing"),
        ({"inquiry_id": "   "}, (), "inquiry_id", "missing"),
        ({}, ("body",), "body", "missing"),
        ({"body": None}, (), "body", "missing"),
        ({"body": {"text": "hi"}}, (), "body", "expected text, got a JSON object"),
        ({}, ("received_at",), "received_at", "missing"),
        ({"received_at": "next Tuesday"}, (), "received_at", "is not a date-time"),
        ({"received_at": "2025-03-04T10:15:00"}, (), "received_at", "has no UTC offset"),
        ({"prior_orders": -1}, (), "prior_orders", "must not be negative"),
        ({"sample_orders": -3}, (), "sample_orders", "must not be negative"),
        ({"thread_messages": 0}, (), "thread_messages", "must be at least 1"),
        ({"prior_orders": "abc"}, (), "prior_orders", "expected a whole number, got 'abc'"),
        ({"thread_messages": 2.5}, (), "thread_messages", "expected a whole number"),
        ({"channel": "fax"}, (), "channel", "unknown value 'fax'"),
        ({"visited_factory": "sometimes"}, (), "visited_factory", "expected true or false"),
        ({"lifetime_value_usd": -5}, (), "lifetime_value_usd", "must not be negative"),
        ({"lifetime_value_usd": "lots"}, (), "lifetime_value_usd", "expected a number"),
        ({"last_order_at": "last spring"}, (), "last_order_at", "is not a date-time"),
        ({"attachments": {"name": "a.pdf"}}, (), "attachments", "expected a list of names"),
        ({"company": ["ACME"]}, (), "company", "expected text, got a list"),
        ({"grade": 5}, (), "grade", "must be 1, 2, 3 or 4, got 5"),
        ({"grade": 0}, (), "grade", "must be 1, 2, 3 or 4, got 0"),
        ({"grade": "high"}, (), "grade", "expected a whole number"),
        ({"grade": 2, "suspected_fraud": True}, (), "suspected_fraud", "graded 4, this row has grade 2"),
        ({"grade": 4, "suspected_fraud": "perhaps"}, (), "suspected_fraud", "expected true or false"),
        # Values that once stopped the whole run with an error instead of keeping the row out.
        ({"received_at": "0001-01-01T00:15:00+01:00"}, (), "received_at", "outside the years 1 to 9999 in UTC"),
        ({"last_order_at": "9999-12-31T23:50:00-01:00"}, (), "last_order_at", "outside the years 1 to 9999"),
        ({"prior_orders": 10**20}, (), "prior_orders", "below 2^63"),
        ({"sample_orders": "100000000000000000000000"}, (), "sample_orders", "below 2^63"),
        ({"lifetime_value_usd": 10**400}, (), "lifetime_value_usd", "expected a number"),
    ],
)
def test_each_bad_field_is_quarantined_with_file_row_field_and_reason(tmp_path, changes, drop, field, words):
    frame, quarantined = validate_one(tmp_path, changes, drop=drop)
    assert frame.empty
    (entry,) = quarantined
    assert entry["file"] == str(tmp_path / "one.jsonl")
    assert entry["row"] == 1
    assert entry["field"] == field
    assert entry["message"].startswith(f"{field}: ")
    assert words in entry["message"]
    assert entry["raw"] == {key: value for key, value in {**GOOD, **changes}.items() if key not in drop}


def test_all_problems_of_a_row_are_reported_not_only_the_first(tmp_path):
    _, (entry,) = validate_one(tmp_path, {"channel": "fax", "prior_orders": "abc", "body": {"x": 1}})
    assert entry["field"] == "channel"
    assert entry["also"] == [
        "body: expected text, got a JSON object",
        "prior_orders: expected a whole number, got 'abc'",
    ]


def test_an_empty_body_is_valid(tmp_path):
    frame, quarantined = validate_one(tmp_path, {"body": ""})
    assert quarantined == []
    assert frame["body"].tolist() == [""]


def test_a_valid_row_is_normalised(tmp_path):
    frame, quarantined = validate_one(
        tmp_path,
        {
            "channel": "Website Form",
            "sender_email": " Anna.Keller@ACME.de ",
            "country": "Deutschland",
            "phone": "030 1234 5678",
            "fax": "not a number",
            "attachments": "spec.pdf;photo.jpg",
            "prior_orders": "2",
            "visited_factory": "yes",
            "last_order_at": "2024-11-30",
            "lifetime_value_usd": "1250.5",
            "buyer_segment": "distributor",
        },
    )
    assert quarantined == []
    row = frame.iloc[0]
    assert row["channel"] == "website_form"
    assert row["sender_email"] == "anna.keller@acme.de"
    assert row["country"] == "Deutschland" and row["country_code"] == "DE"
    assert row["phone"] == "030 1234 5678" and row["phone_e164"] == "+493012345678"
    assert bool(row["phone_valid"]) is True  # a Berlin number, read with the country's code
    assert pd.isna(row["fax_e164"])
    assert row["attachments"] == ["spec.pdf", "photo.jpg"]
    assert row["prior_orders"] == 2 and row["thread_messages"] == 1 and row["sample_orders"] == 0
    assert bool(row["visited_factory"]) is True
    assert row["received_at"] == pd.Timestamp("2025-03-04T02:15:00Z")
    assert row["received_offset_minutes"] == 480
    assert row["last_order_at"] == pd.Timestamp("2024-11-30T00:00:00Z")
    assert row["lifetime_value_usd"] == 1250.5
    assert row["buyer_segment"] == "distributor"  # unknown input fields are kept
    assert row["source_file"] == str(tmp_path / "one.jsonl") and row["source_row"] == 1
    assert row["quoted_reply_at"] == -1 and row["body_chars"] == len(GOOD["body"])
    assert list(row["input_flags"]) == []


def test_chunk_columns_and_dtypes_follow_the_contract(tmp_path):
    frame, _ = validate_one(tmp_path, {})
    assert list(frame.columns) == list(INQUIRY_FIELDS + NORMALISED_EXTRA_FIELDS)
    assert str(frame["received_at"].dtype) == "datetime64[us, UTC]"
    assert str(frame["last_order_at"].dtype) == "datetime64[us, UTC]"
    counts = ("thread_messages", "prior_orders", "sample_orders", "received_offset_minutes", "source_row")
    for column in counts:
        assert frame[column].dtype == "int64", column
    assert frame["visited_factory"].dtype == bool
    assert frame["attachments"].tolist() == [[]]
    assert frame["subject"].dtype == "str"


def test_labelled_files_are_detected_and_get_typed_label_columns():
    frame = read_inquiries(FIXTURES / "history.csv")
    fixed = INQUIRY_FIELDS + LABEL_FIELDS
    assert list(frame.columns[: len(fixed)]) == list(fixed)
    assert frame["inquiry_id"].tolist() == ["H-1", "H-2"]
    assert frame["grade"].tolist() == [1, 4] and frame["grade"].dtype == "int64"
    assert frame["suspected_fraud"].tolist() == [False, True]
    assert frame["attachments"].tolist() == [["PO-77.pdf", "photo.jpg"], []]


def test_labels_can_be_ignored_for_scoring(tmp_path):
    frame, quarantined = validate_one(tmp_path, {"grade": 9}, labelled=False)
    assert quarantined == []
    assert "grade" in frame.columns and frame["grade"].tolist() == [9]  # passed through, not read as a label


def test_a_row_without_grade_in_labelled_history_is_quarantined(tmp_path):
    rows = [{**GOOD, "grade": 3}, {**GOOD, "inquiry_id": "G-2", "grade": None}]
    path = write_jsonl(tmp_path / "history.jsonl", rows)
    (chunk,) = iter_validated(path)
    assert chunk.labelled is True
    assert chunk.inquiries["grade"].tolist() == [3]
    assert [(entry["row"], entry["field"]) for entry in chunk.quarantined] == [(2, "grade")]
    assert "labelled history needs a grade" in chunk.quarantined[0]["message"]


def test_labels_can_be_required(tmp_path):
    _, (entry,) = validate_one(tmp_path, {}, labelled=True)
    assert entry["field"] == "grade" and "missing" in entry["message"]


def test_an_empty_grade_column_does_not_make_a_file_labelled(tmp_path):
    path = tmp_path / "tonight.csv"
    path.write_text("inquiry_id,received_at,body,grade\nT-1,2025-03-04T10:15:00Z,hi,\n", encoding="utf-8")
    (chunk,) = iter_validated(path)
    assert chunk.labelled is False
    assert chunk.counts.valid == 1


def test_inputs_may_be_given_as_any_iterable(tmp_path):
    path = write_jsonl(tmp_path / "one.jsonl", [GOOD])
    frame = read_inquiries(iter([path]))
    assert frame["inquiry_id"].tolist() == ["G-1"]


def test_a_five_megabyte_body_is_kept_whole_and_flagged(tmp_path):
    body = "Need 500 pcs. " + "x" * 5_000_000
    frame, quarantined = validate_one(tmp_path, {"body": body})
    assert quarantined == []
    assert frame["body"].iloc[0] == body
    assert frame["body_chars"].iloc[0] == len(body) > MAX_PROCESSING_CHARS
    assert "body_capped" in frame["input_flags"].iloc[0]


def test_html_bodies_are_converted_and_flagged(tmp_path):
    frame, _ = validate_one(tmp_path, {"body": "<html><body><p>Dear Sir,</p><p>200 sofas</p></body></html>"})
    assert frame["body"].iloc[0] == "Dear Sir,\n200 sofas"
    assert list(frame["input_flags"].iloc[0]) == ["html_converted"]


def test_quoted_reply_is_kept_and_marked(tmp_path):
    body = "OK, 300 pcs then.\n\nOn Mon, 3 Mar 2025 Li Wei wrote:\n> our offer"
    frame, _ = validate_one(tmp_path, {"body": body})
    assert frame["body"].iloc[0] == body
    assert frame["quoted_reply_at"].iloc[0] == body.index("On Mon")


def test_non_utf8_rows_are_kept_and_flagged(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"inquiry_id": "x", "received_at": "2025-03-04T10:15:00Z", "body": "Se\xf1or"}\n')
    frame = read_inquiries(path)
    assert frame["body"].iloc[0] == "Se\ufffdor"
    assert list(frame["input_flags"].iloc[0]) == ["non_utf8"]


def test_unpaired_surrogate_escapes_are_replaced_and_flagged(tmp_path):
    # A JavaScript export that cut a string inside an emoji writes half of its escape pair;
    # such text cannot be stored, so the half becomes "\ufffd" and the row is kept, flagged.
    path = tmp_path / "cut.jsonl"
    path.write_text('{"inquiry_id": "x", "received_at": "2025-03-04T10:15:00Z", '
                    '"body": "Price \\ud83d for chairs", "company": "A\\udfffB", "attachments": ["\\ud800.pdf"]}\n'
                    '{"inquiry_id": "y", "received_at": "2025-03-04T10:15:00Z", "body": "Smile \\ud83d\\ude00"}\n',
                    encoding="utf-8")
    frame = read_inquiries(path)
    assert frame["body"].tolist() == ["Price \ufffd for chairs", "Smile \U0001f600"]
    assert frame["company"].iloc[0] == "A\ufffdB" and list(frame["attachments"].iloc[0]) == ["\ufffd.pdf"]
    assert [list(flags) for flags in frame["input_flags"]] == [["non_utf8"], []]


def test_an_unknown_country_is_flagged_not_refused(tmp_path):
    frame, quarantined = validate_one(tmp_path, {"country": "Atlantis"})
    assert quarantined == []
    assert pd.isna(frame["country_code"].iloc[0])
    assert list(frame["input_flags"].iloc[0]) == ["country_unknown"]


def test_duplicates_within_and_across_files_first_valid_copy_wins(tmp_path):
    first = write_jsonl(
        tmp_path / "first.jsonl",
        [GOOD, {**GOOD, "body": "second copy"}, {**GOOD, "inquiry_id": "G-2", "received_at": "bad"}],
    )
    second = write_jsonl(
        tmp_path / "second.jsonl", [{**GOOD, "body": "third copy"}, {**GOOD, "inquiry_id": "G-2"}]
    )
    chunks = list(iter_validated([first, second]))
    counts = {chunk.source: chunk.counts for chunk in chunks}
    in_first = counts[str(first)]
    assert (in_first.valid, in_first.duplicates, in_first.quarantined) == (1, 1, 1)
    assert (counts[str(second)].valid, counts[str(second)].duplicates) == (1, 1)
    valid = pd.concat([chunk.inquiries for chunk in chunks])
    assert valid["body"].tolist() == [GOOD["body"], GOOD["body"]]
    assert valid["source_file"].tolist() == [str(first), str(second)]


def test_already_scored_ids_are_counted_separately(tmp_path):
    path = write_jsonl(tmp_path / "tonight.jsonl", [GOOD, {**GOOD, "inquiry_id": "G-2"}, GOOD])
    (chunk,) = iter_validated(path, skip_ids={"G-1"})
    assert chunk.inquiries["inquiry_id"].tolist() == ["G-2"]
    counts = chunk.counts
    assert (counts.read, counts.valid, counts.already_scored, counts.duplicates) == (3, 1, 2, 0)
    assert chunk.counts.balanced


def test_chunks_are_bounded_and_counts_run_per_file(tmp_path):
    path = write_jsonl(tmp_path / "many.jsonl", [{**GOOD, "inquiry_id": f"G-{n}"} for n in range(5)])
    seen = []
    chunks = list(iter_validated(path, chunk_rows=2, progress=lambda _, counts: seen.append(counts.read)))
    assert [len(chunk.inquiries) for chunk in chunks] == [2, 2, 1]
    assert [chunk.counts.read for chunk in chunks] == [2, 4, 5] == seen


def test_strict_reading_names_file_row_and_field():
    with pytest.raises(InquiryValidationError) as caught:
        read_inquiries(FIXTURES / "broken.jsonl", strict=True)
    message = str(caught.value)
    assert message.startswith("10 row(s) do not meet the data contract")
    assert "broken.jsonl, row 3: received_at: '2025-03-04 10:15:00' has no UTC offset" in message


def test_validate_files_writes_rows_quarantine_and_manifest(tmp_path):
    names = ("broken.jsonl", "inquiries.jsonl", "history.csv", "header_only.csv", "empty.jsonl")
    inputs = [FIXTURES / name for name in names]
    report = validate_files(inputs, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    total = manifest["total"]
    assert total == {"read": 21, "valid": 7, "quarantined": 13, "duplicates": 1, "already_scored": 0}
    places = ("valid", "quarantined", "duplicates", "already_scored")
    assert total["read"] == sum(total[place] for place in places)
    assert manifest["balanced"] is True and manifest["contract_version"] == CONTRACT_VERSION
    assert manifest["started_at"] <= manifest["finished_at"]
    per_file = {Path(entry["file"]).name: entry for entry in manifest["files"]}
    assert per_file["header_only.csv"]["notes"] == ["header only: no data rows"]
    assert per_file["empty.jsonl"]["notes"] == ["empty file: no rows"]
    assert per_file["history.csv"]["labelled"] is True
    lines = (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()
    quarantine = [json.loads(line) for line in lines]
    assert len(quarantine) == total["quarantined"]
    assert all({"file", "row", "field", "message", "raw"} <= entry.keys() for entry in quarantine)
    written = pd.read_parquet(tmp_path / "out" / "inquiries.parquet")
    assert len(written) == report.total.valid == 7
    assert sorted(written["inquiry_id"]) == ["B-01", "B-12", "H-1", "H-2", "INQ-001", "INQ-002", "INQ-003"]
    labelled_rows = written.set_index("inquiry_id").loc[["H-1", "H-2"]]
    assert labelled_rows["grade"].tolist() == [1, 4]  # label columns added when a later file brings them
    assert str(written["received_at"].dtype).startswith("datetime64")
    assert str(written["received_at"].dt.tz) == "UTC"


def test_parquet_output_keeps_extra_columns_that_appear_in_a_later_file(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", [GOOD])
    second = write_jsonl(
        tmp_path / "b.jsonl",
        [
            {**GOOD, "inquiry_id": "G-2", "buyer_segment": "retail", "score": 3},
            {**GOOD, "inquiry_id": "G-3", "score": 2.5},
        ],
    )
    validate_files([first, second], tmp_path / "out", chunk_rows=1)
    written = pd.read_parquet(tmp_path / "out" / "inquiries.parquet")
    assert written["inquiry_id"].tolist() == ["G-1", "G-2", "G-3"]
    assert written["buyer_segment"].tolist()[1] == "retail" and pd.isna(written["buyer_segment"].iloc[0])
    assert written["score"].tolist()[1:] == [3.0, 2.5]


def test_no_input_rows_still_writes_an_empty_readable_table(tmp_path):
    report = validate_files([FIXTURES / "empty.jsonl"], tmp_path / "out")
    written = pd.read_parquet(report.inquiries_path)
    assert written.empty and "inquiry_id" in written.columns
    assert report.quarantine_path.read_text() == ""


ROW_KINDS = st.sampled_from(["good", "duplicate", "bad_time", "no_id", "negative", "broken_json", "blank"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(ROW_KINDS, max_size=30), chunk_rows=st.integers(1, 7))
def test_every_row_read_is_accounted_for(tmp_path, kinds, chunk_rows):
    lines, expected = [], {"valid": 0, "quarantined": 0, "duplicates": 0}
    duplicate_seen = False
    for number, kind in enumerate(kinds):
        record = {**GOOD, "inquiry_id": f"R-{number}"}
        if kind == "duplicate":
            record["inquiry_id"] = "R-dup"
            expected["duplicates" if duplicate_seen else "valid"] += 1
            duplicate_seen = True
        elif kind == "bad_time":
            record["received_at"] = "soon"
            expected["quarantined"] += 1
        elif kind == "no_id":
            del record["inquiry_id"]
            expected["quarantined"] += 1
        elif kind == "negative":
            record["sample_orders"] = -1
            expected["quarantined"] += 1
        elif kind == "good":
            expected["valid"] += 1
        if kind == "broken_json":
            lines.append('{"inquiry_id": "half')
            expected["quarantined"] += 1
        elif kind == "blank":
            lines.append("   ")
        else:
            lines.append(json.dumps(record))
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    chunks = list(iter_validated(path, chunk_rows=chunk_rows))
    counts = chunks[-1].counts
    assert counts.read == len(kinds) - kinds.count("blank")
    assert (counts.valid, counts.quarantined, counts.duplicates) == (
        expected["valid"],
        expected["quarantined"],
        expected["duplicates"],
    )
    assert counts.balanced
    assert sum(len(chunk.inquiries) for chunk in chunks) == counts.valid
    assert sum(len(chunk.quarantined) for chunk in chunks) == counts.quarantined
