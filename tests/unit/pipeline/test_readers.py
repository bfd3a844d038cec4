"""Readers: every format, every way a file can be broken, streamed in chunks."""

from __future__ import annotations

import json
import mailbox
import math
from email.message import EmailMessage
from pathlib import Path

import pandas as pd
import pytest

from pipeline.readers import InputError, InquirySource, discover_sources, read_source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "io"


def read_all(path: Path, fmt: str, chunk_rows: int = 50_000):
    chunks = list(read_source(InquirySource(path, fmt), chunk_rows))
    records = [record for chunk in chunks for record in chunk.records]
    problems = [problem for chunk in chunks for problem in chunk.problems]
    notes = [note for chunk in chunks for note in chunk.notes]
    return records, problems, notes


def test_jsonl_records_carry_file_and_line_number():
    records, problems, notes = read_all(FIXTURES / "inquiries.jsonl", "jsonl")
    assert [record.row for record in records] == [1, 2, 3]
    assert records[0].file == str(FIXTURES / "inquiries.jsonl")
    assert records[0].fields["inquiry_id"] == "INQ-001"
    assert problems == [] and notes == []


def test_truncated_last_json_line_is_a_problem_not_a_crash():
    records, problems, _ = read_all(FIXTURES / "broken.jsonl", "jsonl")
    assert len(records) == 12
    assert [problem.row for problem in problems] == [13]
    assert "last line of the file is cut off" in problems[0].message
    assert problems[0].raw.startswith('{"inquiry_id": "B-13"')


def test_a_json_line_that_is_not_an_object_is_reported(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"inquiry_id": "a"}\n[1, 2]\n{"inquiry_id": "b", }\n\n', encoding="utf-8")
    records, problems, notes = read_all(path, "jsonl")
    assert [record.row for record in records] == [1]
    assert [(problem.row, problem.message.split(",")[0]) for problem in problems] == [
        (2, "expected one JSON object per line"),
        (3, "not valid JSON: Expecting property name enclosed in double quotes at character 21"),
    ]
    assert notes == ["1 blank line(s) skipped"]


def test_jsonl_values_are_read_exactly_as_the_standard_library_reads_them(tmp_path):
    lines = [
        '{"inquiry_id": 123456789012345678901234567890, "body": "id beyond 64 bits"}',
        '{"inquiry_id": "a", "inquiry_id": "b"}',
        '{"inquiry_id": "nan", "lifetime_value_usd": NaN}',
        '{"inquiry_id": "x", "prior_orders": 2, "lifetime_value_usd": 2.0, "body": "\\u00e9 \\ud83d\\ude00"}',
    ]
    path = tmp_path / "exact.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, problems, _ = read_all(path, "jsonl")
    assert problems == []
    expected = [json.loads(line) for line in lines]
    assert [record.fields for record in records][:2] == expected[:2]
    assert records[0].fields["inquiry_id"] == 123456789012345678901234567890
    assert records[1].fields["inquiry_id"] == "b"
    assert math.isnan(records[2].fields["lifetime_value_usd"])
    assert records[3].fields == expected[3]
    assert type(records[3].fields["prior_orders"]) is int
    assert type(records[3].fields["lifetime_value_usd"]) is float


def test_jsonl_with_invalid_utf8_is_decoded_with_replacement_and_flagged(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        b'{"inquiry_id": "a", "body": "ok"}\n'
        b'{"inquiry_id": "b", "body": "Se\xf1or, 500 pcs"}\n'
    )
    records, problems, _ = read_all(path, "jsonl")
    assert problems == []
    assert [record.flags for record in records] == [(), ("non_utf8",)]
    assert records[1].fields["body"] == "Se\ufffdor, 500 pcs"


@pytest.mark.parametrize(("name", "fmt", "note"), [
    ("empty.jsonl", "jsonl", "empty file: no rows"),
    ("header_only.csv", "csv", "header only: no data rows"),
])
def test_empty_and_header_only_files_give_zero_rows_and_a_note(name, fmt, note):
    records, problems, notes = read_all(FIXTURES / name, fmt)
    assert records == [] and problems == []
    assert notes == [note]


def test_empty_csv_file_gives_a_note(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert read_all(path, "csv") == ([], [], ["empty file: no header, no rows"])


def test_csv_rows_are_numbered_like_a_spreadsheet_even_with_multiline_cells():
    records, problems, _ = read_all(FIXTURES / "history.csv", "csv")
    assert problems == []
    assert [record.row for record in records] == [2, 3, 4, 5, 6]
    assert records[0].fields["body"] == "Hello,\nwe confirm the sample order for 20 pcs."
    assert records[0].fields["attachments"] == "PO-77.pdf;photo.jpg"


def test_csv_row_with_the_wrong_number_of_values_is_reported(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("inquiry_id,received_at,body\na,2025-01-01T00:00Z,hi\nb,2025-01-01T00:00Z,hi,extra\n")
    records, problems, _ = read_all(path, "csv")
    assert [record.row for record in records] == [2]
    assert problems[0].row == 3
    assert "4 values but the header names 3 columns" in problems[0].message


def test_a_semicolon_separated_csv_gets_a_hint(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("inquiry_id;received_at;body\na;2025-01-01T00:00:00Z;hi\n", encoding="utf-8")
    _, _, notes = read_all(path, "csv")
    assert notes == ["the header is one column: are the values separated by ';' instead of ','?"]


def test_csv_non_utf8_bytes_flag_only_the_row_they_are_in(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "\ufeffinquiry_id,body\n".encode()
        + b'a,"first line\nsecond \xe9 line"\n'
        + b"b,clean\n"
    )
    records, problems, _ = read_all(path, "csv")
    assert problems == []
    assert list(records[0].fields) == ["inquiry_id", "body"]  # the byte-order mark is not part of the name
    assert [(record.row, record.flags) for record in records] == [(2, ("non_utf8",)), (3, ())]


def test_csv_accepts_a_five_megabyte_cell(tmp_path):
    body = "x" * 5_000_000
    path = tmp_path / "big.csv"
    path.write_text(f"inquiry_id,body\nbig,{body}\n", encoding="utf-8")
    records, problems, _ = read_all(path, "csv")
    assert problems == []
    assert len(records[0].fields["body"]) == 5_000_000


def test_readers_stream_in_chunks_with_continuous_row_numbers(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(f'{{"inquiry_id": "{n}"}}\n' for n in range(7)))
    chunks = list(read_source(InquirySource(path, "jsonl"), chunk_rows=3))
    assert [len(chunk.records) for chunk in chunks] == [3, 3, 1]
    assert [record.row for chunk in chunks for record in chunk.records] == list(range(1, 8))


def test_parquet_rows_keep_their_types(tmp_path):
    path = tmp_path / "inquiries.parquet"
    frame = pd.DataFrame(
        {
            "inquiry_id": ["p1", "p2", "p3"],
            "received_at": pd.to_datetime(["2025-01-01T10:00:00Z"] * 3, utc=True),
            "attachments": [["a.pdf"], [], ["b.jpg", "c.png"]],
            "prior_orders": [0, 2, 5],
        }
    )
    frame.to_parquet(path)
    chunks = list(read_source(InquirySource(path, "parquet"), chunk_rows=2))
    records = [record for chunk in chunks for record in chunk.records]
    assert len(chunks) == 2
    assert [record.row for record in records] == [1, 2, 3]
    assert records[2].fields["attachments"] == ["b.jpg", "c.png"]
    assert records[0].fields["received_at"].utcoffset().total_seconds() == 0


def test_a_file_that_is_not_parquet_gives_a_note(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_text("not parquet")
    records, _, notes = read_all(path, "parquet")
    assert records == []
    assert notes[0].startswith("could not read the file as Parquet")


def plain_email(message_id: str | None = "<abc123@buyer.example>") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Anna Keller <Anna.Keller@buero-moebel.de>"
    message["To"] = "sales@everwin.example"
    message["Subject"] = "RFQ: EW-201 office chair"
    message["Date"] = "Tue, 04 Mar 2025 10:15:00 +0100"
    message["Organization"] = "Büro Möbel GmbH"
    message["References"] = "<first@everwin.example> <second@buyer.example>"
    if message_id:
        message["Message-ID"] = message_id
    message.set_content("Please quote 500 pcs EW-201.\n\nAnna")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="drawing.pdf")
    return message


def html_email() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "procurement@gulf-trading.example"
    message["Subject"] = "Inquiry"
    message["Date"] = "Wed, 05 Mar 2025 09:00:00 +0300"
    message["Message-ID"] = "<html-only@gulf-trading.example>"
    message.set_content("<html><body><p>Dear Sir,</p><p>We need 200 sofas.</p></body></html>", subtype="html")
    return message


def test_eml_folder_maps_headers_and_parts_onto_contract_fields(tmp_path):
    folder = tmp_path / "mails"
    folder.mkdir()
    (folder / "a.eml").write_bytes(plain_email().as_bytes())
    (folder / "b.eml").write_bytes(html_email().as_bytes())
    records, problems, _ = read_all(folder, "eml")
    assert problems == []
    plain, html = records
    assert plain.file == str(folder / "a.eml") and plain.row == 1
    assert plain.fields["inquiry_id"] == "abc123@buyer.example"
    assert plain.fields["received_at"] == "2025-03-04T10:15:00+01:00"
    assert plain.fields["subject"] == "RFQ: EW-201 office chair"
    assert plain.fields["sender_name"] == "Anna Keller"
    assert plain.fields["sender_email"] == "Anna.Keller@buero-moebel.de"
    assert plain.fields["company"] == "Büro Möbel GmbH"
    assert plain.fields["body"].startswith("Please quote 500 pcs EW-201.")
    assert plain.fields["attachments"] == ["drawing.pdf"]
    assert plain.fields["thread_messages"] == 3
    assert plain.fields["channel"] == "email"
    assert plain.flags == ()
    assert html.fields["body"] == "Dear Sir,\nWe need 200 sofas."
    assert html.flags == ("html_converted",)


def test_eml_without_message_id_gets_a_stable_id(tmp_path):
    path = tmp_path / "no-id.eml"
    path.write_bytes(plain_email(message_id=None).as_bytes())
    first, _, _ = read_all(path, "eml")
    second, _, _ = read_all(path, "eml")
    assert first[0].fields["inquiry_id"].startswith("eml-")
    assert first[0].fields["inquiry_id"] == second[0].fields["inquiry_id"]


def test_eml_without_date_falls_back_to_the_newest_received_stamp(tmp_path):
    message = plain_email()
    del message["Date"]
    message["Received"] = "from mx.buyer.example by mx.everwin.example; Tue, 04 Mar 2025 18:00:05 +0800"
    path = tmp_path / "late.eml"
    path.write_bytes(message.as_bytes())
    records, _, _ = read_all(path, "eml")
    assert records[0].fields["received_at"] == "2025-03-04T18:00:05+08:00"


def test_mbox_messages_are_rows_in_order(tmp_path):
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    box.add(plain_email())
    box.add(html_email())
    box.add(plain_email(message_id=None))
    box.close()
    records, problems, _ = read_all(path, "mbox", chunk_rows=2)
    assert problems == []
    assert [record.row for record in records] == [1, 2, 3]
    assert records[1].fields["inquiry_id"] == "html-only@gulf-trading.example"
    assert records[2].fields["inquiry_id"].startswith("eml-")


def test_empty_mbox_gives_a_note(tmp_path):
    path = tmp_path / "empty.mbox"
    path.write_bytes(b"")
    assert read_all(path, "mbox") == ([], [], ["empty file: no messages"])


def test_discovery_reads_folders_and_reports_what_it_skipped(tmp_path):
    (tmp_path / "a.eml").write_bytes(plain_email().as_bytes())
    (tmp_path / "batch.csv").write_text("inquiry_id,body\n")
    (tmp_path / "catalog.csv").write_text("sku,name,category,keywords,unit,moq,price_usd\n")
    (tmp_path / "README.txt").write_text("not an inquiry")
    (tmp_path / "Inbox").write_bytes(b"From someone@example Tue Mar  4 10:15:00 2025\n\nhi\n")
    sources, skipped = discover_sources([tmp_path])
    assert [(source.path.name, source.format) for source in sources] == [
        (tmp_path.name, "eml"),
        ("Inbox", "mbox"),
        ("batch.csv", "csv"),
    ]
    assert skipped == [tmp_path / "README.txt", tmp_path / "catalog.csv"]
    named, _ = discover_sources([tmp_path / "catalog.csv"])  # named explicitly: read, and reported row by row
    assert [source.format for source in named] == ["csv"]


def test_missing_inputs_and_unknown_formats_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="input not found: .*nowhere.jsonl"):
        discover_sources([tmp_path / "nowhere.jsonl"])
    odd = tmp_path / "inquiries.xlsx"
    odd.write_bytes(b"PK")
    with pytest.raises(InputError, match="unknown input format"):
        discover_sources([odd])


def test_eml_with_undecodable_bytes_is_kept_and_flagged(tmp_path):
    raw = (
        b"From: buyer@example.com\r\nSubject: RFQ\r\nDate: Tue, 04 Mar 2025 10:15:00 +0100\r\n"
        b"Message-ID: <bytes@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nSe\xf1or, we need 300 pcs.\r\n"
    )
    path = tmp_path / "latin.eml"
    path.write_bytes(raw)
    records, problems, _ = read_all(path, "eml")
    assert problems == []
    assert records[0].fields["body"].startswith("Se\ufffdor, we need 300 pcs.")
    assert records[0].flags == ("non_utf8",)
