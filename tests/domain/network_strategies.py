"""Hypothesis strategies for project networks, and a slow reference scheduler to check CPM against."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from planner.domain.network import LINK_TYPES, Activity, Link, Network, Scheduled

BIG = 10**9


@st.composite
def networks(
    draw: st.DrawFn,
    *,
    max_size: int = 10,
    with_progress: bool = False,
    with_summaries: bool = False,
    with_deadlines: bool = False,
) -> Network:
    """A random acyclic network: every link points forward in a hidden topological order."""
    size = draw(st.integers(1, max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    status = draw(st.integers(0, 4)) if with_progress else 0
    activities = []
    for activity_id in ids:
        activity = Activity(
            id=activity_id,
            duration_days=draw(st.integers(0, 6)),
            start_no_earlier=draw(st.none() | st.integers(0, 8)),
        )
        if with_deadlines:
            activity.deadline = draw(st.none() | st.integers(0, 25))
        if with_progress:
            state = draw(st.sampled_from(["planned", "planned", "in_progress", "done"]))
            if state == "done":
                activity.done = True
                activity.actual_start = draw(st.integers(0, 5))
                activity.actual_finish = activity.actual_start + draw(st.integers(0, 6))
            elif state == "in_progress":
                activity.actual_start = draw(st.integers(0, 5))
                activity.remaining_days = draw(st.none() | st.integers(0, 5))
        activities.append(activity)
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).filter(lambda pair: pair[0] != pair[1]),
            max_size=3 * size,
        )
    )
    links = [
        Link(ids[min(a, b)], ids[max(a, b)], draw(st.sampled_from(LINK_TYPES)), draw(st.integers(-3, 3)))
        for a, b in pairs
    ]
    if with_summaries:
        summary_count = draw(st.integers(1, 3))
        summary_ids = [20_000 + number for number in range(summary_count)]
        for number, summary_id in enumerate(summary_ids):
            parent = draw(st.none() | st.sampled_from(summary_ids[:number])) if number else None
            activities.append(Activity(id=summary_id, duration_days=99, is_summary=True, parent=parent))
        for activity in activities[:size]:
            activity.parent = draw(st.none() | st.sampled_from(summary_ids))
        for summary_id in summary_ids:  # every summary gets at least one leaf
            if not any(a.parent == summary_id for a in activities):
                activities[draw(st.integers(0, size - 1))].parent = summary_id
        for _ in range(draw(st.integers(0, 3))):
            summary_id = draw(st.sampled_from(summary_ids))
            other = draw(st.sampled_from(ids))
            link_type, lag = draw(st.sampled_from(LINK_TYPES)), draw(st.integers(-2, 2))
            if draw(st.booleans()):
                links.append(Link(summary_id, other, link_type, lag))
            else:
                links.append(Link(other, summary_id, link_type, lag))
    return Network(activities, links, status_offset=status, project_deadline=None)


def leaves_of(network: Network) -> dict[int, list[int]]:
    """Every activity id mapped to the leaf ids it stands for (itself for a leaf)."""
    children: dict[int, list[int]] = {}
    for activity in network.activities:
        if activity.parent is not None:
            children.setdefault(activity.parent, []).append(activity.id)
    result: dict[int, list[int]] = {}
    for activity in network.activities:
        stack, leaves = [activity.id], []
        while stack:
            current = stack.pop()
            if current in children:
                stack.extend(children[current])
            else:
                leaves.append(current)
        result[activity.id] = leaves
    return result


def ancestors(network: Network, activity_id: int) -> list[int]:
    """The summary ids above an activity, nearest first."""
    parent_of = {a.id: a.parent for a in network.activities}
    chain, current = [], parent_of.get(activity_id)
    while current is not None:
        chain.append(current)
        current = parent_of.get(current)
    return chain


def link_holds(link: Link, pred: tuple[int, int], succ: tuple[int, int]) -> bool:
    """Whether ``(start, finish)`` pairs of both ends satisfy the link."""
    pred_start, pred_finish = pred
    succ_start, succ_finish = succ
    return {
        "FS": succ_start >= pred_finish + link.lag_days,
        "SS": succ_start >= pred_start + link.lag_days,
        "FF": succ_finish >= pred_finish + link.lag_days,
        "SF": succ_finish >= pred_start + link.lag_days,
    }[link.type]


@dataclass(slots=True)
class Reference:
    """Early and late dates by plain fixed-point relaxation over leaf-to-leaf links."""

    early: dict[int, tuple[int, int]]
    late: dict[int, tuple[int, int]]


def reference_schedule(network: Network) -> Reference:
    """A slow, obviously-correct scheduler: links expanded to leaves, relaxed until nothing moves."""
    leaves = leaves_of(network)
    by_id = {a.id: a for a in network.activities}
    leaf_ids = [a.id for a in network.activities if leaves[a.id] == [a.id]]
    expanded = [
        Link(pred, succ, link.type, link.lag_days)
        for link in network.links
        for pred in leaves[link.pred]
        for succ in leaves[link.succ]
    ]
    status = network.status_offset

    def inherited(activity_id: int) -> tuple[int | None, int | None]:
        starts = [by_id[i].start_no_earlier for i in [activity_id, *ancestors(network, activity_id)]]
        deadlines = [by_id[i].deadline for i in [activity_id, *ancestors(network, activity_id)]]
        starts = [s for s in starts if s is not None]
        deadlines = [d for d in deadlines if d is not None]
        return (max(starts) if starts else None), (min(deadlines) if deadlines else None)

    duration = {i: (0 if by_id[i].is_summary else by_id[i].duration_days) for i in leaf_ids}
    early: dict[int, tuple[int, int]] = {}
    for i in leaf_ids:
        activity = by_id[i]
        if activity.done:
            early[i] = (activity.actual_start, activity.actual_finish)
        elif activity.actual_start is not None:
            remaining = duration[i] if activity.remaining_days is None else activity.remaining_days
            early[i] = (activity.actual_start, max(activity.actual_start + duration[i], status + remaining))
        else:
            start = max(0, status, inherited(i)[0] or 0)
            early[i] = (start, start + duration[i])
    changed = True
    while changed:
        changed = False
        for link in expanded:
            succ = by_id[link.succ]
            if succ.done:
                continue
            pred_start, pred_finish = early[link.pred]
            start, finish = early[link.succ]
            in_progress = succ.actual_start is not None
            if link.type in ("FS", "SS") and not in_progress:
                bound = (pred_finish if link.type == "FS" else pred_start) + link.lag_days
                if bound > start:
                    start, finish = bound, bound + duration[link.succ]
            elif link.type in ("FF", "SF"):
                bound = (pred_finish if link.type == "FF" else pred_start) + link.lag_days
                if bound > finish:
                    if in_progress:
                        finish = bound
                    else:
                        start, finish = bound - duration[link.succ], bound
            if (start, finish) != early[link.succ]:
                early[link.succ], changed = (start, finish), True

    project_finish = max(finish for _start, finish in early.values())
    if network.project_deadline is not None:
        project_finish = min(project_finish, network.project_deadline)
    late: dict[int, tuple[int, int]] = {}
    for i in leaf_ids:
        if by_id[i].done:
            late[i] = early[i]
        else:
            deadline = inherited(i)[1]
            finish = project_finish if deadline is None else min(project_finish, deadline)
            span = early[i][1] - early[i][0]
            late[i] = (finish - span, finish)
    changed = True
    while changed:
        changed = False
        for link in expanded:
            pred = by_id[link.pred]
            if pred.done:
                continue
            span = early[link.pred][1] - early[link.pred][0]
            succ_start, succ_finish = late[link.succ]
            in_progress = pred.actual_start is not None
            bound = {
                "FS": succ_start - link.lag_days,
                "FF": succ_finish - link.lag_days,
                "SS": None if in_progress else succ_start - link.lag_days + span,
                "SF": None if in_progress else succ_finish - link.lag_days + span,
            }[link.type]
            if bound is not None and bound < late[link.pred][1]:
                late[link.pred], changed = (bound - span, bound), True
    return Reference(early, late)


def dates(record: Scheduled) -> tuple[int, int]:
    """``(es, ef)`` of a scheduled record."""
    return record.es, record.ef


def late_dates(record: Scheduled) -> tuple[int, int]:
    """``(ls, lf)`` of a scheduled record."""
    return record.ls, record.lf
