"""Write scored rows: Parquet for programs, CSV for people, disagreements for managers.

New rows stream into a temporary Parquet file; on close they are merged after
the rows of earlier runs (batch by batch, so memory stays flat) and the CSV
files are rewritten from the merged file.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.scoring.outputs import (
    DISAGREEMENTS_CSV,
    ROUTING_SCHEMA,
    SCORED_CSV,
    SCORED_PARQUET,
    SCORED_SCHEMA,
)

DISAGREEMENT_COLUMNS = (
    "inquiry_id", "received_at", "sender_email", "company", "country_code", "subject", "grade", "grade_source",
    "model_grade", "model_confidence", "rule_grade", "rules_fired", "suspected_fraud", "explanation", "body",
)


def conform(frame: pd.DataFrame, schema: pa.Schema = SCORED_SCHEMA) -> pa.Table:
    """The frame as an Arrow table of exactly the scored schema (extra columns appended)."""
    columns, fields = [], []
    for schema_field in schema:
        values = frame[schema_field.name] if schema_field.name in frame else pd.Series([None] * len(frame))
        if pa.types.is_list(schema_field.type):
            values = [list(cell) if isinstance(cell, (list, tuple)) or hasattr(cell, "tolist") else [] for cell in values]
        elif pa.types.is_string(schema_field.type):
            values = [None if cell is None or (isinstance(cell, float) and cell != cell) else str(cell) for cell in values]
        elif pa.types.is_integer(schema_field.type):
            values = pd.array(values, dtype="Int64")
        columns.append(pa.array(values, type=schema_field.type, from_pandas=True))
        fields.append(schema_field)
    extra = [name for name in frame.columns if name not in schema.names]
    for name in extra:
        array = pa.array(frame[name].tolist(), from_pandas=True)
        columns.append(array)
        fields.append(pa.field(name, array.type))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


class ScoredWriter:
    """Append scored chunks, then publish scored.parquet, scored.csv and disagreements.csv.

    `finish_new_rows` closes this run's rows so routing can read them;
    `publish` joins the routing columns and merges them after earlier runs' rows.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.new_path = out_dir / f".{SCORED_PARQUET}.new"
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self.new_path.unlink(missing_ok=True)  # left over from a run that was killed

    @property
    def has_new_rows(self) -> bool:
        return self.new_path.exists()

    def append(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        table = conform(frame)
        if self._writer is None:
            self._schema = table.schema
            self._writer = pq.ParquetWriter(self.new_path, self._schema)
        self._writer.write_table(table.select(self._schema.names).cast(self._schema))

    def finish_new_rows(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def publish(self, routing: pd.DataFrame | None = None) -> None:
        """Merge earlier rows and this run's rows (with routing columns) into the output files."""
        self.finish_new_rows()
        if self.has_new_rows:
            self._merge(routing)
        target = self.out_dir / SCORED_PARQUET
        if target.exists():
            self._write_csvs(target)

    def _merge(self, routing: pd.DataFrame | None) -> None:
        target = self.out_dir / SCORED_PARQUET
        merged = self.out_dir / f".{SCORED_PARQUET}.merged"
        schema = pa.unify_schemas([pq.ParquetFile(self.new_path).schema_arrow, ROUTING_SCHEMA])
        if routing is not None:
            routing = routing.set_index("inquiry_id")
        with pq.ParquetWriter(merged, schema) as writer:
            if target.exists():
                for batch in pq.ParquetFile(target).iter_batches(batch_size=50_000):
                    writer.write_table(_align(pa.Table.from_batches([batch]), schema))
            for batch in pq.ParquetFile(self.new_path).iter_batches(batch_size=50_000):
                table = pa.Table.from_batches([batch])
                if routing is not None:
                    table = _with_routing(table, routing)
                writer.write_table(_align(table, schema))
        os.replace(merged, target)
        self.new_path.unlink()

    def _write_csvs(self, parquet_path: Path) -> None:
        scored_csv = self.out_dir / SCORED_CSV
        disagreements = []
        with scored_csv.open("w", encoding="utf-8", newline="") as handle:
            header_written = False
            for batch in pq.ParquetFile(parquet_path).iter_batches(batch_size=50_000):
                list_columns = [f.name for f in batch.schema if pa.types.is_list(f.type)]
                frame = _readable(batch.to_pandas(), list_columns)
                frame.to_csv(handle, index=False, header=not header_written, quoting=csv.QUOTE_MINIMAL)
                header_written = True
                flagged = frame[frame["disagreement"].astype(bool)]
                if len(flagged):
                    disagreements.append(flagged[list(DISAGREEMENT_COLUMNS)])
        columns = list(DISAGREEMENT_COLUMNS)
        table = pd.concat(disagreements) if disagreements else pd.DataFrame(columns=columns)
        # The most confident disagreements first: where the model is surest the rules are wrong.
        table = table.sort_values("model_confidence", ascending=False, kind="stable")
        table.to_csv(self.out_dir / DISAGREEMENTS_CSV, index=False)


def _with_routing(table: pa.Table, routing: pd.DataFrame) -> pa.Table:
    ids = table.column("inquiry_id").to_pylist()
    rows = routing.reindex(ids)
    for routing_field in ROUTING_SCHEMA:
        values = rows[routing_field.name] if routing_field.name in rows else pd.Series([None] * len(ids))
        if pa.types.is_timestamp(routing_field.type):
            values = pd.to_datetime(values, utc=True)
        elif pa.types.is_string(routing_field.type):
            values = [None if cell is None or (isinstance(cell, float) and cell != cell) else str(cell) for cell in values]
        elif pa.types.is_boolean(routing_field.type):
            values = [None if cell is None or (isinstance(cell, float) and cell != cell) else bool(cell) for cell in values]
        table = table.append_column(routing_field, pa.array(values, type=routing_field.type, from_pandas=True))
    return table


def _align(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Older files may lack a column added since: fill it with nulls."""
    columns = []
    for schema_field in schema:
        if schema_field.name in table.column_names:
            columns.append(table.column(schema_field.name).cast(schema_field.type))
        else:
            columns.append(pa.nulls(len(table), type=schema_field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _readable(frame: pd.DataFrame, list_columns: list[str]) -> pd.DataFrame:
    """Lists joined with '; ' (the contract's CSV list convention)."""
    frame = frame.copy()
    for column in list_columns:
        frame[column] = frame[column].map(_join_list)
    return frame


def _join_list(cell) -> str:
    if cell is None:
        return ""
    if hasattr(cell, "tolist"):
        cell = cell.tolist()
    if isinstance(cell, (list, tuple)):
        return "; ".join(str(item) for item in cell)
    return str(cell)
