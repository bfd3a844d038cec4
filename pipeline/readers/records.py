"""What every reader hands to the validator: raw records with their origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

FORMATS = ("jsonl", "csv", "parquet", "eml", "mbox")


class InputError(ValueError):
    """An input path that cannot be read as inquiries at all (missing, unknown format)."""


class RawRecord(NamedTuple):
    """One record as read: field values untouched, plus where it came from."""

    file: str
    row: int
    fields: dict[str, Any]
    flags: tuple[str, ...] = ()


class RawProblem(NamedTuple):
    """A row that could not even be read as a record (a broken JSON line, a ragged CSV row)."""

    file: str
    row: int
    message: str
    raw: Any


@dataclass(frozen=True)
class InquirySource:
    """One input as the user counts it: a data file, an mbox, or a folder of .eml files."""

    path: Path
    format: str

    @property
    def name(self) -> str:
        return str(self.path)


@dataclass
class RawChunk:
    """Up to `chunk_rows` consecutive rows of one source, read and unread alike."""

    source: InquirySource
    records: list[RawRecord] = field(default_factory=list)
    problems: list[RawProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.records) + len(self.problems)
