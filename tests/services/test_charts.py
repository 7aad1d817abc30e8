"""Charts from the services' numbers: each SVG parsed and checked for its data, terminal charts as text."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta

import pytest

from tests.conftest import make_context

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    """The demo store, made once; its events carry the real clock, so today is the real day."""
    from planner.services.demo import create_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('charts') / 'demo.db'}"
    create_demo(make_context(url, actor="ana", today=date.today()))
    return url


@pytest.fixture
def ctx(demo_url):
    return make_context(demo_url, actor="ana", today=date.today())


def _svg(charts) -> ET.Element:
    from planner.render.charts.svg import charts_svg

    return ET.fromstring(charts_svg(charts).split("?>", 1)[1])


def _marks(root: ET.Element, tag: str, role: str, series: str | None = None) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if e.get("class") == role
            and (series is None or e.get("data-series") == series)]


def _sprint(ctx, name: str = "Charted"):
    from planner.services.flow.sprints import add_sprint, plan_into_sprint, sprint_report
    from planner.services.queries import list_tasks

    today = ctx.today()
    try:
        add_sprint(ctx, "web", name, start=today - timedelta(days=3), end=today + timedelta(days=10))
        plan_into_sprint(ctx, "web", name, [t.id for t in list_tasks(ctx, ["project:web"]).tasks[:5]])
    except Exception:  # noqa: BLE001 - made by an earlier test of this module
        pass
    return sprint_report(ctx, "web", name)


def test_burndown_svg_has_a_point_per_day_so_far_and_the_whole_ideal_line(ctx):
    from planner.render.charts.build import burndown_chart

    report = _sprint(ctx)
    root = _svg([burndown_chart(report)])
    known = [p for p in report.burndown if p.remaining_hours is not None]
    assert len(_marks(root, "circle", "point", "remaining")) == len(known) > 0
    assert len(_marks(root, "circle", "point", "ideal")) == len(report.burndown)
    ideal = _marks(root, "polyline", "line", "ideal")[0].get("points").split()
    assert len(ideal) == len(report.burndown)
    first_y, last_y = float(ideal[0].split(",")[1]), float(ideal[-1].split(",")[1])
    assert first_y < last_y  # the ideal line falls (SVG y grows downwards)
    texts = [e.text for e in root.iter(SVG + "text")]
    assert "hours left" in texts and any(t and t[0].isdigit() for t in texts)


def test_forecast_svg_bars_match_the_draws_and_the_deadline_marker_sits_on_its_day(ctx):
    from planner.render.charts.build import forecast_chart
    from planner.render.charts.layout import LEFT, RIGHT, WIDTH
    from planner.services.planning.plan import forecast_project

    result = forecast_project(ctx, "web", runs=300, seed=3)
    outlook = result.finish
    assert len(outlook.finish_dates) == 300 and outlook.finish_dates == sorted(outlook.finish_dates)
    assert outlook.deadline is not None
    chart = forecast_chart(outlook, "web")
    root = _svg([chart])
    bars = _marks(root, "rect", "bar")
    counts = Counter(outlook.finish_dates)
    assert len(bars) == len(counts)
    ratios = [float(b.get("height")) / count for b, count in zip(bars, [counts[d] for d in sorted(counts)])]
    assert max(ratios) - min(ratios) < 0.2  # bars in date order, each as tall as its runs (0.1 px rounding)
    days = [min([*counts, outlook.p50, outlook.p85, outlook.deadline]) - timedelta(days=1) + timedelta(days=i)
            for i in range(len(chart.x_labels))]
    assert chart.x_labels == [f"{d:%m-%d}" for d in days]
    slot = (WIDTH - RIGHT - LEFT) / len(days)
    expected_x = LEFT + slot * (days.index(outlook.deadline) + 0.5)
    deadline = [m for m in _marks(root, "line", "marker") if m.get("data-series").startswith("deadline")]
    assert len(deadline) == 1 and float(deadline[0].get("x1")) == pytest.approx(expected_x, abs=0.1)
    p50 = [m for m in _marks(root, "line", "marker") if m.get("data-series").startswith("P50")][0]
    assert float(p50.get("x1")) == pytest.approx(LEFT + slot * (days.index(outlook.p50) + 0.5), abs=0.1)
    curve = _marks(root, "polyline", "line", "finished by then")[0].get("points").split()
    assert len(curve) == len(days)


def test_cumulative_flow_replays_the_event_log_and_draws_a_band_per_state(ctx):
    from planner.render.charts.build import flow_chart
    from planner.services.flow.cumulative import cumulative_flow
    from planner.services.queries import get_project

    flow = cumulative_flow(ctx, "web", start=ctx.today() - timedelta(days=6))
    assert len(flow.days) == 7 and flow.days[-1].day == ctx.today()
    project = get_project(ctx, "web")
    assert sum(flow.days[-1].counts.values()) == project.open_tasks + project.done_tasks
    doing = {s.key for s in flow.states if s.category == "doing"}
    assert flow.wip_now == sum(c for k, c in flow.days[-1].counts.items() if k in doing)
    root = _svg([flow_chart(flow)])
    bands = _marks(root, "polygon", "area")
    assert [b.get("data-series") for b in bands] == [s.name for s in reversed(flow.states)]
    assert all(len(b.get("points").split()) == 2 * len(flow.days) for b in bands)
    notes = [e.text for e in root.iter(SVG + "text") if e.get("class") == "note"]
    assert notes and notes[0].startswith(f"WIP now {flow.wip_now}")


def test_flow_from_a_day_after_today_is_refused(ctx):
    from planner.domain.errors import InvalidInputError
    from planner.services.flow.cumulative import cumulative_flow

    with pytest.raises(InvalidInputError, match="after today"):
        cumulative_flow(ctx, "web", start=ctx.today() + timedelta(days=1))


def test_earned_value_history_ends_at_the_status_date_with_the_progress_figures(ctx):
    from planner.render.charts.build import value_chart
    from planner.services.planning.progress import project_progress
    from planner.services.planning.value_history import value_history

    progress = project_progress(ctx, "web")
    points = value_history(ctx, progress)
    assert points[-1].day == progress.at
    assert points[-1].planned_hours == progress.planned_value_hours
    assert points[-1].earned_hours == progress.earned_value_hours
    planned = [p.planned_hours for p in points]
    assert planned == sorted(planned)
    root = _svg([value_chart(progress, points)])
    for name in ("PV planned", "EV earned"):
        assert len(_marks(root, "polyline", "line", name)[0].get("points").split()) == len(points)
    clocked = any(p.actual_hours is not None for p in points)
    assert bool(_marks(root, "polyline", "line", "AC clocked")) == clocked


def test_workload_chart_has_a_bar_per_busy_person_week(ctx):
    from planner.render.charts.build import workload_chart
    from planner.services.planning.workload import workload

    weeks = workload(ctx, ctx.today())
    root = _svg([workload_chart(weeks)])
    assert len(_marks(root, "rect", "bar")) == sum(1 for w in weeks if w.planned_hours)


def test_terminal_chart_renders_to_a_rich_console(ctx):
    from rich.console import Console

    from planner.render.charts.build import burndown_chart
    from planner.render.charts.terminal import TerminalChart

    buffer = io.StringIO()
    Console(file=buffer, width=90, color_system=None).print(TerminalChart(burndown_chart(_sprint(ctx)), 10))
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "web / Charted: burndown"
    assert all(len(line) <= 90 for line in lines)
    plot = lines[1:11]
    assert plot[-1].lstrip().startswith("0 ┤") and any("●" in line for line in plot)
    assert any("┄" in line for line in plot)  # the ideal line
    assert "● remaining" in lines[-2] and "┄ ideal" in lines[-2]


def test_png_is_an_image_of_the_chart(ctx):
    from PIL import Image

    from planner.render.charts.build import burndown_chart
    from planner.render.charts.layout import lay_out
    from planner.render.charts.png import SCALE, chart_png

    chart = burndown_chart(_sprint(ctx))
    image = Image.open(io.BytesIO(chart_png(chart)))
    canvas = lay_out(chart)
    assert image.format == "PNG" and image.size == (canvas.width * SCALE, canvas.height * SCALE)
    assert len(image.getcolors(1 << 16) or []) > 10  # drawn, not blank


def test_scope_changes_after_the_sprint_started_are_marked_on_the_burndown(ctx):
    from planner.render.charts.build import burndown_chart
    from planner.services.flow.sprints import add_sprint, plan_into_sprint, sprint_report
    from planner.services.queries import list_tasks

    today = ctx.today()
    add_sprint(ctx, "web", "Scoped", start=today - timedelta(days=2), end=today + timedelta(days=8))
    first, second, third = [t.id for t in list_tasks(ctx, ["project:web"]).tasks[5:8]]
    plan_into_sprint(ctx, "web", "Scoped", [first, second, third])
    plan_into_sprint(ctx, "web", "Scoped", [third], remove=True)
    report = sprint_report(ctx, "web", "Scoped")
    assert [(c.task_id, c.day) for c in report.scope_changes] == [(first, today), (second, today), (third, today),
                                                                   (third, today)]
    assert report.scope_changes[2].hours == -report.scope_changes[3].hours > 0
    chart = burndown_chart(report)
    [marker] = chart.markers
    added = sum(c.hours for c in report.scope_changes[:3])
    assert marker.label == f"scope +{added:g}h {report.scope_changes[-1].hours:+g}h"
    assert chart.x_labels[round(marker.x)] == f"{today:%m-%d}" or marker.x % 1 == 0.5
