"""Validate inputs chunk by chunk: the streaming core every job builds on."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

import pandas as pd

from pipeline.collector import collection_paused
from pipeline.normalise import is_missing
from pipeline.readers import InquirySource, RawChunk, discover_sources, read_source
from pipeline.validate.checks import check_inquiry
from pipeline.validate.frames import inquiry_frame
from pipeline.validate.report import ValidatedChunk, ValidationCounts, quarantine_entry

Progress = Callable[[str, ValidationCounts], None]


class InquiryValidationError(ValueError):
    """Raised by `read_inquiries(..., strict=True)` when rows were quarantined."""

    def __init__(self, quarantined: list[dict], total: int):
        shown = "\n".join(
            f"  {entry['file']}, row {entry['row']}: {entry['message']}" for entry in quarantined[:10]
        )
        more = f"\n  ... and {total - 10} more" if total > 10 else ""
        super().__init__(f"{total} row(s) do not meet the data contract:\n{shown}{more}")
        self.quarantined = quarantined
        self.total = total


def iter_validated(
    paths: str | Path | Iterable[str | Path],
    *,
    labelled: bool | None = None,
    chunk_rows: int = 50_000,
    skip_ids: Collection[str] | None = None,
    progress: Progress | None = None,
) -> Iterator[ValidatedChunk]:
    """Normalised inquiries and quarantine entries, chunk by chunk, file by file.

    `labelled=None` reads a file as labelled history when the records of its
    first chunk carry a grade; True or False forces it. Ids in `skip_ids` are
    counted as already scored. The first valid copy of an id wins; later
    copies, in this file or another, are counted as duplicates. Every input yields at least
    one chunk, so its counts and notes (empty file, header only) are seen.
    """
    sources, _ = discover_sources([paths] if isinstance(paths, (str, Path)) else paths)
    return validate_sources(
        sources, labelled=labelled, chunk_rows=chunk_rows, skip_ids=skip_ids, progress=progress
    )


def validate_sources(
    sources: Iterable[InquirySource],
    *,
    labelled: bool | None = None,
    chunk_rows: int = 50_000,
    skip_ids: Collection[str] | None = None,
    progress: Progress | None = None,
) -> Iterator[ValidatedChunk]:
    """`iter_validated` for sources already discovered."""
    seen_ids: set[str] = set()
    skip = skip_ids if skip_ids is not None else frozenset()
    for source in sources:
        counts = ValidationCounts(labelled=labelled)
        yielded = False
        raw_chunks = read_source(source, chunk_rows)
        while True:
            with collection_paused():  # reading and checking, not the caller's work between chunks
                chunk = _next_chunk(source, raw_chunks, counts, seen_ids, skip, progress)
            if chunk is None:
                break
            yielded = True
            yield chunk
        if not yielded:
            counts.notes.append("no rows")
            file_labelled = bool(counts.labelled)
            frame = inquiry_frame([], file_labelled)
            yield ValidatedChunk(source.name, source.format, frame, [], counts.snapshot(), file_labelled)


def _next_chunk(
    source: InquirySource,
    raw_chunks: Iterator[RawChunk],
    counts: ValidationCounts,
    seen_ids: set[str],
    skip: Collection[str],
    progress: Progress | None,
) -> ValidatedChunk | None:
    """Read, check and count the next chunk of a source; None at its end.

    A function of its own so the raw records are freed on return, not held
    while the caller works and the next chunk is read (~100 MB less at peak
    with 50k-row chunks).
    """
    raw = next(raw_chunks, None)
    if raw is None:
        return None
    if counts.labelled is None and raw.records:
        # A file is labelled history when its first rows carry grades; an empty
        # grade column (a scoring batch on a labelled template) does not count.
        counts.labelled = any(not is_missing(record.fields.get("grade")) for record in raw.records)
    file_labelled = bool(counts.labelled)
    rows, quarantined = _sort_rows(raw, file_labelled, counts, seen_ids, skip)
    snapshot = counts.snapshot()
    if progress is not None:
        progress(source.name, snapshot)
    frame = inquiry_frame(rows, file_labelled)
    return ValidatedChunk(source.name, source.format, frame, quarantined, snapshot, file_labelled)


def _sort_rows(
    raw: RawChunk, labelled: bool, counts: ValidationCounts, seen_ids: set[str], skip: Collection[str]
) -> tuple[list[dict], list[dict]]:
    """Send each row of a raw chunk to exactly one place and count it there.

    Unreadable and invalid rows go to quarantine; a valid row whose id was
    already scored, or already seen in this run, is counted, not kept.
    """
    quarantined = [
        quarantine_entry(problem.file, problem.row, None, problem.message, problem.raw)
        for problem in raw.problems
    ]
    rows = []
    for record in raw.records:
        row, problems = check_inquiry(record, labelled)
        if row is None:
            field_name, message = problems[0]
            extra = {"also": [text for _, text in problems[1:]]} if len(problems) > 1 else {}
            entry = quarantine_entry(record.file, record.row, field_name, message, record.fields, **extra)
            quarantined.append(entry)
        elif row["inquiry_id"] in skip:
            counts.already_scored += 1
        elif row["inquiry_id"] in seen_ids:
            counts.duplicates += 1
        else:
            seen_ids.add(row["inquiry_id"])
            rows.append(row)
    quarantined.sort(key=lambda entry: entry["row"])
    counts.notes.extend(raw.notes)
    counts.read += raw.rows_read
    counts.valid += len(rows)
    counts.quarantined += len(quarantined)
    return rows, quarantined


def read_inquiries(
    path_or_paths: str | Path | Iterable[str | Path],
    labelled: bool | None = None,
    *,
    strict: bool = False,
) -> pd.DataFrame:
    """All valid inquiries of small inputs as one frame (see `iter_validated`).

    With `strict=True` any quarantined row raises `InquiryValidationError`
    naming file, row and field; otherwise bad rows are left out.
    """
    frames, quarantined, quarantined_total, any_labelled = [], [], 0, bool(labelled)
    for chunk in iter_validated(path_or_paths, labelled=labelled):
        if len(chunk.inquiries):
            frames.append(chunk.inquiries)
        any_labelled = any_labelled or chunk.labelled
        quarantined_total += len(chunk.quarantined)
        quarantined.extend(chunk.quarantined[: max(0, 10 - len(quarantined))])
    if strict and quarantined_total:
        raise InquiryValidationError(quarantined, quarantined_total)
    if not frames:
        return inquiry_frame([], any_labelled)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
