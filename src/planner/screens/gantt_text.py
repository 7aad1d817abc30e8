"""The words around the Gantt chart: the project's title line, the selected task's line and the legend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.render.gantt_rows import GanttModel, GanttRow


@dataclass(slots=True)
class PlanFrame:
    """The project-level facts shown over the chart."""

    key: str
    name: str
    start: date
    finish: date
    deadline: date | None
    leveled: bool
    baseline: str | None
    finish_slip_days: int | None
    task_count: int


def plan_frame(schedule: Any, diff: Any) -> PlanFrame:
    """The frame of a schedule and its baseline comparison (None without a baseline)."""
    return PlanFrame(schedule.key, schedule.name, schedule.start, schedule.finish, schedule.deadline,
                     schedule.leveled, diff.baseline if diff else None, diff.project_finish_slip_days if diff else None,
                     len(schedule.tasks))


def title_line(frame: PlanFrame, filter_text: str = "") -> str:
    """Name, dates, deadline and what is left of it, baseline slip, leveled, filter."""
    parts = [f"[b]{frame.name}[/b] [dim]({frame.key})[/dim]", f"{frame.start:%b %d} → {frame.finish:%b %d %Y}"]
    if frame.deadline:
        spare = (frame.deadline - frame.finish).days
        colour = "red" if spare < 0 else "green"
        parts.append(f"deadline {frame.deadline:%b %d} [{colour}]({spare:+d}d)[/{colour}]")
    if frame.baseline:
        slip = frame.finish_slip_days or 0
        parts.append(f"baseline '{frame.baseline}' [{'red' if slip > 0 else 'green'}]{slip:+d}d[/]")
    if frame.leveled:
        parts.append("[b]leveled[/b]")
    if filter_text:
        parts.append(f"filter: {filter_text}")
    return "  ·  ".join(parts)


LEGEND = ("[$primary]█[/] planned  [$error]█[/] critical  [$warning]█[/] late  [$success]█[/] done  ▀ phase  "
          "[$accent]◆[/] milestone  [$text-primary]◇[/] P85  ┈ slack  ▔ baseline  [$warning]│[/] today  "
          "[$error]┆[/] deadline  ─▶ [$accent]« »[/] links (a)")


def detail_line(row: GanttRow, model: GanttModel) -> str:
    """One line about the selected task: dates, slack, links, baseline slip, forecast."""
    finish = row.end - timedelta(days=1)
    parts = [f"[b]#{row.task_id}[/b] {row.title}"]
    if row.kind == "milestone":
        parts.append(f"◆ {row.start:%a %b %d}")
    else:
        parts.append(f"{row.start:%a %b %d} → {finish:%a %b %d}")
    if row.done:
        parts.append("[green]done[/green]")
    elif row.kind != "summary":
        slack = f"slack {row.slack_days:+d}d" if row.slack_days else "no slack"
        parts.append(f"[red]{slack} · late[/red]" if row.late else f"[red]{slack} · critical[/red]"
                     if row.critical else slack)
    if row.percent_done and not row.done:
        parts.append(f"{row.percent_done}% done")
    if row.start_no_earlier is not None and not row.done:
        parts.append(f"[$accent]▹[/] pinned: not before {row.start_no_earlier:%a %b %d}")
    if row.assignees:
        parts.append("@" + " @".join(row.assignees))
    before = model.predecessors.get(row.task_id, ())
    after = model.successors.get(row.task_id, ())
    if before:
        parts.append("after " + ", ".join(f"#{i}" for i in before[:4]) + ("…" if len(before) > 4 else ""))
    if after:
        parts.append("before " + ", ".join(f"#{i}" for i in after[:4]) + ("…" if len(after) > 4 else ""))
    if row.baseline_slip_days is not None:
        parts.append(f"baseline {row.baseline_slip_days:+d}d")
    if row.p85 is not None:
        chance = f" ({row.on_time_probability:.0%} on time)" if row.on_time_probability is not None else ""
        parts.append(f"P85 {row.p85:%b %d}{chance}")
    return "  ·  ".join(parts)
