"""The task form: rendered text reads back to the same values; bad values name their field."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.errors import InvalidInputError
from planner.domain.task_form import TaskForm, changed_fields, parse_form, render_form, with_error, without_error

TODAY = date(2026, 11, 25)
BASE = TaskForm(title="Write spec", project="web", status="todo", priority=1, due=date(2026, 12, 1), start=None,
                estimate=1.5, duration=None, tags=("docs",), assignees=("ana",), dependencies=(3, 4),
                notes="line one\nline two")


def render(form: TaskForm) -> str:
    return render_form(form, task_id=7, version=2, statuses=["todo", "doing", "done"])


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1).filter(lambda t: t.strip() == t and t.strip()), notes=st.text(),
       tags=st.lists(st.text(min_size=1).filter(lambda t: t.strip() == t and t), max_size=3, unique=True),
       estimate=st.none() | st.integers(0, 10_000).map(lambda minutes: minutes / 60))
def test_any_text_reads_back_unchanged(title, notes, tags, estimate):
    form = TaskForm(title=title, project="web", status="todo", priority=2, due=None, start=date(2027, 1, 4),
                    estimate=estimate, duration=5, tags=tuple(tags), assignees=(), dependencies=(), notes=notes)
    read = parse_form(render(form), base=BASE, today=TODAY)
    assert changed_fields(form, read) == []
    assert read.notes == notes and read.title == title


def test_dates_efforts_and_none_words_are_read_like_the_cli_reads_them():
    text = render(BASE).replace('due = "2026-12-01"', 'due = "fri"').replace('estimate = "1h30m"', 'estimate = ""')
    text = text.replace('start = ""', "start = 2026-12-07").replace('duration = ""', "duration = 3")
    read = parse_form(text, base=BASE, today=TODAY)
    assert (read.due, read.start, read.estimate, read.duration) == (date(2026, 11, 27), date(2026, 12, 7), None, 3)
    assert changed_fields(BASE, read) == ["due", "start", "estimate", "duration"]


def test_a_missing_key_keeps_its_value_and_order_of_lists_does_not_matter():
    read = parse_form('title = "Other"\ndependencies = [4, 3]\n', base=BASE, today=TODAY)
    assert read.tags == BASE.tags and changed_fields(BASE, read) == ["title"]


@pytest.mark.parametrize("line, field", [
    ('due = "someday soon"', "due"), ("priority = 5", "priority"), ('estimate = "lots"', "estimate"),
    ('tags = "docs"', "tags"), ('dependencies = ["x"]', "dependencies"), ("title = 3", "title"),
    ('colour = "red"', "colour"), ("title = Write", "TOML"),
])
def test_a_bad_value_names_its_field(line, field):
    with pytest.raises(InvalidInputError, match=field):
        parse_form(line + "\n", base=BASE, today=TODAY)


def test_an_error_goes_on_top_once_and_comes_off_again():
    text = render(BASE)
    once = with_error(text, "due: cannot read date 'x'")
    twice = with_error(once, "priority: give a number")
    assert twice.startswith("# ERROR: priority") and twice.count("# ERROR:") == 1
    assert without_error(twice) == text
