"""The benchmarks' memory of a process tree: each process's resident pages once."""

from __future__ import annotations

from bench.generation import distinct_pages


def test_a_child_that_still_shares_its_parents_memory_is_not_counted_twice() -> None:
    """Between vfork and exec a child reports its parent's figures as its own: a sample then
    must not count the parent's memory twice (it doubled a large document's peak)."""
    parent, child = (1, 900, 100), (10, 900, 100)  # (parent pid, virtual size, pages)
    assert distinct_pages({10: parent, 11: child}) == 100


def test_children_with_memory_of_their_own_are_counted() -> None:
    members = {10: (1, 900, 100), 11: (10, 300, 40), 12: (11, 300, 40), 13: (10, 900, 99)}
    # 12 shares 11's figures (a vfork child of 11): left out; 13 differs from its parent 10
    assert distinct_pages(members) == 100 + 40 + 99


def test_a_process_whose_parent_is_outside_the_tree_is_counted() -> None:
    assert distinct_pages({10: (1, 900, 100)}) == 100
