"""The leveler's population search over a compiled model: priority rules, biased sampling, a genetic
algorithm over activity lists with double justification, and restarts.

:func:`planner.domain.leveling.level` runs one :class:`PopulationSearch`; the
model (:mod:`planner.domain.leveling_model`) decodes every list it tries.
"""

from __future__ import annotations

import random
import time

from planner.domain.leveling_model import UNBOUNDED, CompiledModel, early_starts, energy_bound, late_starts

__all__ = ["PopulationSearch"]


class PopulationSearch:
    """The population search of :func:`planner.domain.leveling.level` over one compiled model.

    Individuals are ``(makespan, serial, order, starts)``: a precedence-feasible
    activity list after double justification, and the start days it decodes to.
    """

    population_cap = 80  # individuals, at most: 20, plus one per 250 schedules of the budget
    stagnation_generations = 15  # generations without a new best before the population restarts ...
    elite_kept = 4  # ... keeping this many of its best
    mutation_per_list = 2.0  # expected adjacent swaps tried per child
    peak_share = 0.5  # share of children made by the peak crossover (the rest: two-point)
    repeats_to_stop = 300  # lists in a row seen before, restarts included: a small plan's choices are spent

    def __init__(self, model: CompiledModel, seed: int, budget: int, time_budget_s: float | None) -> None:
        self.model = model
        self.random = random.Random(seed)
        self.budget = budget
        self.deadline = None if time_budget_s is None else time.perf_counter() + time_budget_s
        self.schedules = 0
        self.repeats = 0  # lists in a row that the search had already seen
        self.best_starts: list[int] = []
        self.best_makespan = UNBOUNDED
        early = early_starts(model)
        self.critical_bound = max((early[node] + model.lengths[node] for node in range(model.size)), default=0)
        self.lower_bound = max(self.critical_bound, energy_bound(model))
        late = late_starts(model, self.critical_bound)
        self.latest_finish = [start + length for start, length in zip(late, model.lengths)]
        self.latest_start = late
        self.load = model.relative_loads()

    def exhausted(self) -> bool:
        """True when the search must stop: at the bound, out of schedules, out of new lists or out of time."""
        if self.best_makespan <= self.lower_bound or self.schedules >= self.budget:
            return True
        if self.repeats >= self.repeats_to_stop:
            return True
        return self.deadline is not None and time.perf_counter() > self.deadline

    def evaluate(self, order: list[int]) -> tuple[int, list[int], list[int]]:
        """Decode a list, double-justify it; return the makespan, the improved list and its starts."""
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
        return makespan, order, starts

    def _offer(self, starts: list[int], makespan: int) -> None:
        if makespan < self.best_makespan:
            self.best_makespan = makespan
            self.best_starts = starts

    # -- lists ------------------------------------------------------------------------

    def priority_list(self, priority: list[int]) -> list[int]:
        """The precedence-feasible list taking the eligible node of least priority value first."""
        model = self.model
        return model.topological_by([value * model.size + node for node, value in enumerate(priority)], model.preds, model.succs)

    def sampled_list(self, priority: list[int]) -> list[int]:
        """Regret-based biased random sampling (Kolisch 1996) on ``priority`` (smaller is better)."""
        model = self.model
        size = model.size
        if size > 150:
            spread = max(1, max(priority) - min(priority)) if priority else 1
            keyed = [int((value + self.random.random() * spread * 0.25) * size) * size + node
                     for node, value in enumerate(priority)]
            return model.topological_by(keyed, model.preds, model.succs)
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

    def peak_crossover(self, mother: tuple[int, int, list[int], list[int]], father: list[int]) -> list[int]:
        """The mother's busiest stretch kept as she schedules it, the father's order before and after it.

        After Valls, Ballestín & Quintanilla's (2008) peak crossover and
        Debels & Vanhoucke's (2007) window crossover: a window of a quarter to
        a half of the mother's makespan with the most resource use is where
        her list is good; the nodes she starts in it keep her order, the
        nodes she starts before (after) it come first (last) in the father's.
        """
        makespan, _serial, order, starts = mother
        if makespan < 4 or not self.model.forward_sorted:
            return self.crossover(order, father)
        lengths, load = self.model.lengths, self.load
        change = [0.0] * (makespan + 1)
        for node, start in enumerate(starts):
            weight = load[node]
            if weight:
                change[start] += weight
                change[start + lengths[node]] -= weight
        width = self.random.randint(makespan // 4, makespan // 2)
        used, running, prefix = 0.0, 0.0, [0.0]
        for day in range(makespan):
            running += change[day]
            used += running
            prefix.append(used)
        best_first, best_use = 0, -1.0
        for first in range(makespan - width + 1):
            use = prefix[first + width] - prefix[first]
            if use > best_use + 1e-9:
                best_first, best_use = first, use
        last = best_first + width
        head = [node for node in father if starts[node] < best_first]
        middle = [node for node in order if best_first <= starts[node] < last]
        tail = [node for node in father if starts[node] >= last]
        return head + middle + tail

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

    def run(self) -> None:
        """Seed a population with priority rules and sampling, then evolve it; restart it when it stalls."""
        size = self.model.size
        population: list[tuple[int, int, list[int], list[int]]] = []
        seen: set[tuple[int, ...]] = set()
        counter = 0

        def add(makespan: int, order: list[int], starts: list[int]) -> None:
            nonlocal counter
            key = tuple(order)
            if key in seen:
                self.repeats += 1
                return
            self.repeats = 0
            seen.add(key)
            counter += 1
            population.append((makespan, counter, order, starts))

        for priority in (self.latest_finish, self.latest_start):
            if population and self.exhausted():  # the first schedule is always made, whatever the budget
                return
            add(*self.evaluate(self.priority_list(priority)))
        if size < 2:
            return
        population_size = min(self.population_cap, 20 + self.budget // 250)
        rate = min(0.1, self.mutation_per_list / size)
        stalled = 0
        best = self.best_makespan
        uniform = self.random.random
        while not self.exhausted():
            while len(population) < population_size and not self.exhausted():
                add(*self.evaluate(self.sampled_list(self.latest_finish)))
            population.sort()
            del population[population_size:]
            parents = population[:]
            self.random.shuffle(parents)
            for first in range(0, len(parents) - 1, 2):
                for daughter, son in ((parents[first], parents[first + 1]), (parents[first + 1], parents[first])):
                    if self.exhausted():
                        return
                    if uniform() < self.peak_share:
                        child = self.peak_crossover(daughter, son[2])
                    else:
                        child = self.crossover(daughter[2], son[2])
                    self.mutate(child, rate)
                    add(*self.evaluate(child))
            if self.best_makespan < best:
                best, stalled = self.best_makespan, 0
            else:
                stalled += 1
                if stalled >= self.stagnation_generations or self.repeats >= population_size:
                    population.sort()
                    del population[self.elite_kept:]
                    stalled = 0
