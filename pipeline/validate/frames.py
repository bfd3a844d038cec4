"""Typed tables of normalised inquiries: the pandas frame and its Parquet schema.

Every chunk gets the same columns and dtypes, so chunks concatenate and
downstream code can rely on them: datetimes in UTC, counts as int64, lists as
Python lists, text as pandas' `str` dtype (missing = NaN).
"""

from __future__ import annotations

import json
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.contract import (
    BOOL_FIELDS,
    COUNT_FIELDS,
    DATETIME_FIELDS,
    INQUIRY_FIELDS,
    LABEL_FIELDS,
    LIST_FIELDS,
    NORMALISED_EXTRA_FIELDS,
    NUMBER_FIELDS,
    STRING_FIELDS,
)

TEXT_COLUMNS = frozenset(STRING_FIELDS) | {
    "labelled_by",
    "country_code",
    "phone_e164",
    "fax_e164",
    "source_file",
}
TIME_COLUMNS = frozenset(DATETIME_FIELDS) | {"labelled_at"}
INT_COLUMNS = frozenset(COUNT_FIELDS) | {
    "received_offset_minutes",
    "body_chars",
    "quoted_reply_at",
    "source_row",
    "grade",
}
BOOL_COLUMNS = frozenset(BOOL_FIELDS) | {"suspected_fraud", "phone_valid"}
FLOAT_COLUMNS = frozenset(NUMBER_FIELDS)
LIST_COLUMNS = frozenset(LIST_FIELDS) | {"input_flags"}
TIME_DTYPE = "datetime64[us, UTC]"
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str"


def inquiry_columns(labelled: bool) -> tuple[str, ...]:
    """The fixed columns of a normalised chunk, in order (extras follow them)."""
    return INQUIRY_FIELDS + (LABEL_FIELDS if labelled else ()) + NORMALISED_EXTRA_FIELDS


def inquiry_frame(rows: list[dict[str, Any]], labelled: bool) -> pd.DataFrame:
    """The rows of `check_inquiry` as one typed frame; unknown fields become extra columns."""
    columns = inquiry_columns(labelled)
    data = {name: _typed_column(name, values) for name, values in zip(columns, _column_lists(rows, columns))}
    for name in _extra_columns(rows, frozenset(columns)):
        values = [row.get(name) for row in rows]
        data[name] = pd.Series(values, dtype=_extra_dtype(values))
    return pd.DataFrame(data)


def _extra_columns(rows: list[dict[str, Any]], fixed: frozenset[str]) -> list[str]:
    """Names beyond the fixed columns, in the order they first appear."""
    extras: dict[str, None] = {}
    for row in rows:
        # Most rows bring the extras seen before; the set operations (in C) tell which do not.
        if len(row) > len(fixed) and not extras.keys() >= row.keys() - fixed:
            extras.update(dict.fromkeys(name for name in row if name not in fixed))
    return list(extras)


def _column_lists(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[list[Any]]:
    """The rows' values column by column; itemgetter and zip transpose in C, not cell by cell."""
    if not rows:
        return [[] for _ in columns]
    return [list(values) for values in zip(*map(itemgetter(*columns), rows))]


def _typed_column(name: str, values: list[Any]) -> pd.Series | np.ndarray:
    if name in TEXT_COLUMNS:
        return text_series(values)
    if name in INT_COLUMNS:
        return np.array(values, dtype=np.int64)
    if name in TIME_COLUMNS:
        return pd.Series(pd.to_datetime(values, utc=True)).astype(TIME_DTYPE)
    if name in BOOL_COLUMNS:
        return np.array(values, dtype=bool)
    if name in FLOAT_COLUMNS:
        return np.array(values, dtype=np.float64)
    return pd.Series(values, dtype=object)


def text_series(values: list[str | None]) -> pd.Series:
    """A `str` column; built through Arrow, which is several times faster than pandas here."""
    array = pa.array(values, type=pa.large_string())
    return array.to_pandas(types_mapper={pa.large_string(): TEXT_DTYPE}.get)


def _extra_dtype(values: list[Any]) -> object:
    """`str` for text-only extras (missing allowed), otherwise let pandas decide."""
    if all(value is None or isinstance(value, str) for value in values):
        return "str"
    return None


def arrow_type(column: str):
    """The Parquet type of a fixed column, so every chunk is written alike."""
    if column in TEXT_COLUMNS:
        return pa.string()
    if column in INT_COLUMNS:
        return pa.int64()
    if column in TIME_COLUMNS:
        return pa.timestamp("us", tz="UTC")
    if column in BOOL_COLUMNS:
        return pa.bool_()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    if column in LIST_COLUMNS:
        return pa.list_(pa.string())
    raise KeyError(column)


def inquiry_table(frame: pd.DataFrame):
    """A chunk as an Arrow table: fixed columns typed, extras inferred (text when mixed)."""
    arrays, fields = [], []
    for column in frame.columns:
        series = frame[column]
        try:
            kind = arrow_type(column)
        except KeyError:
            array = _extra_array(series)
        else:
            array = pa.array(series, type=kind, from_pandas=True)
        arrays.append(array)
        fields.append(pa.field(column, array.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _extra_array(series: pd.Series):
    """An unknown input column as Arrow; nested or mixed values are stored as JSON text."""
    values = series.tolist()
    if any(isinstance(value, (dict, list, tuple)) for value in values):
        values = [_as_text(value) for value in values]
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        array = pa.array([_as_text(value) for value in values], type=pa.string(), from_pandas=True)
    if pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    return array


def _as_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
