"""PSPLIB benchmark of the leveler (planner.domain.leveling.level).

    python bench/psplib_bench.py [--set j30|j60|j120|both|all] [--limit N] [--stride S] [--iterations K]
                                 [--workers 2] [--seed S] [--time-budget SECONDS]
                                 [--psplib DIR]

Runs every instance (or every S-th one, a sample across all parameter
sets) of PSPLIB's j30, j60 and/or j120 sets (``DIR/j30/*.sm``,
``DIR/j60/*.sm``, ``DIR/j120/*.sm``; j120 from PSPLIB's ``j120.sm.zip``)
through the leveler in a multiprocessing pool, checks every schedule for
precedence and capacity, and prints per set: the mean % deviation from the
proven optimum (j30, ``j30opt.sm``), from the critical-path bound (MPM-Time,
the usual j60 / j120 yardstick) and from the best-known upper bound
(``j60hrs.sm``, ``j120hrs.sm``); how many instances end at the optimum /
best-known makespan / a proven lower bound; the mean and the largest time per
instance (wall and CPU time of ``level`` in its worker process; on a busy
machine the CPU time is the fairer figure).

``DIR`` defaults to ``$PLANNER_PSPLIB_DIR`` or ``../shared/psplib`` next to
the repository. Each instance is converted the way an importer does it: the
dummy source and sink are dropped, every job becomes an activity demanding
its units of each resource on each of its days, each successor an FS link.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from planner.domain.leveling import level  # noqa: E402
from planner.domain.network import Activity, Link, Network  # noqa: E402
from planner.domain.psplib import PsplibInstance, parse_result_table, parse_sm  # noqa: E402

_NAME = re.compile(r"^j(\d0|120)(\d+)_(\d+)\.sm$")


def network_of(instance: PsplibInstance) -> tuple[Network, dict[int, float]]:
    """The planner network of an instance (dummy source and sink dropped) and its capacities."""
    sink = len(instance.jobs)
    real = instance.jobs[1:-1]
    activities = [
        Activity(id=job.number, duration_days=job.duration,
                 demands=tuple((resource, units) for resource, units in enumerate(job.demands, start=1) if units))
        for job in real
    ]
    links = [Link(job.number, successor) for job in real for successor in job.successors if successor != sink]
    capacities = {resource: float(capacity) for resource, capacity in enumerate(instance.capacities, start=1)}
    return Network(activities, links), capacities


def parse_lower_bounds(text: str) -> dict[tuple[int, int], int]:
    """``{(parameter, instance): lower bound}`` from ``j60lb.sm`` (columns Par Inst UB LB [*] Author)."""
    bounds: dict[tuple[int, int], int] = {}
    for line in text.splitlines():
        tokens = line.split()
        if len(tokens) >= 4 and all(token.isdigit() for token in tokens[:4]):
            bounds[(int(tokens[0]), int(tokens[1]))] = int(tokens[3])
    return bounds


@dataclass(slots=True)
class Outcome:
    """One instance's result."""

    name: str
    key: tuple[int, int]
    makespan: int
    critical_path: int
    lower_bound: int
    seconds: float
    cpu_seconds: float
    schedules: int
    violations: list[str]


def violations_of(instance: PsplibInstance, starts: dict[int, int]) -> list[str]:
    """Every broken precedence and every overloaded resource-day of a schedule (empty: feasible)."""
    sink = len(instance.jobs)
    real = instance.jobs[1:-1]
    found = []
    usage: dict[tuple[int, int], int] = {}
    for job in real:
        start = starts[job.number]
        if start < 0:
            found.append(f"job {job.number} starts on day {start}")
        for successor in job.successors:
            if successor != sink and starts[successor] < start + job.duration:
                found.append(f"job {successor} starts before job {job.number} finishes")
        for day in range(start, start + job.duration):
            for resource, units in enumerate(job.demands):
                usage[(resource, day)] = usage.get((resource, day), 0) + units
    found.extend(f"resource {resource + 1} holds {used} > {instance.capacities[resource]} on day {day}"
                 for (resource, day), used in sorted(usage.items()) if used > instance.capacities[resource])
    return found


def solve(job: tuple[str, str, int | None, int, float | None]) -> Outcome:
    """Level one instance file (run in a worker process)."""
    path, set_name, iterations, seed, time_budget = job
    name = os.path.basename(path)
    match = _NAME.match(name)
    if match is None:
        raise SystemExit(f"unexpected instance file name {name}")
    key = (int(match.group(2)), int(match.group(3)))
    instance = parse_sm(Path(path).read_text())
    network, capacities = network_of(instance)
    began, began_cpu = time.perf_counter(), time.process_time()
    result = level(network, capacities, seed=seed, iterations=iterations, time_budget_s=time_budget)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - began_cpu
    return Outcome(name, key, result.makespan, instance.mpm_time, result.lower_bound, seconds, cpu_seconds,
                   result.schedules, violations_of(instance, result.starts))


def instance_files(directory: Path, set_name: str, limit: int | None, stride: int = 1) -> list[str]:
    """The set's instance files in parameter / instance order: every ``stride``-th, the first ``limit`` of those."""
    files = []
    for path in (directory / set_name).glob("*.sm"):
        match = _NAME.match(path.name)
        if match:
            files.append(((int(match.group(2)), int(match.group(3))), str(path)))
    files.sort()
    chosen = [path for _key, path in files][::stride]
    return chosen[:limit] if limit else chosen


def _percent(value: float, reference: float) -> float:
    return 100.0 * (value - reference) / reference


def report(set_name: str, outcomes: list[Outcome], directory: Path, wall: float) -> None:
    """Print the figures of one set."""
    count = len(outcomes)
    times = [outcome.seconds for outcome in outcomes]
    print(f"\n== {set_name}: {count} instances, {wall:.1f} s wall ==")
    infeasible = [o for o in outcomes if o.violations]
    print(f"schedules checked for precedence and capacity: {count}, infeasible: {len(infeasible)}")
    for outcome in infeasible:
        print(f"INFEASIBLE (a bug): {outcome.name}: {outcome.violations[0]}")
    vs_cp = [_percent(o.makespan, o.critical_path) for o in outcomes]
    print(f"mean deviation from the critical-path bound: {statistics.fmean(vs_cp):.2f} %")
    if set_name == "j30":
        optimum = parse_result_table((directory / "j30opt.sm").read_text())
        known = [o for o in outcomes if o.key in optimum]
        deviations = [_percent(o.makespan, optimum[o.key]) for o in known]
        at_optimum = sum(o.makespan == optimum[o.key] for o in known)
        below = [o.name for o in known if o.makespan < optimum[o.key]]
        print(f"mean deviation from the optimum: {statistics.fmean(deviations):.3f} %  (max {max(deviations):.2f} %)")
        print(f"at the optimum: {at_optimum} / {len(known)}")
        if below:
            print(f"BELOW THE PROVEN OPTIMUM (a bug): {', '.join(below)}")
    else:
        best = parse_result_table((directory / f"{set_name}hrs.sm").read_text())
        known = [o for o in outcomes if o.key in best]
        deviations = [_percent(o.makespan, best[o.key]) for o in known]
        print(f"mean deviation from the best-known makespan ({set_name}hrs.sm): {statistics.fmean(deviations):.3f} %")
        print(f"at the best-known makespan: {sum(o.makespan <= best[o.key] for o in known)} / {len(known)}; "
              f"better than it: {sum(o.makespan < best[o.key] for o in known)}")
        lb_file = directory / f"{set_name}lb.sm"
        if lb_file.exists():
            bounds = parse_lower_bounds(lb_file.read_text(encoding="latin-1"))
            proven = [o for o in outcomes if o.key in bounds]
            below = [o.name for o in proven if o.makespan < bounds[o.key]]
            print(f"at the published lower bound (proven optimal): "
                  f"{sum(o.makespan == bounds[o.key] for o in proven)} / {len(proven)}")
            if below:
                print(f"BELOW THE PUBLISHED LOWER BOUND (a bug): {', '.join(below)}")
    print(f"ended at the leveler's own lower bound: {sum(o.makespan == o.lower_bound for o in outcomes)} / {count}")
    cpu = [outcome.cpu_seconds for outcome in outcomes]
    print(f"time per instance (wall): mean {statistics.fmean(times):.3f} s, max {max(times):.3f} s; "
          f"(CPU): mean {statistics.fmean(cpu):.3f} s, max {max(cpu):.3f} s")
    print(f"schedules per instance: mean {statistics.fmean(o.schedules for o in outcomes):.0f}, "
          f"max {max(o.schedules for o in outcomes)}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the sets, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("j30", "j60", "j120", "both", "all"), default="both")
    parser.add_argument("--limit", type=int, default=None, help="only the first N instances of each set")
    parser.add_argument("--stride", type=int, default=1, help="only every S-th instance (a sample across all parameters)")
    parser.add_argument("--iterations", type=int, default=None, help="schedule budget (default: the leveler's own)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-budget", type=float, default=None, help="wall-time cap per instance, seconds")
    default_dir = os.environ.get("PLANNER_PSPLIB_DIR", str(REPO.parent / "shared" / "psplib"))
    parser.add_argument("--psplib", default=default_dir, help="directory holding j30/, j60/ and the result tables")
    args = parser.parse_args(argv)
    directory = Path(args.psplib)
    sets = {"both": ("j30", "j60"), "all": ("j30", "j60", "j120")}.get(args.set, (args.set,))
    with multiprocessing.Pool(args.workers) as pool:
        for set_name in sets:
            files = instance_files(directory, set_name, args.limit, max(1, args.stride))
            if not files:
                print(f"no instances under {directory / set_name}", file=sys.stderr)
                return 1
            jobs = [(path, set_name, args.iterations, args.seed, args.time_budget) for path in files]
            began = time.perf_counter()
            outcomes = pool.map(solve, jobs, chunksize=1)
            report(set_name, outcomes, directory, time.perf_counter() - began)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
