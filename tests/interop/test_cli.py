"""`planner import` / `planner export` from the command line."""

from __future__ import annotations

import json

from tests.interop.conftest import DATA

TW = ('[\n{"uuid": "a1111111-1111-4111-8111-111111111111", "description": "Write spec", "status": "pending", '
      '"project": "web", "tags": ["docs"]},\n{"uuid": "b2222222-2222-4222-8222-222222222222", '
      '"description": "Review", "status": "pending", "project": "web", '
      '"depends": ["a1111111-1111-4111-8111-111111111111"]}\n]\n')


def test_import_dry_run_then_import_then_reimport(planner, tmp_path):
    path = tmp_path / "tw.json"
    path.write_text(TW)
    assert planner.ok("import", "tw", str(path), "--dry-run").startswith("would import taskwarrior: 2 created")
    assert "Write spec" not in planner.ok("ls")
    out = planner.ok("import", "taskwarrior", str(path))
    assert out.splitlines() == ["imported taskwarrior: 2 created, 0 updated, 0 unchanged", "new project: web"]
    report = json.loads(planner.ok("import", "tw", str(path), "--json"))
    assert (report["created"], report["unchanged"]) == (0, 2)
    assert "Write spec" in planner.ok("ls")


def test_export_to_stdout_and_to_a_file(planner, tmp_path):
    planner.ok("import", "mspdi", str(DATA / "links.xml"))
    assert planner.ok("export", "mermaid", "--project", "launch").startswith("gantt\n")
    target = tmp_path / "launch.xml"
    result = planner("export", "mspdi", "-p", "launch", "--out", str(target))
    assert result.exit_code == 0 and target.read_bytes().startswith(b"<?xml")
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    ics = planner.ok("export", "ics")
    assert ics.startswith("BEGIN:VCALENDAR")


def test_csv_map_option(planner, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("What,Bucket\nPaint fence,garden\n")
    out = planner.ok("import", "csv", str(path), "--map", "What=title", "--map", "Bucket=project")
    assert out.startswith("imported csv: 1 created")
    bad = planner("import", "csv", str(path), "--map", "What")
    assert bad.exit_code == 2 and "--map wants COLUMN=FIELD" in bad.output


def test_errors_are_one_line_and_exit_1(planner, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[\n{"uuid": "a1111111-1111-4111-8111-111111111111", "description": "x", "due": "soon"}\n]\n')
    result = planner("import", "tw", str(path))
    assert result.exit_code == 1
    assert result.output.strip() == "error: line 2 (task a1111111): due 'soon' is not a date (use YYYY-MM-DD)"
    missing = planner("import", "tw", str(tmp_path / "nope.json"))
    assert missing.exit_code == 1 and "no file" in missing.output
    unknown = planner("export", "pdf")
    assert unknown.exit_code == 2 and "cannot export 'pdf'" in unknown.output  # a usage error
