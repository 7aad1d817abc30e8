"""A 'sending' claim left by a killed run is taken over once it is stale."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from planner.services.digest.delivery import STALE_CLAIM, claim
from planner.services.digest.build import build_digest
from planner.services.people.resources import add_resource
from planner.store.models import DigestLog, utcnow


def test_a_stale_sending_claim_is_taken_over(ctx):
    add_resource(ctx, "ana", email="ana@example.com")
    digest = build_digest(ctx, user="ana", day=date(2026, 11, 25))
    first_id, attempts, why = claim(ctx, "ana@example.com", digest)
    assert first_id is not None and attempts == 1 and not why
    again, _, why = claim(ctx, "ana@example.com", digest)
    assert again is None and "right now" in why
    with ctx.uow() as uow:  # the first run was killed long ago
        row = uow.first(select(DigestLog).where(DigestLog.id == first_id))
        row.claimed_at = utcnow() - STALE_CLAIM - timedelta(minutes=1)
        uow.session.add(row)
        uow.commit()
    taken, attempts, why = claim(ctx, "ana@example.com", digest)
    assert taken == first_id and attempts == 2 and not why
