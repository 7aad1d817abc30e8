"""Fuzzing every importer and the phrase parsers: any input works or raises a PlannerError, never another exception."""

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


def _run(ctx, tmp_path, fmt: str, content: str | bytes) -> None:
    path = tmp_path / f"fuzz.{fmt}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    try:
        import_file(ctx, fmt, path, dry_run=True)
    except PlannerError as error:
        assert str(error)


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


@pytest.mark.parametrize("fmt", ["taskwarrior", "todotxt", "ical", "mspdi", "csv", "json"])
def test_binary_garbage(sqlite_ctx, tmp_path, fmt):
    _run(sqlite_ctx, tmp_path, fmt, bytes(range(256)) * 3)


def test_a_vtodo_with_two_rrules_is_a_clear_error(sqlite_ctx, tmp_path):
    path = tmp_path / "two.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:x\r\nSUMMARY:t\r\nRRULE:FREQ=WEEKLY\r\n"
                    "RRULE:FREQ=DAILY\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    with pytest.raises(PlannerError, match="2 RRULE lines"):
        import_file(sqlite_ctx, "ical", path)
