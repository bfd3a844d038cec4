"""Check one raw record against the contract and normalise it.

`check_inquiry` returns either a normalised row (a dict with every contract
column, the label columns when asked, the normalised extra columns and any
unknown input fields) or the list of problems, each `(field, message)` with a
message that starts with the field and says what to fix.
"""

from __future__ import annotations

import math
from typing import Any

from pipeline.contract import (
    BOOL_FIELDS,
    COUNT_FIELDS,
    COUNT_MINIMUM,
    GRADES,
    INQUIRY_FIELDS,
    LABEL_FIELDS,
    MAX_PROCESSING_CHARS,
    NORMALISED_EXTRA_FIELDS,
)
from pipeline.normalise import (
    LARGEST_COUNT,
    country_code,
    html_to_text,
    is_missing,
    looks_like_html,
    normalise_channel,
    normalise_email,
    parse_amount,
    parse_count,
    parse_flag,
    parse_timestamp,
    phone_e164,
    phone_validity,
    quoted_reply_at,
    split_list,
    text_value,
)
from pipeline.readers import RawRecord

Problem = tuple[str, str]

# String fields with no rule beyond "text or nothing".
PLAIN_TEXT_FIELDS = (
    "subject",
    "sender_name",
    "sender_title",
    "company",
    "phone",
    "fax",
    "website",
    "address",
    "country",
    "messenger",
    "customer_id",
)
KNOWN_FIELDS = frozenset(INQUIRY_FIELDS) | frozenset(LABEL_FIELDS) | frozenset(NORMALISED_EXTRA_FIELDS)
_GRADE_WORDS = ", ".join(map(str, GRADES[:-1])) + f" or {GRADES[-1]}"


def check_inquiry(record: RawRecord, labelled: bool) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A normalised row, or None and the problems that keep the record out."""
    fields = record.fields
    problems: list[Problem] = []
    flags = list(record.flags)
    row: dict[str, Any] = {}

    inquiry_id = fields.get("inquiry_id")
    if inquiry_id.__class__ is not str or not (inquiry_id := inquiry_id.strip()):
        inquiry_id = _text(fields, "inquiry_id", problems)
        if inquiry_id is None and not problems:  # no type problem either: the id is simply absent
            problems.append(("inquiry_id", "inquiry_id: missing; every inquiry needs a unique id"))
    row["inquiry_id"] = inquiry_id

    received = fields.get("received_at")
    row["received_at"], row["received_offset_minutes"] = None, None
    if is_missing(received):
        problems.append(("received_at", "received_at: missing; when the inquiry arrived, with UTC offset"))
    else:
        try:
            row["received_at"], row["received_offset_minutes"] = parse_timestamp(received)
        except ValueError as error:
            problems.append(("received_at", f"received_at: {error}"))

    try:
        row["channel"] = normalise_channel(fields.get("channel"))
    except ValueError as error:
        problems.append(("channel", f"channel: {error}"))

    row["body"] = _body(fields, problems, flags)

    for name in PLAIN_TEXT_FIELDS:
        value = fields.get(name)
        if value is None or value.__class__ is str:
            row[name] = (value.strip() or None) if value is not None else None
        else:
            row[name] = _text(fields, name, problems)
    try:
        row["sender_email"] = normalise_email(fields.get("sender_email"))
    except ValueError as error:
        problems.append(("sender_email", f"sender_email: {error}"))
    attachments = fields.get("attachments")
    try:
        row["attachments"] = [] if attachments is None or attachments == [] else split_list(attachments)
    except ValueError as error:
        problems.append(("attachments", f"attachments: {error}"))

    for name, default in COUNT_FIELDS.items():
        row[name] = _count(fields, name, default, problems)
    for name, default in BOOL_FIELDS.items():
        row[name] = _flag(fields, name, default, problems)
    row["last_order_at"] = _optional_time(fields, "last_order_at", problems)
    row["lifetime_value_usd"] = _amount(fields, "lifetime_value_usd", problems)

    if labelled:
        _check_labels(fields, row, problems)

    if problems:
        return None, problems

    code = country_code(row["country"])
    if row["country"] is not None and code is None:
        flags.append("country_unknown")
    row["country_code"] = code
    row["phone_e164"] = phone_e164(row["phone"], code)
    # Checked once here, so the contact signals in the scoring workers need not parse it again.
    row["phone_valid"] = row["phone"] is not None and phone_validity(row["phone"], code)
    row["fax_e164"] = phone_e164(row["fax"], code)
    body = row["body"]
    row["body_chars"] = len(body)
    if len(body) > MAX_PROCESSING_CHARS:
        flags.append("body_capped")
    row["quoted_reply_at"] = quoted_reply_at(body)
    row["input_flags"] = _merge_flags(fields.get("input_flags"), flags)
    row["source_file"] = record.file
    row["source_row"] = record.row
    for name, value in fields.items():
        # Unknown fields travel along untouched; so do labels when they are not read as labels.
        if name not in KNOWN_FIELDS or (not labelled and name in LABEL_FIELDS):
            row[name] = value
    return row, problems


def _text(fields: dict[str, Any], name: str, problems: list[Problem]) -> str | None:
    try:
        return text_value(fields.get(name))
    except ValueError as error:
        problems.append((name, f"{name}: {error}"))
        return None


def _body(fields: dict[str, Any], problems: list[Problem], flags: list[str]) -> str:
    """The body as text; an HTML document becomes its text. Missing is an error, empty is not."""
    value = fields.get("body")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        problems.append(("body", "body: missing; the field must be present, though it may be empty"))
        return ""
    if not isinstance(value, str):
        try:
            value = text_value(value, strip=False) or ""
        except ValueError as error:
            problems.append(("body", f"body: {error}"))
            return ""
    if "<" in value and looks_like_html(value):
        flags.append("html_converted")
        return html_to_text(value)
    return value


def _count(fields: dict[str, Any], name: str, default: int, problems: list[Problem]) -> int:
    count = fields.get(name)
    if count.__class__ is int and COUNT_MINIMUM[name] <= count <= LARGEST_COUNT:
        return count  # the common case, checked first for speed
    try:
        count = parse_count(count)
    except ValueError as error:
        problems.append((name, f"{name}: {error}"))
        return default
    if count is None:
        return default
    minimum = COUNT_MINIMUM[name]
    if count < minimum:
        if minimum == 0:
            problems.append((name, f"{name}: must not be negative, got {count}"))
        else:
            message = f"{name}: must be at least {minimum} (it counts this message too), got {count}"
            problems.append((name, message))
    return count


def _flag(fields: dict[str, Any], name: str, default: bool, problems: list[Problem]) -> bool:
    flag = fields.get(name)
    if flag.__class__ is bool:
        return flag
    try:
        flag = parse_flag(flag)
    except ValueError as error:
        problems.append((name, f"{name}: {error}"))
        return default
    return default if flag is None else flag


def _optional_time(fields: dict[str, Any], name: str, problems: list[Problem]):
    """An optional date-time; a date or a time without offset is read as UTC."""
    value = fields.get(name)
    if value is None or is_missing(value):
        return None
    try:
        return parse_timestamp(value, require_offset=False)[0]
    except ValueError as error:
        problems.append((name, f"{name}: {error}"))
        return None


def _amount(fields: dict[str, Any], name: str, problems: list[Problem]) -> float | None:
    amount = fields.get(name)
    if amount is None:
        return None
    try:
        amount = parse_amount(amount)
    except ValueError as error:
        problems.append((name, f"{name}: {error}"))
        return None
    if amount is not None and amount < 0:
        problems.append((name, f"{name}: must not be negative, got {amount:g}"))
    return amount


def _check_labels(fields: dict[str, Any], row: dict[str, Any], problems: list[Problem]) -> None:
    """Grade 1..4 is required in labelled history; suspected_fraud defaults to false."""
    grade = fields.get("grade")
    try:
        grade = grade if grade.__class__ is int else parse_count(grade)
    except ValueError as error:
        problems.append(("grade", f"grade: {error}"))
        grade = None
    else:
        if grade is None:
            message = f"grade: missing; labelled history needs a grade ({_GRADE_WORDS}) on every row"
            problems.append(("grade", message))
        elif grade not in GRADES:
            problems.append(("grade", f"grade: must be {_GRADE_WORDS}, got {grade}"))
    row["grade"] = grade
    fraud = _flag(fields, "suspected_fraud", False, problems)
    if fraud and grade in GRADES and grade != GRADES[-1]:
        problems.append(
            (
                "suspected_fraud",
                f"suspected_fraud: a suspected fraud is graded {GRADES[-1]}, this row has grade {grade}",
            )
        )
    row["suspected_fraud"] = fraud
    row["labelled_by"] = _text(fields, "labelled_by", problems)
    row["labelled_at"] = _optional_time(fields, "labelled_at", problems)


def _merge_flags(previous: object, flags: list[str]) -> list[str]:
    """Flags from this read plus any an earlier validation run recorded (re-validated output)."""
    if isinstance(previous, (list, tuple)) and previous:
        flags = [str(flag) for flag in previous] + flags
    return list(dict.fromkeys(flags))
