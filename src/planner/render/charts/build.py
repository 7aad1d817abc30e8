"""The charts of the plan, each built from a service's own result (nothing is computed a second time)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from planner.render.charts.model import PALETTE, Chart, Marker, Series


def _day(day: date) -> str:
    return f"{day:%m-%d}"


def burndown_chart(report: Any) -> Chart:
    """Remaining vs ideal hours per working day of a sprint (``services.flow.sprints.SprintReport``)."""
    sprint = report.sprint
    points = report.burndown
    days = [point.day for point in points]
    chart = Chart(f"{sprint.project} / {sprint.name}: burndown", [_day(d) for d in days], [
        Series("remaining", [p.remaining_hours for p in points], "line", PALETTE[0]),
        Series("ideal", [p.ideal_hours for p in points], "line", PALETTE[7], dashed=True),
    ], y_label="hours left", x_label="working day")
    added: dict[date, float] = {}
    removed: dict[date, float] = {}
    for change in report.scope_changes:
        target = added if change.hours >= 0 else removed
        target[change.day] = target.get(change.day, 0.0) + change.hours
    for day in sorted({*added, *removed}):
        position = _position(days, day)
        if position is not None:
            parts = [f"{totals[day]:+g}h" for totals in (added, removed) if day in totals]
            chart.markers.append(Marker(position, "scope " + " ".join(parts), PALETTE[1]))
    chart.notes.append(f"{sprint.done} of {sprint.tasks} done, {report.remaining_hours:g}h of "
                       f"{report.total_hours:g}h left")
    return chart


def _position(days: list[date], day: date) -> float | None:
    """Where ``day`` sits along ``days`` (between neighbours when it is not one of them)."""
    if not days or day < days[0] - timedelta(days=1) or day > days[-1] + timedelta(days=1):
        return None
    for index, known in enumerate(days):
        if known == day:
            return float(index)
        if known > day:
            return index - 0.5
    return len(days) - 0.5


def flow_chart(flow: Any) -> Chart:
    """Cumulative flow: stacked bands of the workflow states, done at the bottom (``FlowReport``)."""
    ordered = list(reversed(flow.states))
    series = [Series(state.name, [float(day.counts.get(state.key, 0)) for day in flow.days], "area",
                     PALETTE[index % len(PALETTE)])
              for index, state in enumerate(ordered)]
    chart = Chart(f"{flow.project}: cumulative flow", [_day(day.day) for day in flow.days], series,
                  y_label="tasks", x_label="day")
    lead = (f", lead time median {flow.median_lead_time_days:.1f} d, P85 {flow.p85_lead_time_days:.1f} d"
            if flow.median_lead_time_days is not None else "")
    chart.notes.append(f"WIP now {flow.wip_now} (average {flow.average_wip:.1f}), {flow.finished} finished{lead}")
    return chart


def forecast_chart(outlook: Any, project: str) -> Chart:
    """Histogram of simulated finish dates with its S-curve, P50 / P85 and the deadline (``FinishOutlook``)."""
    counts = Counter(outlook.finish_dates)
    anchors = [*counts, outlook.p50, outlook.p85] + ([outlook.deadline] if outlook.deadline else [])
    first, last = min(anchors) - timedelta(days=1), max(anchors) + timedelta(days=1)
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    runs = max(1, len(outlook.finish_dates))
    reached, cumulative = 0, []
    for day in days:
        reached += counts.get(day, 0)
        cumulative.append(100 * reached / runs)
    name = project if outlook.task_id is None else f"◆ {outlook.title}"
    chart = Chart(f"{name}: finish date forecast", [_day(d) for d in days], [
        Series("runs finishing that day", [float(counts.get(d, 0)) for d in days], "bar", PALETTE[0]),
        Series("finished by then", cumulative, "line", PALETTE[2], axis="right"),
    ], y_label="runs", x_label="finish date", right_label="cumulative")
    chart.markers.append(Marker(float(days.index(outlook.p50)), f"P50 {_day(outlook.p50)}", PALETTE[4]))
    chart.markers.append(Marker(float(days.index(outlook.p85)), f"P85 {_day(outlook.p85)}", PALETTE[1]))
    if outlook.deadline:
        chart.markers.append(Marker(float(days.index(outlook.deadline)), f"deadline {_day(outlook.deadline)}",
                                    PALETTE[3]))
    chance = (f", {outlook.on_time_probability:.0%} on time" if outlook.on_time_probability is not None else "")
    chart.notes.append(f"planned {outlook.planned_finish}, P50 {outlook.p50}, P85 {outlook.p85}{chance}")
    return chart


def forecast_charts(forecast: Any) -> list[Chart]:
    """The project's finish-date chart, then one per milestone (``services.planning.plan.Forecast``)."""
    return [forecast_chart(item, forecast.project) for item in [forecast.finish, *forecast.milestones]
            if item.finish_dates]


def value_chart(progress: Any, points: list[Any]) -> Chart:
    """Planned, earned and actual hours over time to the status date, with the SPI (``ValuePoint`` list)."""
    series = [Series("PV planned", [p.planned_hours for p in points], "line", PALETTE[7], dashed=True),
              Series("EV earned", [p.earned_hours for p in points], "line", PALETTE[2])]
    if any(p.actual_hours is not None for p in points):
        series.append(Series("AC clocked", [p.actual_hours for p in points], "line", PALETTE[3]))
    chart = Chart(f"{progress.schedule.key}: earned value", [_day(p.day) for p in points], series,
                  y_label="hours", x_label="day")
    spi = progress.schedule_performance_index
    chart.notes.append(f"at {progress.at}: PV {progress.planned_value_hours:g}h, EV {progress.earned_value_hours:g}h"
                       + (f", SPI {spi:.2f}" if spi is not None else ""))
    return chart


def workload_chart(weeks: list[Any]) -> Chart:
    """Planned hours per person per week as bars, each person's capacity as a dashed line (``WeekLoad``)."""
    starts = sorted({week.week_start for week in weeks})
    people = sorted({week.person for week in weeks})
    cells = {(week.person, week.week_start): week for week in weeks}
    series = []
    for index, person in enumerate(people):
        color = PALETTE[index % len(PALETTE)]
        series.append(Series(person, [cells[(person, s)].planned_hours if (person, s) in cells else None
                                      for s in starts], "bar", color))
        series.append(Series(f"{person} capacity", [cells[(person, s)].capacity_hours if (person, s) in cells
                                                    else None for s in starts], "line", color, dashed=True))
    chart = Chart("Workload: planned vs capacity", [f"wk {_day(s)}" for s in starts], series,
                  y_label="hours", x_label="week")
    over = sorted({f"{w.person} wk {_day(w.week_start)}" for w in weeks if w.over})
    chart.notes.append("over capacity: " + (", ".join(over) if over else "nobody"))
    return chart
