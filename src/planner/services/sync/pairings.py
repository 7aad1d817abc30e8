"""Which project syncs with which CalDAV calendar, and the password a sync uses (never stored)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import select

from planner.domain.errors import ConflictError, InvalidInputError, NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.store.models import Project, SyncItem, SyncPairing


KEYRING_SERVICE = "planner-caldav"
@dataclass(slots=True)
class PairingInfo:
    """A remembered pairing and how its last sync went."""

    project: str
    url: str
    user: str
    last_synced_at: datetime | None
    last_report: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"project": self.project, "url": self.url, "user": self.user,
                "last_synced_at": self.last_synced_at.isoformat() if self.last_synced_at else None,
                "last_report": self.last_report}


def caldav_password(user: str, environ: dict[str, str] | None = None) -> str:
    """The password: PLANNER_CALDAV_PASSWORD, else the system keyring (`keyring set planner-caldav USER`)."""
    environ = os.environ if environ is None else environ
    if environ.get("PLANNER_CALDAV_PASSWORD"):
        return environ["PLANNER_CALDAV_PASSWORD"]
    if not user:
        return ""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, user) or ""
    except Exception:  # no keyring backend on this machine: same as no password stored
        return ""


def list_pairings(ctx: Context) -> list[PairingInfo]:
    """Every remembered pairing, by project."""
    with ctx.uow() as uow:
        rows = uow.session.exec(select(SyncPairing, Project).join(Project, Project.id == SyncPairing.project_id)
                                .order_by(Project.key, SyncPairing.url)).all()
        return [PairingInfo(project.key, pairing.url, pairing.username, pairing.last_synced_at, pairing.last_report)
                for pairing, project in rows]


def remove_pairing(ctx: Context, project: str, url: str | None = None) -> int:
    """Forget the pairings of a project (with one URL, or all); tasks and server objects stay."""
    with ctx.uow() as uow:
        project_row = lookup.project(uow, project)
        statement = select(SyncPairing).where(SyncPairing.project_id == project_row.id)
        if url is not None:
            statement = statement.where(SyncPairing.url == collection_url(url))
        pairings = uow.all(statement)
        if not pairings:
            raise NotFoundError(f"project {project} is not paired{' with ' + url if url else ''}: "
                                "`planner sync ls` lists the pairings")
        for pairing in pairings:
            for item in uow.all(select(SyncItem).where(SyncItem.pairing_id == pairing.id)):
                uow.session.delete(item)
            uow.session.delete(pairing)
        uow.commit()
        return len(pairings)


def collection_url(url: str) -> str:
    """The calendar collection's URL, checked: http(s), no password in it, ending in a slash."""
    from urllib.parse import urlsplit

    if not url.startswith(("http://", "https://")):
        raise InvalidInputError(f"the CalDAV URL must start with http:// or https://, not {url!r}")
    if urlsplit(url).password is not None:
        raise InvalidInputError("the CalDAV URL holds a password: leave it out (it would be stored and shown); "
                                "give it in PLANNER_CALDAV_PASSWORD or `keyring set planner-caldav USER`")
    return url if url.endswith("/") else url + "/"


def find_pairing(ctx: Context, url: str, project: str, user: str) -> int | None:
    """The pairing of this project and calendar, or None when there is none yet and it may be made.

    One calendar per project and one project per calendar: a calendar synced with two projects would
    copy each one's tasks into the other, and deleting a copy would delete its original.
    """
    with ctx.uow() as uow:
        project_row = lookup.project(uow, project)
        for pairing, other in uow.session.exec(select(SyncPairing, Project).join(
                Project, Project.id == SyncPairing.project_id).where(
                (SyncPairing.url == url) | (SyncPairing.project_id == project_row.id))).all():
            if pairing.url == url and pairing.project_id == project_row.id:
                if user and pairing.username != user:
                    pairing.username = user
                    uow.session.add(pairing)
                    uow.commit()
                return pairing.id
            if pairing.url == url:
                raise ConflictError(f"that calendar already syncs project {other.key}: one calendar holds one "
                                    f"project's tasks; choose another calendar, or `planner sync rm {other.key}` first")
            raise ConflictError(f"project {other.key} already syncs with {pairing.url}: "
                                f"`planner sync rm {other.key}` first to pair it with another calendar")
        return None


def new_pairing(ctx: Context, url: str, project: str, user: str) -> int | None:
    """Remember that this project syncs with this calendar; its id."""
    with ctx.uow() as uow:
        pairing = SyncPairing(url=url, username=user, project_id=lookup.project(uow, project).id,
                              uid_prefix=f"planner-{uuid.uuid4().hex[:12]}-")
        uow.session.add(pairing)
        uow.commit()
        return pairing.id


# -- the local side -------------------------------------------------------------------------------------
