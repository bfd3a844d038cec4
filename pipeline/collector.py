"""Pause Python's cyclic garbage collector around batch work.

Reading, checking or scoring a batch allocates many small dicts, lists and
tuples that all live until the batch is done; each allocation burst triggers
full collections that walk every object in the process (pandas, the model,
word lists, the chunk itself) and find no garbage. Measured: a sixth of the
signal time on 5,000 inquiries, a quarter of validation on 100k rows.
Reference counting still frees everything as usual; the few cycles left
(BeautifulSoup trees, exceptions phonenumbers keeps) wait for the collector,
which resumes (if it was on) when the batch is done, also after an error.

Kept free of heavy imports: validation and the signal families both use it.

>>> import gc
>>> with collection_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """The collector off for the `with` block, back on after it (if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
