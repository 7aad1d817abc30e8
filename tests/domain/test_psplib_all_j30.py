"""All 480 PSPLIB j30 instances: every leveled schedule is feasible and never below the proven optimum.

The instances travel as tests/data/psplib/j30.tar.xz (the files of ../shared/psplib/j30, byte for byte).
A small budget keeps this fast; bench/psplib_bench.py measures quality at the default budget.
"""

from __future__ import annotations

import tarfile
from collections import defaultdict
from pathlib import Path

from planner.domain.leveling import level
from planner.domain.network import Activity, Link, Network
from planner.domain.psplib import parse_result_table, parse_sm

DATA = Path(__file__).parent.parent / "data" / "psplib"


def _instances():
    with tarfile.open(DATA / "j30.tar.xz") as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(".sm"):
                yield Path(member.name).name, archive.extractfile(member).read().decode()


def test_every_j30_instance_levels_feasibly_and_never_below_the_optimum():
    optima = parse_result_table((DATA / "j30opt-all.sm").read_text())
    checked = 0
    for name, text in _instances():
        parameter, instance_number = (int(part) for part in name[3:-3].split("_"))
        instance = parse_sm(text)
        jobs = instance.jobs
        network = Network(
            [Activity(id=job.number, duration_days=job.duration,
                      demands=tuple((r, float(u)) for r, u in enumerate(job.demands) if u)) for job in jobs],
            [Link(job.number, successor) for job in jobs for successor in job.successors],
        )
        result = level(network, {r: float(c) for r, c in enumerate(instance.capacities)}, seed=0, iterations=60)
        usage: dict[tuple[int, int], int] = defaultdict(int)
        for job in jobs:
            start = result.starts[job.number]
            assert result.finishes[job.number] - start == job.duration
            for successor in job.successors:
                assert result.starts[successor] >= start + job.duration, (name, job.number, successor)
            for day in range(start, start + job.duration):
                for resource, units in enumerate(job.demands):
                    usage[(resource, day)] += units
        assert all(used <= instance.capacities[r] for (r, _day), used in usage.items()), name
        assert result.makespan >= optima[(parameter, instance_number)], name
        checked += 1
    assert checked == 480
