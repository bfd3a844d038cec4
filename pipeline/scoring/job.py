"""The nightly scoring job: stream inquiries in, write graded results out.

Every input row ends in exactly one place: scored, quarantined with a reason,
a duplicate of an earlier row, or already scored by an earlier run into the
same folder. `run.json` carries the counts and they reconcile.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import pickle
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from pipeline.profile import CompanyProfile
from pipeline.scoring import CHUNK_ROWS
from pipeline.scoring.batch import Scorer, ScoredChunk, score_chunk
from pipeline.scoring.outputs import (
    QUARANTINE_JSONL,
    REVIEWED_JSONL,
    RUN_HISTORY,
    RUN_JSON,
    load_reviews,
    scored_ids,
)
from pipeline.scoring.routing_stage import route_run
from pipeline.scoring.writer import ScoredWriter
from pipeline.validate import ValidationCounts, iter_validated
from pipeline.validate.report import json_default

Progress = Callable[[int], None]


@dataclass
class ScoringRun:
    """What one run did, for the screen and for `run.json`."""

    run_id: str
    out_dir: Path
    started_at: datetime
    finished_at: datetime | None = None
    model_version: str | None = None
    model_note: str = ""
    ruleset_version: str = ""
    files: dict[str, ValidationCounts] = field(default_factory=dict)
    total: ValidationCounts = field(default_factory=ValidationCounts)
    seconds: dict[str, float] = field(default_factory=dict)
    grade_mix: Counter = field(default_factory=Counter)
    source_mix: Counter = field(default_factory=Counter)
    frauds: int = 0
    frauds_cleared: int = 0
    disagreements: int = 0
    reviewed_kept: int = 0
    routing: dict = field(default_factory=dict)

    @property
    def scored(self) -> int:
        return self.total.valid

    def as_dict(self) -> dict:
        wall = (self.finished_at - self.started_at).total_seconds() if self.finished_at else None
        return {
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "seconds_wall": wall,
            "inquiries_per_second": (self.total.read / wall) if wall else None,
            "model_version": self.model_version,
            "model_note": self.model_note,
            "ruleset_version": self.ruleset_version,
            "counts": {
                "read": self.total.read,
                "scored": self.total.valid,
                "quarantined": self.total.quarantined,
                "duplicates": self.total.duplicates,
                "already_scored": self.total.already_scored,
                "reconciles": self.total.balanced,
            },
            "files": {name: counts.as_dict() for name, counts in self.files.items()},
            "grades": {str(grade): count for grade, count in sorted(self.grade_mix.items())},
            "grade_sources": dict(self.source_mix),
            "suspected_fraud": self.frauds,
            "fraud_flags_cleared_by_model": self.frauds_cleared,
            "disagreements": self.disagreements,
            "reviewed_grades_kept": self.reviewed_kept,
            "routing": self.routing,
            "seconds_per_stage": {stage: round(value, 3) for stage, value in self.seconds.items()},
        }


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def run_scoring(
    inputs: Iterable[Path],
    profile: CompanyProfile,
    out_dir: Path,
    scorer: Scorer,
    *,
    workers: int = 1,
    chunk_rows: int = CHUNK_ROWS,
    reviewed_paths: Iterable[Path] = (),
    route: bool = True,
    drafts: bool = True,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ScoringRun:
    """Validate, score and write every input row; return the run's counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    run = ScoringRun(run_id=scorer.run_id, out_dir=out_dir, started_at=datetime.now(timezone.utc),
                     model_version=scorer.model_version, ruleset_version=_ruleset_version())
    started = time.perf_counter()
    already = scored_ids(out_dir)
    reviews = load_reviews([out_dir / REVIEWED_JSONL, *reviewed_paths])
    run.seconds["load_previous"] = time.perf_counter() - started

    writer = ScoredWriter(out_dir)
    with (out_dir / QUARANTINE_JSONL).open("a", encoding="utf-8") as quarantine:
        chunks = _validated_chunks(inputs, already, chunk_rows, run, quarantine)
        for scored in _score_all(scorer, chunks, reviews, workers):
            for stage, seconds in scored.seconds.items():
                run.seconds[stage] = run.seconds.get(stage, 0.0) + seconds
            frame = scored.frame
            run.grade_mix.update(frame["grade"].tolist())
            run.source_mix.update(frame["grade_source"].tolist())
            run.frauds += int(frame["suspected_fraud"].sum())
            run.frauds_cleared += sum(1 for cleared in frame["fraud_cleared"] if len(cleared))
            run.disagreements += int(frame["disagreement"].sum())
            run.reviewed_kept += int(frame["reviewed_by"].notna().sum())
            write_started = time.perf_counter()
            writer.append(frame)
            run.seconds["write"] = run.seconds.get("write", 0.0) + time.perf_counter() - write_started
            if progress:
                progress(len(frame))
    writer.finish_new_rows()
    routing = None
    if route and writer.has_new_rows:
        routing_started = time.perf_counter()
        routing, summary, drafts_written = route_run(
            writer.new_path, profile, out_dir, run_id=run.run_id, now=now or datetime.now(timezone.utc), drafts=drafts)
        run.routing = {"by_queue": summary.by_queue, "by_rep": summary.by_rep,
                       "unassigned_reasons": summary.unassigned_reasons,
                       "supervisor_reviews": summary.supervisor_reviews, "drafts_written": drafts_written,
                       "reply_in_buyer_hours": summary.reply_in_buyer_hours,
                       "reply_in_buyer_hours_where_hours_overlap": summary.reply_in_buyer_hours_where_hours_overlap}
        run.seconds["route"] = time.perf_counter() - routing_started
    finish_started = time.perf_counter()
    writer.publish(routing)
    run.seconds["finish_outputs"] = time.perf_counter() - finish_started
    run.finished_at = datetime.now(timezone.utc)
    _write_run(out_dir, run)
    return run


def _ruleset_version() -> str:
    from rules import RULESET_VERSION

    return RULESET_VERSION


def _validated_chunks(inputs, already, chunk_rows, run: ScoringRun, quarantine) -> Iterator[pd.DataFrame]:
    """Valid inquiries chunk by chunk; quarantine entries written as they come."""
    started = time.perf_counter()
    for chunk in iter_validated(list(inputs), labelled=None, chunk_rows=chunk_rows, skip_ids=already):
        for entry in chunk.quarantined:
            quarantine.write(json.dumps({**entry, "run_id": run.run_id}, default=json_default, ensure_ascii=False) + "\n")
        run.files[chunk.source] = chunk.counts
        run.seconds["validate"] = run.seconds.get("validate", 0.0) + time.perf_counter() - started
        if len(chunk.inquiries):
            yield chunk.inquiries
        started = time.perf_counter()
    for counts in run.files.values():
        run.total.add(counts)


def _score_all(scorer: Scorer, chunks: Iterator[pd.DataFrame], reviews: dict, workers: int) -> Iterator[ScoredChunk]:
    """Score chunks in order, in this process or in a pool of worker processes."""
    if workers <= 1:
        for inquiries in chunks:
            yield score_chunk(scorer, inquiries, reviews)
        return
    payload = pickle.dumps(scorer)
    # "spawn", not fork: a parent that already ran OpenMP code (gradient boosting, e.g. right
    # after training in the demo) can leave a forked child hanging on a dead thread pool.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(payload, reviews)) as pool:
        pending = []
        for inquiries in chunks:
            pending.append(pool.submit(_score_in_worker, inquiries))
            # Bounded look-ahead keeps memory flat on million-row inputs.
            while len(pending) > workers * 2:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


_WORKER: dict = {}


def _init_worker(payload: bytes, reviews: dict) -> None:
    from threadpoolctl import threadpool_limits

    # One thread per worker: the workers already fill the cores, and idle OpenMP
    # threads spinning beside another process cost more than they give.
    threadpool_limits(limits=1)
    # Each worker process holds its own scorer; this dict lives only in workers.
    _WORKER["scorer"] = pickle.loads(payload)
    _WORKER["reviews"] = reviews
    # The scorer (model, catalogue, word lists) lives as long as the worker: keep it out of the
    # garbage collector's scans between chunks.
    gc.freeze()


def _score_in_worker(inquiries: pd.DataFrame) -> ScoredChunk:
    return score_chunk(_WORKER["scorer"], inquiries, _WORKER["reviews"])


def _write_run(out_dir: Path, run: ScoringRun) -> None:
    record = run.as_dict()
    (out_dir / RUN_JSON).write_text(json.dumps(record, indent=2, default=json_default), encoding="utf-8")
    with (out_dir / RUN_HISTORY).open("a", encoding="utf-8") as history:
        history.write(json.dumps(record, default=json_default) + "\n")
