"""Assign a scored batch of inquiries to reps, urgent first.

The order of business for each inquiry:

1. suspected fraud goes to the `verification` queue, never to a quoting rep;
2. an inquiry already assigned in an earlier run keeps its rep (reruns do not
   reassign);
3. a buyer already handled (same e-mail, else same company; in this batch or
   in `prior_assignments`) goes to the same rep, if that rep is active; if that
   rep is at capacity the inquiry waits rather than being split across reps;
4. otherwise the profile's strategy chain chooses (see `strategies`).

Grades are processed 1, 2, 3, 4 (then by arrival) so capacity goes to the best
leads first. A rep never receives more than `capacity_per_day` inquiries a day,
counting `existing_load` (what they already received today). When no suitable
rep has room, the inquiry lands in the `unassigned` queue with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import numpy as np
import pandas as pd

from pipeline.profile import CompanyProfile
from pipeline.routing.buyers import BuyerKeys
from pipeline.routing.strategies import InquiryFacts, LoadBook, StrategyChain, TeamView, choose_rep

QUEUE_REP = "rep"
QUEUE_VERIFICATION = "verification"
QUEUE_UNASSIGNED = "unassigned"
QUEUES = (QUEUE_REP, QUEUE_VERIFICATION, QUEUE_UNASSIGNED)

ASSIGNMENT_COLUMNS = (
    "assigned_to",
    "assigned_rep_name",
    "queue",
    "assignment_rule",
    "assignment_notes",
    "unassigned_reason",
    "requires_supervisor_review",
    "assigned_at",
    "buyer_email_key",
    "buyer_company_key",
)
REQUIRED_COLUMNS = ("inquiry_id", "grade", "suspected_fraud")


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _list(value: object) -> tuple[str, ...]:
    if value is None or isinstance(value, float) or value is pd.NA:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return tuple(str(item) for item in value if _text(item))


def _grades(scored: pd.DataFrame) -> list[int]:
    column = scored["grade"]
    if column.dtype.kind in "iu" and column.isin((1, 2, 3, 4)).all():
        return column.tolist()  # whole numbers 1-4 already: nothing to check cell by cell
    grades = []
    for position, (inquiry_id, grade) in enumerate(zip(scored["inquiry_id"], scored["grade"], strict=True)):
        try:
            value = int(grade)
        except (TypeError, ValueError):
            value = 0
        if value not in (1, 2, 3, 4) or value != grade:
            raise ValueError(
                f"scored inquiries, row {position + 1} (inquiry {inquiry_id}), field 'grade': "
                f"expected 1, 2, 3 or 4, got {grade!r}"
            )
        grades.append(value)
    return grades


def _flags(scored: pd.DataFrame) -> list[bool]:
    if scored["suspected_fraud"].dtype == np.dtype(bool):
        return scored["suspected_fraud"].tolist()  # True / False already, no text to read
    flags = []
    for position, (inquiry_id, flag) in enumerate(
        zip(scored["inquiry_id"], scored["suspected_fraud"], strict=True)
    ):
        text = str(flag).strip().lower()
        if _text(flag) is None:
            flags.append(False)
        elif text in ("true", "1", "yes"):
            flags.append(True)
        elif text in ("false", "0", "no"):
            flags.append(False)
        else:
            raise ValueError(
                f"scored inquiries, row {position + 1} (inquiry {inquiry_id}), field 'suspected_fraud': "
                f"expected true or false, got {flag!r}"
            )
    return flags


def utc_times(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as UTC times (unreadable: NaT), positionally indexed.

    A column already typed as UTC times is converted as a whole: the same values
    without a million Timestamp objects in between.
    """
    if name in frame and isinstance(frame[name].dtype, pd.DatetimeTZDtype):
        return pd.to_datetime(frame[name].reset_index(drop=True), utc=True, errors="coerce")
    values = list(frame[name]) if name in frame else [None] * len(frame)
    return pd.to_datetime(pd.Series(values, dtype=object), utc=True, errors="coerce")


def _processing_order(grades: list[int], arrival: pd.Series) -> list[int]:
    """Positions by (grade, arrival, position): numpy's lexsort, not a million key tuples."""
    if not isinstance(arrival.dtype, pd.DatetimeTZDtype):
        stamps = arrival.tolist()
        return sorted(range(len(grades)), key=lambda i: (grades[i], stamps[i], i))
    times = arrival.array.asi8
    positions = np.arange(len(grades))
    return np.lexsort((positions, times, np.asarray(grades, dtype=np.int64))).tolist()


def _prior_records(prior: pd.DataFrame | None) -> pd.DataFrame:
    """Prior log entries that handed an inquiry to a rep, oldest first."""
    if prior is None or len(prior) == 0:
        return pd.DataFrame(columns=["inquiry_id", "assigned_to", "queue"])
    records = prior.loc[prior["queue"] == QUEUE_REP]
    if "assigned_at" in records:
        records = records.sort_values("assigned_at", kind="stable")
    return records


def assign(
    scored: pd.DataFrame,
    profile: CompanyProfile,
    *,
    existing_load: Mapping[str, int] | None = None,
    prior_assignments: pd.DataFrame | None = None,
    run_id: str,
    now: datetime,
    team: TeamView | None = None,
    buyer_keys: BuyerKeys | None = None,
) -> pd.DataFrame:
    """The scored frame (same rows, same order) with the assignment columns added.

    `existing_load` maps rep_id to inquiries already assigned today;
    `prior_assignments` holds earlier log entries (see `assignment_log.read_log`).
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in scored]
    if missing:
        raise ValueError(f"scored inquiries: missing column(s) {', '.join(missing)}")
    source = f"team of {profile.path}" if profile.path else "team"
    team = team or TeamView.of_team(profile.team, source=source)
    chain = StrategyChain.from_settings(
        profile.settings.get("routing"), source=str(profile.path or "profile")
    )
    keys = buyer_keys or BuyerKeys.load()
    assigned_at = pd.Timestamp(now)
    if assigned_at.tzinfo is None:
        raise ValueError("assign: 'now' must carry a timezone (use UTC)")
    assigned_at = assigned_at.tz_convert("UTC")

    load = LoadBook(
        team=team,
        load={rep: int(count) for rep, count in (existing_load or {}).items() if rep in team.capacity},
    )
    prior = _prior_records(prior_assignments)
    already = {str(row.inquiry_id): row for row in prior.itertuples(index=False)}
    rep_by_email: dict[str, tuple[str, str]] = {}
    rep_by_company: dict[str, tuple[str, str]] = {}
    for row in prior.itertuples(index=False):
        email, company = (
            _text(getattr(row, "buyer_email_key", None)),
            _text(getattr(row, "buyer_company_key", None)),
        )
        if email:
            rep_by_email[email] = (str(row.assigned_to), str(row.inquiry_id))
        if company:
            rep_by_company[company] = (str(row.assigned_to), str(row.inquiry_id))
    for position, rep in enumerate(prior["assigned_to"]):
        load.last_turn[str(rep)] = position - len(prior)  # earlier runs rank before this one

    n = len(scored)
    grades = _grades(scored)
    frauds = _flags(scored)

    def column(name: str) -> list:
        # tolist, not list(): the same cells, without iterating Arrow-backed text one by one
        return scored[name].tolist() if name in scored else [None] * n

    ids = [str(value) for value in scored["inquiry_id"].tolist()]
    # A buyer writes many inquiries: each distinct address or company name is normalised once.
    emails = _each_distinct(keys.email, column("sender_email"))
    companies = _each_distinct(keys.company, column("company"))
    countries, languages, categories = (
        column("country_code"),
        column("language"),
        column("product_categories"),
    )
    received = utc_times(scored, "received_at")
    order = _processing_order(grades, received.fillna(assigned_at))

    narrowing_cache: dict = {}
    out = {name: [None] * n for name in ASSIGNMENT_COLUMNS}
    out["requires_supervisor_review"] = [grade == 1 for grade in grades]
    out["assigned_at"] = [assigned_at] * n
    out["buyer_email_key"], out["buyer_company_key"] = emails, companies

    # One object per distinct note or reason: a million rows share a few hundred of them.
    texts: dict[str, str] = {}

    def settle(
        i: int, rep: str | None, queue: str, rule: str, notes: list[str] | tuple[str, ...], reason=None
    ) -> None:
        out["assigned_to"][i] = rep
        out["assigned_rep_name"][i] = team.names.get(rep) if rep else None
        out["queue"][i] = queue
        out["assignment_rule"][i] = rule
        joined = "; ".join(notes)
        out["assignment_notes"][i] = texts.setdefault(joined, joined)
        out["unassigned_reason"][i] = texts.setdefault(reason, reason) if isinstance(reason, str) else reason

    for i in order:
        if frauds[i]:
            settle(
                i, None, QUEUE_VERIFICATION, "suspected_fraud", ["suspected fraud: verify before any reply"]
            )
            continue
        if ids[i] in already:
            record = already[ids[i]]
            rule = _text(getattr(record, "assignment_rule", None)) or "earlier_run"
            settle(
                i,
                str(record.assigned_to),
                QUEUE_REP,
                rule,
                [f"kept: assigned in run {getattr(record, 'run_id', '?')}"],
            )
            prior_time = pd.to_datetime(getattr(record, "assigned_at", None), utc=True, errors="coerce")
            if pd.notna(prior_time):
                out["assigned_at"][i] = prior_time
            _remember(i, str(record.assigned_to), emails, companies, ids, rep_by_email, rep_by_company)
            continue
        sticky = _same_buyer(i, emails, companies, rep_by_email, rep_by_company)
        notes: list[str] = []
        if sticky is not None:
            rep, earlier, how = sticky
            if not team.active.get(rep, False):
                notes.append(f"same buyer as {earlier} ({how}), but {rep} is not active")
            elif load.has_room(rep):
                load.record(rep, grades[i])
                settle(i, rep, QUEUE_REP, "same_buyer", [f"same buyer as {earlier} ({how})"])
                continue
            else:
                reason = f"same buyer as {earlier} ({how}); {rep} is at capacity today ({load.describe(rep)})"
                settle(i, None, QUEUE_UNASSIGNED, "same_buyer", [reason], reason)
                continue
        facts = InquiryFacts(
            inquiry_id=ids[i],
            grade=grades[i],
            country_code=_text(countries[i]),
            language=_text(languages[i]),
            categories=_list(categories[i]),
        )
        choice = choose_rep(facts, team, load, chain, narrowing_cache)
        if choice.rep_id is None:
            settle(i, None, QUEUE_UNASSIGNED, choice.rule, notes + list(choice.notes), choice.reason)
            continue
        load.record(choice.rep_id, grades[i])
        settle(i, choice.rep_id, QUEUE_REP, choice.rule, notes + list(choice.notes))
        _remember(i, choice.rep_id, emails, companies, ids, rep_by_email, rep_by_company)

    assigned = scored.copy()
    for name in ASSIGNMENT_COLUMNS:
        values = out[name]
        if name == "assigned_at":
            assigned[name] = pd.to_datetime(pd.Series(values, index=scored.index), utc=True)
        elif name == "requires_supervisor_review":
            assigned[name] = pd.Series(values, index=scored.index, dtype=bool)
        else:
            assigned[name] = pd.Series(values, index=scored.index, dtype=object)
    return assigned


def _each_distinct(function, texts: list) -> list:
    """`[function(text) for text in texts]`, called once per distinct text (other cells: each time)."""
    results = {text: function(text) for text in {text for text in texts if text.__class__ is str}}
    return [results[text] if text.__class__ is str else function(text) for text in texts]


def _same_buyer(i, emails, companies, rep_by_email, rep_by_company) -> tuple[str, str, str] | None:
    """(rep, earlier inquiry, matched on) for a buyer seen before, else None."""
    if emails[i] and emails[i] in rep_by_email:
        rep, earlier = rep_by_email[emails[i]]
        return rep, earlier, "same e-mail"
    if companies[i] and companies[i] in rep_by_company:
        rep, earlier = rep_by_company[companies[i]]
        return rep, earlier, "same company"
    return None


def _remember(i, rep, emails, companies, ids, rep_by_email, rep_by_company) -> None:
    """The latest assignment of a buyer is the one later inquiries follow."""
    if emails[i]:
        rep_by_email[emails[i]] = (rep, ids[i])
    if companies[i]:
        rep_by_company[companies[i]] = (rep, ids[i])
