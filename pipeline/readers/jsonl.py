"""JSON Lines: one inquiry object a line, read line by line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from pipeline.readers.records import InquirySource, RawChunk, RawProblem, RawRecord

try:  # orjson parses a typical inquiry line about three times faster; the stdlib is the reference
    from orjson import loads as _fast_loads
except ImportError:  # not installed: the standard library reads the same records, slower
    _fast_loads = None

NON_UTF8 = ("non_utf8",)
# orjson turns integers beyond 64 bits into floats; lines with a run of 19 digits (a 20-digit
# numeric id) take the stdlib path. Found by mapping every digit to "0" and looking for nineteen
# zeros: bytes.translate and `in` are about ten times faster than the regex search r"\d{19}".
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NINETEEN_DIGITS = b"0" * 19
# "\ud83d" without its partner: JavaScript exports that cut a string inside an emoji write these.
# Such text cannot be stored as UTF-8, so each one becomes "\ufffd" and the row is flagged.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read_jsonl(source: InquirySource, chunk_rows: int) -> Iterator[RawChunk]:
    """Records of a `.jsonl` file in chunks; the row is the 1-based line number.

    Undecodable bytes are replaced and the row flagged `non_utf8`; a line that is
    not a JSON object (a truncated last line, say) becomes a problem, not a crash.
    """
    file = str(source.path)
    chunk = RawChunk(source)
    blank_lines = line_number = 0
    with source.path.open("rb") as handle:
        for line_number, raw_line in enumerate(handle, start=1):
            if _fast_loads is not None and _NINETEEN_DIGITS not in raw_line.translate(_DIGITS_AS_ZERO):
                try:
                    record = _fast_loads(raw_line)
                except ValueError:
                    pass  # blank, broken, not UTF-8, or with a byte-order mark: the careful path below
                else:
                    if isinstance(record, dict):
                        chunk.records.append(RawRecord(file, line_number, record))
                        if len(chunk.records) + len(chunk.problems) >= chunk_rows:
                            yield chunk
                            chunk = RawChunk(source)
                        continue
            flags: tuple[str, ...] = ()
            try:
                text = raw_line.decode("utf-8")
            except UnicodeDecodeError:
                text = raw_line.decode("utf-8", errors="replace")
                flags = NON_UTF8
            if line_number == 1:
                text = text.lstrip("\ufeff")
            if not text.strip():
                blank_lines += 1
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as error:
                message = _broken_line_message(raw_line, error)
                chunk.problems.append(RawProblem(file, line_number, message, text))
            else:
                if isinstance(record, dict) and _SURROGATE_ESCAPE.search(text):
                    record, repaired = _without_lone_surrogates(record)
                    flags = NON_UTF8 if repaired else flags
                if isinstance(record, dict):
                    chunk.records.append(RawRecord(file, line_number, record, flags))
                else:
                    kind = type(record).__name__ if record is not None else "null"
                    message = f"expected one JSON object per line, found a JSON {kind}"
                    chunk.problems.append(RawProblem(file, line_number, message, record))
            if chunk.rows_read >= chunk_rows:
                yield chunk
                chunk = RawChunk(source)
    if line_number == 0:
        chunk.notes.append("empty file: no rows")
    elif blank_lines:
        chunk.notes.append(f"{blank_lines} blank line(s) skipped")
    if chunk.rows_read or chunk.notes:
        yield chunk


def _without_lone_surrogates(value):
    """The value with every unpaired surrogate replaced by "\ufffd", and whether any was."""
    if isinstance(value, str):
        repaired = _LONE_SURROGATE.sub("\ufffd", value)
        return repaired, repaired != value
    if isinstance(value, dict):
        pairs = [(_without_lone_surrogates(key), _without_lone_surrogates(item)) for key, item in value.items()]
        return {key: item for (key, _), (item, _) in pairs}, any(a or b for (_, a), (_, b) in pairs)
    if isinstance(value, list):
        items = [_without_lone_surrogates(item) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    return value, False


def _broken_line_message(raw_line: bytes, error: json.JSONDecodeError) -> str:
    """Say whether the line was cut off (an interrupted export) or is malformed."""
    content = error.doc.rstrip("\r\n")
    cut_off = error.pos >= len(content.rstrip()) or error.msg.startswith("Unterminated") or (
        error.msg.startswith("Invalid control character") and error.pos >= len(content)
    )
    if cut_off:
        where = "the last line of the file" if not raw_line.endswith(b"\n") else "the line"
        return f"{where} is cut off: it ends before its JSON object is complete"
    return f"not valid JSON: {error.msg} at character {error.pos + 1}"
