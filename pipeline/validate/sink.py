"""Write normalised chunks to one Parquet file, one row group per chunk.

A Parquet writer needs its schema up front, but a later file may bring an
extra column the first did not have (or a label column). Then the rows
written so far are copied once into a file with the wider schema, so no
column is lost and memory stays bounded by one row group.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from pipeline.validate.frames import inquiry_table


class InquiryParquetSink:
    """Append typed chunks to `path`; the file appears complete on `close()`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.rows = 0
        self._partial = self.path.with_name(f".{self.path.name}.partial-0")
        self._writer = None
        self._schema = None

    def write(self, frame: pd.DataFrame) -> None:
        """Append one chunk; an empty chunk only fixes the schema if none exists yet."""
        import pyarrow.parquet as pq

        table = inquiry_table(frame)
        if self._writer is None:
            self._schema = table.schema
            self._writer = pq.ParquetWriter(self._partial, self._schema, compression="zstd")
        wider = merged_schema(self._schema, table.schema)
        if not wider.equals(self._schema):
            self._widen(wider)
        if table.num_rows:
            self._writer.write_table(conform(table, self._schema))
            self.rows += table.num_rows

    def close(self) -> Path:
        """Finish the file and move it into place."""
        if self._writer is None:
            raise ValueError("nothing was written: write at least one (possibly empty) chunk first")
        self._writer.close()
        os.replace(self._partial, self.path)
        return self.path

    def abort(self) -> None:
        """Drop a half-written file after an error."""
        if self._writer is not None:
            self._writer.close()
        self._partial.unlink(missing_ok=True)

    def _widen(self, schema) -> None:
        """Copy what was written into a new file with the wider schema and go on there."""
        import pyarrow.parquet as pq

        self._writer.close()
        previous = self._partial
        generation = int(previous.name.rsplit("-", 1)[1]) + 1
        self._partial = previous.with_name(f".{self.path.name}.partial-{generation}")
        self._writer = pq.ParquetWriter(self._partial, schema, compression="zstd")
        with pq.ParquetFile(previous) as written:
            for group in range(written.num_row_groups):
                self._writer.write_table(conform(written.read_row_group(group), schema))
        previous.unlink()
        self._schema = schema


def merged_schema(current, incoming):
    """`current` widened to hold `incoming`: new columns appended, clashing types reconciled.

    A column that was all-missing so far takes the new type; whole and
    fractional numbers meet as float64; any other clash is stored as text.
    """
    import pyarrow as pa

    fields = []
    incoming_types = {field.name: field.type for field in incoming}
    for field in current:
        other = incoming_types.get(field.name)
        if other is None or other == field.type or pa.types.is_null(other):
            fields.append(field)
        elif pa.types.is_null(field.type):
            fields.append(pa.field(field.name, other))
        elif _is_number(field.type) and _is_number(other):
            fields.append(pa.field(field.name, pa.float64()))
        else:
            fields.append(pa.field(field.name, pa.string()))
    known = set(current.names)
    fields.extend(field for field in incoming if field.name not in known)
    return pa.schema(fields)


def conform(table, schema):
    """`table` with exactly the columns and types of `schema` (absent columns as nulls)."""
    import pyarrow as pa

    arrays = []
    for field in schema:
        if field.name in table.column_names:
            column = table.column(field.name)
            arrays.append(column if column.type == field.type else column.cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _is_number(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_integer(kind) or pa.types.is_floating(kind)
