"""Summary tasks (work breakdown): the tree, the bounds summaries pass down, links they refuse.

Shared by CPM and leveling, which both schedule leaves and roll summaries up.
"""

from __future__ import annotations

from planner.domain.errors import CycleError
from planner.domain.network import Network


def summary_structure(network: Network) -> tuple[dict[int, list[int]], list[int], dict[int, int]]:
    """Children of each summary, summaries in post-order, and each activity's summary parent."""
    children: dict[int, list[int]] = {}
    parent_of: dict[int, int] = {}
    parents = [activity.parent for activity in network.activities]
    if parents.count(None) == len(parents):
        return children, [], parent_of
    known = {activity.id for activity in network.activities}
    for activity in network.activities:
        if activity.parent is not None and activity.parent in known:
            children.setdefault(activity.parent, []).append(activity.id)
            parent_of[activity.id] = activity.parent
    postorder: list[int] = []
    state: dict[int, int] = {}  # 1 = on the stack, 2 = finished
    for root in children:
        if root in state:
            continue
        stack = [(root, iter(children[root]))]
        state[root] = 1
        while stack:
            summary, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                state[summary] = 2
                postorder.append(summary)
            elif child in children:
                if state.get(child) == 1:
                    loop = [node for node, _ in stack]
                    loop = loop[loop.index(child):]
                    raise CycleError(loop, f"summary tasks contain each other: {' > '.join(f'#{i}' for i in loop)}")
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(children[child])))
    return children, postorder, parent_of


def inherited_bounds(
    network: Network, postorder: list[int], parent_of: dict[int, int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Start-no-earlier and deadline bounds that summaries pass down to their leaves."""
    by_id = {activity.id: activity for activity in network.activities}
    start_bound: dict[int, int] = {}
    deadline: dict[int, int] = {}
    for summary in reversed(postorder):  # parents before children
        activity = by_id[summary]
        parent = parent_of.get(summary)
        own_start, own_deadline = activity.start_no_earlier, activity.deadline
        inherited_start = start_bound.get(parent) if parent is not None else None
        inherited_deadline = deadline.get(parent) if parent is not None else None
        starts = [value for value in (own_start, inherited_start) if value is not None]
        deadlines = [value for value in (own_deadline, inherited_deadline) if value is not None]
        if starts:
            start_bound[summary] = max(starts)
        if deadlines:
            deadline[summary] = min(deadlines)
    return start_bound, deadline


def refuse_link_within_summary(pred_id: int, succ_id: int, parent_of: dict[int, int]) -> None:
    """Raise CycleError for a link between a summary task and one of its own subtasks."""
    for upper, lower in ((pred_id, succ_id), (succ_id, pred_id)):
        ancestor = parent_of.get(lower)
        while ancestor is not None:
            if ancestor == upper:
                raise CycleError(
                    [pred_id, succ_id],
                    f"summary task #{upper} cannot be linked to its own subtask #{lower}",
                )
            ancestor = parent_of.get(ancestor)
