"""The daily queue screen on a real SQLite store: ranking shown, timer, done, pin, snooze, filter, explain."""

from __future__ import annotations

from datetime import timedelta

from planner.services.queries import get_task
from planner.services.queue.daily import daily_queue
from planner.services.flow.timetracking import running_timer
from tests.tui.conftest import TODAY, make_test_app, settle


async def test_queue_shows_the_services_ranking_and_the_cut_line(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        expected = daily_queue(demo_ctx).queues[0].items
        assert [item.task_id for item in table.items] == [item.task_id for item in expected]
        cut = table.rows.index(None)
        assert all(row.entry.fits for row in table.rows[:cut])
        assert not any(row.entry.fits for row in table.rows[cut + 1:])
        assert "fits today" in table.render_line(1 + cut).text
        assert table.selected_task_id == expected[0].task_id


async def test_s_starts_the_timer_on_the_selected_task_and_stops_it(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chosen = app.screen.table.selected_task_id
        await pilot.press("s")
        await settle(app, pilot)
        assert running_timer(demo_ctx).task_id == chosen
        assert app.timer is not None and app.timer.task_id == chosen
        assert f"● #{chosen}" in str(app.screen.query_one("TopBar").render())
        await pilot.press("s")
        await settle(app, pilot)
        assert running_timer(demo_ctx) is None
        assert app.timer is None


async def test_d_completes_the_task_and_it_leaves_the_queue(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chosen = app.screen.table.selected_task_id
        await pilot.press("d")
        await settle(app, pilot)
        assert get_task(demo_ctx, chosen).done
        assert chosen not in [item.task_id for item in app.screen.table.items]


async def test_p_pins_a_task_to_the_top_and_j_k_reorder(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        await pilot.press("down", "down")
        third = table.selected_task_id
        assert third == table.items[2].task_id
        await pilot.press("p")
        await settle(app, pilot)
        assert table.items[0].task_id == third and table.items[0].entry.pinned
        assert table.selected_task_id == third
        await pilot.press("J")  # one place down: the plan now orders the top two
        await settle(app, pilot)
        assert [item.task_id for item in table.items][1] == third
        assert all(item.entry.pinned for item in table.items[:2])


async def test_z_snoozes_until_tomorrow_by_default(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chosen = app.screen.table.selected_task_id
        await pilot.press("z")
        await pilot.pause()
        assert type(app.screen).__name__ == "PromptScreen"
        await pilot.press("enter")
        await settle(app, pilot)
        assert get_task(demo_ctx, chosen).snoozed_until == TODAY + timedelta(days=1)
        assert chosen not in [item.task_id for item in app.screen.table.items]


async def test_the_filter_bar_narrows_the_queue(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        before = {item.entry.scored.candidate.project_key for item in app.screen.table.items}
        assert before == {"web", "support"}
        await pilot.press("slash")
        field = app.screen.query_one("#filter-input")
        assert app.focused is field
        field.value = "project:support"
        await pilot.press("enter")
        await settle(app, pilot)
        after = {item.entry.scored.candidate.project_key for item in app.screen.table.items}
        assert after == {"support"}
        assert app.focused is app.screen.table


async def test_a_bad_filter_is_reported_not_raised(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        app.screen.query_one("#filter-input").value = "colour:blue"
        await pilot.press("enter")
        await settle(app, pilot)
        assert any("unknown filter key 'colour'" in n.message for n in app._notifications)


async def test_x_explains_every_factor_of_the_score(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one("#queue-explain")
        before = str(panel.render())
        assert "why:" in before
        await pilot.press("x")
        after = str(panel.render())
        rows = {line.split()[0] for line in after.splitlines()[1:]}
        assert {"due", "priority", "slack", "unblocks", "in_progress", "age"} <= rows  # every factor, zeros too
        assert len(before.splitlines()) < len(after.splitlines()) and "in_progress" not in before
