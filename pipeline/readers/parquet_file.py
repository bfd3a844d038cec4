"""Parquet: the contract's fields as columns, read one batch at a time."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.readers.records import InquirySource, RawChunk, RawRecord


def read_parquet(source: InquirySource, chunk_rows: int) -> Iterator[RawChunk]:
    """Records of a Parquet file in chunks; the row is the 1-based row index."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = str(source.path)
    try:
        parquet = pq.ParquetFile(source.path)
    except (pa.ArrowException, OSError) as error:
        yield RawChunk(source, notes=[f"could not read the file as Parquet: {error}"])
        return
    if parquet.metadata.num_rows == 0:
        yield RawChunk(source, notes=["no rows"])
        return
    row_number = 0
    batches = parquet.iter_batches(batch_size=chunk_rows)
    with parquet:
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except (pa.ArrowException, OSError) as error:
                yield RawChunk(source, notes=[f"stopped reading after row {row_number}: {error}"])
                return
            chunk = RawChunk(source)
            for fields in batch.to_pylist():
                row_number += 1
                chunk.records.append(RawRecord(file, row_number, fields))
            yield chunk
