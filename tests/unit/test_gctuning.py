"""The collector around start-up: no collections while building, survivors frozen after."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from gateway import gctuning


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture(autouse=True)
def restore_collector() -> Iterator[None]:
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


def test_building_runs_no_collection_inside_and_freezes_what_survives() -> None:
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.enable()
    frozen_before = gc.get_freeze_count()
    gc.callbacks.append(count)
    try:
        with gctuning.building():
            assert not gc.isenabled()
            kept = [Node() for _ in range(20_000)]  # enough to trigger young collections
            garbage = Node()
            dropped = weakref.ref(garbage)
            del garbage
            assert collections == []
            assert dropped() is not None
    finally:
        gc.callbacks.remove(count)
    assert collections == [2]  # the one full collection at the end
    assert dropped() is None  # the block's garbage was collected, not frozen
    assert gc.get_freeze_count() >= frozen_before + len(kept)
    assert gc.isenabled()


def test_building_leaves_a_disabled_collector_disabled_even_on_error() -> None:
    gc.disable()
    with pytest.raises(RuntimeError), gctuning.building():
        raise RuntimeError("start-up failed")
    assert not gc.isenabled()


def test_settle_freezes_and_only_raises_the_young_threshold() -> None:
    gc.set_threshold(700, 10, 10)
    gctuning.settle(5_000)
    assert gc.get_threshold() == (5_000, 10, 10)
    gctuning.settle(100)  # never lowers it
    assert gc.get_threshold() == (5_000, 10, 10)
    assert gc.get_freeze_count() > 0
