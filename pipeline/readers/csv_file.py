"""CSV: UTF-8 with a header row; list fields joined with ';'.

Read with the standard `csv` module over lines decoded one at a time, so a
row with undecodable bytes is flagged precisely and a ragged row is reported
instead of derailing the rest of the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from pipeline.readers.records import InquirySource, RawChunk, RawProblem, RawRecord

# A 5 MB body is a real case; the csv module's default cell limit is 128 kB.
CELL_LIMIT_CHARS = 256 * 1024 * 1024
NON_UTF8 = ("non_utf8",)


def read_csv(source: InquirySource, chunk_rows: int) -> Iterator[RawChunk]:
    """Records of a CSV file in chunks; the header is row 1, the first record row 2."""
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(max(previous_limit, CELL_LIMIT_CHARS))
    try:
        with source.path.open("rb") as handle:
            yield from _read_rows(source, handle, chunk_rows)
    finally:
        csv.field_size_limit(previous_limit)


def _read_rows(source: InquirySource, handle, chunk_rows: int) -> Iterator[RawChunk]:
    file = str(source.path)
    bad_lines: list[int] = []
    reader = csv.reader(_decoded_lines(handle, bad_lines))
    chunk = RawChunk(source)
    try:
        header = next(reader, None)
    except csv.Error as error:
        chunk.notes.append(f"could not read the header row: {error}")
        yield chunk
        return
    if header is None:
        chunk.notes.append("empty file: no header, no rows")
        yield chunk
        return
    columns = [name.strip() for name in header]
    if not any(columns):
        chunk.notes.append("the first line is blank: expected a header row naming the columns")
        yield chunk
        return
    if len(columns) == 1 and (";" in columns[0] or "\t" in columns[0]):
        separator = "';'" if ";" in columns[0] else "a tab"
        hint = f"the header is one column: are the values separated by {separator} instead of ','?"
        chunk.notes.append(hint)
    row_number = 1
    blank_rows = 0
    last_line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            where = f"after row {row_number}, near line {reader.line_num}"
            chunk.notes.append(f"stopped reading {where}: malformed CSV ({error})")
            break
        first_line, last_line = last_line + 1, reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip() and len(columns) > 1):
            blank_rows += 1
            continue
        row_number += 1
        flags = _pop_flags(bad_lines, first_line, last_line)
        if len(cells) != len(columns):
            message = (
                f"row has {len(cells)} values but the header names {len(columns)} columns "
                "(a stray comma or an unclosed quote?)"
            )
            chunk.problems.append(RawProblem(file, row_number, message, cells))
        else:
            chunk.records.append(RawRecord(file, row_number, dict(zip(columns, cells)), flags))
        if chunk.rows_read >= chunk_rows:
            yield chunk
            chunk = RawChunk(source)
    if row_number == 1:
        chunk.notes.append("header only: no data rows")
    if blank_rows:
        chunk.notes.append(f"{blank_rows} blank line(s) skipped")
    if chunk.rows_read or chunk.notes:
        yield chunk


def _decoded_lines(handle, bad_lines: list[int]) -> Iterator[str]:
    """Lines as text; numbers of lines that needed byte replacement go to `bad_lines`."""
    for line_number, raw_line in enumerate(handle, start=1):
        try:
            text = raw_line.decode("utf-8")
        except UnicodeDecodeError:
            text = raw_line.decode("utf-8", errors="replace")
            bad_lines.append(line_number)
        yield text.lstrip("\ufeff") if line_number == 1 else text


def _pop_flags(bad_lines: list[int], first_line: int, last_line: int) -> tuple[str, ...]:
    """`non_utf8` when a line of this record had bad bytes; consumed lines are dropped."""
    if not bad_lines or bad_lines[0] > last_line:
        return ()
    hit = False
    while bad_lines and bad_lines[0] <= last_line:
        hit = hit or bad_lines[0] >= first_line
        bad_lines.pop(0)
    return NON_UTF8 if hit else ()
