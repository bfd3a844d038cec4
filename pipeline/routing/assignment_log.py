"""The assignment log: an append-only JSON Lines audit trail.

One line per decision: which inquiry, which rep (or queue), the rule that
decided, when, and in which run. A line is only added when an inquiry's
outcome changes, so rerunning a batch adds nothing; `assign` reads the log
back (`prior_assignments`) so reruns keep the reps already given, buyers
stay with their rep across runs, and today's load counts earlier runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd

LOG_FIELDS = (
    "inquiry_id",
    "assigned_to",
    "queue",
    "assignment_rule",
    "unassigned_reason",
    "grade",
    "buyer_email_key",
    "buyer_company_key",
    "assigned_at",
    "run_id",
)
REQUIRED_LOG_FIELDS = ("inquiry_id", "queue", "assigned_at", "run_id")
_OUTCOME = ("queue", "assigned_to", "unassigned_reason")
_ALREADY_PLAIN = (str, int, bool, type(None))  # `_plain` returns these unchanged


def read_log(path: Path | str) -> pd.DataFrame:
    """Every entry of the log, in file order; an empty frame if there is no log yet."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame({name: pd.Series(dtype=object) for name in LOG_FIELDS})
    entries = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}, line {number}: not valid JSON ({error.msg})") from None
            if not isinstance(entry, dict):
                raise ValueError(
                    f"{path}, line {number}: expected an object with fields {', '.join(LOG_FIELDS)}"
                )
            missing = [name for name in REQUIRED_LOG_FIELDS if not entry.get(name)]
            if missing:
                raise ValueError(f"{path}, line {number}: field '{missing[0]}' is missing or empty")
            entries.append({name: entry.get(name) for name in LOG_FIELDS})
    frame = pd.DataFrame(entries, columns=list(LOG_FIELDS)).astype(object)
    frame["assigned_at"] = pd.to_datetime(frame["assigned_at"], utc=True, format="ISO8601")
    return frame


def new_entries(assigned: pd.DataFrame, log: pd.DataFrame, *, run_id: str) -> list[dict]:
    """Log lines for the inquiries whose outcome differs from their latest logged one."""
    return list(iter_new_entries(assigned, log, run_id=run_id))


def iter_new_entries(
    assigned: pd.DataFrame, log: pd.DataFrame, *, run_id: str, batch_rows: int = 50_000
) -> Iterator[dict]:
    """`new_entries` one batch of rows at a time, so a million-row night never holds them all."""
    for columns in _iter_new_columns(assigned, log, run_id=run_id, batch_rows=batch_rows):
        yield from (dict(zip(LOG_FIELDS, row)) for row in zip(*columns.values()))


def _iter_new_columns(
    assigned: pd.DataFrame, log: pd.DataFrame, *, run_id: str, batch_rows: int = 50_000
) -> Iterator[dict[str, list]]:
    """The new entries of each batch of rows, as one list of JSON-ready values per log field."""
    latest = _latest_outcomes(log)
    for start in range(0, len(assigned), batch_rows):
        yield _batch_columns(assigned.iloc[start : start + batch_rows], latest, run_id)


def _latest_outcomes(log: pd.DataFrame) -> pd.DataFrame | None:
    """Each inquiry's latest logged line, keyed by id (None for an empty log)."""
    if not len(log):
        return None
    latest = log.drop_duplicates("inquiry_id", keep="last")
    latest = latest.set_index(latest["inquiry_id"].astype(str))
    return pd.DataFrame(
        {name: latest[name].astype(object).where(latest[name].notna(), None) for name in _OUTCOME},
        index=latest.index,
    )


def _batch_columns(assigned: pd.DataFrame, latest: pd.DataFrame | None, run_id: str) -> dict[str, list]:
    """The batch's entries whose outcome changed, field by field (whole columns, not row dicts)."""
    entries = pd.DataFrame(index=assigned.index)
    for name in LOG_FIELDS:
        column = assigned[name] if name in assigned else pd.Series(None, index=assigned.index, dtype=object)
        if name == "assigned_at":
            column = _iso_times(column)
        entries[name] = column.astype(object).where(column.notna(), None)
    entries["inquiry_id"] = assigned["inquiry_id"].astype(str).astype(object)
    entries["run_id"] = run_id
    if latest is not None:
        same = pd.Series(True, index=entries.index)
        known = entries["inquiry_id"].isin(latest.index)
        for name in _OUTCOME:
            before = entries["inquiry_id"].map(latest[name])
            now = entries[name]
            same &= (before == now) | (before.isna() & now.isna())
        entries = entries.loc[~(known & same)]
    return {name: _plain_column(entries[name]) for name in LOG_FIELDS}


def _iso_times(column: pd.Series) -> pd.Series:
    """Times as ISO text (missing: None); each distinct time is formatted once (a run shares one)."""
    stamps = pd.to_datetime(column, utc=True)
    codes, distinct = pd.factorize(stamps)
    texts = [stamp.isoformat() for stamp in distinct]
    return pd.Series([texts[code] if code >= 0 else None for code in codes], index=column.index, dtype=object)


def _plain_column(column: pd.Series) -> list:
    """`_plain` of every cell; a column of only text, numbers and None is already plain."""
    values = column.tolist()
    if all(value.__class__ in _ALREADY_PLAIN for value in values):
        return values
    return [_plain(row[column.name]) for row in column.to_frame().to_dict("records")]


def append_log(
    path: Path | str, assigned: pd.DataFrame, *, run_id: str, log: pd.DataFrame | None = None
) -> int:
    """Append the batch's new decisions to the log; returns how many lines were added.

    `log` is the log as already read by the caller (saves reading it twice).
    """
    path = Path(path)
    added = 0
    handle = None
    try:
        for columns in _iter_new_columns(assigned, read_log(path) if log is None else log, run_id=run_id):
            lines = _json_lines(columns)
            if not lines:
                continue
            if handle is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle = path.open("a", encoding="utf-8")
            handle.write("".join(lines))
            added += len(lines)
    finally:
        if handle is not None:
            handle.close()
    return added


def _json_lines(columns: dict[str, list]) -> list[str]:
    """One `json.dumps(entry, ensure_ascii=False)` line per entry, built field by field.

    A flat object's JSON is its '"key": value' pairs joined with ', ', so each field's
    distinct values (queues, reps, rules, reasons, the run's time) are encoded once.
    """
    fields = [_encoded_field(name, values) for name, values in columns.items()]
    return ["{" + ", ".join(row) + "}\n" for row in zip(*fields)]


def _encoded_field(name: str, values: list) -> list[str]:
    """'"name": <JSON of the value>' for every value of one field."""
    prefix = json.dumps(name) + ": "
    kinds = {value.__class__ for value in values} - {type(None)}
    if len(kinds) == 1 and kinds <= {str, int, bool} or not kinds:
        # Equal values of one of these types encode alike (True == 1 and 0.0 == -0.0 do not).
        encoded = {value: prefix + json.dumps(value, ensure_ascii=False) for value in set(values)}
        return [encoded[value] for value in values]
    return [prefix + json.dumps(value, ensure_ascii=False) for value in values]


def load_between(log: pd.DataFrame, start: datetime, end: datetime) -> dict[str, int]:
    """Inquiries handed to each rep in [start, end): the load a day's capacity counts."""
    if len(log) == 0:
        return {}
    handed = log.loc[(log["queue"] == "rep") & (log["assigned_at"] >= start) & (log["assigned_at"] < end)]
    # An inquiry counts once, for the rep it went to first that day.
    handed = handed.drop_duplicates("inquiry_id", keep="first")
    return {str(rep): int(count) for rep, count in handed["assigned_to"].value_counts().items()}


def _plain(value: object) -> object:
    """JSON-friendly value: timestamps as ISO text, NaN/NaT as None, numpy scalars as Python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return pd.Timestamp(value).isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value
