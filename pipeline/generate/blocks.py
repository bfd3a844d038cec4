"""Generate inquiries in fixed-size blocks, each with its own seed, in one or more processes.

Block b always holds rows b*BLOCK_SIZE.. and draws from a generator seeded by (seed, batch,
b), so the output is byte-identical whatever the number of workers. Each worker process
builds its read-only writer once, writes its blocks to part files and reports progress on
a queue; the parent joins the parts in block order.
"""

from __future__ import annotations

import json
import queue
import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing import Manager
from pathlib import Path
from typing import Any, Callable

from pipeline.generate.buyer_types import load_buyer_mix
from pipeline.generate.companies import load_company
from pipeline.generate.contacts import ContactFactory
from pipeline.generate.crm import build_customers
from pipeline.generate.inquiry import Cluster, InquiryWriter, Written
from pipeline.generate.team import build_team
from pipeline.generate.text.noise import NoiseRules
from pipeline.generate.timeline import Timeline, night_moment
from pipeline.generate.world import load_world

BLOCK_SIZE = 5000
COUNT_KEYS = ("buyer_type", "grade", "suspected_fraud", "language", "channel", "fraud_kind", "clean_grade", "noisy")


@dataclass(frozen=True)
class RunSpec:
    """What a worker needs to rebuild the writer: small and picklable."""

    company: str
    seed: int
    n: int
    start: date
    end: date
    night_start: datetime
    night_hours: float


@dataclass(frozen=True)
class BatchSpec:
    """One output batch: the labelled history or the unlabelled tonight batch."""

    name: str  # "history" or "tonight"
    total: int
    prefix: str
    labelled: bool
    row_format: str  # "jsonl" or "parquet"


def build_writer(spec: RunSpec) -> InquiryWriter:
    """Everything read-only a worker needs, built the same way in every process."""
    world = load_world()
    company = load_company(spec.company)
    contacts = ContactFactory(world, company)
    return InquiryWriter(
        world=world,
        company=company,
        mix=load_buyer_mix(),
        contacts=contacts,
        customers=build_customers(world, company, contacts, spec.seed, spec.n),
        team=build_team(company),
        noise=NoiseRules.from_data(world.noise),
        timeline=Timeline(spec.start, spec.end),
    )


def block_rows(writer: InquiryWriter, spec: RunSpec, batch: BatchSpec, block: int) -> tuple[list[Written], dict[str, Counter]]:
    """The inquiries of one block, with the counts for the summary."""
    rng = random.Random(f"{spec.seed}:{batch.name}:{block}")
    counts: dict[str, Counter] = {key: Counter() for key in COUNT_KEYS}
    first = block * BLOCK_SIZE
    written_rows: list[Written] = []
    cluster: Cluster | None = None
    for index in range(first, min(batch.total, first + BLOCK_SIZE)):
        if batch.labelled:
            day = writer.timeline.day_for(index, batch.total, rng)
            written, cluster = writer.write(f"{batch.prefix}{index + 1:07d}", day, rng, cluster=cluster)
        else:
            moment = night_moment(spec.night_start, spec.night_hours, rng)
            written, cluster = writer.write(f"{batch.prefix}{index + 1:05d}", moment.date(), rng, cluster=cluster, labelled=False, moment=moment)
        _count(counts, written)
        written_rows.append(written)
    return written_rows, counts


def _count(counts: dict[str, Counter], written: Written) -> None:
    counts["buyer_type"][written.buyer_type] += 1
    counts["language"][written.language] += 1
    counts["channel"][written.channel] += 1
    counts["clean_grade"][written.clean_grade] += 1
    counts["noisy"][written.noisy] += 1
    if written.fraud_kind:
        counts["fraud_kind"][written.fraud_kind] += 1
    if "grade" in written.row:
        counts["grade"][written.row["grade"]] += 1
        counts["suspected_fraud"][written.row["suspected_fraud"]] += 1


def write_part(rows: list[dict[str, Any]], path: Path, row_format: str) -> None:
    """One block's rows as a JSON Lines or Parquet part file."""
    if row_format == "parquet":
        from pipeline.generate.writer import write_parquet

        write_parquet(rows, path)
        return
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False))
            handle.write("\n")


def run_blocks(spec: RunSpec, batch: BatchSpec, blocks: list[int], parts_dir: Path, progress: Any | None = None) -> dict[str, Counter]:
    """Write `blocks` of a batch to part files; returns the merged counts."""
    writer = build_writer(spec)
    totals: dict[str, Counter] = {key: Counter() for key in COUNT_KEYS}
    for block in blocks:
        written_rows, counts = block_rows(writer, spec, batch, block)
        write_part([written.row for written in written_rows], part_path(parts_dir, block, batch.row_format), batch.row_format)
        for key, counter in counts.items():
            totals[key].update(counter)
        if progress is not None:
            progress.put(len(written_rows))
    return totals


def part_path(parts_dir: Path, block: int, row_format: str) -> Path:
    return parts_dir / f"part-{block:06d}.{row_format}"


def generate_batch(spec: RunSpec, batch: BatchSpec, parts_dir: Path, workers: int, on_progress: Callable[[int], None] | None = None) -> tuple[list[Path], dict[str, Counter]]:
    """Write all blocks of a batch as part files, in `workers` processes."""
    block_count = (batch.total + BLOCK_SIZE - 1) // BLOCK_SIZE
    blocks = list(range(block_count))
    parts = [part_path(parts_dir, block, batch.row_format) for block in blocks]
    workers = max(1, min(workers, block_count))
    if workers == 1:
        local: queue.Queue[int] = queue.Queue()
        counts = run_blocks(spec, batch, blocks, parts_dir, local)
        while on_progress and not local.empty():
            on_progress(local.get())
        return parts, counts
    totals: dict[str, Counter] = {key: Counter() for key in COUNT_KEYS}
    with Manager() as manager, ProcessPoolExecutor(max_workers=workers) as pool:
        progress = manager.Queue()
        # Interleave blocks so every worker gets a similar share of early and late rows.
        futures = [pool.submit(run_blocks, spec, batch, blocks[worker::workers], parts_dir, progress) for worker in range(workers)]
        pending = set(futures)
        while pending:
            try:
                done_rows = progress.get(timeout=0.2)
                if on_progress:
                    on_progress(done_rows)
            except queue.Empty:
                pass
            pending = {future for future in pending if not future.done()}
        while not progress.empty():
            done_rows = progress.get()
            if on_progress:
                on_progress(done_rows)
        for future in futures:
            for key, counter in future.result().items():
                totals[key].update(counter)
    return parts, totals
