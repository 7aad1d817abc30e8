"""`planner gantt` in a pipe: the width asked for, a readable time axis, outline order, wide titles, files."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from rich.cells import cell_len

CHART_AT_80 = """\
                                   Nov 30         Dec 07          Dec 14
   1 Build               │         ▀▀▀▀▀▀▀▀▀▀▀▀                              ┆
   2   Design the who…   │         ▐█████▉                                   ┆
   3   设计评审 🎨 re…   │                ████▍                              ┆
   5 Docs                │                ████▍                              ┆
   4 Launch              │                    ◆                              ┆
█ planned  █ critical  █ late  █ done  ▀ phase  ◆ milestone  ┈ slack  │ today  ┆
deadline
"""


def _plan(planner):
    planner.ok("project", "add", "web", "--start", "2026-11-30", "--deadline", "2026-12-18")
    planner.ok("add", "Build", "-p", "web", "--duration", "4")
    planner.ok("add", "Design the whole new site with everyone", "-p", "web", "--duration", "3", "--parent", "1")
    planner.ok("add", "设计评审 🎨 review", "-p", "web", "--duration", "2", "--after", "2", "--parent", "1")
    planner.ok("add", "Launch", "-p", "web", "--milestone", "--after", "3")
    planner.ok("add", "Docs", "-p", "web", "--duration", "2", "--after", "2")


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_the_chart_at_80_columns(planner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _plan(planner)
    assert _lines(planner.ok("gantt", "web")) == _lines(CHART_AT_80)


def test_width_wins_over_the_terminal_and_no_row_wraps(planner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _plan(planner)
    out = planner.ok("gantt", "web", "--width", "120").splitlines()
    widths = {cell_len(line) for line in out[:-1]}
    assert widths == {120}, widths  # axis and every task row, legend aside
    assert len(out) == 1 + 5 + 1  # axis, five tasks, the legend on one line


def test_axis_labels_keep_a_space_between_them_and_none_is_lost(sqlite_ctx):
    from rich.console import Console

    from planner.render.gantt import render_gantt
    from planner.services.planning.projects import add_project
    from planner.services.planning.schedule import schedule_project
    from planner.services.tasks.operations import TaskDraft, add_task, edit_task

    add_project(sqlite_ctx, "long", start=date(2026, 12, 2))
    task_id = add_task(sqlite_ctx, TaskDraft("A", project="long", duration_days=5)).task_id
    for duration in range(5, 60, 6):
        edit_task(sqlite_ctx, task_id, {"duration_days": duration})
        schedule = schedule_project(sqlite_ctx, "long")
        for width in range(60, 150, 11):
            console = Console(width=width, file=io.StringIO(), color_system=None)
            console.print(render_gantt(schedule, width=width, today=sqlite_ctx.today(), color=False))
            axis = console.file.getvalue().splitlines()[0]
            labels = re.findall(r"[A-Z][a-z]{2} \d\d", axis)
            assert not re.search(r"\d[A-Z]", axis), axis  # never "Dec 15Dec 22"
            days = [datetime.strptime(f"{label} {2026 if label.startswith(('Nov', 'Dec')) else 2027}", "%b %d %Y")
                    for label in labels]
            gaps = {(b - a).days for a, b in zip(days, days[1:])}
            assert len(gaps) <= 1 and gaps <= {7, 14, 28}, (duration, width, axis)  # none skipped


def test_wide_titles_do_not_shift_the_bars(planner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _plan(planner)
    rows = planner.ok("gantt", "web", "--width", "90").splitlines()
    wide, docs = rows[3], rows[4]  # same dates: #3 (CJK and an emoji in its title) and #5
    assert "设计" in wide and "Docs" in docs

    def bar_cell(line: str) -> int:
        return cell_len(line[: line.index("█")])

    assert bar_cell(wide) == bar_cell(docs)
    assert "…" in rows[2]  # a cut title says so


def test_outline_order_puts_a_summary_before_its_children(planner):
    _plan(planner)
    ids = [int(line.split()[0]) for line in planner.ok("gantt", "web", "--width", "100").splitlines()[1:6]]
    assert ids == [1, 2, 3, 5, 4]


def test_svg_and_html_together_both_get_the_chart(planner, tmp_path):
    _plan(planner)
    out = planner.ok("gantt", "web", "--svg", str(tmp_path / "a.svg"), "--html", str(tmp_path / "b.html"))
    assert "a.svg" in out and "b.html" in out
    assert "Docs" in (tmp_path / "a.svg").read_text()
    assert "Docs" in (tmp_path / "b.html").read_text()


def test_schedule_table_aligns_wide_titles(planner):
    _plan(planner)
    lines = planner.ok("schedule", "web").splitlines()[2:]
    starts = {cell_len(line[: line.index("2026")]) for line in lines}
    assert len(starts) == 1, lines
