"""Counts that prove nothing was dropped, per file and in total, and the run manifest."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.contract import CONTRACT_VERSION


@dataclass
class ValidationCounts:
    """Where the rows of one input (or of all inputs) went.

    `read == valid + quarantined + duplicates + already_scored` always holds.
    """

    read: int = 0
    valid: int = 0
    quarantined: int = 0
    duplicates: int = 0
    already_scored: int = 0
    labelled: bool | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.read == self.valid + self.quarantined + self.duplicates + self.already_scored

    def snapshot(self) -> ValidationCounts:
        return replace(self, notes=list(self.notes))

    def add(self, other: ValidationCounts) -> None:
        """Add another input's counts into this total."""
        self.read += other.read
        self.valid += other.valid
        self.quarantined += other.quarantined
        self.duplicates += other.duplicates
        self.already_scored += other.already_scored

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ValidatedChunk:
    """Normalised inquiries and quarantine entries of up to `chunk_rows` rows of one input."""

    source: str
    format: str
    inquiries: pd.DataFrame
    quarantined: list[dict[str, Any]]
    counts: ValidationCounts  # running counts of `source` after this chunk
    labelled: bool


@dataclass
class ValidationReport:
    """The outcome of `validate_files`: counts, the first problems, and where files went."""

    files: dict[str, ValidationCounts]
    formats: dict[str, str]
    total: ValidationCounts
    quarantine_by_field: dict[str, int]
    first_problems: list[dict[str, Any]]
    skipped_inputs: list[str]
    out_dir: Path
    started_at: datetime
    finished_at: datetime
    labelled_option: bool | None = None
    contract_version: str = CONTRACT_VERSION

    @property
    def inquiries_path(self) -> Path:
        return self.out_dir / "inquiries.parquet"

    @property
    def quarantine_path(self) -> Path:
        return self.out_dir / "quarantine.jsonl"

    @property
    def manifest_path(self) -> Path:
        return self.out_dir / "manifest.json"

    def manifest(self) -> dict[str, Any]:
        """The run manifest as written to `manifest.json`."""
        return {
            "contract_version": self.contract_version,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "seconds": round((self.finished_at - self.started_at).total_seconds(), 3),
            "labelled_option": self.labelled_option,
            "files": [
                {"file": name, "format": self.formats[name], **counts.as_dict()}
                for name, counts in self.files.items()
            ],
            "total": {
                key: value for key, value in self.total.as_dict().items() if key not in ("labelled", "notes")
            },
            "balanced": self.total.balanced and all(counts.balanced for counts in self.files.values()),
            "quarantine_by_field": self.quarantine_by_field,
            "skipped_inputs": self.skipped_inputs,
            "outputs": {
                "inquiries": self.inquiries_path.name,
                "quarantine": self.quarantine_path.name,
            },
        }


def quarantine_entry(
    file: str, row: int, field_name: str | None, message: str, raw: Any, **extra: Any
) -> dict[str, Any]:
    """One quarantined row: where it is, which field, what to fix, and the row as read."""
    return {"file": file, "row": row, "field": field_name, "message": message, **extra, "raw": raw}


def json_default(value: Any) -> Any:
    """JSON for the values raw rows may hold (datetimes from Parquet, bytes, numpy scalars)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "item"):
        return value.item()
    return str(value)
