"""`validate_files`: validate inputs into an output folder with a manifest."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from pipeline.readers import discover_sources
from pipeline.validate.frames import inquiry_frame
from pipeline.validate.report import ValidationCounts, ValidationReport, json_default
from pipeline.validate.sink import InquiryParquetSink
from pipeline.validate.stream import Progress, validate_sources

FIRST_PROBLEMS_KEPT = 20


def validate_files(
    paths: str | Path | Iterable[str | Path],
    out_dir: str | Path,
    *,
    labelled: bool | None = None,
    chunk_rows: int = 50_000,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate inputs and write `inquiries.parquet`, `quarantine.jsonl` and `manifest.json`.

    The Parquet file holds the normalised valid rows, written chunk by chunk;
    each quarantine line names file, row, field and what to fix, with the raw
    row; the manifest holds per-file and total counts, times and the contract
    version.
    """
    started_at = datetime.now(timezone.utc)
    sources, skipped = discover_sources([paths] if isinstance(paths, (str, Path)) else paths)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, ValidationCounts] = {}
    formats = {source.name: source.format for source in sources}
    by_field: Counter[str] = Counter()
    first_problems: list[dict] = []
    sink = InquiryParquetSink(out_dir / "inquiries.parquet")
    try:
        with (out_dir / "quarantine.jsonl").open("w", encoding="utf-8") as quarantine:
            chunks = validate_sources(sources, labelled=labelled, chunk_rows=chunk_rows, progress=progress)
            for chunk in chunks:
                sink.write(chunk.inquiries)
                for entry in chunk.quarantined:
                    quarantine.write(json.dumps(entry, ensure_ascii=False, default=json_default) + "\n")
                    by_field[entry["field"] or "(whole row)"] += 1
                    if len(first_problems) < FIRST_PROBLEMS_KEPT:
                        first_problems.append({key: value for key, value in entry.items() if key != "raw"})
                files[chunk.source] = chunk.counts
        if not files:  # no input at all: still leave a readable, empty table
            sink.write(inquiry_frame([], bool(labelled)))
        sink.close()
    except BaseException:
        sink.abort()
        raise
    total = ValidationCounts()
    for counts in files.values():
        total.add(counts)
    report = ValidationReport(
        files=files,
        formats=formats,
        total=total,
        quarantine_by_field=dict(by_field.most_common()),
        first_problems=first_problems,
        skipped_inputs=[str(path) for path in skipped],
        out_dir=out_dir,
        started_at=started_at,
        finished_at=datetime.now(timezone.utc),
        labelled_option=labelled,
    )
    manifest = json.dumps(report.manifest(), indent=2, ensure_ascii=False)
    report.manifest_path.write_text(manifest + "\n", encoding="utf-8")
    return report
