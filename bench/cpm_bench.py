"""Time CPM and the Monte Carlo forecast on random layered networks.

Run ``python bench/cpm_bench.py``: it builds deterministic random layered
networks of 1k / 10k / 100k activities with about three links each (mostly
FS with lag 0, some SS/FF/SF and lags), times ``compute_schedule`` (best of
three; also on the 100k network in shuffled order) and ``forecast`` with 1000
runs on the 1k network (three-point estimates on every task), and prints a
table.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from planner.domain.cpm import compute_schedule  # noqa: E402
from planner.domain.forecast import forecast  # noqa: E402
from planner.domain.network import Activity, Link, Network  # noqa: E402

LINKS_PER_ACTIVITY = 3
LAYER_WIDTH = 50


def layered_network(activity_count: int, seed: int = 1, three_point: bool = False) -> Network:
    """A random layered network: each activity links to ~3 activities in the next few layers."""
    rng = random.Random(seed)
    activities = []
    for activity_id in range(activity_count):
        duration = rng.randint(1, 10)
        activity = Activity(id=activity_id, duration_days=duration)
        if three_point:
            activity.optimistic_days = max(1, duration - rng.randint(0, 2))
            activity.likely_days = duration
            activity.pessimistic_days = duration + rng.randint(0, 6)
        activities.append(activity)
    links = []
    for succ in range(LAYER_WIDTH, activity_count):
        layer_start = (succ // LAYER_WIDTH) * LAYER_WIDTH
        for _ in range(LINKS_PER_ACTIVITY):
            pred = rng.randrange(max(0, layer_start - 3 * LAYER_WIDTH), layer_start)
            draw = rng.random()
            if draw < 0.8:
                links.append(Link(pred, succ, "FS", 0))
            elif draw < 0.9:
                links.append(Link(pred, succ, "FS", rng.randint(-2, 3)))
            elif draw < 0.95:
                links.append(Link(pred, succ, "SS", rng.randint(0, 3)))
            elif draw < 0.98:
                links.append(Link(pred, succ, "FF", rng.randint(-1, 2)))
            else:
                links.append(Link(pred, succ, "SF", rng.randint(0, 5)))
    return Network(activities=activities, links=links, status_offset=0)


def best_of(repeats: int, action: Callable[[], object]) -> float:
    """The fastest of ``repeats`` timings of ``action``, in seconds."""
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - began)
        del result  # freeing the result is not part of the timing
    return min(timings)


def main() -> None:
    """Print the benchmark table."""
    print(f"{'what':<40}{'activities':>11}{'links':>9}{'seconds':>10}")
    for activity_count in (1_000, 10_000, 100_000):
        network = layered_network(activity_count)
        seconds = best_of(3, lambda network=network: compute_schedule(network))
        print(f"{'compute_schedule (best of 3)':<40}{activity_count:>11,}{len(network.links):>9,}{seconds:>10.3f}")
    # The same 100k network with activities and links in random order: no
    # memory locality left for CPython's objects (a worst case for the passes).
    shuffler = random.Random(2)
    shuffler.shuffle(network.activities)
    shuffler.shuffle(network.links)
    seconds = best_of(3, lambda: compute_schedule(network))
    print(f"{'compute_schedule, shuffled input':<40}{100_000:>11,}{len(network.links):>9,}{seconds:>10.3f}")
    network = layered_network(1_000, three_point=True)
    seconds = best_of(3, lambda: forecast(network, runs=1000, seed=0))
    print(f"{'forecast, 1000 runs (best of 3)':<40}{1_000:>11,}{len(network.links):>9,}{seconds:>10.3f}")


if __name__ == "__main__":
    main()
