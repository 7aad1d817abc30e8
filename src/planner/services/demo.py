"""A living demo plan: a website relaunch with phases, people, a support stream and a history.

``planner demo`` calls :func:`create_demo` on a fresh store so a newcomer
sees a plan in motion within a minute: work that was finished weeks ago (done
on its own past days, by services acting on those days), a baseline saved at
the kick-off that the plan has since slipped from, tasks in progress, a
critical path to a launch deadline, three-point estimates for the forecast and
a support stream that takes a fifth of people's time. Every write goes through
the services, exactly as the CLI would make them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from planner.domain.errors import ConflictError
from planner.services.tasks import dependencies
from planner.services.planning import plan
from planner.services.planning import projects
from planner.services import queries
from planner.services.people import resources
from planner.services.tasks import operations as tasks
from planner.services.flow import timetracking
from planner.services.flow import workflows
from planner.services.context import Context
from planner.services.tasks.operations import TaskDraft

PROJECT = "web"
STREAM = "support"


@dataclass(slots=True)
class DemoSummary:
    """What the demo created."""

    project: str
    stream: str
    people: list[str]
    task_count: int


def _monday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


# (key, title, phase, duration days, who, three-point (o, m, p) or None, predecessors, weeks offset of the due)
_PLAN: list[tuple[str, str, str, int, str, tuple[float, float, float] | None, tuple[str, ...]]] = [
    ("interviews", "Stakeholder interviews", "discovery", 3, "lead", None, ()),
    ("audit", "Analytics and SEO audit", "discovery", 2, "dev", None, ()),
    ("signoff", "Requirements signed off", "discovery", 0, "lead", None, ("interviews", "audit")),
    ("ia", "Information architecture", "design", 4, "ben", (3, 4, 6), ("signoff",)),
    ("wireframes", "Wireframes for key pages", "design", 5, "ben", (4, 5, 8), ("ia",)),
    ("visual", "Visual design and style guide", "design", 6, "ben", (5, 6, 10), ("wireframes",)),
    ("designok", "Design approved", "design", 0, "lead", None, ("visual",)),
    ("cms", "Set up the headless CMS", "build", 4, "dev", (3, 4, 6), ("signoff",)),
    ("components", "Component library", "build", 8, "chloe", (6, 8, 12), ("wireframes", "cms")),
    ("templates", "Page templates", "build", 6, "chloe", (5, 6, 9), ("components", "designok")),
    ("search", "Site search integration", "build", 5, "lead", (3, 5, 8), ("cms",)),
    ("forms", "Contact forms to the CRM", "build", 4, "dev", (3, 4, 7), ("search",)),
    ("perf", "Performance budget and image pipeline", "build", 2, "chloe", (2, 2, 4), ("templates",)),
    ("inventory", "Content inventory", "content", 3, "eli", None, ("signoff",)),
    ("rewrite", "Rewrite the top 40 pages", "content", 8, "eli", (6, 8, 13), ("inventory", "ia")),
    ("redirects", "Redirect map for old URLs", "content", 3, "lead", (2, 3, 5), ("inventory",)),
    ("migrate", "Migrate content into the CMS", "content", 4, "eli", (3, 4, 7), ("rewrite", "cms")),
    ("freeze", "Content freeze", "launch", 0, "lead", None, ("migrate",)),
    ("qa", "QA and accessibility pass", "launch", 5, "chloe", (4, 5, 9), ("templates", "forms", "freeze", "perf")),
    ("golive", "Go live", "launch", 0, "lead", None, ("qa", "redirects")),
    ("monitor", "Post-launch monitoring", "launch", 3, "dev", None, ("golive",)),
]
_PHASES = [("discovery", "Discovery"), ("design", "Design"), ("build", "Build"), ("content", "Content"),
           ("launch", "Launch")]
# Done on working days counted from the project start: (started, finished); in progress: (started, percent).
_DONE = {"interviews": (0, 2), "audit": (0, 1), "signoff": (3, 3), "ia": (3, 7), "inventory": (4, 6),
         "cms": (4, 8), "wireframes": (8, 13)}
_IN_PROGRESS = {"visual": (14, 60), "components": (14, 40), "rewrite": (12, 50), "search": (12, 30)}
_IN_SUPPORT = {"lead", "dev", "eli"}  # people who also hold support-stream work
# Effort in hours where it is not the whole duration at full time.
_EFFORT = {"redirects": 4.0, "search": 16.0, "monitor": 6.0}
_SUPPORT = [
    ("Password reset emails arrive late", 3, 0, "dev", 2.0),
    ("Refund request from order 48213", 2, 0, None, 0.5),
    ("Update the shipping FAQ", 1, 3, "eli", 1.0),
    ("Broken link report from the newsletter", 1, 1, None, 0.5),
    ("Invoice PDF shows the wrong VAT number", 2, 2, "lead", 1.5),
    ("Partner asks for API rate limits", 0, 6, None, 1.0),
]


def create_demo(ctx: Context) -> DemoSummary:
    """Fill an empty store with the demo; refuses a store that already has projects."""
    if queries.list_projects(ctx, include_archived=True):
        raise ConflictError("this store already has projects: run `planner --db demo.db demo` to try the demo "
                            "in a fresh file")
    today = ctx.today()
    start = _monday_on_or_before(today) - timedelta(weeks=3)
    lead = ctx.actor if ctx.actor not in ("ben", "chloe", "dev", "eli") else "ana"
    people = {"lead": lead, "ben": "ben", "chloe": "chloe", "dev": "dev", "eli": "eli"}
    names = {"lead": "Ana Lima" if lead == "ana" else lead, "ben": "Ben Okafor", "chloe": "Chloé Martin",
             "dev": "Dev Patel", "eli": "Eli Novak"}
    for role, handle in people.items():
        resources.add_resource(ctx, handle, name=names[role], email=f"{handle}@example.com")
    projects.add_project(ctx, PROJECT, name="Website relaunch", start=start, deadline=start + timedelta(weeks=9))
    projects.add_project(ctx, STREAM, name="Customer support", kind="stream", reserve_percent=20)
    at_start = replace(ctx, today_override=start)
    ids = _add_plan(at_start, people)
    plan.save_baseline(at_start, PROJECT, name="kick-off")
    calendar = _calendar(ctx)
    _replay_history(ctx, ids, start, calendar, people)
    _add_support(ctx, today, people)
    workflows.edit_state(ctx, "default", "doing", wip_limit=3)  # the team is over it: the board shows that
    count = queries.list_tasks(ctx, ["+done"]).total + queries.list_tasks(ctx).total
    return DemoSummary(PROJECT, STREAM, list(people.values()), count)


def _calendar(ctx: Context):  # noqa: ANN202 - the project's WorkCalendar
    from planner.services.planning.schedule import schedule_project

    return schedule_project(ctx, PROJECT).calendar


def _add_plan(ctx: Context, people: dict[str, str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for phase, title in _PHASES:
        ids[phase] = tasks.add_task(ctx, TaskDraft(title, project=PROJECT)).task_id or 0
    for key, title, phase, days, who, three_point, after in _PLAN:
        optimistic, likely, pessimistic = three_point or (None, None, None)
        draft = TaskDraft(title, project=PROJECT, milestone=days == 0, duration_days=days or None,
                          estimate_hours=_EFFORT.get(key, days * 8.0) if days else None,
                          assignees=[people[who]],
                          parent_id=ids[phase], after=[ids[p] for p in after], optimistic_days=optimistic,
                          likely_days=likely, pessimistic_days=pessimistic,
                          priority=3 if key in ("golive", "qa") else 2 if phase == "build" else 1,
                          tags=[phase])
        ids[key] = tasks.add_task(ctx, draft).task_id or 0
        if who in _IN_SUPPORT and days:  # support takes a fifth of their day: plan project work in the rest
            tasks.assign(ctx, ids[key], [people[who]], units=0.8)
    return ids


def _replay_history(ctx: Context, ids: dict[str, int], start: date, calendar, people: dict[str, str]) -> None:  # noqa: ANN001
    """Finish and start work on the days it happened, clock time, and let reality slip from the baseline."""
    today = ctx.today()

    def day(offset: int) -> date:
        return min(calendar.date_of(start, offset), today)

    for key, (started, finished) in _DONE.items():
        tasks.start_task(replace(ctx, today_override=day(started)), ids[key])
        tasks.complete_task(replace(ctx, today_override=day(finished)), ids[key])
        planned_hours = next(item[3] for item in _PLAN if item[0] == key) * 8.0
        if planned_hours:  # clocked a little over the estimate, as work goes: the forecast learns from it
            worker = replace(ctx, actor=_who(key, people))
            days = finished - started + 1
            for offset in range(started, finished + 1):
                timetracking.log_time(worker, ids[key], round(planned_hours * 1.2 / days, 2), day=day(offset))
    for key, (started, percent) in _IN_PROGRESS.items():
        tasks.start_task(replace(ctx, today_override=day(started)), ids[key])
        tasks.edit_task(ctx, ids[key], {"percent_done": percent})
    # Reality since the kick-off: the visual design grew, and the rewrite waits on legal review.
    tasks.edit_task(ctx, ids["visual"], {"duration_days": 9, "notes": "Two extra rounds with the brand agency."})
    tasks.edit_task(ctx, ids["rewrite"], {"duration_days": 11}, add_tags=["waiting-legal"])
    tasks.edit_task(ctx, ids["golive"], {"due": start + timedelta(weeks=7, days=2)})
    tasks.edit_task(ctx, ids["redirects"], {"due": today + timedelta(days=1)})
    dependencies.add_dependency(ctx, ids["redirects"], ids["migrate"])


def _who(key: str, people: dict[str, str]) -> str:
    role = next(item[4] for item in _PLAN if item[0] == key)
    return people[role]


def _add_support(ctx: Context, today: date, people: dict[str, str]) -> None:
    for title, priority, due_in, who, hours in _SUPPORT:
        tasks.add_task(ctx, TaskDraft(title, project=STREAM, priority=priority, estimate_hours=hours,
                                      due=today + timedelta(days=due_in), assignees=[people[who]] if who else [],
                                      tags=["support"]))
    tasks.add_task(ctx, TaskDraft("Weekly support report", project=STREAM, estimate_hours=1.0,
                                  assignees=[people["lead"]], recur="every friday", tags=["support"]))
    done = tasks.add_task(ctx, TaskDraft("Reply to the data export request", project=STREAM, priority=2,
                                         estimate_hours=0.5, assignees=[people["dev"]], tags=["support"]))
    if done.task_id:
        tasks.complete_task(replace(ctx, today_override=today - timedelta(days=1)), done.task_id)
