"""Undo, rm and re-imports never take another person's rows with them (on SQLite and PostgreSQL).

The examples are the reported cases; the property drives random interleavings of two people's
commands through the services on a real database and checks every undo and rm against the event log.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from planner.domain.errors import ConflictError, PlannerError, StaleEditError
from planner.services.flow.timetracking import log_time
from planner.services.people.resources import add_resource
from planner.services.interchange.files import import_file
from planner.services.tasks.dependencies import add_dependency
from planner.services.tasks.operations import TaskDraft, add_task, assign, delete_task, delete_tasks, edit_task, tag
from planner.services.undo import undo_last
from planner.store.engine import ensure_schema, make_engine
from planner.store.location import parse_database_url
from planner.store.models import ENTITIES, Event
from tests.conftest import _clone_postgres, _drop_postgres, make_context

ACTORS = ("w1", "w2")
COMMANDS = ("add", "add", "add_new_project", "edit", "log", "log", "dep", "dep", "tag", "assign", "rm", "undo", "undo",
            "undo")
#: Interleavings tried per backend (the README's reliability table quotes these).
EXAMPLES = {"sqlite": 30, "postgres": 10}


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(parse_database_url(url))
    with engine.connect() as conn:
        return {name: len(conn.execute(select(model.__table__.c.id)).all())  # type: ignore[attr-defined]
                for name, model in ENTITIES.items()}


# --- the reported cases ---------------------------------------------------------------------------------------

def test_undo_refuses_to_take_another_persons_time_entry(database_url):
    w1, w2 = make_context(database_url, "w1"), make_context(database_url, "w2")
    add_task(w1, TaskDraft("base"))
    new = add_task(w1, TaskDraft("w1 new")).task_id
    log_time(w2, new, 3)
    with pytest.raises(StaleEditError, match=r"w2 created time entry #\d+ afterwards.*task #%d" % new):
        undo_last(w1)
    assert _counts(database_url)["timeentry"] == 1 and _counts(database_url)["task"] == 2
    undo_last(w2)  # once w2 takes their entry back, w1's undo goes through
    undo_last(w1)
    assert _counts(database_url)["task"] == 1


def test_undo_refuses_to_take_another_persons_link_tag_or_task_in_a_new_project(database_url):
    w1, w2 = make_context(database_url, "w1"), make_context(database_url, "w2")
    base = add_task(w2, TaskDraft("base", tags=["shared"])).task_id
    new = add_task(w1, TaskDraft("w1 new")).task_id
    add_dependency(w2, new, base)
    with pytest.raises(StaleEditError, match="w2 created dependency"):
        undo_last(w1)
    undo_last(w2)
    add_task(w1, TaskDraft("tagged", tags=["fresh"]))
    tag(w2, base, ["fresh"])
    with pytest.raises(StaleEditError, match="w2 created tag link"):
        undo_last(w1)
    undo_last(w2)
    undo_last(w1)
    undo_last(w1)
    add_task(w1, TaskDraft("n", project="newp"))
    add_task(w2, TaskDraft("uses", project="newp"))
    with pytest.raises(StaleEditError, match=r"w2 created task #\d+ afterwards.*project"):
        undo_last(w1)


def test_rm_refuses_to_take_another_persons_rows_and_others_takes_them_with_undo(database_url):
    w1, w2 = make_context(database_url, "w1"), make_context(database_url, "w2")
    first = add_task(w1, TaskDraft("first")).task_id
    second = add_task(w1, TaskDraft("second")).task_id
    log_time(w2, second, 2)
    with pytest.raises(ConflictError, match=rf"cannot remove task #{second}: w2 created time entry"):
        delete_tasks(w1, [first, second])
    assert _counts(database_url)["task"] == 2  # all or none: #first stays too
    delete_task(w1, second, take_others=True)
    assert _counts(database_url)["timeentry"] == 0
    undo_last(w1)
    assert _counts(database_url)["timeentry"] == 1 and _counts(database_url)["task"] == 2


def test_reimport_refuses_to_remove_another_persons_tag(database_url, tmp_path):
    w1, w2 = make_context(database_url, "w1"), make_context(database_url, "w2")
    path = tmp_path / "tasks.json"
    path.write_text('[{"uuid": "11111111-1111-1111-1111-111111111111", "description": "one", "status": "pending",'
                    ' "entry": "20261101T000000Z", "tags": ["x"]}]')
    import_file(w1, "taskwarrior", path)
    tag(w2, 1, ["mine"])
    with pytest.raises(ConflictError, match="other people's rows .*w2 created tag link"):
        import_file(w1, "taskwarrior", path)
    assert _counts(database_url)["tasktag"] == 2


# --- the property ---------------------------------------------------------------------------------------------

def _snapshot(url: str) -> tuple[dict[tuple[str, int], dict[str, Any]], list[tuple[int, str, str, int | None, bool]]]:
    engine = make_engine(parse_database_url(url))
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    with engine.connect() as conn:
        for name, model in ENTITIES.items():
            for row in conn.execute(select(model.__table__)):  # type: ignore[attr-defined]
                rows[(name, row.id)] = dict(row._mapping)
        events = [(e.id, e.actor, e.entity, e.entity_id, bool(e.undone), e.batch, e.action)
                  for e in conn.execute(select(Event.__table__).order_by(Event.__table__.c.id))]  # type: ignore[attr-defined]
    return rows, events


def _run_step(ctxs: dict[str, Any], actor: str, command: str, first: int, second: int, task_ids: list[int]) -> None:
    ctx = ctxs[actor]
    pick = (lambda n: task_ids[-1 - n % min(3, len(task_ids))]) if task_ids else (lambda n: 999)
    if command == "add":
        add_task(ctx, TaskDraft(f"{actor} {first}", project=("inbox", "p1")[second % 2],
                                tags=[f"g{first % 3}"] if second % 3 == 0 else []))
    elif command == "add_new_project":
        add_task(ctx, TaskDraft(f"{actor} {first}", project=f"n{first % 4}"))
    elif command == "edit":
        edit_task(ctx, pick(first), {"title": f"{actor} edit {second}"})
    elif command == "log":
        log_time(ctx, pick(first), 1 + second % 3)
    elif command == "dep":
        add_dependency(ctx, pick(first), pick(second))
    elif command == "tag":
        tag(ctx, pick(first), [f"g{second % 3}"])
    elif command == "assign":
        assign(ctx, pick(first), [f"h{second % 2}"])
    elif command == "rm":
        delete_task(ctx, pick(first))
    else:
        undo_last(ctx)


def _check_step(before, after, actor: str, command: str, target: int | None) -> None:
    """What a successful undo or rm by ``actor`` removed or changed is none of the other person's."""
    rows_before, events_before = before
    rows_after, events_after = after
    other = next(a for a in ACTORS if a != actor)
    removed = set(rows_before) - set(rows_after)
    if command == "rm":
        removed.discard(("task", target))
        changed: set = set()
    else:
        changed = {key for key in set(rows_before) & set(rows_after) if rows_before[key] != rows_after[key]}
    undone_now = {e[0] for e in events_after if e[4]} - {e[0] for e in events_before if e[4]}
    since = min(undone_now, default=0)
    # rows written by the command that created the removed task came with it (they are the task's)
    born = {e[5] for e in events_before if command == "rm" and (e[2], e[3], e[6]) == ("task", target, "created")}
    theirs = {(e[2], e[3]) for e in events_before if e[1] == other and not e[4] and e[5] not in born}
    theirs_since = {(e[2], e[3]) for e in events_before if e[1] == other and not e[4] and e[0] >= since}
    owned = {key for key, row in rows_before.items() if other in (row.get("person"), row.get("author"))}
    assert not removed & (theirs | owned), f"{actor}'s {command} removed {other}'s rows {removed & (theirs | owned)}"
    assert not changed & theirs_since, f"{actor}'s {command} changed {other}'s rows {changed & theirs_since}"


def _interleavings(url_for_example, examples: int) -> None:
    step = st.tuples(st.sampled_from(ACTORS), st.sampled_from(COMMANDS), st.integers(0, 30), st.integers(0, 30))

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(step, min_size=4, max_size=16))
    def run(steps):
        with url_for_example() as url:
            ctxs = {actor: make_context(url, actor) for actor in ACTORS}
            for actor, command, first, second in steps:
                before = _snapshot(url)
                task_ids = sorted(key[1] for key in before[0] if key[0] == "task")
                target = task_ids[-1 - first % min(3, len(task_ids))] if task_ids else None
                try:
                    _run_step(ctxs, actor, command, first, second, task_ids)
                except PlannerError as error:
                    assert str(error)
                    assert _snapshot(url) == before, f"a refused {command} changed the database"
                    continue
                if command in ("undo", "rm"):
                    _check_step(before, _snapshot(url), actor, command, target)

    run()


class _SqliteCopies:
    """A fresh copy of one migrated SQLite file per example (migrating each one would dominate the run)."""

    def __init__(self, tmp_path):
        self.tmp_path, self.count = tmp_path, 0
        self.template = tmp_path / "template.db"
        ensure_schema(parse_database_url(f"sqlite:///{self.template}"))

    def __call__(self):
        import contextlib

        self.count += 1
        path = self.tmp_path / f"example{self.count}.db"
        shutil.copyfile(self.template, path)
        return contextlib.nullcontext(f"sqlite:///{path}")


def test_one_persons_undo_or_rm_never_takes_the_others_rows_sqlite(tmp_path):
    _interleavings(_SqliteCopies(tmp_path), EXAMPLES["sqlite"])


@pytest.mark.postgres
def test_one_persons_undo_or_rm_never_takes_the_others_rows_postgres(request):
    import contextlib

    admin = request.getfixturevalue("postgres_admin_url")
    template = request.getfixturevalue("postgres_template")

    @contextlib.contextmanager
    def fresh():
        url = _clone_postgres(admin, template)
        try:
            yield url
        finally:
            _drop_postgres(admin, url)

    _interleavings(fresh, EXAMPLES["postgres"])


def test_rows_that_came_with_a_task_are_the_tasks_whoever_created_it(database_url):
    """A task w2 created with its tags and people (a spawned recurring instance, say) is w1's to remove."""
    w1, w2 = make_context(database_url, "w1"), make_context(database_url, "w2")
    add_resource(w1, "w1")
    task = add_task(w2, TaskDraft("chore", tags=["home"], assignees=["w1"])).task_id
    delete_task(w1, task)
    assert _counts(database_url)["task"] == 0 and _counts(database_url)["tasktag"] == 0
