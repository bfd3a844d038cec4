"""Garbage collection at a batch rhythm, for the stages that score or extract in bulk.

Scoring and signal extraction allocate millions of short-lived objects that form
no cycles; collecting every 700 allocations (Python's default) rescans the live
chunk again and again. Measured on 20,000 rows in one process: rules 1.7 s ->
0.2 s, the whole scoring run 14 -> 12 CPU-seconds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BATCH_GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def batch_garbage_collection() -> Iterator[None]:
    """Collect garbage less often inside the block; the usual rhythm comes back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
