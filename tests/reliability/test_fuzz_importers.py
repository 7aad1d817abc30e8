"""Fuzzing every importer and the phrase parsers: any input works or raises a PlannerError, never another exception.

Each importer input runs as a dry run and then for real (the writing path), on SQLite and on PostgreSQL;
a refused write must leave the database as it was.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.errors import PlannerError
from planner.services.interchange.files import import_file

FUZZ = settings(max_examples=250, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
#: Inputs per importer on the writing path, per backend (the README's reliability table quotes these).
WRITING_EXAMPLES = {"sqlite": 120, "postgres": 30}

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
tw_items = st.fixed_dictionaries(
    {"uuid": st.one_of(st.uuids().map(str), st.text(max_size=8)), "description": st.one_of(st.text(max_size=20), json_scalars)},
    optional={"status": st.sampled_from(["pending", "completed", "deleted", "waiting", "recurring", "bogus"]),
              "due": st.one_of(st.sampled_from(["20261201T000000Z", "2026-12-01", "soon"]), json_scalars),
              "priority": st.sampled_from(["H", "M", "L", "X", ""]),
              "tags": st.one_of(st.lists(st.text(max_size=6), max_size=3), json_scalars),
              "depends": st.one_of(st.lists(st.uuids().map(str), max_size=2), st.text(max_size=20)),
              "recur": st.sampled_from(["weekly", "daily", "3d", "nonsense"]),
              "project": st.text(max_size=10)},
)


def _counts(ctx) -> tuple[int, ...]:
    from sqlalchemy import func, select

    from planner.store.engine import make_engine
    from planner.store.models import Assignment, Dependency, Event, Project, Task, TaskTag

    ctx.uow()  # migrates a new database
    with make_engine(ctx.location).connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(model.__table__)).scalar()  # type: ignore[attr-defined]
                     for model in (Task, Project, Dependency, Assignment, TaskTag, Event))


def _run(ctx, tmp_path, fmt: str, content: str | bytes, *, write: bool = False) -> None:
    path = tmp_path / f"fuzz.{fmt}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    try:
        import_file(ctx, fmt, path, dry_run=True)
    except PlannerError as error:
        assert str(error)
        if not write:
            return
    if write:
        before = _counts(ctx)
        try:
            import_file(ctx, fmt, path, replace=fmt == "json")
        except PlannerError as error:
            assert str(error) and "\n" not in str(error)
            assert _counts(ctx) == before, f"a refused {fmt} import changed the database"


def _writing(ctx, strategy, body) -> None:
    """Run ``body(value)`` for drawn values on ``ctx``'s database, as many as its backend allows."""
    backend = ctx.location.dialect if ctx.location.dialect == "sqlite" else "postgres"

    @settings(FUZZ, max_examples=WRITING_EXAMPLES[backend])
    @given(strategy)
    def run(value):
        body(value)

    run()


@FUZZ
@given(st.lists(tw_items, max_size=4))
def test_taskwarrior_items(sqlite_ctx, tmp_path, items):
    _run(sqlite_ctx, tmp_path, "taskwarrior", json.dumps(items))


@FUZZ
@given(st.text(max_size=200))
def test_taskwarrior_text(sqlite_ctx, tmp_path, text):
    _run(sqlite_ctx, tmp_path, "taskwarrior", text)


@FUZZ
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60), max_size=5))
def test_todotxt_lines(sqlite_ctx, tmp_path, lines):
    _run(sqlite_ctx, tmp_path, "todotxt", "\n".join(lines))


@FUZZ
@given(st.lists(st.sampled_from(["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VTODO", "UID:x", "SUMMARY:t",
                                 "DUE:20261201", "DUE:garbage", "RRULE:FREQ=WEEKLY", "RRULE:FREQ=NOPE",
                                 "EXDATE:20261208", "RELATED-TO;RELTYPE=DEPENDS-ON:y", "STATUS:COMPLETED",
                                 "END:VTODO", "END:VCALENDAR", "PRIORITY:1", "PRIORITY:zz"]), max_size=14),
       st.text(max_size=30))
def test_ical(sqlite_ctx, tmp_path, lines, noise):
    _run(sqlite_ctx, tmp_path, "ical", "\r\n".join([*lines, noise]))


@FUZZ
@given(st.lists(st.sampled_from(["<Project>", "</Project>", "<Tasks>", "</Tasks>", "<Task>", "</Task>",
                                 "<UID>1</UID>", "<UID>x</UID>", "<Name>A</Name>", "<Duration>PT8H0M0S</Duration>",
                                 "<Duration>nope</Duration>", "<Milestone>1</Milestone>", "<OutlineLevel>2</OutlineLevel>",
                                 "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>9</Type></PredecessorLink>",
                                 "<Start>2026-12-01T08:00:00</Start>", "<Start>bad</Start>"]), max_size=14))
def test_mspdi(sqlite_ctx, tmp_path, parts):
    _run(sqlite_ctx, tmp_path, "mspdi", "<?xml version='1.0'?>" + "".join(parts))


@FUZZ
@given(st.lists(st.lists(st.text(max_size=10), min_size=1, max_size=4), max_size=5),
       st.lists(st.sampled_from(["title", "due", "priority", "project", "tags", "estimate", "depends", "id"]),
                min_size=1, max_size=4))
def test_csv(sqlite_ctx, tmp_path, rows, header):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    _run(sqlite_ctx, tmp_path, "csv", buffer.getvalue())


@FUZZ
@given(st.recursive(json_scalars, lambda children: st.one_of(st.lists(children, max_size=3),
                                                              st.dictionaries(st.text(max_size=8), children, max_size=3)),
                    max_leaves=12))
def test_json_dump(sqlite_ctx, tmp_path, document):
    _run(sqlite_ctx, tmp_path, "json", json.dumps(document))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_phrase_parsers(text):
    from planner.domain.dates import parse_date, parse_datetime, parse_duration_hours, parse_working_days
    from planner.domain.recurrence import parse_recurrence

    for parse in (lambda t: parse_date(t, date(2026, 11, 25)), lambda t: parse_datetime(t, datetime(2026, 11, 25, 9)),
                  parse_duration_hours, parse_working_days, parse_recurrence):
        try:
            parse(text)
        except PlannerError:
            pass


def _csv_text(rows_and_header) -> str:
    import csv
    import io

    rows, header = rows_and_header
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


tw_files = st.lists(tw_items, max_size=4).map(json.dumps)
todo_files = st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60), max_size=5).map("\n".join)
ical_todo = st.tuples(st.sampled_from(["x", "y", "z"]), st.sampled_from(["t", "=u", "\u0645"]),
                      st.lists(st.sampled_from(["DUE;VALUE=DATE:20261201", "DUE;VALUE=DATE:99991231", "DUE:garbage",
                                                "RRULE:FREQ=WEEKLY", "RRULE:FREQ=NOPE", "STATUS:COMPLETED",
                                                "PRIORITY:1", "PRIORITY:zz", "RELATED-TO;RELTYPE=DEPENDS-ON:y",
                                                "DTSTART;VALUE=DATE:18000101"]), max_size=3, unique=True))
ical_files = st.tuples(st.lists(ical_todo, min_size=1, max_size=3), st.sampled_from(["", "X-NOISE:1", "garbage"])).map(
    lambda parts: "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN", *[
        line for uid, summary, extra in parts[0]
        for line in ("BEGIN:VTODO", f"UID:{uid}", f"SUMMARY:{summary}", *extra, "END:VTODO")],
        *([parts[1]] if parts[1] else []), "END:VCALENDAR", ""]))
mspdi_task = st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from(["A", "=B", "\u0645"]),
                       st.sampled_from(["", "<Duration>PT8H0M0S</Duration>", "<Duration>PT99999999999H0M0S</Duration>",
                                        "<Duration>nope</Duration>", "<Milestone>1</Milestone>"]),
                       st.sampled_from(["", "<Start>2026-12-01T08:00:00</Start>", "<Start>9999-12-31T08:00:00</Start>"]),
                       st.sampled_from(["", "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
                                            "</PredecessorLink>", "<PredecessorLink><PredecessorUID>2</PredecessorUID>"
                                            "<Type>9</Type></PredecessorLink>"]))
mspdi_files = st.tuples(
    st.lists(mspdi_task, min_size=1, max_size=3),
    st.lists(st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from(["bo", "Bo", "ana"])), max_size=3),
    st.lists(st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from([1, 2, 3]), st.sampled_from(["1", "0.5", "0"])),
             max_size=3),
).map(lambda parts: "<?xml version='1.0'?><Project><Tasks>" + "".join(
    f"<Task><UID>{uid}</UID><Name>{name}</Name>{duration}{start}{link}</Task>"
    for uid, name, duration, start, link in parts[0]) + "</Tasks><Resources>" + "".join(
    f"<Resource><UID>{uid}</UID><Name>{name}</Name></Resource>" for uid, name in parts[1]) + "</Resources><Assignments>"
    + "".join(f"<Assignment><UID>{n}</UID><TaskUID>{task}</TaskUID><ResourceUID>{resource}</ResourceUID>"
              f"<Units>{units}</Units></Assignment>" for n, (task, resource, units) in enumerate(parts[2]))
    + "</Assignments></Project>")
csv_files = st.tuples(st.lists(st.lists(st.one_of(st.text(max_size=10), st.sampled_from(["=1+1", "'-x", "2199-12-31",
                                                                                          "9999-12-31", "9" * 30])),
                                        min_size=1, max_size=4), max_size=5),
                      st.lists(st.sampled_from(["title", "due", "priority", "project", "tags", "estimate", "depends",
                                                "id", "duration"]), min_size=1, max_size=4)).map(_csv_text)
json_files = st.recursive(json_scalars, lambda children: st.one_of(st.lists(children, max_size=3),
                                                                  st.dictionaries(st.text(max_size=8), children,
                                                                                  max_size=3)),
                          max_leaves=12).map(json.dumps)
WRITING = {"taskwarrior": tw_files, "todotxt": todo_files, "ical": ical_files, "mspdi": mspdi_files,
           "csv": csv_files, "json": json_files}


@pytest.mark.parametrize("fmt", sorted(WRITING))
def test_the_writing_path_works_or_changes_nothing(ctx, tmp_path, fmt):
    """Every importer, for real: the same store takes import after import, and a refusal writes nothing."""
    _writing(ctx, WRITING[fmt], lambda content: _run(ctx, tmp_path, fmt, content, write=True))
    if fmt != "json":
        assert _counts(ctx)[0] > 0, "no fuzz input reached the writing path"


def test_a_json_dump_restores_for_real(ctx, tmp_path):
    """A dump with rows of every kind restores (the writing path of `import json --replace`)."""
    from planner.services.interchange.dump import dump_database
    from planner.services.people.resources import add_resource
    from planner.services.tasks.operations import TaskDraft, add_task

    add_resource(ctx, "ana")
    add_task(ctx, TaskDraft("kept", project="web", due=date(2199, 12, 31), tags=["t"], assignees=["ana"]))
    path = tmp_path / "dump.json"
    path.write_text(dump_database(ctx))
    import_file(ctx, "json", path, replace=True)
    broken = json.loads(path.read_text())
    broken["tables"]["task"][0]["due"] = "9999-12-31"
    path.write_text(json.dumps(broken))
    before = _counts(ctx)
    with pytest.raises(PlannerError, match="outside the dates"):
        import_file(ctx, "json", path, replace=True)
    broken["tables"]["task"][0].update(due=None, priority=10**30)
    path.write_text(json.dumps(broken))
    with pytest.raises(PlannerError, match="too large"):
        import_file(ctx, "json", path, replace=True)
    assert _counts(ctx) == before


@pytest.mark.parametrize("fmt", ["taskwarrior", "todotxt", "ical", "mspdi", "csv", "json"])
def test_binary_garbage(sqlite_ctx, tmp_path, fmt):
    _run(sqlite_ctx, tmp_path, fmt, bytes(range(256)) * 3)


def test_a_vtodo_with_two_rrules_is_a_clear_error(sqlite_ctx, tmp_path):
    path = tmp_path / "two.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:x\r\nSUMMARY:t\r\nRRULE:FREQ=WEEKLY\r\n"
                    "RRULE:FREQ=DAILY\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    with pytest.raises(PlannerError, match="2 RRULE lines"):
        import_file(sqlite_ctx, "ical", path)
