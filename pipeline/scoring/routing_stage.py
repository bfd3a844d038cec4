"""Route this run's scored rows: rep or queue, reply deadline, follow-up, draft.

Routing needs the whole night's batch at once (grade 1 gets capacity first),
so it runs after scoring, on this run's rows without their bodies; only the
rows that get a draft have their body read back.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.profile import CompanyProfile

ROUTING_OUTPUT_COLUMNS = (
    "inquiry_id", "assigned_to", "assigned_rep_name", "queue", "assignment_rule", "unassigned_reason",
    "requires_supervisor_review", "assigned_at", "buyer_timezone", "reply_due_at", "send_window_local",
    "reply_rule", "reply_in_buyer_hours", "next_follow_up_at", "draft_path",
)


def route_run(new_rows: Path, profile: CompanyProfile, out_dir: Path, *, run_id: str, now: datetime,
              drafts: bool = True):
    """Routing columns for every new row, and the routing summary."""
    from pipeline.routing import route_with_summary
    from pipeline.routing.drafts import DraftWriter

    parquet = pq.ParquetFile(new_rows)
    columns = [name for name in parquet.schema_arrow.names if name != "body"]
    scored = parquet.read(columns=columns).to_pandas()
    routed, summary = route_with_summary(scored, profile, out_dir, run_id=run_id, now=now, drafts=False)
    routed["draft_path"] = None
    if drafts:
        to_draft = routed["queue"].isin(["rep", "verification"]).to_numpy()
        if to_draft.any():
            wanted = set(routed.loc[to_draft, "inquiry_id"])
            # Filtered read: on a million-row night only the drafted rows' bodies come into memory.
            bodies = pq.read_table(new_rows, columns=["inquiry_id", "body"],
                                   filters=[("inquiry_id", "in", sorted(wanted))]).to_pandas()
            bodies = bodies.set_index("inquiry_id")["body"]
            drafting = routed.loc[to_draft].copy()
            drafting["body"] = drafting["inquiry_id"].map(bodies)
            routed.loc[to_draft, "draft_path"] = DraftWriter(profile).write(drafting, out_dir)
    present = [column for column in ROUTING_OUTPUT_COLUMNS if column in routed]
    return routed[present].copy(), summary, int(routed["draft_path"].notna().sum())

