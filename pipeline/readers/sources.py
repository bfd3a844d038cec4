"""Which inputs the user named: data files, mbox files, folders of e-mails."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from pipeline.readers.records import InputError, InquirySource

SUFFIX_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".eml": "eml",
    ".mbox": "mbox",
}


def file_format(path: Path) -> str | None:
    """The format of one file from its name, or from its first bytes for mbox.

    An mbox often has no extension (Thunderbird's `Inbox`), so a file that
    starts with an mbox "From " line is one.
    """
    known = SUFFIX_FORMATS.get(path.suffix.lower())
    if known:
        return known
    try:
        with path.open("rb") as handle:
            return "mbox" if handle.read(5) == b"From " else None
    except OSError:
        return None


def discover_sources(paths: Iterable[str | Path]) -> tuple[list[InquirySource], list[Path]]:
    """The sources to read, in order, and the files in named folders that are not inquiries.

    A folder contributes its `.eml` files as one source and each data file
    (JSON Lines, CSV, Parquet, mbox) directly inside it as its own source;
    tables without an `inquiry_id` column (a profile's catalog or team) are
    skipped. A named file of an unknown format, or a missing path, raises
    `InputError`.
    """
    sources: list[InquirySource] = []
    skipped: list[Path] = []
    paths = [Path(path) for path in paths]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise InputError(f"input not found: {', '.join(missing)}")
    for path in paths:
        if path.is_dir():
            found, ignored = _folder_sources(path)
            sources.extend(found)
            skipped.extend(ignored)
            continue
        kind = file_format(path)
        if kind is None:
            raise InputError(
                f"{path}: unknown input format; "
                "use .jsonl, .csv, .parquet, .eml, an mbox file, or a folder of them"
            )
        sources.append(InquirySource(path, kind))
    unique = list(dict.fromkeys(sources))
    return unique, skipped


def _folder_sources(folder: Path) -> tuple[list[InquirySource], list[Path]]:
    sources: list[InquirySource] = []
    skipped: list[Path] = []
    has_eml = False
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            has_eml = has_eml or any(child.suffix.lower() == ".eml" for child in path.rglob("*.[eE][mM][lL]"))
            continue
        kind = file_format(path)
        if kind == "eml":
            has_eml = True
        elif kind is None or not _may_hold_inquiries(path, kind):
            skipped.append(path)
        else:
            sources.append(InquirySource(path, kind))
    if has_eml:
        sources.insert(0, InquirySource(folder, "eml"))
    return sources, skipped


def _may_hold_inquiries(path: Path, kind: str) -> bool:
    """False for a table in a folder whose columns show it is something else (a catalog, a team).

    Only tables found by walking a folder are screened; a file named on the
    command line is always read, so its problems are reported row by row.
    """
    if kind == "csv":
        with path.open("rb") as handle:
            first_line = handle.readline().decode("utf-8", errors="replace").lstrip("\ufeff")
        if not first_line.strip():
            return True  # empty: read it, so the report says so
        columns = {name.strip() for name in next(csv.reader([first_line]), [])}
        return "inquiry_id" in columns or len(columns) == 1
    if kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            return "inquiry_id" in pq.read_schema(path).names
        except (pa.ArrowException, OSError):
            return True  # unreadable: read it, so the report says why
    return True
