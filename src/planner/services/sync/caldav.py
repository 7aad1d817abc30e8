"""Two-way sync of a project's tasks with a CalDAV calendar collection of VTODOs.

Each task and its calendar object remember the fields both sides last agreed
on (``SyncItem.base``). A sync pulls first: objects whose ETag changed are
fetched and merged field by field against that base (a field changed on one
side takes that side's value; changed on both, the later modification wins —
the VTODO's LAST-MODIFIED against the task's updated time, ties to the
server), and every local change lands in one transaction, so one `planner
undo` reverts it. Then it pushes: each task whose fields differ from the base
is written with ``If-Match`` on the ETag last seen (or ``If-None-Match: *``
for a new one, at an href derived from the task's UID, so a sync killed after
a write finds its object again instead of making a second one).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlmodel import select

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.interop.vtodo import SYNCED, TodoFields, from_vtodo, to_vtodo
from planner.services import lookup
from planner.services.context import Context
from planner.services.sync.caldav_client import CalDavCollection
from planner.services.sync.local_tasks import LocalTasks, apply_fields, comparable, create_task, link_depends, local_state
from planner.services.sync.pairings import (caldav_password, collection_url, find_pairing, list_pairings,
                                             new_pairing)
from planner.services.tasks.rows import delete_rows
from planner.store.models import (Project, SyncItem, SyncPairing, Task, utcnow)

#: Writes remembered per transaction while pushing (a killed sync re-checks at most this many).
_RECORD_BATCH = 50


@dataclass(slots=True)
class SyncReport:
    """What one sync of one pairing did, on each side."""

    project: str
    url: str
    dry_run: bool = False
    created_here: int = 0
    updated_here: int = 0
    deleted_here: int = 0
    created_there: int = 0
    updated_there: int = 0
    deleted_there: int = 0
    conflicts: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    @property
    def changes(self) -> int:
        """Everything that changed, on both sides."""
        return (self.created_here + self.updated_here + self.deleted_here
                + self.created_there + self.updated_there + self.deleted_there)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON (what `sync caldav --json` prints and the pairing remembers)."""
        return {"project": self.project, "url": self.url, "dry_run": self.dry_run,
                "here": {"created": self.created_here, "updated": self.updated_here, "deleted": self.deleted_here},
                "there": {"created": self.created_there, "updated": self.updated_there,
                          "deleted": self.deleted_there},
                "conflicts": list(self.conflicts), "requests": self.requests, "seconds": round(self.seconds, 3)}


def sync_caldav(ctx: Context, *, url: str | None = None, project: str | None = None, user: str | None = None,
                dry_run: bool = False, password: str | None = None) -> list[SyncReport]:
    """Sync one project with one collection (remembered for next time), or every remembered pairing."""
    if (url is None) != (project is None):
        raise InvalidInputError("give both --url and --project to pair a project with a calendar, "
                                "or neither to sync every remembered pairing")
    if url is not None and project is not None:
        url = collection_url(url)
        pairing_id = find_pairing(ctx, url, project, user or "")
        if pairing_id is None and not dry_run:  # a new pairing is remembered only once the server answered
            CalDavCollection(url, user or "", caldav_password(user or "") if password is None else password).ctag()
            pairing_id = new_pairing(ctx, url, project, user or "")
        return [_sync_one(ctx, pairing_id, url=url, project=project, user=user or "",
                          password=password, dry_run=dry_run)]
    pairings = list_pairings(ctx)
    if not pairings:
        raise NotFoundError("no remembered pairings: `planner sync caldav --url URL --project KEY` makes one")
    return [_sync_one(ctx, None, url=p.url, project=p.project, user=user or p.user, password=password,
                      dry_run=dry_run) for p in pairings]


def _merge(base: TodoFields | None, local: TodoFields, server: TodoFields, local_updated: datetime | None,
           title: str, conflicts: list[str]) -> TodoFields:
    """Field by field: the side that changed wins; both changed, the later modification (ties: the server)."""
    if base is None:
        base = server
    merged: dict[str, Any] = {}
    base_values, local_values, server_values = comparable(base), comparable(local), comparable(server)
    server_later = (server.last_modified or datetime.min.replace(tzinfo=timezone.utc)) >= \
        (local_updated or datetime.min.replace(tzinfo=timezone.utc))
    for name in SYNCED:
        here, there, agreed = local_values[name], server_values[name], base_values[name]
        if here == there or here == agreed:
            merged[name] = getattr(server, name)
        elif there == agreed:
            merged[name] = getattr(local, name)
        else:
            merged[name] = getattr(server if server_later else local, name)
            conflicts.append(f"{title!r}: {name} changed on both sides; kept the "
                             f"{'server' if server_later else 'local'} value (modified later)")
    return local.merged(**merged)


@dataclass(frozen=True, slots=True)
class _ItemView:
    """A SyncItem read out of its session."""

    uid: str
    href: str
    etag: str | None
    task_id: int | None
    base: dict[str, Any]


# -- the sync -------------------------------------------------------------------------------------------


def _sync_one(ctx: Context, pairing_id: int | None, *, url: str, project: str, user: str, password: str | None,
              dry_run: bool) -> SyncReport:
    started = time.perf_counter()
    report = SyncReport(project, url, dry_run=dry_run)
    collection = CalDavCollection(url, user, caldav_password(user) if password is None else password)
    with ctx.uow() as uow:
        project_row = lookup.project(uow, project)
        pairing = (uow.get(SyncPairing, pairing_id) if pairing_id is not None else
                   uow.first(select(SyncPairing).where(SyncPairing.url == url,
                                                       SyncPairing.project_id == project_row.id)))
        if pairing is None:  # a dry run of a new pairing: nothing is remembered yet
            pairing = SyncPairing(url=url, username=user, project_id=project_row.id, uid_prefix="planner-new-")
        rows = uow.all(select(SyncItem).where(SyncItem.pairing_id == pairing.id)) if pairing.id else []
        local = local_state(uow, pairing, rows)
        items = [_ItemView(row.uid, row.href, row.etag, row.task_id, dict(row.base or {})) for row in rows]
        pairing_id, stored_ctag = pairing.id, pairing.ctag
    ctag = collection.ctag()
    local_dirty = _local_changes(local, items)
    if ctag is not None and ctag == stored_ctag and not local_dirty:
        report.requests, report.seconds = collection.counter.requests, time.perf_counter() - started
        if not dry_run:
            _remember(ctx, pairing_id, ctag, report)
        return report
    listed = collection.list()
    by_href = {item.href: item for item in items}
    changed = [href for href, etag in listed.items() if href not in by_href or by_href[href].etag != etag or not etag]
    server: dict[str, tuple[str, TodoFields, str | None]] = {}
    for obj in collection.fetch(changed):
        parsed = from_vtodo(obj.text or "")
        if parsed is not None:
            server[obj.href] = (parsed[0], parsed[1], obj.etag or listed.get(obj.href))
    if dry_run:
        _count_dry_run(report, items, local, listed, server)
    else:
        _pull(ctx, pairing_id, listed, server, report)
        _push(ctx, pairing_id, collection, report)
        ctag = collection.ctag()
    report.requests, report.seconds = collection.counter.requests, time.perf_counter() - started
    if not dry_run:
        _remember(ctx, pairing_id, ctag, report)
    return report


def _local_changes(local: LocalTasks, items: list[_ItemView]) -> bool:
    paired = {item.task_id: item for item in items}
    if any(task_id not in paired for task_id in local.fields):
        return True
    if any(item.task_id not in local.fields for item in items):
        return True
    return any(comparable(local.fields[item.task_id]) != comparable(TodoFields.from_json(item.base))
               for item in items if item.task_id in local.fields)


def _count_dry_run(report: SyncReport, items: list[_ItemView], local: LocalTasks, listed: dict[str, str | None],
                   server: dict[str, tuple[str, TodoFields, str | None]]) -> None:
    by_uid = {item.uid: item for item in items}
    for _href, (uid, _fields, _etag) in server.items():
        if uid in by_uid:
            report.updated_here += 1
        else:
            report.created_here += 1
    report.deleted_here = sum(1 for item in items if item.href not in listed and item.task_id in local.fields)
    paired = {item.task_id: item for item in items}
    for task_id, fields in local.fields.items():
        item = paired.get(task_id)
        if item is None:
            report.created_there += 1
        elif comparable(fields) != comparable(TodoFields.from_json(item.base)):
            report.updated_there += 1
    report.deleted_there = sum(1 for item in items if item.task_id not in local.fields and item.href in listed)


def _pull(ctx: Context, pairing_id: int | None, listed: dict[str, str | None],
          server: dict[str, tuple[str, TodoFields, str | None]], report: SyncReport) -> None:
    """Bring the server's changes here in one transaction (one undo), recording what both sides now agree on."""
    with ctx.uow() as uow:
        pairing = uow.get(SyncPairing, pairing_id)
        items = uow.all(select(SyncItem).where(SyncItem.pairing_id == pairing.id))
        local = local_state(uow, pairing, items)
        by_uid = {item.uid: item for item in items}
        task_by_uid = {uid: task_id for task_id, uid in local.uid_of.items()}
        project = uow.get(Project, pairing.project_id)
        links: list[tuple[Task, TodoFields]] = []
        for href, (uid, fields, etag) in sorted(server.items()):
            item = by_uid.get(uid)
            task_id = item.task_id if item is not None else task_by_uid.get(uid)
            if task_id is not None and task_id in local.fields:
                base = TodoFields.from_json(item.base) if item is not None else local.fields[task_id]
                merged = _merge(base, local.fields[task_id], fields, local.updated.get(task_id),
                                fields.title, report.conflicts)
                task = uow.get(Task, task_id)
                if apply_fields(uow, ctx, task, local.fields[task_id], merged):
                    report.updated_here += 1
                    links.append((task, merged))
            else:
                if item is not None and item.task_id is not None:
                    report.conflicts.append(f"{fields.title!r}: deleted here but changed on the server; kept it")
                task = create_task(uow, ctx, project, uid, fields)
                report.created_here += 1
                links.append((task, fields))
                task_id = task.id
            item = item or by_uid.get(uid) or SyncItem(pairing_id=pairing.id, uid=uid, href=href)
            item.task_id, item.href, item.etag, item.base = task_id, href, etag, fields.to_json()
            uow.session.add(item)
            by_uid[uid] = item
        uids = {uid: item.task_id for uid, item in by_uid.items()}
        for task, fields in links:
            link_depends(uow, task, fields, uids, report.conflicts)
        for item in items:
            if item.href in listed:
                continue
            if item.task_id in local.fields:
                task = uow.get(Task, item.task_id)
                if comparable(local.fields[item.task_id]) != comparable(TodoFields.from_json(item.base)):
                    report.conflicts.append(f"{task.title!r}: deleted on the server but changed here; "
                                            "sent it back")
                else:
                    delete_rows(uow, task)
                    report.deleted_here += 1
            uow.session.delete(item)  # a task changed here goes back as a new object
        uow.commit()


def _push(ctx: Context, pairing_id: int | None, collection: CalDavCollection, report: SyncReport) -> None:
    """Send every local change to the server, one conditional write at a time, remembering each as it lands."""
    with ctx.uow() as uow:
        pairing = uow.get(SyncPairing, pairing_id)
        rows = uow.all(select(SyncItem).where(SyncItem.pairing_id == pairing.id))
        local = local_state(uow, pairing, rows)
        items = [(_ItemView(row.uid, row.href, row.etag, row.task_id, dict(row.base or {})), row.id) for row in rows]
        url = pairing.url
    by_task = {item.task_id: item for item, _row_id in items}
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    landed: list[tuple[int, str, str, str | None, TodoFields]] = []
    for task_id, fields in sorted(local.fields.items()):
        item = by_task.get(task_id)
        if item is not None and comparable(fields) == comparable(TodoFields.from_json(item.base)):
            continue
        uid = item.uid if item is not None else local.uid_of[task_id]
        href = item.href if item is not None else collection.absolute(f"{url}{uid}.ics")
        etag = collection.put(href, to_vtodo(uid, fields, stamp=stamp), etag=item.etag if item else None)
        if etag is None and item is None:  # ours already: a sync killed after writing it; agree on what is there
            found = collection.fetch([href])
            parsed = from_vtodo(found[0].text or "") if found else None
            if parsed is not None and parsed[0] == uid:
                landed.append((task_id, uid, href, found[0].etag, parsed[1]))
                continue
        if etag is None:
            report.conflicts.append(f"{fields.title!r}: changed on the server during this sync; "
                                    "the next sync merges it")
            continue
        if item is None:
            report.created_there += 1
        else:
            report.updated_there += 1
        landed.append((task_id, uid, href, etag or None, fields))
        if len(landed) >= _RECORD_BATCH:
            _record(ctx, pairing_id, landed)
            landed = []
    _record(ctx, pairing_id, landed)
    for item, row_id in items:
        if item.task_id in local.fields:
            continue
        if collection.delete(item.href, etag=item.etag):
            report.deleted_there += 1
            _forget(ctx, row_id)
        else:
            report.conflicts.append(f"{item.href}: deleted here but changed on the server; the next sync "
                                    "brings it back")


def _record(ctx: Context, pairing_id: int | None, landed: list[tuple[int, str, str, str | None, TodoFields]]) -> None:
    """Remember writes that reached the server (a kill before this only makes the next sync re-check them)."""
    if not landed:
        return
    with ctx.uow() as uow:
        items = {item.uid: item for item in uow.all(select(SyncItem).where(SyncItem.pairing_id == pairing_id))}
        for task_id, uid, href, etag, fields in landed:
            item = items.get(uid) or SyncItem(pairing_id=pairing_id, uid=uid, href=href)
            item.task_id, item.href, item.etag, item.base = task_id, href, etag, fields.to_json()
            uow.session.add(item)
        uow.commit()


def _forget(ctx: Context, item_id: int | None) -> None:
    with ctx.uow() as uow:
        item = uow.get(SyncItem, item_id)
        if item is not None:
            uow.session.delete(item)
            uow.commit()


def _remember(ctx: Context, pairing_id: int | None, ctag: str | None, report: SyncReport) -> None:
    with ctx.uow() as uow:
        pairing = uow.get(SyncPairing, pairing_id)
        if pairing is None:
            return
        pairing.ctag, pairing.last_synced_at = ctag, utcnow()
        pairing.last_report = {**report.to_json(), "at": utcnow().isoformat()}
        uow.session.add(pairing)
        uow.commit()
