"""The team in the app: the queue screen's me/team view and the Load screen's planned/leveled switch."""

from __future__ import annotations

from planner.services.people.teams import add_to_team
from planner.services.queue.daily import daily_queue
from tests.tui.conftest import make_test_app, settle


async def test_t_switches_the_queue_between_me_and_my_team(demo_ctx):
    add_to_team(demo_ctx, "web", ["ana", "ben", "chloe"])
    team = daily_queue(demo_ctx, team="web")
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        mine = [item.task_id for item in table.items]
        assert mine == [item.task_id for item in daily_queue(demo_ctx).queues[0].items]
        assert "Who" not in table.render_line(0).text
        await pilot.press("t")
        await settle(app, pilot)
        assert [(i.person, i.task_id) for i in table.items] == [(i.person, i.task_id) for i in team.items]
        assert {i.person for i in table.items} > {"ana"}
        assert "Who" in table.render_line(0).text
        cuts = [index for index, row in enumerate(table.rows) if row is None]
        assert len(cuts) == sum(1 for q in team.queues if q.items)  # one cut line per person
        first = next(index for index, row in enumerate(table.rows) if row is not None)
        assert f" {table.rows[first].person} " in table.render_line(1 + first).text  # whose entry it is
        first_cut = table.render_line(1 + cuts[0]).text
        assert f"{team.queues[0].person}: fits today" in first_cut
        summary = str(app.screen.query_one("#queue-summary").render())
        assert "team web" in summary
        pinned_before = [i.task_id for i in daily_queue(demo_ctx).queues[0].items if i.entry.pinned]
        await pilot.press("p")
        await settle(app, pilot)
        assert [i.task_id for i in daily_queue(demo_ctx).queues[0].items if i.entry.pinned] == pinned_before
        await pilot.press("t")
        await settle(app, pilot)
        assert [item.task_id for item in table.items] == mine
        assert "Who" not in table.render_line(0).text


async def test_the_team_view_says_so_when_you_are_in_no_team(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        mine = [item.task_id for item in app.screen.table.items]
        await pilot.press("t")
        await settle(app, pilot)
        assert any("is in no team" in n.message for n in app._notifications)
        assert app.screen.team_view is False
        assert [item.task_id for item in app.screen.table.items] == mine


def _cells(table) -> dict[str, list[str]]:
    return {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)[1:]] for i in range(table.row_count)}


def _expected(weeks) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for week in sorted(weeks, key=lambda w: (w.person, w.week_start)):
        reserved = f" + {week.reserved_hours:g}" if week.reserved_hours else ""
        found.setdefault(week.person, []).append(
            f"{week.planned_hours:g}{reserved} / {week.capacity_hours:g} h" + (" !" if week.over else ""))
    return found


async def test_v_switches_the_load_screen_between_planned_and_leveled(demo_ctx):
    from datetime import timedelta

    from textual.widgets import DataTable, Static

    from planner.services.planning.workload import workload
    from planner.services.tasks.operations import TaskDraft, add_task

    for title in ("Crunch A", "Crunch B"):  # two full weeks of ben's work side by side: leveling puts them in a row
        add_task(demo_ctx, TaskDraft(title, project="web", estimate_hours=40, assignees=["ben"]))
    last = demo_ctx.today() + timedelta(weeks=6, days=-1)
    planned, leveled = workload(demo_ctx, demo_ctx.today(), last), workload(demo_ctx, demo_ctx.today(), last, level=True)
    assert _expected(planned) != _expected(leveled)
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        table = app.screen.query_one("#load-table", DataTable)
        title = app.screen.query_one("#load-title", Static)
        assert _cells(table) == _expected(planned) and "planned schedules" in str(title.render())
        await pilot.press("v")
        await settle(app, pilot)
        assert _cells(table) == _expected(leveled) and "leveled" in str(title.render())
        await pilot.press("v")
        await settle(app, pilot)
        assert _cells(table) == _expected(planned)
