"""Readers for every input format of the data contract.

Each reader streams one source in chunks of raw records (field values as
read, plus file, row and input flags); the validator turns them into
normalised inquiries or quarantine entries.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.readers.records import FORMATS, InputError, InquirySource, RawChunk, RawProblem, RawRecord
from pipeline.readers.sources import discover_sources, file_format

__all__ = [
    "FORMATS",
    "InputError",
    "InquirySource",
    "RawChunk",
    "RawProblem",
    "RawRecord",
    "discover_sources",
    "file_format",
    "read_source",
]


def read_source(source: InquirySource, chunk_rows: int = 50_000) -> Iterator[RawChunk]:
    """Raw chunks of one source, whatever its format."""
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows}")
    if source.format == "jsonl":
        from pipeline.readers.jsonl import read_jsonl

        return read_jsonl(source, chunk_rows)
    if source.format == "csv":
        from pipeline.readers.csv_file import read_csv

        return read_csv(source, chunk_rows)
    if source.format == "parquet":
        from pipeline.readers.parquet_file import read_parquet

        return read_parquet(source, chunk_rows)
    if source.format == "eml":
        from pipeline.readers.email_files import read_eml

        return read_eml(source, chunk_rows)
    if source.format == "mbox":
        from pipeline.readers.email_files import read_mbox

        return read_mbox(source, chunk_rows)
    raise InputError(f"{source.path}: unknown format '{source.format}' (known: {', '.join(FORMATS)})")
