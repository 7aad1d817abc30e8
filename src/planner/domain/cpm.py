"""Critical path method over a :class:`~planner.domain.network.Network`.

The network is first *compiled* into index arrays (ids mapped to ``0..n-1``,
links split by kind, a Kahn topological order), so the forward and backward
passes are tight loops over lists. The compiled form is reused by the
forecaster: :func:`early_finish_times` reruns only the forward pass with
other durations.

Rules (DESIGN.md, "Scheduling semantics"), in working-day offsets:

* FS ``s_succ >= f_pred + L``; SS ``s_succ >= s_pred + L``;
  FF ``f_succ >= f_pred + L``; SF ``f_succ >= s_pred + L``.
* Planned work starts no earlier than day 0, the status offset and its
  start-no-earlier bound.
* A done task is fixed at its actual start/finish (exclusive); done without
  dates it is placed by its links alone. Done tasks are never critical (as in
  MS Project) and have zero slack.
* A task in progress keeps its actual start; its finish is
  ``max(actual_start + duration, status + remaining, FF/SF bounds)``. Start
  links (FS/SS into it, SS/SF out of it) no longer move it.
* The backward pass starts from ``min(project finish, project deadline,
  own deadline)``; slack = LS - ES; critical = slack <= 0.
* Summary tasks (``is_summary`` or the parent of another activity) have no
  duration of their own: they span their leaf descendants. A link to or from
  a summary applies to each of its leaf descendants (so the link also holds
  between the rolled-up summary dates). It is compiled through zero-length
  *gate* nodes rather than one link per pair of leaves, so a link between
  two large phases stays linear. A summary's start-no-earlier and deadline
  apply to its leaves. Its slack is the smallest slack of its unfinished
  leaves, and it is critical when one of them is.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter, sub

from planner.domain.errors import CycleError, InvalidInputError
from planner.domain.network import LINK_TYPES, Activity, Network, Scheduled
from planner.domain.summaries import inherited_bounds, refuse_link_within_summary, summary_structure

FS, SS, FF, SF = 0, 1, 2, 3
_LINK_CODES = {name: code for code, name in enumerate(LINK_TYPES)}

# Node kinds, in the order the passes test them.
PLANNED, IN_PROGRESS, GATE, DONE, DONE_UNDATED = 0, 1, 2, 3, 4

_NO_BOUND = 1 << 60
#: Late finishes at or above this had no deadline downstream (see backward_pass).
NO_DEADLINE = _NO_BOUND >> 1
_EMPTY: tuple = ()

_link_fields = attrgetter("pred", "succ", "type", "lag_days")


@dataclass(slots=True)
class CompiledNetwork:
    """A network as index arrays, ready for repeated forward/backward passes.

    Nodes ``0 .. leaf_count-1`` are the leaf activities in input order; nodes
    from ``leaf_count`` on are gates standing for summary tasks' link ends.
    ``fs_preds[node]`` lists predecessors joined by FS links with lag 0 (the
    common case); ``other_preds[node]`` holds ``(link code, pred, lag_days)``
    for the rest. ``*_succs`` mirror them for the backward pass.
    """

    node_ids: list[int]
    index_of: dict[int, int]
    leaf_count: int
    kinds: list[int]
    durations_days: list[int]
    remaining_days: list[int]
    start_bounds: list[int]
    fixed_finishes: list[int]
    deadlines: list[int]
    order: list[int]
    fs_preds: list[list[int]]
    other_preds: list[tuple | list[tuple[int, int, int]]]
    fs_succs: list[list[int]]
    other_succs: list[tuple | list[tuple[int, int, int]]]
    summary_children: dict[int, list[int]]
    summary_postorder: list[int]
    status_offset: int
    project_deadline: int | None

    def leaf_nodes_of(self, activity_id: int) -> list[int]:
        """The node indexes of the leaves an activity stands for (itself if a leaf)."""
        if activity_id in self.index_of:
            return [self.index_of[activity_id]]
        if activity_id not in self.summary_children:
            raise InvalidInputError(f"task #{activity_id} is not part of this network")
        leaves: list[int] = []
        stack = [activity_id]
        while stack:
            for child in self.summary_children[stack.pop()]:
                if child in self.summary_children:
                    stack.append(child)
                else:
                    leaves.append(self.index_of[child])
        return leaves


# -- compiling ----------------------------------------------------------------


def compile_network(network: Network) -> CompiledNetwork:
    """Map ids to indexes, expand summary links through gates and order the nodes.

    Raise InvalidInputError for malformed input (duplicate ids, unknown link
    ends, negative durations, unknown link types) and CycleError naming the
    tasks of a dependency cycle.
    """
    children, postorder, parent_of = summary_structure(network)
    inherited_start, inherited_deadline = (
        inherited_bounds(network, postorder, parent_of) if postorder else ({}, {})
    )
    status = network.status_offset
    leaves = [a for a in network.activities if a.id not in children] if children else network.activities
    node_ids = [activity.id for activity in leaves]
    durations = [activity.duration_days for activity in leaves]
    remaining = [
        duration if activity.remaining_days is None else activity.remaining_days
        for activity, duration in zip(leaves, durations)
    ]  # fmt: skip
    deadlines = [_NO_BOUND if activity.deadline is None else activity.deadline for activity in leaves]
    kinds = [PLANNED] * len(leaves)
    start_bounds = [max(0, status)] * len(leaves)
    fixed_finishes = [0] * len(leaves)
    if durations and min(durations) < 0:
        negative = next(activity for activity in leaves if activity.duration_days < 0)
        raise InvalidInputError(f"task #{negative.id} has a negative duration ({negative.duration_days} days)")
    special = [
        index for index, activity in enumerate(leaves)
        if activity.done or activity.actual_start is not None or activity.start_no_earlier is not None
        or activity.is_summary or activity.parent is not None
    ]  # fmt: skip
    columns = (kinds, durations, remaining, start_bounds, fixed_finishes, deadlines)
    for index in special:
        _place_special_leaf(leaves[index], index, columns, parent_of, inherited_start, inherited_deadline)

    leaf_count = len(node_ids)
    index_of = dict(zip(node_ids, range(leaf_count)))
    if len(index_of) != leaf_count or len(index_of) + len(children) != len(network.activities):
        counts = Counter(activity.id for activity in network.activities)
        duplicate = next(activity_id for activity_id, count in counts.items() if count > 1)
        raise InvalidInputError(f"task #{duplicate} appears twice in the network")

    compiled = CompiledNetwork(
        node_ids=node_ids, index_of=index_of, leaf_count=leaf_count, kinds=kinds,
        durations_days=durations, remaining_days=remaining, start_bounds=start_bounds,
        fixed_finishes=fixed_finishes, deadlines=deadlines, order=[],
        fs_preds=[[] for _ in range(leaf_count)], other_preds=[_EMPTY] * leaf_count,
        fs_succs=[[] for _ in range(leaf_count)], other_succs=[_EMPTY] * leaf_count,
        summary_children=children, summary_postorder=postorder,
        status_offset=status, project_deadline=network.project_deadline,
    )  # fmt: skip
    _add_links(compiled, network, parent_of)
    compiled.order = _topological_order(compiled)
    return compiled


def _place_special_leaf(
    activity: Activity,
    index: int,
    columns: tuple[list[int], ...],
    parent_of: dict[int, int],
    inherited_start: dict[int, int],
    inherited_deadline: dict[int, int],
) -> None:
    """Fill the columns of a leaf that is done, started, bounded, an empty summary or a subtask."""
    kinds, durations, remaining, start_bounds, fixed_finishes, deadlines = columns
    start_no_earlier, deadline = activity.start_no_earlier, activity.deadline
    parent = parent_of.get(activity.id)
    if parent is not None:
        start_no_earlier = _max_optional(start_no_earlier, inherited_start.get(parent))
        deadline = _min_optional(deadline, inherited_deadline.get(parent))
        deadlines[index] = _NO_BOUND if deadline is None else deadline
    if activity.is_summary:  # an empty summary is a zero-length marker
        durations[index] = 0
        remaining[index] = 0 if activity.remaining_days is None else activity.remaining_days
    duration = durations[index]
    actual_start, actual_finish = activity.actual_start, activity.actual_finish
    if activity.done:
        if actual_start is None and actual_finish is None:
            kinds[index], start_bounds[index] = DONE_UNDATED, max(0, start_no_earlier or 0)
            return
        start = actual_start if actual_start is not None else actual_finish - duration  # type: ignore[operator]
        finish = actual_finish if actual_finish is not None else start + duration
        if finish < start:
            raise InvalidInputError(f"task #{activity.id} finishes (day {finish}) before it starts (day {start})")
        kinds[index], start_bounds[index], fixed_finishes[index] = DONE, start, finish
    elif actual_start is not None:
        kinds[index], start_bounds[index] = IN_PROGRESS, actual_start
    elif start_no_earlier is not None and start_no_earlier > start_bounds[index]:
        start_bounds[index] = start_no_earlier


def _max_optional(first: int | None, second: int | None) -> int | None:
    """The larger of two optional values (None when both are None)."""
    if first is None:
        return second
    return first if second is None or first >= second else second


def _min_optional(first: int | None, second: int | None) -> int | None:
    """The smaller of two optional values (None when both are None)."""
    if first is None:
        return second
    return first if second is None or first <= second else second


def _add_links(compiled: CompiledNetwork, network: Network, parent_of: dict[int, int]) -> None:
    """Fill the per-node link lists, routing links of summaries through gates."""
    index_of = compiled.index_of
    children = compiled.summary_children
    fs_preds, fs_succs = compiled.fs_preds, compiled.fs_succs
    gates: dict[tuple[int, str], int] = {}
    index_get = index_of.get
    for pred_id, succ_id, link_type, lag in map(_link_fields, network.links):
        pred = index_get(pred_id)
        succ = index_get(succ_id)
        if lag == 0 and link_type == "FS" and pred is not None and succ is not None and pred != succ:
            fs_preds[succ].append(pred)
            fs_succs[pred].append(succ)
            continue
        code = _LINK_CODES.get(link_type)
        if code is None:
            raise InvalidInputError(
                f"unknown link type {link_type!r} for #{pred_id} -> #{succ_id}: use one of {', '.join(LINK_TYPES)}"
            )
        for end_id in (pred_id, succ_id):
            if end_id not in index_of and end_id not in children:
                raise InvalidInputError(
                    f"link #{pred_id} -> #{succ_id} refers to task #{end_id}, which is not in the network"
                )
        if pred_id == succ_id:
            raise CycleError([pred_id], f"task #{pred_id} cannot depend on itself")
        if pred is None or succ is None:
            refuse_link_within_summary(pred_id, succ_id, parent_of)
        if pred is None:  # out of a summary: from a gate after (FS/FF) or at (SS/SF) its leaves' starts
            pred = _gate(compiled, gates, pred_id, "out_finish" if code in (FS, FF) else "out_start")
        if succ is None:  # into a summary: a gate its leaves start (FS/SS) or finish (FF/SF) after
            succ = _gate(compiled, gates, succ_id, "in_start" if code in (FS, SS) else "in_finish")
        _link(compiled, pred, succ, code, lag)


def _link(compiled: CompiledNetwork, pred: int, succ: int, code: int, lag: int) -> None:
    """Record one link between two node indexes."""
    if code == FS and lag == 0:
        compiled.fs_preds[succ].append(pred)
        compiled.fs_succs[pred].append(succ)
        return
    if not compiled.other_preds[succ]:
        compiled.other_preds[succ] = []
    if not compiled.other_succs[pred]:
        compiled.other_succs[pred] = []
    compiled.other_preds[succ].append((code, pred, lag))  # type: ignore[union-attr]
    compiled.other_succs[pred].append((code, succ, lag))  # type: ignore[union-attr]


def _gate(compiled: CompiledNetwork, gates: dict[tuple[int, str], int], summary_id: int, role: str) -> int:
    """The node of one of a summary's four gates, created with its links to the leaves."""
    key = (summary_id, role)
    node = gates.get(key)
    if node is not None:
        return node
    node = len(compiled.node_ids)
    gates[key] = node
    compiled.node_ids.append(summary_id)
    compiled.kinds.append(GATE)
    compiled.durations_days.append(0)
    compiled.remaining_days.append(0)
    compiled.start_bounds.append(-_NO_BOUND)
    compiled.fixed_finishes.append(0)
    compiled.deadlines.append(_NO_BOUND)
    compiled.fs_preds.append([])
    compiled.fs_succs.append([])
    compiled.other_preds.append(_EMPTY)
    compiled.other_succs.append(_EMPTY)
    for leaf in compiled.leaf_nodes_of(summary_id):
        if role == "out_finish":  # gate start >= every leaf finish
            _link(compiled, leaf, node, FS, 0)
        elif role == "out_start":  # gate start >= every leaf start
            _link(compiled, leaf, node, SS, 0)
        elif role == "in_start":  # every leaf start >= gate
            _link(compiled, node, leaf, SS, 0)
        else:  # in_finish: every leaf finish >= gate
            _link(compiled, node, leaf, FF, 0)
    return node


def _topological_order(compiled: CompiledNetwork) -> list[int]:
    """Kahn's order of the nodes; raise CycleError naming a cycle if there is one."""
    fs_succs, other_succs = compiled.fs_succs, compiled.other_succs
    in_degree = [len(fs) + len(other) for fs, other in zip(compiled.fs_preds, compiled.other_preds)]
    order = [node for node, degree in enumerate(in_degree) if degree == 0]
    append = order.append
    for node in order:  # the list grows while we walk it
        for succ in fs_succs[node]:
            in_degree[succ] -= 1
            if not in_degree[succ]:
                append(succ)
        for _code, succ, _lag in other_succs[node]:
            in_degree[succ] -= 1
            if not in_degree[succ]:
                append(succ)
    if len(order) < len(in_degree):
        raise CycleError(_cycle_ids(compiled, in_degree))
    return order


def _cycle_ids(compiled: CompiledNetwork, in_degree: list[int]) -> list[int]:
    """The activity ids on one cycle among the nodes Kahn could not order."""
    node = next(index for index, degree in enumerate(in_degree) if degree)
    seen_at: dict[int, int] = {}
    walk: list[int] = []
    while node not in seen_at:  # each unordered node has an unordered predecessor
        seen_at[node] = len(walk)
        walk.append(node)
        preds = list(compiled.fs_preds[node]) + [pred for _c, pred, _l in compiled.other_preds[node]]
        node = next(pred for pred in preds if in_degree[pred])
    nodes = walk[seen_at[node]:][::-1]
    ids: list[int] = []
    for activity_id in (compiled.node_ids[index] for index in nodes):
        if not ids or ids[-1] != activity_id:
            ids.append(activity_id)
    if len(ids) > 1 and ids[0] == ids[-1]:
        ids.pop()
    start = ids.index(min(ids))
    return ids[start:] + ids[:start]


# -- passes ---------------------------------------------------------------------


def forward_pass(
    compiled: CompiledNetwork,
    durations_days: list[int] | None = None,
    remaining_days: list[int] | None = None,
) -> tuple[list[int], list[int]]:
    """Early starts and exclusive early finishes of every node (index aligned).

    ``durations_days``/``remaining_days`` replace the compiled ones (Monte
    Carlo draws); gates must keep duration 0.
    """
    durations = compiled.durations_days if durations_days is None else durations_days
    remaining = compiled.remaining_days if remaining_days is None else remaining_days
    kinds, start_bounds, fixed_finishes = compiled.kinds, compiled.start_bounds, compiled.fixed_finishes
    fs_preds, other_preds = compiled.fs_preds, compiled.other_preds
    status = compiled.status_offset
    node_count = len(kinds)
    early_start = [0] * node_count
    early_finish = [0] * node_count
    finish_of = early_finish.__getitem__
    for node in compiled.order:
        kind = kinds[node]
        if kind == DONE:
            early_start[node] = start_bounds[node]
            early_finish[node] = fixed_finishes[node]
            continue
        start = start_bounds[node]
        preds = fs_preds[node]
        if preds and kind != IN_PROGRESS:
            latest = max(map(finish_of, preds)) if len(preds) > 1 else early_finish[preds[0]]
            if latest > start:
                start = latest
        finish_bound = -_NO_BOUND
        for code, pred, lag in other_preds[node]:
            if code == FF:
                value = early_finish[pred] + lag
                if value > finish_bound:
                    finish_bound = value
            elif code == SF:
                value = early_start[pred] + lag
                if value > finish_bound:
                    finish_bound = value
            elif kind != IN_PROGRESS:
                value = (early_finish[pred] if code == FS else early_start[pred]) + lag
                if value > start:
                    start = value
        duration = durations[node]
        if kind == IN_PROGRESS:
            finish = max(start + duration, status + remaining[node], finish_bound)
        else:
            if finish_bound - duration > start:
                start = finish_bound - duration
            finish = start + duration
        early_start[node] = start
        early_finish[node] = finish
    return early_start, early_finish


def early_finish_times(
    compiled: CompiledNetwork, durations_days: list[int], remaining_days: list[int] | None = None
) -> list[int]:
    """Exclusive early finish of every node with the given durations (the forecaster's pass)."""
    return forward_pass(compiled, durations_days, remaining_days)[1]


def project_finish(compiled: CompiledNetwork, early_finish: list[int]) -> int:
    """The project's exclusive finish: the latest early finish of a leaf (0 when empty)."""
    return max(early_finish[: compiled.leaf_count], default=0)


def backward_pass(
    compiled: CompiledNetwork, early_start: list[int], early_finish: list[int], *, bounded_by_finish: bool = True
) -> tuple[list[int], list[int]]:
    """Late starts and exclusive late finishes of every node (index aligned).

    Every node's late finish is at most ``min(project finish, project
    deadline, own deadline)``; done tasks keep their early dates. With
    ``bounded_by_finish=False`` only deadlines bind (the daily queue's
    slack: how far work can slip before a due date downstream is missed);
    a node with no deadline downstream then gets a late finish of at least
    ``NO_DEADLINE``.
    """
    bound = project_finish(compiled, early_finish) if bounded_by_finish else _NO_BOUND
    if compiled.project_deadline is not None and compiled.project_deadline < bound:
        bound = compiled.project_deadline
    kinds, deadlines = compiled.kinds, compiled.deadlines
    fs_succs, other_succs = compiled.fs_succs, compiled.other_succs
    node_count = len(kinds)
    late_start = [0] * node_count
    late_finish = [0] * node_count
    start_of = late_start.__getitem__
    for node in reversed(compiled.order):
        kind = kinds[node]
        if kind >= DONE:
            late_start[node] = early_start[node]
            late_finish[node] = early_finish[node]
            continue
        finish = deadlines[node]
        if bound < finish:
            finish = bound
        succs = fs_succs[node]
        if succs:
            earliest = min(map(start_of, succs)) if len(succs) > 1 else late_start[succs[0]]
            if earliest < finish:
                finish = earliest
        span = early_finish[node] - early_start[node]
        for code, succ, lag in other_succs[node]:
            if code == FS:
                value = late_start[succ] - lag
            elif code == FF:
                value = late_finish[succ] - lag
            elif kind == IN_PROGRESS:  # its start is history: start links no longer bind it
                continue
            elif code == SS:
                value = late_start[succ] - lag + span
            else:
                value = late_finish[succ] - lag + span
            if value < finish:
                finish = value
        late_finish[node] = finish
        late_start[node] = finish - span
    return late_start, late_finish


# -- the schedule ---------------------------------------------------------------


def compute_schedule(network: Network) -> dict[int, Scheduled]:
    """Early/late dates, slack and criticality of every activity, keyed by activity id.

    Raise CycleError naming the tasks of a dependency cycle and
    InvalidInputError for malformed input (see :func:`compile_network`).
    """
    with collector_paused():
        compiled = compile_network(network)
        early_start, early_finish = forward_pass(compiled)
        late_start, late_finish = backward_pass(compiled, early_start, early_finish)
        return schedule_from_passes(compiled, early_start, early_finish, late_start, late_finish)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    The passes allocate hundreds of thousands of lists and records but no
    reference cycles; without this, generation scans cost about half the run
    time on large networks.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def schedule_from_passes(
    compiled: CompiledNetwork,
    early_start: list[int],
    early_finish: list[int],
    late_start: list[int],
    late_finish: list[int],
) -> dict[int, Scheduled]:
    """Turn pass results into :class:`Scheduled` records, rolling up summaries."""
    leaf_ids = compiled.node_ids[: compiled.leaf_count]
    slacks = list(map(sub, late_start, early_start))
    critical = [slack <= 0 and kind < DONE for slack, kind in zip(slacks, compiled.kinds)]
    records = map(Scheduled, leaf_ids, early_start, early_finish, late_start, late_finish, slacks, critical)
    schedule: dict[int, Scheduled] = dict(zip(leaf_ids, records))
    kinds, index_of = compiled.kinds, compiled.index_of
    open_slack: dict[int, int | None] = {}  # smallest slack of a summary's unfinished leaves
    for summary in compiled.summary_postorder:  # children (and sub-summaries) first
        children = compiled.summary_children[summary]
        parts = [schedule[child] for child in children]
        slacks = [
            part.slack if child in index_of else open_slack[child]
            for child, part in zip(children, parts)
            if (kinds[index_of[child]] < DONE if child in index_of else open_slack[child] is not None)
        ]  # fmt: skip
        open_slack[summary] = min(slacks, default=None)
        schedule[summary] = Scheduled(
            summary,
            min(part.es for part in parts),
            max(part.ef for part in parts),
            min(part.ls for part in parts),
            max(part.lf for part in parts),
            min(slacks, default=0),
            any(part.critical for part in parts),
        )
    return schedule


# -- the critical path ----------------------------------------------------------


def critical_path(schedule: dict[int, Scheduled], network: Network | CompiledNetwork) -> list[int]:
    """A chain of critical leaf activities from a start to the project finish.

    It begins at the unfinished critical activity finishing last (the last
    of them in topological order, so a closing milestone) and walks
    back along *driving* links (those holding with equality), preferring the
    most critical predecessor, until an activity is driven by nothing but its
    own bounds (day 0, the status date, start-no-earlier). Returned in
    start-to-finish order; empty when no unfinished activity is critical.
    """
    compiled = network if isinstance(network, CompiledNetwork) else compile_network(network)
    leaf_count = compiled.leaf_count
    node_ids, kinds = compiled.node_ids, compiled.kinds
    records = [schedule[activity_id] for activity_id in node_ids[:leaf_count]]
    early_start = [record.es for record in records] + [0] * (len(node_ids) - leaf_count)
    early_finish = [record.ef for record in records] + [0] * (len(node_ids) - leaf_count)
    _gate_times(compiled, early_start, early_finish)

    def rank(node: int) -> tuple[int, int, int]:
        """Prefer the least slack, then the latest finish, then the smallest id."""
        record = records[node]
        return (-record.slack, record.ef, -record.id)

    candidates = [node for node in range(leaf_count) if records[node].critical and kinds[node] < DONE]
    if not candidates:
        return []
    last_finish = max(records[index].ef for index in candidates)
    finishers = {index for index in candidates if records[index].ef == last_finish}
    # Among activities finishing last, the one latest in topological order (a closing milestone).
    node = next(index for index in reversed(compiled.order) if index in finishers)
    chain = [node]
    while True:
        drivers = [
            pred for pred in _driving_leaves(compiled, node, early_start, early_finish)
            if records[pred].critical and kinds[pred] < DONE
        ]  # fmt: skip
        if not drivers:
            break
        node = max(drivers, key=rank)
        chain.append(node)
    return [node_ids[index] for index in reversed(chain)]


def _gate_times(compiled: CompiledNetwork, early_start: list[int], early_finish: list[int]) -> None:
    """Fill in the early times of gate nodes from their predecessors' times."""
    if len(compiled.node_ids) == compiled.leaf_count:
        return
    for node in compiled.order:
        if compiled.kinds[node] != GATE:
            continue
        start = max((early_finish[pred] for pred in compiled.fs_preds[node]), default=-_NO_BOUND)
        for code, pred, lag in compiled.other_preds[node]:
            start = max(start, (early_finish[pred] if code in (FS, FF) else early_start[pred]) + lag)
        early_start[node] = early_finish[node] = start


def _driving_leaves(
    compiled: CompiledNetwork, node: int, early_start: list[int], early_finish: list[int]
) -> list[int]:
    """Leaf predecessors whose links hold with equality at ``node`` (through gates)."""
    leaves: list[int] = []
    stack = [node]
    while stack:
        current = stack.pop()
        start_fixed = compiled.kinds[current] == IN_PROGRESS
        tight = []
        if not start_fixed:
            tight = [pred for pred in compiled.fs_preds[current] if early_finish[pred] == early_start[current]]
        for code, pred, lag in compiled.other_preds[current]:
            if code in (FS, SS):
                if start_fixed:
                    continue
                target = early_start[current]
            else:
                target = early_finish[current]
            if (early_finish[pred] if code in (FS, FF) else early_start[pred]) + lag == target:
                tight.append(pred)
        for pred in tight:
            if compiled.kinds[pred] == GATE:
                stack.append(pred)
            else:
                leaves.append(pred)
    return leaves
