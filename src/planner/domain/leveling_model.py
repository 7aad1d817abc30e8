"""The leveler's compiled model: activities as nodes, links as minimum start distances, packed
resource profiles, and the bounds and priorities read off it.

:mod:`planner.domain.leveling` searches over this model; compiling it once per
network is what makes each schedule generation cheap.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from planner.domain.errors import CycleError, InvalidInputError, NoRoomError, OverCapacityError
from planner.domain.network import LINK_TYPES, Activity, Network
from planner.domain.summaries import inherited_bounds, refuse_link_within_summary, summary_structure

CapacityProfile = Mapping[int, "float | Callable[[int], float]"]
"""Per resource id: units per working day, a number or a callable ``day -> units``."""

UNBOUNDED_BELOW = -(1 << 40)  # "no lower bound" for gate nodes
UNBOUNDED = 1 << 40
_GUARD_DAYS = 20_000  # how far past the plain serial bound a start may be pushed before we call it infeasible
_SCALES = (1, 2, 4, 5, 10, 20, 25, 50, 100, 1000)
_WORD_BITS = 60  # bits of resource fields per packed word (CPython adds small ints fastest below 2**60)

FS, SS, FF, SF = range(4)
_LINK_CODES = {name: code for code, name in enumerate(LINK_TYPES)}

# Kinds of compiled activities.
_PLANNED, IN_PROGRESS, _DONE, DONE_UNDATED, _GATE = range(5)


# -- compiling ---------------------------------------------------------------------


@dataclass(slots=True)
class _Leaf:
    """A leaf activity as the leveler sees it."""

    activity: Activity
    kind: int
    duration: int
    length: int  # days it occupies resources from its variable start
    release: int
    fixed_start: int = 0
    fixed_finish: int = 0
    actual_start: int = 0
    deadline: int | None = None


class CompiledModel:
    """A compiled RCPSP: variable nodes in topological order, arcs, packed resource profiles.

    Resource profiles are packed: each resource is a bit field (its free
    units plus a guard bit) of a machine-sized integer *word*, one word per
    handful of resources, one list of words per day. ``(free - demand) &
    mask == mask`` then tells whether a node's demands fit on a day. With a
    single word (up to about ten resources) the hot loops take a faster path.
    """

    __slots__ = (
        "activity_ids", "kinds", "durations", "lengths", "releases", "actual_starts", "deadlines",
        "preds", "succs", "pred_sets", "demands", "node_words", "word_masks", "base", "capacity_of", "fields",
        "fixed_usage", "scale", "horizon_limit", "fixed_finish_max", "forward_sorted", "backward_sorted",
        "fixed", "leaf_of_node", "summary_children", "summary_postorder", "demand_units", "gate_count",
    )

    def __init__(self) -> None:
        self.activity_ids: list[int] = []
        self.kinds: list[int] = []
        self.durations: list[int] = []
        self.lengths: list[int] = []
        self.releases: list[int] = []
        self.actual_starts: list[int] = []
        self.deadlines: list[int] = []
        self.preds: list[tuple[tuple[int, int], ...]] = []
        self.succs: list[tuple[tuple[int, int], ...]] = []
        self.pred_sets: list[frozenset[int]] = []
        self.demands: list[int] = []  # packed demand in word 0 (single-word models)
        self.node_words: list[tuple[tuple[int, int, int], ...]] = []  # (word, packed demand, mask) per node
        self.word_masks: list[int] = [0]
        self.demand_units: list[tuple[tuple[int, int], ...]] = []  # (field index, scaled units)
        self.base: list[list[int]] = [[]]  # per word, per day: free capacity before unfinished work
        self.capacity_of: list[Callable[[int], float]] = []
        self.fields: list[tuple[int, int, int, int, int]] = []  # (resource id, word, offset, guard, max useful free)
        self.fixed_usage: list[dict[int, int]] = []
        self.scale = 1
        self.horizon_limit = 0
        self.fixed_finish_max = 0
        self.forward_sorted = True
        self.backward_sorted = True
        self.fixed: dict[int, tuple[int, int]] = {}  # done activity id -> (start, finish)
        self.leaf_of_node: list[bool] = []
        self.summary_children: dict[int, list[int]] = {}
        self.summary_postorder: list[int] = []
        self.gate_count = 0

    @property
    def size(self) -> int:
        """How many variable nodes (leaves and gates) the model has."""
        return len(self.lengths)

    # -- profiles --------------------------------------------------------------

    def extend_base(self, length: int) -> None:
        """Grow the base profiles to cover days ``0 .. length-1``."""
        base = self.base
        first = len(base[0])
        if length <= first:
            return
        scale = self.scale
        days = range(first, length)
        columns = [[0] * len(days) for _ in base]
        for index, (_resource, word, offset, guard, limit) in enumerate(self.fields):
            capacity_of = self.capacity_of[index]
            used = self.fixed_usage[index]
            column = columns[word]
            for position, day in enumerate(days):
                free = math.floor(capacity_of(day) * scale + 1e-6) - used.get(day, 0)
                free = 0 if free < 0 else limit if free > limit else free
                column[position] |= (guard + free) << offset
        for word, column in enumerate(columns):
            base[word].extend(column)

    def free_units(self, field_index: int, day: int) -> int:
        """The scaled free units of one resource on ``day`` before unfinished work (base covers the day)."""
        _resource, word, offset, guard, _limit = self.fields[field_index]
        return ((self.base[word][day] >> offset) & (2 * guard - 1)) - guard

    def _grow(self, profiles: list[list[int]], end: int, node: int, starts: list[int]) -> int:
        """Extend working profiles (and the base) past ``end``; raise when the node can never fit."""
        earliest = max([self.releases[node], 0] + [starts[pred] + delta for pred, delta in self.preds[node]])
        if end > earliest + self.horizon_limit:
            self._refuse(node, earliest)
        base = self.base
        target = max(end, len(base[0]) + len(base[0]) // 2 + 64)
        self.extend_base(target)
        for profile, word in zip(profiles, base):
            profile.extend(word[len(profile):target])
        return len(profiles[0])

    def _refuse(self, node: int, earliest: int) -> None:
        """Raise InvalidInputError naming the activity and the resource that can never hold it."""
        activity_id = self.activity_ids[node]
        length = self.lengths[node]
        first = max(earliest, 0)
        window = range(first, first + self.horizon_limit)
        blocking = []
        for field_index, units in self.demand_units[node]:
            run = 0
            fits = False
            for day in window:
                capacity = math.floor(self.capacity_of[field_index](day) * self.scale + 1e-6)
                run = run + 1 if capacity >= units else 0
                if run >= length:
                    fits = True
                    break
            if not fits:
                blocking.append((field_index, units))
        if not blocking:
            blocking = list(self.demand_units[node])
            reason = "together these resources never have room for it"
        else:
            reason = "its capacity is lower on every day"
        names = ", ".join(f"{units / self.scale:g} units of resource #{self.fields[index][0]}" for index, units in blocking)
        raise NoRoomError(
            activity_id, [(self.fields[index][0], units / self.scale) for index, units in blocking], length,
            f"task #{activity_id} needs {names} per day for {length} consecutive days, "
            f"but {reason} within {self.horizon_limit} working days of day {first}; "
            "lower its units, split it, or raise the capacity"
        )

    # -- schedule generation ------------------------------------------------------

    def forward(self, order: list[int]) -> tuple[list[int], int]:
        """Serial SGS: each node of ``order`` at its earliest precedence- and resource-feasible start.

        ``order`` must list predecessors first. Returns the start of every
        node and the makespan (latest finish). The earliest-start search
        checks a window from its last day back and jumps past the latest
        day that does not fit, so no day is tested twice for a node.
        """
        if len(self.base) > 1:
            return self._forward_words(order)
        profile = self.base[0][:]
        profiles = [profile]
        horizon = len(profile)
        lengths, releases, preds, demands = self.lengths, self.releases, self.preds, self.demands
        mask = self.word_masks[0]
        starts = [0] * len(lengths)
        makespan = 0
        for node in order:
            start = releases[node]
            for pred, delta in preds[node]:
                value = starts[pred] + delta
                if value > start:
                    start = value
            length = lengths[node]
            demand = demands[node]
            if demand:
                verified = start  # days [start, verified) are known to fit
                while True:
                    end = start + length
                    if end > horizon:
                        horizon = self._grow(profiles, end, node, starts)
                    day = end - 1
                    while day >= verified and (profile[day] - demand) & mask == mask:
                        day -= 1
                    if day < verified:
                        break
                    start = day + 1
                    verified = end
                for day in range(start, start + length):
                    profile[day] -= demand
            starts[node] = start
            finish = start + length
            if finish > makespan:
                makespan = finish
        return starts, makespan

    def _forward_words(self, order: list[int]) -> tuple[list[int], int]:
        """:meth:`forward` for models whose resources span several words."""
        profiles = [word[:] for word in self.base]
        horizon = len(profiles[0])
        lengths, releases, preds, node_words = self.lengths, self.releases, self.preds, self.node_words
        starts = [0] * len(lengths)
        makespan = 0
        for node in order:
            start = releases[node]
            for pred, delta in preds[node]:
                value = starts[pred] + delta
                if value > start:
                    start = value
            length = lengths[node]
            words = node_words[node]
            if len(words) == 1:  # the common case: one person, or resources sharing one word
                ((word, demand, mask),) = words
                profile = profiles[word]
                verified = start
                while True:
                    end = start + length
                    if end > horizon:
                        horizon = self._grow(profiles, end, node, starts)
                    day = end - 1
                    while day >= verified and (profile[day] - demand) & mask == mask:
                        day -= 1
                    if day < verified:
                        break
                    start = day + 1
                    verified = end
                for day in range(start, start + length):
                    profile[day] -= demand
            elif words:
                verified = start
                while True:
                    end = start + length
                    if end > horizon:
                        horizon = self._grow(profiles, end, node, starts)
                    day = end - 1
                    while day >= verified:
                        for word, demand, mask in words:
                            if (profiles[word][day] - demand) & mask != mask:
                                break
                        else:
                            day -= 1
                            continue
                        break
                    if day < verified:
                        break
                    start = day + 1
                    verified = end
                for word, demand, _mask in words:
                    profile = profiles[word]
                    for day in range(start, start + length):
                        profile[day] -= demand
            starts[node] = start
            finish = start + length
            if finish > makespan:
                makespan = finish
        return starts, makespan

    def backward(self, order: list[int], bound: int, caps: list[int] | None = None) -> list[int] | None:
        """Backward serial SGS: each node of ``order`` at its latest feasible start, all finishing by ``bound``.

        ``order`` must list successors before predecessors. ``caps`` bounds
        individual finishes (deadlines). Returns the starts, or None when a
        node would have to start before day 0.
        """
        if bound > len(self.base[0]):
            self.extend_base(bound)
        profiles = [word[:bound] for word in self.base]
        lengths, succs, node_words = self.lengths, self.succs, self.node_words
        starts = [0] * len(lengths)
        for node in order:
            length = lengths[node]
            finish = bound if caps is None or caps[node] > bound else caps[node]
            start = finish - length
            for succ, delta in succs[node]:
                value = starts[succ] - delta
                if value < start:
                    start = value
            words = node_words[node]
            if words:
                verified = start + length  # days [verified, start + length) are known to fit
                if len(words) == 1:
                    ((word, demand, mask),) = words
                    profile = profiles[word]
                    while True:
                        if start < 0:
                            return None
                        day = start
                        while day < verified and (profile[day] - demand) & mask == mask:
                            day += 1
                        if day >= verified:
                            break
                        verified = start
                        start = day - length
                    for day in range(start, start + length):
                        profile[day] -= demand
                else:
                    while True:
                        if start < 0:
                            return None
                        day = start
                        while day < verified:
                            for word, demand, mask in words:
                                if (profiles[word][day] - demand) & mask != mask:
                                    break
                            else:
                                day += 1
                                continue
                            break
                        if day >= verified:
                            break
                        verified = start
                        start = day - length
                    for word, demand, _mask in words:
                        profile = profiles[word]
                        for day in range(start, start + length):
                            profile[day] -= demand
            starts[node] = start
        return starts

    # -- orders ---------------------------------------------------------------------

    def order_by_start(self, starts: list[int]) -> list[int]:
        """Nodes by increasing start (ties by index), precedence-feasible."""
        size = len(starts)
        if self.forward_sorted:
            keys = [start * size + node for node, start in enumerate(starts)]
            keys.sort()
            return [key % size for key in keys]
        return self._topological_by([start * size + node for node, start in enumerate(starts)], self.preds, self.succs)

    def order_by_finish_descending(self, starts: list[int]) -> list[int]:
        """Nodes by decreasing finish (ties by decreasing index), successors first."""
        size = len(starts)
        lengths = self.lengths
        if self.backward_sorted:
            keys = [(start + lengths[node]) * size + node for node, start in enumerate(starts)]
            keys.sort(reverse=True)
            return [key % size for key in keys]
        keys = [-((start + lengths[node]) * size + node) for node, start in enumerate(starts)]
        return self._topological_by(keys, self.succs, self.preds)

    def relative_loads(self) -> list[float]:
        """Per node: its demands as shares of each resource's capacity on day 0, summed (0: demands nothing)."""
        shares = []
        for units in self.demand_units:
            shares.append(sum(amount / max(1, self.free_units(index, 0)) for index, amount in units))
        return shares

    def topological_by(self, keys: list[int], before: list, after: list) -> list[int]:
        """Kahn's order over ``before`` (nodes that must come first) picking the smallest key."""
        return self._topological_by(keys, before, after)

    @staticmethod
    def _topological_by(keys: list[int], before: list, after: list) -> list[int]:
        """Kahn's order over ``before`` (nodes that must come first) picking the smallest key."""
        waiting = [len(items) for items in before]
        heap = [(keys[node], node) for node, count in enumerate(waiting) if not count]
        heapq.heapify(heap)
        order = []
        while heap:
            _key, node = heapq.heappop(heap)
            order.append(node)
            for other, _delta in after[node]:
                waiting[other] -= 1
                if not waiting[other]:
                    heapq.heappush(heap, (keys[other], other))
        return order

    def justify(self, starts: list[int], makespan: int) -> tuple[list[int], int, list[int]] | None:
        """Double justification: right-justify within ``makespan``, then left-justify again.

        Returns the new starts, makespan and the activity list that yields
        them, or None when the right shift is impossible.
        """
        backward = self.backward(self.order_by_finish_descending(starts), makespan)
        if backward is None:
            return None
        order = self.order_by_start(backward)
        new_starts, new_makespan = self.forward(order)
        return new_starts, new_makespan, order


def _leaf(activity: Activity, status: int, start_bound: int | None, deadline: int | None, empty_summary: bool) -> _Leaf:
    """Classify one leaf activity and work out its occupancy and floor."""
    duration = 0 if empty_summary else activity.duration_days
    if duration < 0:
        raise InvalidInputError(f"task #{activity.id} has a negative duration ({duration} days)")
    if activity.done:
        if activity.actual_start is None and activity.actual_finish is None:
            return _Leaf(activity, DONE_UNDATED, duration, duration, max(0, start_bound or 0), deadline=deadline)
        start = activity.actual_start if activity.actual_start is not None else activity.actual_finish - duration  # type: ignore[operator]
        finish = activity.actual_finish if activity.actual_finish is not None else start + duration
        if finish < start:
            raise InvalidInputError(f"task #{activity.id} finishes (day {finish}) before it starts (day {start})")
        return _Leaf(activity, _DONE, finish - start, finish - start, start, start, finish, deadline=deadline)
    if activity.actual_start is not None:
        remaining = duration if activity.remaining_days is None else max(0, activity.remaining_days)
        if empty_summary:
            remaining = 0
        release = max(status, activity.actual_start + duration - remaining)
        return _Leaf(activity, IN_PROGRESS, duration, remaining, release, actual_start=activity.actual_start,
                     deadline=deadline)
    return _Leaf(activity, _PLANNED, duration, duration, max(0, status, start_bound or 0), deadline=deadline)


def compile_model(network: Network, capacities: CapacityProfile) -> CompiledModel:
    """Compile a network and its capacities into a :class:`CompiledModel`."""
    children, postorder, parent_of = summary_structure(network)
    inherited_start, inherited_deadline = inherited_bounds(network, postorder, parent_of) if postorder else ({}, {})
    status = max(0, network.status_offset)
    seen: set[int] = set()
    for activity in network.activities:
        if activity.id in seen:
            raise InvalidInputError(f"task #{activity.id} appears twice in the network")
        seen.add(activity.id)

    leaves: list[_Leaf] = []
    for activity in network.activities:
        if activity.id in children:
            continue
        parent = parent_of.get(activity.id)
        start_bound, deadline = activity.start_no_earlier, activity.deadline
        if parent is not None:
            inherited = inherited_start.get(parent)
            if inherited is not None and (start_bound is None or inherited > start_bound):
                start_bound = inherited
            inherited_due = inherited_deadline.get(parent)
            if inherited_due is not None and (deadline is None or inherited_due < deadline):
                deadline = inherited_due
        leaves.append(_leaf(activity, status, start_bound, deadline, activity.is_summary))

    # Nodes: leaves first (in input order), gates appended as needed.
    node_leaf: list[_Leaf | None] = list(leaves)
    node_ids = [leaf.activity.id for leaf in leaves]
    index_of = {activity_id: index for index, activity_id in enumerate(node_ids)}
    edges: list[tuple[int, int, int, int]] = []  # (pred node, succ node, code, lag)
    gates: dict[tuple[int, str], int] = {}

    def leaf_nodes(summary_id: int) -> list[int]:
        found: list[int] = []
        stack = [summary_id]
        while stack:
            for child in children[stack.pop()]:
                if child in children:
                    stack.append(child)
                else:
                    found.append(index_of[child])
        return found

    def gate(summary_id: int, role: str) -> int:
        key = (summary_id, role)
        if key in gates:
            return gates[key]
        node = len(node_ids)
        gates[key] = node
        node_ids.append(summary_id)
        node_leaf.append(None)
        for leaf in leaf_nodes(summary_id):
            if role == "out_finish":
                edges.append((leaf, node, FS, 0))
            elif role == "out_start":
                edges.append((leaf, node, SS, 0))
            elif role == "in_start":
                edges.append((node, leaf, SS, 0))
            else:
                edges.append((node, leaf, FF, 0))
        return node

    for link in network.links:
        code = _LINK_CODES.get(link.type)
        if code is None:
            raise InvalidInputError(f"unknown link type {link.type!r} for #{link.pred} -> #{link.succ}: use one of {', '.join(LINK_TYPES)}")
        for end_id in (link.pred, link.succ):
            if end_id not in index_of and end_id not in children:
                raise InvalidInputError(f"link #{link.pred} -> #{link.succ} refers to task #{end_id}, which is not in the network")
        if link.pred == link.succ:
            raise CycleError([link.pred], f"task #{link.pred} cannot depend on itself")
        pred = index_of.get(link.pred)
        succ = index_of.get(link.succ)
        if pred is None or succ is None:
            refuse_link_within_summary(link.pred, link.succ, parent_of)
        if pred is None:
            pred = gate(link.pred, "out_finish" if code in (FS, FF) else "out_start")
        if succ is None:
            succ = gate(link.succ, "in_start" if code in (FS, SS) else "in_finish")
        edges.append((pred, succ, code, link.lag_days))

    topological = _topological(len(node_ids), edges, node_ids)

    # Variable nodes: everything but dated done leaves, renumbered in topological order.
    model = CompiledModel()
    model.summary_children = children
    model.summary_postorder = postorder
    variable_index: dict[int, int] = {}
    for node in topological:
        leaf = node_leaf[node]
        if leaf is not None and leaf.kind == _DONE:
            model.fixed[leaf.activity.id] = (leaf.fixed_start, leaf.fixed_finish)
            continue
        variable_index[node] = len(model.lengths)
        model.activity_ids.append(node_ids[node])
        model.leaf_of_node.append(leaf is not None)
        if leaf is None:
            model.gate_count += 1
            model.kinds.append(_GATE)
            model.durations.append(0)
            model.lengths.append(0)
            model.releases.append(UNBOUNDED_BELOW)
            model.actual_starts.append(0)
            model.deadlines.append(UNBOUNDED)
        else:
            model.kinds.append(leaf.kind)
            model.durations.append(leaf.duration)
            model.lengths.append(leaf.length)
            model.releases.append(leaf.release)
            model.actual_starts.append(leaf.actual_start)
            model.deadlines.append(UNBOUNDED if leaf.deadline is None else leaf.deadline)
    size = len(model.lengths)
    preds: list[list[tuple[int, int]]] = [[] for _ in range(size)]
    for pred_node, succ_node, code, lag in edges:
        _add_arc(model, node_leaf, variable_index, preds, pred_node, succ_node, code, lag)
    model.preds = [tuple(_tightest(items)) for items in preds]
    succs: list[list[tuple[int, int]]] = [[] for _ in range(size)]
    for node, items in enumerate(model.preds):
        for pred, delta in items:
            succs[pred].append((node, delta))
    model.succs = [tuple(items) for items in succs]
    model.pred_sets = [frozenset(pred for pred, _delta in items) for items in model.preds]
    lengths = model.lengths
    model.forward_sorted = all(delta >= 0 for items in model.preds for _pred, delta in items)
    model.backward_sorted = all(
        delta + lengths[node] - lengths[pred] >= 0 for node, items in enumerate(model.preds) for pred, delta in items
    )
    _compile_resources(model, leaves, capacities)
    return model


def _topological(count: int, edges: list[tuple[int, int, int, int]], node_ids: list[int]) -> list[int]:
    """Kahn's order of all nodes (input order among equals); CycleError naming a cycle."""
    successors: list[list[int]] = [[] for _ in range(count)]
    in_degree = [0] * count
    for pred, succ, _code, _lag in edges:
        successors[pred].append(succ)
        in_degree[succ] += 1
    heap = [node for node in range(count) if not in_degree[node]]
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        node = heapq.heappop(heap)
        order.append(node)
        for succ in successors[node]:
            in_degree[succ] -= 1
            if not in_degree[succ]:
                heapq.heappush(heap, succ)
    if len(order) < count:
        raise CycleError(_cycle(edges, in_degree, node_ids))
    return order


def _cycle(edges: list[tuple[int, int, int, int]], in_degree: list[int], node_ids: list[int]) -> list[int]:
    """Activity ids along one cycle among the nodes Kahn's algorithm could not order."""
    predecessors: dict[int, list[int]] = {}
    for pred, succ, _code, _lag in edges:
        predecessors.setdefault(succ, []).append(pred)
    node = next(index for index, degree in enumerate(in_degree) if degree)
    seen_at: dict[int, int] = {}
    walk: list[int] = []
    while node not in seen_at:
        seen_at[node] = len(walk)
        walk.append(node)
        node = next(pred for pred in predecessors[node] if in_degree[pred])
    ids: list[int] = []
    for activity_id in (node_ids[index] for index in reversed(walk[seen_at[node]:])):
        if not ids or ids[-1] != activity_id:
            ids.append(activity_id)
    if len(ids) > 1 and ids[0] == ids[-1]:
        ids.pop()
    first = ids.index(min(ids))
    return ids[first:] + ids[:first]


def _add_arc(
    model: CompiledModel,
    node_leaf: list[_Leaf | None],
    variable_index: dict[int, int],
    preds: list[list[tuple[int, int]]],
    pred_node: int,
    succ_node: int,
    code: int,
    lag: int,
) -> None:
    """Turn one link into a distance ``x_succ >= x_pred + delta`` or a floor on ``x_succ``.

    ``x`` is the first day a node occupies resources: the start of planned
    work, the first remaining day of work in progress. A fixed end (a done
    task, the actual start of work in progress) makes the link a floor.
    """
    succ = variable_index.get(succ_node)
    if succ is None:  # into a done task: it does not move
        return
    succ_kind = model.kinds[succ]
    finish_side = code in (FF, SF)
    if succ_kind == IN_PROGRESS and not finish_side:  # its start is history
        return
    succ_offset = model.lengths[succ] if finish_side else 0
    from_finish = code in (FS, FF)
    pred = variable_index.get(pred_node)
    if pred is None:  # a done task: fixed dates
        leaf = node_leaf[pred_node]
        assert leaf is not None
        floor = (leaf.fixed_finish if from_finish else leaf.fixed_start) + lag - succ_offset
        if floor > model.releases[succ]:
            model.releases[succ] = floor
        return
    if model.kinds[pred] == IN_PROGRESS and not from_finish:
        floor = model.actual_starts[pred] + lag - succ_offset
        if floor > model.releases[succ]:
            model.releases[succ] = floor
        return
    delta = (model.lengths[pred] if from_finish else 0) + lag - succ_offset
    preds[succ].append((pred, delta))


def _tightest(items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One arc per predecessor, keeping the largest distance."""
    if len(items) < 2:
        return items
    best: dict[int, int] = {}
    for pred, delta in items:
        if pred not in best or delta > best[pred]:
            best[pred] = delta
    return list(best.items())


def _as_callable(value: float | Callable[[int], float]) -> Callable[[int], float]:
    if callable(value):
        return value
    constant = float(value)
    return lambda _day: constant


def _scale_for(values: list[float]) -> int:
    """The smallest grid (units per 1) on which every value is a whole number; 1000 at most."""
    for scale in _SCALES:
        if all(abs(value * scale - round(value * scale)) < 1e-6 for value in values):
            return scale
    return _SCALES[-1]


def _compile_resources(model: CompiledModel, leaves: list[_Leaf], capacities: CapacityProfile) -> None:
    """Pack the demanded resources into bit fields and build the base profile."""
    size = model.size
    per_node: list[dict[int, float]] = [{} for _ in range(size)]
    by_id = {model.activity_ids[node]: node for node in range(size) if model.leaf_of_node[node]}
    fixed_demands: list[tuple[_Leaf, dict[int, float]]] = []
    for leaf in leaves:
        units_by_resource: dict[int, float] = {}
        for resource, units in leaf.activity.demands:
            if units > 0 and resource in capacities:
                units_by_resource[resource] = units_by_resource.get(resource, 0.0) + units
        if not units_by_resource:
            continue
        if leaf.kind == _DONE:
            if leaf.fixed_finish > leaf.fixed_start:
                fixed_demands.append((leaf, units_by_resource))
            continue
        node = by_id[leaf.activity.id]
        if model.lengths[node] > 0 and leaf.kind != DONE_UNDATED:
            per_node[node] = units_by_resource
    resources = sorted({resource for demands in per_node for resource in demands})
    constant = {resource: float(capacities[resource]) for resource in resources if not callable(capacities[resource])}
    for resource, value in constant.items():
        if not math.isfinite(value):
            raise InvalidInputError(f"resource #{resource} has capacity {value}; give a finite number of units per day")
    grid = [units for demands in per_node for units in demands.values()] + list(constant.values())
    scale = _scale_for(grid)
    model.scale = scale
    field_of = {resource: index for index, resource in enumerate(resources)}
    scaled: list[dict[int, int]] = [
        {field_of[resource]: math.ceil(units * scale - 1e-6) for resource, units in demands.items()} for demands in per_node
    ]
    totals = [0] * len(resources)
    for demands in scaled:
        for index, units in demands.items():
            totals[index] += units
    fields: list[tuple[int, int, int, int, int]] = []
    word_masks = [0]
    offset = 0
    for index, resource in enumerate(resources):
        width = max(1, totals[index].bit_length())
        if offset and offset + width + 1 > _WORD_BITS:
            word_masks.append(0)
            offset = 0
        guard = 1 << width
        fields.append((resource, len(word_masks) - 1, offset, guard, totals[index]))
        word_masks[-1] |= guard << offset
        offset += width + 1
    model.fields = fields
    model.word_masks = word_masks
    model.capacity_of = [_as_callable(capacities[resource]) for resource in resources]
    model.demand_units = [tuple(sorted(demands.items())) for demands in scaled]
    node_words: list[tuple[tuple[int, int, int], ...]] = []
    for demands in scaled:
        packed: dict[int, int] = {}
        for index, units in demands.items():
            _resource, word, field_offset, _guard, _limit = fields[index]
            packed[word] = packed.get(word, 0) + (units << field_offset)
        node_words.append(tuple((word, demand, word_masks[word]) for word, demand in sorted(packed.items())))
    model.node_words = node_words
    model.demands = [words[0][1] if words else 0 for words in node_words]
    # Demands above a constant capacity can never fit: name them all at once.
    impossible = [(model.activity_ids[node], resources[index], per_node[node][resources[index]],
                   constant[resources[index]])
                  for node, demands in enumerate(scaled) for index, units in demands.items()
                  if resources[index] in constant and units > math.floor(constant[resources[index]] * scale + 1e-6)]
    if impossible:
        raise OverCapacityError(impossible, "; ".join(
            f"task #{task} needs {units:g} units of resource #{resource} per day, but its capacity is {capacity:g}"
            for task, resource, units, capacity in impossible) + "; lower the units or raise the capacity")
    usage: list[dict[int, int]] = [{} for _ in resources]
    fixed_finish_max = 0
    for leaf, demands in fixed_demands:
        fixed_finish_max = max(fixed_finish_max, leaf.fixed_finish)
        for resource, units in demands.items():
            index = field_of.get(resource)
            if index is None:
                continue
            amount = math.ceil(units * scale - 1e-6)
            days = usage[index]
            for day in range(max(0, leaf.fixed_start), leaf.fixed_finish):
                days[day] = days.get(day, 0) + amount
    model.fixed_usage = usage
    model.fixed_finish_max = fixed_finish_max
    serial_bound = _serial_bound(model)
    model.horizon_limit = serial_bound + _GUARD_DAYS
    early = early_starts(model)
    critical = max((start + length for start, length in zip(early, model.lengths)), default=0)
    model.base = [[] for _ in word_masks]  # grown on demand: a first guess of twice the critical path
    model.extend_base(min(serial_bound, 2 * max(critical, fixed_finish_max) + 64) + 1)


def _serial_bound(model: CompiledModel) -> int:
    """A finish no schedule of the SSGS exceeds with constant capacities: the nodes one after another."""
    end = model.fixed_finish_max
    starts = [0] * model.size
    for node in range(model.size):
        start = max(model.releases[node], end if model.node_words[node] else UNBOUNDED_BELOW)
        for pred, delta in model.preds[node]:
            start = max(start, starts[pred] + delta)
        starts[node] = start
        end = max(end, start + model.lengths[node])
    return max(end, 0)


# -- bounds and priorities ---------------------------------------------------------------


def early_starts(model: CompiledModel) -> list[int]:
    """Precedence-only earliest starts (floors included)."""
    starts = list(model.releases)
    for node in range(model.size):
        start = starts[node]
        for pred, delta in model.preds[node]:
            value = starts[pred] + delta
            if value > start:
                start = value
        starts[node] = start
    return starts


def late_starts(model: CompiledModel, bound: int) -> list[int]:
    """Precedence-only latest starts finishing by ``bound``."""
    lengths = model.lengths
    starts = [bound - length for length in lengths]
    for node in range(model.size - 1, -1, -1):
        start = starts[node]
        for succ, delta in model.succs[node]:
            value = starts[succ] - delta
            if value < start:
                start = value
        starts[node] = start
    return starts


def energy_bound(model: CompiledModel) -> int:
    """Resource energy: no schedule ends before every resource had room for all its work.

    Computed for the few resources whose work is largest against their
    capacity (on a network with many people, the others cannot set it).
    """
    if not model.fields:
        return 0
    demanding = [node for node in range(model.size) if model.node_words[node]]
    first = max(0, min(model.releases[node] for node in demanding))
    energies = [0] * len(model.fields)
    for node in demanding:
        for field_index, units in model.demand_units[node]:
            energies[field_index] += model.lengths[node] * units
    model.extend_base(first + 1)
    ratios = sorted(((energy / max(1, model.free_units(index, first)), index) for index, energy in enumerate(energies)),
                    reverse=True)
    best = 0
    for _ratio, index in ratios[:8]:
        energy = energies[index]
        day = first
        while energy > 0 and day < model.horizon_limit:
            if day >= len(model.base[0]):
                model.extend_base(day + day // 2 + 64)
            energy -= model.free_units(index, day)
            day += 1
        if energy <= 0:
            best = max(best, day)
    return best
