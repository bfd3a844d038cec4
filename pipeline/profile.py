"""Load and validate a seller's company profile (CONTRACT.md section 3).

A profile is a YAML file naming the team's timezone, working hours, workdays,
and two CSV files (catalog, team) given relative to the YAML file. Optional
keys (routing, fraud, thresholds) get defaults, so the contract's minimal
profile works. Every error names the file, the row and the column.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import yaml

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CATALOG_COLUMNS = ("sku", "name", "category", "keywords", "unit", "moq", "price_usd")
TEAM_COLUMNS = (
    "rep_id",
    "name",
    "email",
    "regions",
    "categories",
    "languages",
    "seniority",
    "capacity_per_day",
    "active",
)
TRUE_WORDS = {"true", "yes", "1", "y"}
FALSE_WORDS = {"false", "no", "0", "n"}

# Keys a profile may add beyond the contract, with their defaults.
DEFAULT_SETTINGS: dict[str, Any] = {
    "holiday_country": "CN",  # the team's own public holidays
    "routing": {"strategies": ["region", "category", "language", "least_loaded"]},
    "fraud": {"penalised_countries": []},  # country penalty rule: off by default
    "intro": [],  # three-line company introduction for reply drafts
    "website": None,
}


class ProfileError(ValueError):
    """A profile, catalog or team file that does not meet the contract."""

    def __init__(self, path: Path | str, message: str, row: int | None = None, column: str | None = None):
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")
        self.path, self.row, self.column = str(path), row, column


@dataclass(frozen=True)
class CompanyProfile:
    """One seller: who they are, when they work, what they sell, who sells it."""

    name: str
    timezone: str
    work_start: time
    work_end: time
    workdays: tuple[str, ...]
    catalog: pd.DataFrame
    team: pd.DataFrame
    path: Path | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def categories(self) -> list[str]:
        return sorted(self.catalog["category"].unique())


def load_profile(path: str | Path) -> CompanyProfile:
    """Read a profile YAML and the catalog and team CSVs it names."""
    path = Path(path)
    if path.is_dir():
        path = path / "profile.yaml"
    if not path.exists():
        raise ProfileError(path, "profile file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ProfileError(path, f"not valid YAML: {error}") from error
    except UnicodeDecodeError as error:
        raise ProfileError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from error
    if not isinstance(raw, dict):
        raise ProfileError(path, "expected a mapping of keys (name, timezone, ...)")
    for key in ("name", "timezone", "catalog", "team"):
        if not raw.get(key):
            raise ProfileError(path, f"missing required key '{key}'")
    timezone = str(raw["timezone"])
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ProfileError(path, f"unknown timezone '{timezone}'", column="timezone") from error
    hours = raw.get("working_hours") or {"start": "09:00", "end": "18:00"}
    if not isinstance(hours, dict):
        example = '{start: "09:00", end: "18:00"}'
        raise ProfileError(path, f"working_hours must look like {example}, got {hours!r}", column="working_hours")
    work_start = _parse_clock(hours.get("start"), path, "working_hours.start")
    work_end = _parse_clock(hours.get("end"), path, "working_hours.end")
    if work_end <= work_start:
        raise ProfileError(path, "working_hours.end must be after working_hours.start")
    workdays = raw.get("workdays") or WEEKDAYS[:5]
    if not isinstance(workdays, (list, tuple)):
        raise ProfileError(path, f"expected a list of days like [Mon, Tue], got {workdays!r}", column="workdays")
    workdays = tuple(workdays)
    for day in workdays:
        if day not in WEEKDAYS:
            raise ProfileError(path, f"unknown workday '{day}' (use {', '.join(WEEKDAYS)})", column="workdays")
    settings = _merge_defaults(DEFAULT_SETTINGS, {k: v for k, v in raw.items() if k not in _CORE_KEYS})
    return CompanyProfile(
        name=str(raw["name"]),
        timezone=timezone,
        work_start=work_start,
        work_end=work_end,
        workdays=workdays,
        catalog=load_catalog(path.parent / raw["catalog"]),
        team=load_team(path.parent / raw["team"]),
        path=path,
        settings=settings,
    )


_CORE_KEYS = {"name", "timezone", "working_hours", "workdays", "catalog", "team"}


def load_catalog(path: Path) -> pd.DataFrame:
    """The product catalog; `keywords` becomes a list of synonyms and model codes."""
    rows = _read_csv(path, CATALOG_COLUMNS)
    products = []
    seen_skus: dict[str, int] = {}
    for row_number, row in rows:
        sku = _required_text(row, "sku", path, row_number)
        if sku in seen_skus:
            raise ProfileError(path, f"duplicate sku '{sku}' (first on row {seen_skus[sku]})", row_number, "sku")
        seen_skus[sku] = row_number
        products.append(
            {
                "sku": sku,
                "name": _required_text(row, "name", path, row_number),
                "category": _required_text(row, "category", path, row_number),
                "keywords": _split_list(row.get("keywords")),
                "unit": _required_text(row, "unit", path, row_number),
                "moq": _number(row, "moq", path, row_number, integer=True),
                "price_usd": _number(row, "price_usd", path, row_number, integer=False),
            }
        )
    if not products:
        raise ProfileError(path, "the catalog has no products")
    return pd.DataFrame(products)


def load_team(path: Path) -> pd.DataFrame:
    """The sales team; list columns are split, seniority checked to 1..3."""
    rows = _read_csv(path, TEAM_COLUMNS)
    reps = []
    seen_ids: dict[str, int] = {}
    for row_number, row in rows:
        rep_id = _required_text(row, "rep_id", path, row_number)
        if rep_id in seen_ids:
            raise ProfileError(path, f"duplicate rep_id '{rep_id}' (first on row {seen_ids[rep_id]})", row_number, "rep_id")
        seen_ids[rep_id] = row_number
        seniority = _number(row, "seniority", path, row_number, integer=True)
        if not 1 <= seniority <= 3:
            raise ProfileError(path, f"seniority must be 1, 2 or 3, got {seniority}", row_number, "seniority")
        reps.append(
            {
                "rep_id": rep_id,
                "name": _required_text(row, "name", path, row_number),
                "email": _required_text(row, "email", path, row_number).lower(),
                "regions": _split_list(row.get("regions")),
                "categories": _split_list(row.get("categories")),
                "languages": [code.lower() for code in _split_list(row.get("languages"))],
                "seniority": seniority,
                "capacity_per_day": _number(row, "capacity_per_day", path, row_number, integer=True),
                "active": _boolean(row, "active", path, row_number),
            }
        )
    if not reps:
        raise ProfileError(path, "the team has no reps")
    return pd.DataFrame(reps)


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their 1-based line numbers (the header is line 1)."""
    if not path.exists():
        raise ProfileError(path, "file not found")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in columns if column not in header]
            if missing:
                raise ProfileError(path, f"missing column(s) {', '.join(missing)}; found {', '.join(header) or 'no header'}", 1)
            return [(number, row) for number, row in enumerate(reader, start=2)]
    except UnicodeDecodeError as error:
        raise ProfileError(path, f"not UTF-8 text ({error.reason} at byte {error.start}); save it as CSV UTF-8") from error


def _required_text(row: dict[str, str], column: str, path: Path, row_number: int) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise ProfileError(path, "value is empty", row_number, column)
    return value


def _number(row: dict[str, str], column: str, path: Path, row_number: int, integer: bool) -> float | int:
    text = _required_text(row, column, path, row_number)
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ProfileError(path, f"expected {kind}, got '{text}'", row_number, column) from None
    if value < 0:
        raise ProfileError(path, f"must not be negative, got {value}", row_number, column)
    return value


def _boolean(row: dict[str, str], column: str, path: Path, row_number: int) -> bool:
    text = (row.get(column) or "true").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ProfileError(path, f"expected true or false, got '{text}'", row_number, column)


def _split_list(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _parse_clock(text: Any, path: Path, key: str) -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(text or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ProfileError(path, f"expected a time like 09:00, got '{text}'", column=key)
    return time(int(match[1]), int(match[2]))


def _merge_defaults(defaults: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(defaults.get(key), dict):
            merged[key] = {**defaults[key], **value}
        else:
            merged[key] = value
    return merged
