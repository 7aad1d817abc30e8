"""The app says when each calendar pairing last synced and what its last sync had to resolve."""

from __future__ import annotations

from datetime import datetime, timezone

from planner.store.models import Project, SyncPairing
from tests.tui.conftest import make_test_app, settle


def _pair(ctx, conflicts: list[str]) -> None:
    from sqlmodel import select

    with ctx.uow() as uow:
        project = uow.first(select(Project).where(Project.key == "web"))
        uow.session.add(SyncPairing(url="https://dav.example.com/ana/tasks/", username="ana", project_id=project.id,
                                    uid_prefix="planner-x-", last_synced_at=datetime(2026, 11, 25, 8, 5,
                                                                                     tzinfo=timezone.utc),
                                    last_report={"conflicts": conflicts}))
        uow.commit()


async def test_the_app_announces_the_last_sync_and_its_conflicts(demo_ctx):
    _pair(demo_ctx, ["'Logo': title changed on both sides; kept the server value (modified later)"])
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        shown = " ".join(f"{n.title}: {n.message}" for n in app._notifications)
        assert "Calendar sync: web ↔ calendar: synced 25 Nov 08:05 UTC" in shown
        assert "1 conflict: 'Logo': title changed on both sides" in shown
