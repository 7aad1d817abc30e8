"""Resource leveling: the resource-constrained project scheduling problem (RCPSP) over a Network.

Semantics (PSPLIB's, DESIGN.md "Scheduling semantics"): an activity with
duration ``d`` starting on day ``s`` demands its ``units`` of each resource
in ``demands`` on each of its working days ``s .. s+d-1``; on no day may the
demands on a resource add up to more than its capacity that day. Links
(FS/SS/FF/SF with lags), start-no-earlier bounds and the status date still
hold, exactly as in CPM. Done activities stay at their actual dates and use
capacity where they lie (done without dates: placed by their links, using
nothing); a task in progress keeps its actual start and its remaining days
are leveled from the status date on; milestones use nothing.
Summary tasks span their leaves; a link to or from a summary binds each of
its leaves (through zero-length *gate* nodes, as CPM does); demands of
summary tasks themselves are not leveled.

Capacities (:data:`CapacityProfile`) map a resource id to either a number
(units per working day, every day) or a callable ``day -> units`` for
per-day variation: a vacation is capacity 0 that day, a stream's reservation
a reduced capacity. :class:`Capacity` is such a callable: a base capacity
with per-day overrides. A resource that has no entry is not constrained.
Fractional units are handled exactly on a grid of 1/1000 unit at worst:
demands are rounded up and capacities down, so no day is ever overloaded.

Algorithm (the classic strong RCPSP heuristics, all on one integer engine):

* The network is compiled into index arrays; every link becomes a minimum
  distance ``x_succ >= x_pred + delta`` between the start days of the parts
  that occupy resources (or a constant floor when one end is fixed).
* The serial schedule-generation scheme (SSGS) decodes a precedence-feasible
  activity list into an active schedule. Resource profiles are lists of
  packed integers indexed by day: every resource is a bit field with a guard
  bit in a 60-bit word, so "do all of a task's demands fit on day u" is one
  subtraction and one mask per word (one word holds PSPLIB's four resources
  or a team of ten), and the earliest-feasible-start search scans a window
  from its end and jumps past the last conflicting day, never testing a day
  twice. One j30 schedule takes about 30 microseconds.
* Forward-backward improvement by double justification (Valls, Ballestín &
  Quintanilla 2005): right-justify every schedule (backward SSGS in order of
  decreasing finish) and left-justify it again; this never lengthens a
  schedule and usually shortens it.
* A population is seeded with the deterministic LFT and LST lists and
  regret-based biased random sampling on latest finish times (Kolisch 1996),
  then evolved by Hartmann's (1998) activity-list genetic algorithm with
  two-point crossover and adjacent-swap mutation; every child is decoded,
  double-justified and replaced by the order of its justified start times
  (Lamarckian). The population (20 + one per 250 schedules of the budget, at
  most 40) restarts from its four best plus fresh samples when 15
  generations bring no new best.
* Search stops at a lower bound (critical path with releases, or resource
  energy), after ``iterations`` schedule generations, or at ``time_budget_s``.

Everything is deterministic for a given ``seed`` as long as no time budget
cuts the search short.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from planner.domain.errors import CycleError, InvalidInputError
from planner.domain.network import LINK_TYPES, Activity, Network, Scheduled
from planner.domain.summaries import inherited_bounds, refuse_link_within_summary, summary_structure

__all__ = [
    "Capacity",
    "CapacityProfile",
    "LevelResult",
    "default_iterations",
    "level",
    "leveled_schedule",
]

CapacityProfile = Mapping[int, "float | Callable[[int], float]"]
"""Per resource id: units per working day, a number or a callable ``day -> units``."""

_NEG = -(1 << 40)  # "no lower bound" for gate nodes
_POS = 1 << 40
_GUARD_DAYS = 20_000  # how far past the plain serial bound a start may be pushed before we call it infeasible
_SCALES = (1, 2, 4, 5, 10, 20, 25, 50, 100, 1000)
_WORD_BITS = 60  # bits of resource fields per packed word (CPython adds small ints fastest below 2**60)

FS, SS, FF, SF = range(4)
_LINK_CODES = {name: code for code, name in enumerate(LINK_TYPES)}

# Kinds of compiled activities.
_PLANNED, _IN_PROGRESS, _DONE, _DONE_UNDATED, _GATE = range(5)


@dataclass(slots=True, frozen=True)
class Capacity:
    """A resource's capacity per day: ``base`` units, except on the days in ``overrides``.

    ``Capacity(1.0, {5: 0.0})`` is a full-time person on vacation on day 5;
    ``Capacity(0.8)`` is one who keeps 20 % for a stream. Days are the
    project's working-day offsets.
    """

    base: float
    overrides: Mapping[int, float] = field(default_factory=dict)

    def __call__(self, day: int) -> float:
        """Units available on ``day``."""
        return self.overrides.get(day, self.base)


@dataclass(slots=True)
class LevelResult:
    """A leveled schedule.

    ``starts`` / ``finishes`` map every activity id (summaries included) to
    its start day and exclusive finish day; ``makespan`` is the latest
    finish (0 for an empty network). ``lower_bound`` is a proven lower bound
    on the makespan (critical path with all floors, resource energy, done
    work), so ``makespan == lower_bound`` means the schedule is optimal.
    ``schedules`` counts the schedule generations spent (forward and
    backward passes), the unit the literature measures effort in.
    """

    starts: dict[int, int]
    finishes: dict[int, int]
    makespan: int
    lower_bound: int = 0
    schedules: int = 0


def default_iterations(activity_count: int) -> int:
    """The default schedule budget for a network of ``activity_count`` leaf activities.

    5,000 schedules up to 60 activities (PSPLIB's j30 and j60 sets), then
    falling as ``300,000 / activity_count`` (never below 8): one schedule
    costs time linear in the network's size, so the work stays near 300,000
    activity placements, a second or two, however large the plan.
    """
    return max(8, min(5000, 300_000 // max(activity_count, 1)))


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


class _Model:
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
        raise InvalidInputError(
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
            return _Leaf(activity, _DONE_UNDATED, duration, duration, max(0, start_bound or 0), deadline=deadline)
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
        return _Leaf(activity, _IN_PROGRESS, duration, remaining, release, actual_start=activity.actual_start,
                     deadline=deadline)
    return _Leaf(activity, _PLANNED, duration, duration, max(0, status, start_bound or 0), deadline=deadline)


def _compile(network: Network, capacities: CapacityProfile) -> _Model:
    """Compile a network and its capacities into a :class:`_Model`."""
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
    model = _Model()
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
            model.releases.append(_NEG)
            model.actual_starts.append(0)
            model.deadlines.append(_POS)
        else:
            model.kinds.append(leaf.kind)
            model.durations.append(leaf.duration)
            model.lengths.append(leaf.length)
            model.releases.append(leaf.release)
            model.actual_starts.append(leaf.actual_start)
            model.deadlines.append(_POS if leaf.deadline is None else leaf.deadline)
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
    model: _Model,
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
    if succ_kind == _IN_PROGRESS and not finish_side:  # its start is history
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
    if model.kinds[pred] == _IN_PROGRESS and not from_finish:
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


def _compile_resources(model: _Model, leaves: list[_Leaf], capacities: CapacityProfile) -> None:
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
        if model.lengths[node] > 0 and leaf.kind != _DONE_UNDATED:
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
    # Demands above a constant capacity can never fit: say so at once.
    for node, demands in enumerate(scaled):
        for index, units in demands.items():
            resource = resources[index]
            if resource in constant and units > math.floor(constant[resource] * scale + 1e-6):
                raise InvalidInputError(
                    f"task #{model.activity_ids[node]} needs {per_node[node][resource]:g} units of resource #{resource} "
                    f"per day, but its capacity is {constant[resource]:g}; lower the units or raise the capacity"
                )
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
    early = _early_starts(model)
    critical = max((start + length for start, length in zip(early, model.lengths)), default=0)
    model.base = [[] for _ in word_masks]  # grown on demand: a first guess of twice the critical path
    model.extend_base(min(serial_bound, 2 * max(critical, fixed_finish_max) + 64) + 1)


def _serial_bound(model: _Model) -> int:
    """A finish no schedule of the SSGS exceeds with constant capacities: the nodes one after another."""
    end = model.fixed_finish_max
    starts = [0] * model.size
    for node in range(model.size):
        start = max(model.releases[node], end if model.node_words[node] else _NEG)
        for pred, delta in model.preds[node]:
            start = max(start, starts[pred] + delta)
        starts[node] = start
        end = max(end, start + model.lengths[node])
    return max(end, 0)


# -- bounds and priorities ---------------------------------------------------------------


def _early_starts(model: _Model) -> list[int]:
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


def _late_starts(model: _Model, bound: int) -> list[int]:
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


def _energy_bound(model: _Model) -> int:
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


# -- the search ------------------------------------------------------------------------


class _Search:
    """The population search of :func:`level` over one compiled model."""

    def __init__(self, model: _Model, seed: int, budget: int, time_budget_s: float | None) -> None:
        self.model = model
        self.random = random.Random(seed)
        self.budget = budget
        self.deadline = None if time_budget_s is None else time.perf_counter() + time_budget_s
        self.schedules = 0
        self.best_starts: list[int] = []
        self.best_makespan = _POS
        early = _early_starts(model)
        self.critical_bound = max((early[node] + model.lengths[node] for node in range(model.size)), default=0)
        self.lower_bound = max(self.critical_bound, _energy_bound(model))
        late = _late_starts(model, self.critical_bound)
        self.latest_finish = [start + length for start, length in zip(late, model.lengths)]
        self.latest_start = late

    def exhausted(self) -> bool:
        """True when the search must stop: at the bound, out of schedules or out of time."""
        if self.best_makespan <= self.lower_bound or self.schedules >= self.budget:
            return True
        return self.deadline is not None and time.perf_counter() > self.deadline

    def evaluate(self, order: list[int]) -> tuple[int, list[int]]:
        """Decode a list, double-justify it; return the makespan and the improved list."""
        model = self.model
        starts, makespan = model.forward(order)
        self.schedules += 1
        self._offer(starts, makespan)
        while makespan > self.lower_bound and self.schedules + 2 <= self.budget:
            justified = model.justify(starts, makespan)
            self.schedules += 2
            if justified is None:
                break
            new_starts, new_makespan, new_order = justified
            if new_makespan > makespan:  # only possible with generalised links: keep the better one
                break
            improved = new_makespan < makespan
            starts, makespan, order = new_starts, new_makespan, new_order
            self._offer(starts, makespan)
            if not improved:
                break
        return makespan, order

    def _offer(self, starts: list[int], makespan: int) -> None:
        if makespan < self.best_makespan:
            self.best_makespan = makespan
            self.best_starts = starts

    # -- lists ------------------------------------------------------------------------

    def priority_list(self, priority: list[int]) -> list[int]:
        """The precedence-feasible list taking the eligible node of least priority value first."""
        model = self.model
        return model._topological_by([value * model.size + node for node, value in enumerate(priority)], model.preds, model.succs)

    def sampled_list(self, priority: list[int]) -> list[int]:
        """Regret-based biased random sampling (Kolisch 1996) on ``priority`` (smaller is better)."""
        model = self.model
        size = model.size
        if size > 150:
            spread = max(1, max(priority) - min(priority)) if priority else 1
            keyed = [int((value + self.random.random() * spread * 0.25) * size) * size + node
                     for node, value in enumerate(priority)]
            return model._topological_by(keyed, model.preds, model.succs)
        waiting = [len(items) for items in model.preds]
        eligible = [node for node in range(size) if not waiting[node]]
        succs = model.succs
        uniform = self.random.random
        order = []
        while eligible:
            if len(eligible) == 1:
                position = 0
            else:
                worst = max(priority[node] for node in eligible)
                weights = [worst - priority[node] + 1 for node in eligible]
                pick = uniform() * sum(weights)
                position = 0
                for position, weight in enumerate(weights):  # noqa: B007
                    pick -= weight
                    if pick < 0:
                        break
            node = eligible[position]
            eligible[position] = eligible[-1]
            eligible.pop()
            order.append(node)
            for succ, _delta in succs[node]:
                waiting[succ] -= 1
                if not waiting[succ]:
                    eligible.append(succ)
        return order

    def crossover(self, mother: list[int], father: list[int]) -> list[int]:
        """Hartmann's two-point crossover: mother's head, father's middle, mother's tail (no repeats)."""
        size = len(mother)
        first = self.random.randrange(size + 1)
        second = self.random.randrange(size + 1)
        if first > second:
            first, second = second, first
        child = mother[:first]
        taken = set(child)
        for node in father:
            if len(child) >= second:
                break
            if node not in taken:
                child.append(node)
                taken.add(node)
        child.extend(node for node in mother if node not in taken)
        return child

    def mutate(self, order: list[int], rate: float) -> None:
        """Swap neighbours with probability ``rate`` when no link joins them."""
        pred_sets = self.model.pred_sets
        uniform = self.random.random
        for position in range(len(order) - 1):
            if uniform() < rate:
                first, second = order[position], order[position + 1]
                if first not in pred_sets[second]:
                    order[position], order[position + 1] = second, first

    # -- the run ------------------------------------------------------------------------

    population_cap = 40  # individuals, at most: 20, plus one per 250 schedules of the budget
    stagnation_generations = 15  # generations without a new best before the population restarts ...
    elite_kept = 4  # ... keeping this many of its best
    mutation_per_list = 2.0  # expected adjacent swaps tried per child

    def run(self) -> None:
        """Seed a population with priority rules and sampling, then evolve it; restart it when it stalls."""
        model = self.model
        size = model.size
        population: list[tuple[int, int, list[int]]] = []
        seen: set[tuple[int, ...]] = set()
        counter = 0

        def add(makespan: int, order: list[int]) -> None:
            nonlocal counter
            key = tuple(order)
            if key in seen:
                return
            seen.add(key)
            counter += 1
            population.append((makespan, counter, order))

        for priority in (self.latest_finish, self.latest_start):
            if population and self.exhausted():  # the first schedule is always made, whatever the budget
                return
            makespan, order = self.evaluate(self.priority_list(priority))
            add(makespan, order)
        if size < 2:
            return
        population_size = min(self.population_cap, 20 + self.budget // 250)
        rate = min(0.1, self.mutation_per_list / size)
        stalled = 0
        best = self.best_makespan
        while not self.exhausted():
            while len(population) < population_size and not self.exhausted():
                makespan, order = self.evaluate(self.sampled_list(self.latest_finish))
                add(makespan, order)
            population.sort()
            del population[population_size:]
            parents = population[:]
            self.random.shuffle(parents)
            for first in range(0, len(parents) - 1, 2):
                mother, father = parents[first][2], parents[first + 1][2]
                for daughter, son in ((mother, father), (father, mother)):
                    if self.exhausted():
                        return
                    child = self.crossover(daughter, son)
                    self.mutate(child, rate)
                    makespan, order = self.evaluate(child)
                    add(makespan, order)
            if self.best_makespan < best:
                best, stalled = self.best_makespan, 0
            else:
                stalled += 1
                if stalled >= self.stagnation_generations:
                    population.sort()
                    del population[self.elite_kept:]
                    stalled = 0


# -- the public functions -----------------------------------------------------------------


def level(
    network: Network,
    capacities: CapacityProfile,
    *,
    seed: int = 0,
    iterations: int | None = None,
    time_budget_s: float | None = None,
) -> LevelResult:
    """Level a network: the shortest schedule found in which no resource is overloaded on any day.

    ``capacities`` maps resource ids to units per day, a number or a callable
    ``day -> units`` (see :class:`Capacity`); resources without an entry are
    unconstrained. ``iterations`` is the budget of schedule generations
    (None: :func:`default_iterations` of the network's size);
    ``time_budget_s`` optionally caps the wall time (the result then depends
    on the machine's speed). The same seed gives the same schedule.

    Raise InvalidInputError naming the task and resource when a demand can
    never fit its resource, CycleError for a dependency cycle, and
    InvalidInputError for malformed networks.
    """
    model = _compile(network, capacities)
    search = _solve(model, seed, iterations, time_budget_s)
    return _result(model, search.best_starts, search.lower_bound, search.schedules)


def _solve(model: _Model, seed: int, iterations: int | None, time_budget_s: float | None) -> _Search:
    """Run the search over a compiled model with the given or default budget."""
    budget = default_iterations(model.size - model.gate_count) if iterations is None else max(1, iterations)
    search = _Search(model, seed, budget, time_budget_s)
    if model.size:
        search.run()
    return search


def _result(model: _Model, node_starts: list[int], lower_bound: int, schedules: int) -> LevelResult:
    """Map node starts back to activity starts and finishes, rolling up summaries."""
    starts: dict[int, int] = {}
    finishes: dict[int, int] = {}
    for activity_id, (start, finish) in model.fixed.items():
        starts[activity_id], finishes[activity_id] = start, finish
    for node, start in enumerate(node_starts):
        if not model.leaf_of_node[node]:
            continue
        activity_id = model.activity_ids[node]
        kind = model.kinds[node]
        if kind == _IN_PROGRESS:
            starts[activity_id] = model.actual_starts[node]
            finishes[activity_id] = start + model.lengths[node]
        else:
            starts[activity_id] = start
            finishes[activity_id] = start + model.durations[node]
    makespan = max(finishes.values(), default=0)
    lower_bound = max([lower_bound, *(finish for _start, finish in model.fixed.values())])
    for summary in model.summary_postorder:
        children = model.summary_children[summary]
        starts[summary] = min(starts[child] for child in children)
        finishes[summary] = max(finishes[child] for child in children)
    return LevelResult(starts, finishes, makespan, lower_bound, schedules)


def leveled_schedule(
    network: Network,
    computed: Mapping[int, Scheduled] | None,
    capacities: CapacityProfile,
    *,
    seed: int = 0,
    iterations: int | None = None,
    time_budget_s: float | None = None,
) -> dict[int, Scheduled]:
    """Leveled early dates plus resource-aware late dates, as CPM's :class:`Scheduled` records.

    ES/EF come from :func:`level`. LS/LF come from right-justifying the
    leveled schedule: every activity as late as it can go without moving the
    finish (or the project deadline, or its own due date, whichever is
    earliest), with precedence *and* capacity respected, so slack is the room
    an activity really has and "critical" marks the resource-constrained
    critical chain. ``computed`` is the unleveled CPM schedule; when nothing
    demands a constrained resource it is returned as it is.
    """
    model = _compile(network, capacities)
    if computed is not None and not model.fields and len(computed) == len(network.activities):
        return dict(computed)
    search = _solve(model, seed, iterations, time_budget_s)
    result = _result(model, search.best_starts, search.lower_bound, search.schedules)
    late_starts = _resource_late_starts(model, search.best_starts, result.makespan, network.project_deadline)
    schedule: dict[int, Scheduled] = {}
    for activity_id, (start, finish) in model.fixed.items():
        schedule[activity_id] = Scheduled(activity_id, start, finish, start, finish, 0, False)
    for node in range(model.size):
        if not model.leaf_of_node[node]:
            continue
        activity_id = model.activity_ids[node]
        early_start, early_finish = result.starts[activity_id], result.finishes[activity_id]
        if model.kinds[node] == _DONE_UNDATED:
            schedule[activity_id] = Scheduled(activity_id, early_start, early_finish, early_start, early_finish, 0, False)
            continue
        late_finish = late_starts[node] + model.lengths[node]
        late_start = late_finish - (early_finish - early_start)
        slack = late_start - early_start
        schedule[activity_id] = Scheduled(activity_id, early_start, early_finish, late_start, late_finish, slack, slack <= 0)
    _roll_up(model, schedule)
    return schedule


def _resource_late_starts(model: _Model, starts: list[int], makespan: int, project_deadline: int | None) -> list[int]:
    """Latest starts of the nodes given the leveled schedule: a backward SGS in decreasing finish order.

    Bounded by the makespan, the project deadline and own deadlines. A node
    that could only fit before day 0 (a deadline that cannot be met) is
    placed by precedence alone; without any deadline pressure no node is
    placed before its leveled start.
    """
    if not model.size:
        return []
    bound = makespan if project_deadline is None else min(makespan, project_deadline)
    lengths = model.lengths
    caps = [min(bound, deadline) for deadline in model.deadlines]
    pressure = any(cap < start + length for cap, start, length in zip(caps, starts, lengths))
    order = model.order_by_finish_descending(starts)
    late = model.backward(order, bound, caps)
    if late is None:
        late = _late_starts_capped(model, caps, bound)
    if not pressure:
        late = [max(late_start, start) for late_start, start in zip(late, starts)]
    return late


def _late_starts_capped(model: _Model, caps: list[int], bound: int) -> list[int]:
    """Precedence-only latest starts with per-node finish caps."""
    lengths = model.lengths
    starts = [min(bound, cap) - length for cap, length in zip(caps, lengths)]
    for node in range(model.size - 1, -1, -1):
        start = starts[node]
        for succ, delta in model.succs[node]:
            value = starts[succ] - delta
            if value < start:
                start = value
        starts[node] = start
    return starts


def _roll_up(model: _Model, schedule: dict[int, Scheduled]) -> None:
    """Summary records spanning their children, slack from their unfinished leaves (CPM's rule)."""
    open_slack: dict[int, int | None] = {}
    done_ids = set(model.fixed)
    done_ids.update(model.activity_ids[node] for node in range(model.size)
                    if model.leaf_of_node[node] and model.kinds[node] == _DONE_UNDATED)
    for summary in model.summary_postorder:
        children = model.summary_children[summary]
        parts = [schedule[child] for child in children]
        slacks = []
        for child, part in zip(children, parts):
            if child in model.summary_children:
                if open_slack[child] is not None:
                    slacks.append(open_slack[child])
            elif child not in done_ids:
                slacks.append(part.slack)
        open_slack[summary] = min(slacks, default=None)
        schedule[summary] = Scheduled(
            summary, min(p.es for p in parts), max(p.ef for p in parts), min(p.ls for p in parts),
            max(p.lf for p in parts), min(slacks, default=0), any(p.critical for p in parts),
        )
