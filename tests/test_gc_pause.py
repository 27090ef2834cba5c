"""The collector's threshold is raised for a batch and always given back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from control.gc_pause import BATCH_THRESHOLD, fewer_collections


@pytest.fixture(autouse=True)
def known_threshold() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*before)


def test_a_batch_raises_only_the_young_threshold() -> None:
    with fewer_collections():
        assert gc.get_threshold() == (BATCH_THRESHOLD, 10, 10)


def test_the_threshold_is_restored_after_the_batch() -> None:
    with fewer_collections():
        pass
    assert gc.get_threshold() == (700, 10, 10)


def test_the_threshold_is_restored_when_the_batch_fails() -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("boom")
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_batches_keep_it_raised_until_the_outer_one_ends() -> None:
    with fewer_collections():
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == BATCH_THRESHOLD
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_batches_in_threads_restore_the_original() -> None:
    """The first batch to end must not restore the default under the second, nor the second
    restore the raised value the first left."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with fewer_collections():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.get_threshold()[0])

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [BATCH_THRESHOLD]
    assert gc.get_threshold() == (700, 10, 10)
