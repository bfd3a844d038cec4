"""Validate inquiries against the data contract (CONTRACT.md v1).

Every input row ends in exactly one place: a normalised valid row, a
quarantine entry naming file, row, field and what to fix, a duplicate of an
earlier inquiry id, or (for the scoring job) an id already scored.

Typical use: `validate_files(["history.jsonl"], "runs/validated")` for the
`validate` verb, `iter_validated(paths, skip_ids=scored)` for a streaming
job, `read_inquiries("sample.csv")` for a small file in a notebook or test.
"""

from __future__ import annotations

from pipeline.validate.files import validate_files
from pipeline.validate.report import ValidatedChunk, ValidationCounts, ValidationReport
from pipeline.validate.stream import InquiryValidationError, iter_validated, read_inquiries, validate_sources

__all__ = [
    "InquiryValidationError",
    "ValidatedChunk",
    "ValidationCounts",
    "ValidationReport",
    "iter_validated",
    "read_inquiries",
    "validate_files",
    "validate_sources",
]

