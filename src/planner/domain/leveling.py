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
  then evolved by an activity-list genetic algorithm (Hartmann 1998) whose
  children come half from two-point crossover, half from a peak crossover
  that keeps the mother's busiest window as she schedules it (Valls,
  Ballestín & Quintanilla 2008; Debels & Vanhoucke 2007), with adjacent-swap
  mutation; every child is decoded, double-justified and replaced by the
  order of its justified start times (Lamarckian). The population (20 + one
  per 250 schedules of the budget, at most 80) restarts from its four best plus fresh samples when 15
  generations bring no new best.
* Search stops at a lower bound (critical path with releases, or resource
  energy), after ``iterations`` schedule generations, after 300 lists in a
  row it had already tried (a small plan's choices are spent), or at
  ``time_budget_s``.

Everything is deterministic for a given ``seed`` as long as no time budget
cuts the search short.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.domain.leveling_model import (
    CapacityProfile,
    DONE_UNDATED,
    IN_PROGRESS,
    CompiledModel,
    compile_model,
)
from planner.domain.leveling_search import PopulationSearch
from planner.domain.network import Network, Scheduled

__all__ = [
    "Capacity",
    "CapacityProfile",
    "LevelResult",
    "default_iterations",
    "level",
    "leveled_schedule",
]

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

    15,000 schedules up to 80 activities (PSPLIB's j30 and j60 sets), then
    1,200,000 activity placements (10,000 schedules at 120 activities, about
    two seconds); past 120 activities the budget falls with the square of
    the size down to 300,000 placements (300 schedules for 1,000 tasks,
    never below 8), so a large plan levels in a second or two.
    """
    count = max(activity_count, 1)
    if count <= 120:
        return min(15_000, 1_200_000 // count)
    return max(8, 300_000 // count, 1_200_000 * 120 // (count * count))


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
    model = compile_model(network, capacities)
    search = _solve(model, seed, iterations, time_budget_s)
    return _result(model, search.best_starts, search.lower_bound, search.schedules)


def _solve(model: CompiledModel, seed: int, iterations: int | None, time_budget_s: float | None) -> PopulationSearch:
    """Run the search over a compiled model with the given or default budget."""
    budget = default_iterations(model.size - model.gate_count) if iterations is None else max(1, iterations)
    search = PopulationSearch(model, seed, budget, time_budget_s)
    if model.size:
        search.run()
    return search


def _result(model: CompiledModel, node_starts: list[int], lower_bound: int, schedules: int) -> LevelResult:
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
        if kind == IN_PROGRESS:
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
    model = compile_model(network, capacities)
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
        if model.kinds[node] == DONE_UNDATED:
            schedule[activity_id] = Scheduled(activity_id, early_start, early_finish, early_start, early_finish, 0, False)
            continue
        late_finish = late_starts[node] + model.lengths[node]
        late_start = late_finish - (early_finish - early_start)
        slack = late_start - early_start
        schedule[activity_id] = Scheduled(activity_id, early_start, early_finish, late_start, late_finish, slack, slack <= 0)
    _roll_up(model, schedule)
    return schedule


def _resource_late_starts(model: CompiledModel, starts: list[int], makespan: int, project_deadline: int | None) -> list[int]:
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


def _late_starts_capped(model: CompiledModel, caps: list[int], bound: int) -> list[int]:
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


def _roll_up(model: CompiledModel, schedule: dict[int, Scheduled]) -> None:
    """Summary records spanning their children, slack from their unfinished leaves (CPM's rule)."""
    open_slack: dict[int, int | None] = {}
    done_ids = set(model.fixed)
    done_ids.update(model.activity_ids[node] for node in range(model.size)
                    if model.leaf_of_node[node] and model.kinds[node] == DONE_UNDATED)
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
