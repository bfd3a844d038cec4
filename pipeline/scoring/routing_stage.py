"""Route this run's scored rows: rep or queue, reply deadline, follow-up, draft.

Routing needs the whole night's batch at once (grade 1 gets capacity first),
so it runs after scoring, on this run's rows but only the columns routing
reads (no body, explanation or reasons: on a million-row night those would
cost gigabytes); only the rows that get a draft have their other columns and
body read back.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.profile import CompanyProfile

ROUTING_OUTPUT_COLUMNS = (
    "inquiry_id", "assigned_to", "assigned_rep_name", "queue", "assignment_rule", "unassigned_reason",
    "requires_supervisor_review", "assigned_at", "buyer_timezone", "reply_due_at", "send_window_local",
    "reply_rule", "reply_in_buyer_hours", "next_follow_up_at", "draft_path",
)
# What pipeline.routing.assign, .schedule and the assignment log read from a scored row.
ROUTING_INPUT_COLUMNS = (
    "inquiry_id", "received_at", "sender_email", "company", "phone_e164", "received_offset_minutes",
    "country_code", "language", "grade", "suspected_fraud", "product_categories",
)


def route_run(new_rows: Path, profile: CompanyProfile, out_dir: Path, *, run_id: str, now: datetime,
              drafts: bool = True):
    """Routing columns for every new row, and the routing summary."""
    from pipeline.routing import route_with_summary
    from pipeline.routing.drafts import DraftWriter

    _return_freed_memory()  # what scoring freed, before routing's own peak
    scored = _read_routing_inputs(new_rows)
    routed, summary = route_with_summary(scored, profile, out_dir, run_id=run_id, now=now, drafts=False)
    del scored
    _return_freed_memory()
    routed["draft_path"] = None
    if drafts:
        to_draft = routed["queue"].isin(["rep", "verification"]).to_numpy()
        if to_draft.any():
            drafting = _with_draft_columns(new_rows, routed.loc[to_draft].copy())
            routed.loc[to_draft, "draft_path"] = DraftWriter(profile).write(drafting, out_dir)
    present = [column for column in ROUTING_OUTPUT_COLUMNS if column in routed]
    return routed[present].copy(), summary, int(routed["draft_path"].notna().sum())


def _return_freed_memory() -> None:
    """Hand freed heap back to the system, so the next stage does not start from the last one's peak."""
    import ctypes

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory is reused by this process instead


def _read_routing_inputs(new_rows: Path) -> pd.DataFrame:
    """This run's rows, only the columns routing reads."""
    names = pq.ParquetFile(new_rows).schema_arrow.names
    columns = [name for name in ROUTING_INPUT_COLUMNS if name in names]
    return pq.read_table(new_rows, columns=columns).to_pandas()


def _with_draft_columns(new_rows: Path, drafting: pd.DataFrame) -> pd.DataFrame:
    """The drafted rows with every other scored column (body included) read back.

    Filtered read: on a million-row night only the drafted rows come into memory.
    """
    names = pq.ParquetFile(new_rows).schema_arrow.names
    missing = [name for name in names if name not in drafting.columns]
    wanted = sorted(set(drafting["inquiry_id"]))
    rest = pq.read_table(new_rows, columns=["inquiry_id", *missing],
                         filters=[("inquiry_id", "in", wanted)]).to_pandas()
    rest = rest.set_index("inquiry_id").reindex(drafting["inquiry_id"])
    for name in missing:
        drafting[name] = rest[name].to_numpy()
    return drafting
