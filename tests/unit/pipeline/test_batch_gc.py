import gc

import pytest

from pipeline.batch_gc import BATCH_GC_THRESHOLD, batch_garbage_collection


def test_batch_rhythm_inside_and_the_usual_rhythm_after_even_on_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with batch_garbage_collection():
            assert gc.get_threshold() == BATCH_GC_THRESHOLD
            raise RuntimeError("a failing chunk")
    assert gc.get_threshold() == before
