"""A read-only calendar feed of the plan: what a calendar app subscribes to as "my plan".

Tasks are VTODOs and milestones all-day events (the iCalendar export), and each
project's deadline is an all-day event too; ``user`` narrows it to the tasks
assigned to that person, with the milestones and deadlines of their projects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from planner.domain.errors import PlannerError
from planner.services.context import Context


def plan_feed(ctx: Context, *, user: str | None = None, project: str | None = None) -> str:
    """The plan as one VCALENDAR (for one person, one project, or everything open)."""
    import icalendar

    from planner.services.interchange.files import export_file
    from planner.services.queries import list_projects, list_tasks

    calendar = icalendar.Calendar.from_ical(export_file(ctx, "ical", project))
    projects = [p for p in list_projects(ctx) if project is None or p.key == project]
    if user is not None:
        mine = list_tasks(ctx, [f"assignee:{user}"] + ([f"project:{project}"] if project else []), limit=0).tasks
        keep_ids = {task.id for task in mine}
        keys = {task.project for task in mine}
        projects = [p for p in projects if p.key in keys]
        kept = [component for component in calendar.subcomponents
                if component.name == "VEVENT" or int(str(component.get("X-PLANNER-ID", 0))) in keep_ids]
        calendar.subcomponents[:] = kept
    calendar["X-WR-CALNAME"] = f"Planner: {user}'s plan" if user else "Planner"
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for row in projects:
        if row.deadline is None:
            continue
        event = icalendar.Event()
        event.add("UID", f"planner-deadline-{row.key}")
        event.add("DTSTAMP", stamp)
        event.add("SUMMARY", f"Deadline: {row.name or row.key}")
        event.add("DTSTART", row.deadline)
        event.add("DTEND", row.deadline + timedelta(days=1))
        event.add("TRANSP", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode()


def serve_feed(ctx: Context, *, host: str, port: int, project: str | None = None,
               ready: Callable[[str], None] | None = None, stop: threading.Event | None = None) -> None:
    """Serve the feed over HTTP until stopped: ``/plan.ics`` (``?user=HANDLE`` for one person's plan)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            parts = urlsplit(self.path)
            if parts.path not in ("/", "/plan.ics"):
                self.send_error(404, "the feed is at /plan.ics")
                return
            query = parse_qs(parts.query)
            try:
                body = plan_feed(ctx, user=(query.get("user") or [None])[0],
                                 project=(query.get("project") or [project])[0]).encode()
            except PlannerError as error:
                self.send_error(400, str(error))
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            """Quiet: a calendar app polls often."""

    try:
        server = ThreadingHTTPServer((host, port), Handler)
    except OSError as error:
        raise PlannerError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    with server:
        if ready is not None:
            ready(f"http://{host}:{server.server_address[1]}/plan.ics")
        if stop is None:
            server.serve_forever()
        else:
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            stop.wait()
            server.shutdown()
