"""`planner gantt` with dependency arrows and assignees: the text chart, the SVG drawing and the HTML page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def _plan(planner) -> None:
    planner.ok("resource", "add", "ana")
    planner.ok("resource", "add", "bo")
    planner.ok("project", "add", "web", "--start", "2026-11-30", "--deadline", "2026-12-31")
    planner.ok("add", "Design", "-p", "web", "--duration", "3", "-a", "ana", "-a", "bo")  # 1
    planner.ok("add", "Build", "-p", "web", "--duration", "4", "--after", "1", "-a", "bo")  # 2
    planner.ok("add", "Docs", "-p", "web", "--duration", "2")  # 3
    planner.ok("dep", "add", "1", "3", "--type", "SS", "--lag", "2")
    planner.ok("add", "Launch", "-p", "web", "--milestone", "--after", "2", "--after", "3")  # 4


def _points(polyline) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in pair.split(",")) for pair in polyline.get("points").split()]


def test_svg_has_one_arrow_per_link_ending_at_the_successor_and_drawn_under_the_bars(planner, tmp_path):
    _plan(planner)
    planner.ok("gantt", "web", "--svg", str(tmp_path / "g.svg"))
    root = ET.parse(tmp_path / "g.svg").getroot()
    links = root.findall(f".//{SVG}polyline[@class='link']")
    assert sorted((int(p.get("data-pred")), int(p.get("data-succ")), p.get("data-kind")) for p in links) == [
        (1, 2, "FS"), (1, 3, "SS"), (2, 4, "FS"), (3, 4, "FS")]
    marks = {int(el.get("data-task")): el for el in root.iter() if el.get("data-task") and el.tag != f"{SVG}text"}
    for polyline in links:
        points = _points(polyline)
        assert polyline.get("marker-end") == "url(#arrowhead)" and len(points) >= 4
        assert all(a[0] == b[0] or a[1] == b[1] for a, b in zip(points, points[1:]))  # orthogonal
        successor = marks[int(polyline.get("data-succ"))]
        if successor.tag == f"{SVG}rect":
            assert points[-1][0] == float(successor.get("x")), polyline.get("points")
            top = float(successor.get("y"))
            assert top < points[-1][1] < top + float(successor.get("height"))
        else:  # the milestone's diamond: its leftmost point
            assert points[-1][0] == min(x for x, _y in _points(successor))
    assert root.find(f"{SVG}defs/{SVG}marker[@id='arrowhead']") is not None
    groups = [g.get("class") for g in root.findall(f"{SVG}g")]
    assert groups.index("links") < groups.index("bars")  # painted first: under the bars
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    assert "Design · ana, bo" in labels and "Build · bo" in labels and "Docs" in labels


def test_html_embeds_the_drawing_and_no_arrows_leaves_them_out(planner, tmp_path):
    _plan(planner)
    planner.ok("gantt", "web", "--html", str(tmp_path / "g.html"), "--svg", str(tmp_path / "bare.svg"), "--no-arrows")
    assert 'class="link"' not in (tmp_path / "bare.svg").read_text()
    html = (tmp_path / "g.html").read_text()
    assert "<svg" in html and 'class="link"' not in html
    planner.ok("gantt", "web", "--html", str(tmp_path / "g.html"))
    html = (tmp_path / "g.html").read_text()
    assert html.lower().startswith("<!doctype html>") and html.count('class="link"') == 4


def test_the_text_chart_draws_arrows_only_when_asked(planner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    _plan(planner)
    plain = planner.ok("gantt", "web")
    assert "▶" not in plain and "└" not in plain and "Design · ana, bo" in plain
    drawn = planner.ok("gantt", "web", "--arrows").splitlines()
    rows = {int(line.split()[0]): line for line in drawn[1:-1]}
    design, docs, launch = rows[1], rows[3], rows[4]
    assert design.index("┌") < design.index("▐") < design.index("┐")  # SS out of its start, FS out of its end
    assert docs[docs.index("▶") + 1] == "▐" and set(docs[docs.index("└") + 1:docs.index("▶")]) == {"─"}
    assert launch[launch.index("◆") - 1] == "▶"  # into the milestone from the left
    assert "─▶ link" in drawn[-1]
    assert len({len(line) for line in drawn[:-1]}) == 1  # arrows never widen a row
