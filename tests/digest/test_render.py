"""The digest's formats: golden text, escaped HTML and markdown, JSON, and the CLI's --format / --out."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from planner.render.digest import section_heading
from planner.render.digest_formats import render
from planner.services.digest.build import build_digest
from tests.cli.conftest import Planner
from tests.conftest import TODAY, make_context
from tests.digest.conftest import build_scenario

GOLDEN = Path(__file__).with_name("golden")


@pytest.fixture
def scenario_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    build_scenario(url)
    return url


@pytest.fixture
def cli(tmp_path, digest_env):
    """The CLI in-process over the scenario's SQLite file."""
    planner = Planner(tmp_path / "planner.db", digest_env)
    build_scenario(f"sqlite:///{planner.db}")
    return planner


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; UPDATE_GOLDEN=1 rewrites it after review"


@pytest.mark.parametrize("args, golden", [(["--user", "ana"], "ana.txt"), (["--everyone"], "team.txt")])
def test_golden_text(cli, args, golden):
    _check_golden(golden, cli.ok("digest", *args))


def test_html_escapes_every_title_and_carries_no_active_content(scenario_url):
    from planner.services.tasks.operations import TaskDraft, add_task

    ctx = make_context(scenario_url)
    add_task(ctx, TaskDraft('Quote "this" & <b>that</b> <img src=x onerror=alert(2)>', project="web",
                            due=TODAY, assignees=["ana"]))
    html = render(build_digest(ctx, user="ana", day=TODAY), "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Quote &quot;this&quot; &amp; &lt;b&gt;that&lt;/b&gt; &lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>" not in html
    assert not re.search(r"<[^>]+\son\w+\s*=", html)  # no event handler attributes on any tag
    assert "<style" not in html and "<link" not in html and "javascript:" not in html and "http" not in html


def test_markdown_escapes_what_would_format(scenario_url):
    markdown = render(build_digest(make_context(scenario_url), user="ana", day=TODAY), "markdown")
    assert r"Design the \<script\>alert(1)\</script\> page" in markdown
    assert "<script>" not in markdown


def test_every_format_says_the_same_thing(scenario_url):
    digest = build_digest(make_context(scenario_url), team=True, day=TODAY)
    text, markdown, html = (render(digest, fmt) for fmt in ("text", "markdown", "html"))
    data = json.loads(render(digest, "json"))
    sections = digest.all_sections()
    assert sections
    for section in sections:
        heading = section_heading(section, digest)
        assert heading in text and heading.replace("'", "&#x27;") in html
        assert heading in markdown
    json_sections = [s for s in data["sections"]] + [s for p in data["people"] for s in p["sections"]]
    assert sorted(s["section"] for s in json_sections) == sorted(s.key for s in sections)
    for item in (i for s in json_sections for i in s["items"] if i.get("id")):
        assert f"#{item['id']} " in text
    assert data["subject"] == "Planner · Everyone · Wed 25 Nov: 2 overdue, 1 due today, 2 at risk, 1 blocked"


def test_cli_formats_and_out_file(cli, tmp_path):
    data = json.loads(cli.ok("digest", "--user", "ana", "--format", "json"))
    assert data["for"] == "ana" and data["day"] == "2026-11-25"
    assert [s["section"] for s in data["sections"]][:2] == ["overdue", "due_today"]
    out = tmp_path / "digest.html"
    assert cli.ok("digest", "--user", "ana", "--format", "html", "--out", str(out)) == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert cli.ok("digest", "--user", "ana", "--format", "markdown").startswith("# Digest for Ana Lopez (ana)")
    result = cli("digest", "--format", "pdf")
    assert result.exit_code == 2 and "use text, markdown, html, json" in result.stderr
    result = cli("digest", "--user", "ana", "--force")
    assert result.exit_code == 2 and "go with --send" in result.stderr


def test_date_option_reports_on_another_day(cli):
    text = cli.ok("digest", "--user", "ana", "--date", "2026-11-27")
    assert text.startswith("Digest for Ana Lopez (ana) — Friday 27 November 2026")
    assert "Overdue (3)" in text  # the release notes, due on the 25th, are overdue by Friday
