"""Cycle detection and topological order over integer ids."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.errors import CycleError
from planner.domain.graph import find_cycle, topological_order, would_create_cycle


def _is_cycle(cycle: list[int], edges: list[tuple[int, int]]) -> bool:
    """Whether consecutive ids (and last -> first) are all edges."""
    edge_set = set(edges)
    return all((a, b) in edge_set for a, b in zip(cycle, cycle[1:] + cycle[:1]))


def _has_cycle_by_brute_force(nodes: set[int], edges: list[tuple[int, int]]) -> bool:
    """Repeatedly drop nodes without predecessors; whatever stays is on or behind a cycle."""
    remaining = set(nodes) | {n for edge in edges for n in edge}
    while True:
        sources = {n for n in remaining if not any(b == n and a in remaining for a, b in edges)}
        if not sources:
            return bool(remaining)
        remaining -= sources


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ([], None),
        ([(1, 2), (2, 3), (1, 3)], None),
        ([(1, 2), (2, 1)], [1, 2]),
        ([(5, 5)], [5]),
        ([(3, 4), (4, 5), (5, 3), (1, 3)], [3, 4, 5]),
        ([(9, 7), (7, 8), (8, 9), (10, 9)], [7, 8, 9]),  # rotated to start at the smallest id
    ],
)
def test_find_cycle_returns_the_cycle_in_edge_order(edges, expected):
    assert find_cycle([1, 2, 3], edges) == expected


def test_isolated_nodes_and_nodes_only_in_edges_count():
    assert find_cycle([1, 2, 3], []) is None
    assert find_cycle([], [(7, 8), (8, 7)]) == [7, 8]


def test_topological_order_puts_every_edge_forward():
    order = topological_order([4, 3, 2, 1], [(1, 2), (2, 3), (1, 3), (4, 3)])
    position = {node: index for index, node in enumerate(order)}
    assert sorted(order) == [1, 2, 3, 4]
    assert position[1] < position[2] < position[3] and position[4] < position[3]


def test_topological_order_refuses_a_cycle_naming_it():
    with pytest.raises(CycleError, match=r"#1 -> #2 -> #3 -> #1") as raised:
        topological_order([1, 2, 3, 4], [(1, 2), (2, 3), (3, 1), (3, 4)])
    assert raised.value.cycle == (1, 2, 3)


@pytest.mark.parametrize(
    ("edges", "pred", "succ", "expected"),
    [
        ([(1, 2), (2, 3)], 3, 1, [3, 1, 2]),  # 3 -> 1 closes 1 -> 2 -> 3
        ([(1, 2), (2, 3)], 1, 3, None),  # a shortcut is fine
        ([(1, 2), (2, 3), (3, 4), (2, 4)], 4, 2, [4, 2]),  # the shortest way back
        ([], 5, 5, [5]),
        ([(1, 2)], 3, 4, None),
    ],
)
def test_would_create_cycle_names_the_cycle_a_new_link_closes(edges, pred, succ, expected):
    assert would_create_cycle(edges, pred, succ) == expected


def test_would_create_cycle_returns_a_shortest_path_back():
    edges = [(1, 2), (2, 3), (3, 4), (4, 5), (1, 5)]
    assert would_create_cycle(edges, 5, 1) == [5, 1]


def test_find_cycle_handles_long_chains_without_recursion():
    edges = [(n, n + 1) for n in range(50_000)]
    assert find_cycle([], edges) is None
    assert find_cycle([], [*edges, (50_000, 0)]) == list(range(50_001))


edge_lists = st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=20)


@settings(max_examples=400)
@given(edge_lists)
def test_find_cycle_agrees_with_brute_force_and_returns_a_real_cycle(edges):
    cycle = find_cycle(range(3), edges)
    assert (cycle is not None) == _has_cycle_by_brute_force(set(range(3)), edges)
    if cycle is not None:
        assert _is_cycle(cycle, edges) and len(set(cycle)) == len(cycle)


@settings(max_examples=400)
@given(edge_lists, st.integers(0, 8), st.integers(0, 8))
def test_would_create_cycle_matches_find_cycle_on_acyclic_graphs(edges, pred, succ):
    acyclic = [(a, b) for a, b in edges if a < b]
    cycle = would_create_cycle(acyclic, pred, succ)
    assert (cycle is not None) == (find_cycle([], [*acyclic, (pred, succ)]) is not None)
    if cycle is not None:
        assert cycle[:2] == [pred, succ][: len(cycle)]
        assert _is_cycle(cycle, [*acyclic, (pred, succ)])
