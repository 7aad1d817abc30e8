"""Directed-graph helpers over integer ids: cycles and topological order.

The services use :func:`would_create_cycle` to refuse a dependency that
would close a cycle, naming the tasks in it; CPM uses the same ideas on its
compiled index arrays. Everything here is iterative (no recursion limit).
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.domain.errors import CycleError

Edge = tuple[int, int]


def _adjacency(nodes: Iterable[int], edges: Iterable[Edge]) -> dict[int, list[int]]:
    """Successor lists for every node named in ``nodes`` or in an edge (insertion ordered)."""
    successors: dict[int, list[int]] = {node: [] for node in nodes}
    for pred, succ in edges:
        successors.setdefault(pred, []).append(succ)
        successors.setdefault(succ, [])
    return successors


def _kahn(successors: dict[int, list[int]]) -> tuple[list[int], dict[int, int]]:
    """Kahn's algorithm: the topological order found and the in-degrees left over."""
    in_degree = dict.fromkeys(successors, 0)
    for succs in successors.values():
        for succ in succs:
            in_degree[succ] += 1
    order = [node for node, degree in in_degree.items() if degree == 0]
    position = 0
    while position < len(order):
        for succ in successors[order[position]]:
            in_degree[succ] -= 1
            if in_degree[succ] == 0:
                order.append(succ)
        position += 1
    return order, in_degree


def _cycle_among(successors: dict[int, list[int]], remaining: set[int]) -> list[int]:
    """A cycle among ``remaining``: nodes Kahn could not order, each with a remaining predecessor."""
    predecessor_in_cycle_part: dict[int, int] = {}
    for pred in remaining:
        for succ in successors[pred]:
            if succ in remaining:
                predecessor_in_cycle_part.setdefault(succ, pred)
    # Walk backwards: every remaining node has a remaining predecessor, so a node repeats.
    node = min(remaining)
    seen_at: dict[int, int] = {}
    walk: list[int] = []
    while node not in seen_at:
        seen_at[node] = len(walk)
        walk.append(node)
        node = predecessor_in_cycle_part[node]
    cycle = walk[seen_at[node]:]
    cycle.reverse()
    return _rotate_to_smallest(cycle)


def _rotate_to_smallest(cycle: list[int]) -> list[int]:
    """The same cycle, starting at its smallest id (stable messages and tests)."""
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def find_cycle(nodes: Iterable[int], edges: Iterable[Edge]) -> list[int] | None:
    """A cycle ``[a, b, ..., z]`` (edges a->b, ..., z->a) in the graph, or None if acyclic.

    Nodes that appear only in ``edges`` count too. A self-loop gives ``[a]``.
    """
    successors = _adjacency(nodes, edges)
    order, in_degree = _kahn(successors)
    if len(order) == len(successors):
        return None
    remaining = {node for node, degree in in_degree.items() if degree > 0}
    return _cycle_among(successors, remaining)


def topological_order(nodes: Iterable[int], edges: Iterable[Edge]) -> list[int]:
    """The nodes ordered so every edge points forward; raise CycleError naming a cycle."""
    successors = _adjacency(nodes, edges)
    order, in_degree = _kahn(successors)
    if len(order) != len(successors):
        remaining = {node for node, degree in in_degree.items() if degree > 0}
        raise CycleError(_cycle_among(successors, remaining))
    return order


def would_create_cycle(edges: Iterable[Edge], pred: int, succ: int) -> list[int] | None:
    """The cycle that adding ``pred -> succ`` to an acyclic graph would close, or None.

    The answer starts with the new edge: ``[pred, succ, ..., last]`` where
    ``last -> pred`` is an existing edge (``[pred]`` for a self-link).
    """
    if pred == succ:
        return [pred]
    successors: dict[int, list[int]] = {}
    for edge_pred, edge_succ in edges:
        successors.setdefault(edge_pred, []).append(edge_succ)
    reached_from: dict[int, int | None] = {succ: None}
    frontier = [succ]
    position = 0
    while position < len(frontier):
        node = frontier[position]
        position += 1
        for nxt in successors.get(node, ()):
            if nxt in reached_from:
                continue
            reached_from[nxt] = node
            if nxt == pred:
                path = [pred]
                step = node
                while step is not None:
                    path.append(step)
                    step = reached_from[step]
                # path is pred, last, ..., succ: reverse the tail after pred.
                return [pred, *reversed(path[1:])]
            frontier.append(nxt)
    return None
