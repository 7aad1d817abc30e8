"""The digest as an HTML email: table layout and inline styles, as mail clients need.

No scripts, no stylesheets, no external resources; every piece of text from
the database goes through ``html.escape``. Charts are images attached to the
mail (``cid:``), or inline SVG in a file a browser opens. The words come from
``render.digest`` (``section_heading``, ``line_parts``), so the mail says
what the terminal says.
"""

from __future__ import annotations

from typing import Any

from planner.render.digest import blocks, escape, headline, line_parts, long_day, more_text, section_heading, \
    subject_line

FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
MONO = "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace"
INK, MUTED, RULE, PAGE = "#1f2328", "#59636e", "#d8dee4", "#f3f4f6"
TONES = {"plain": INK, "alert": "#cf222e", "warn": "#9a6700", "good": "#1a7f37", "muted": MUTED}
ACCENTS = {"overdue": "#cf222e", "due_today": "#bf8700", "queue": "#0969da", "at_risk": "#cf222e",
           "blocked": "#6e7781", "done": "#1a7f37", "changes": "#8250df",
           "sync": "#6e7781", "coming_up": "#0969da"}
SUMMARY = (("overdue", "overdue", "#cf222e", "#ffebe9"), ("due_today", "due today", "#7d4e00", "#fff8c5"),
           ("at_risk", "at risk", "#cf222e", "#ffebe9"), ("blocked", "blocked", "#424a53", "#eaeef2"),
           ("done", "done", "#116329", "#dafbe1"))


def _chip(text: str, color: str, background: str) -> str:
    return (f'<span style="display:inline-block;padding:2px 8px;margin:0 6px 4px 0;border-radius:10px;'
            f'font-size:12px;line-height:16px;color:{color};background:{background};">{escape(text)}</span>')


def _summary(digest: Any) -> str:
    chips = [_chip(f"{digest.count(key)} {label}", color, background)
             for key, label, color, background in SUMMARY if digest.count(key)]
    return f'<div style="margin-top:12px;">{"".join(chips)}</div>' if chips else ""


def _line_row(section: Any, index: int, line: Any, digest: Any) -> str:
    parts = line_parts(section.key, line, digest.day)
    ref = f"{index}. {parts.ref}" if section.key == "queue" else parts.ref
    facts = " · ".join(escape(fact) for fact in parts.facts)
    tone = TONES.get(parts.tone, INK)
    project = (f'<span style="display:inline-block;margin-left:6px;padding:0 6px;border-radius:4px;font-size:12px;'
               f'line-height:18px;color:{MUTED};background:{PAGE};border:1px solid {RULE};">'
               f'{escape(parts.project)}</span>') if parts.project else ""
    cell = f"border-top:1px solid {PAGE};padding:7px 0;vertical-align:top;"
    return (
        f'<tr><td style="{cell}width:52px;padding-right:8px;white-space:nowrap;font-family:{MONO};font-size:12px;'
        f'line-height:20px;color:{MUTED};">'
        f'{escape(ref)}</td>'
        f'<td style="{cell}font-size:14px;line-height:20px;color:{INK};">'
        f'<span style="font-weight:600;">{escape(parts.title)}</span>{project}'
        + (f'<br><span style="font-size:13px;color:{tone};">{facts}</span>' if facts else "")
        + "</td></tr>"
    )


def _section(section: Any, digest: Any, *, level: int) -> str:
    accent = ACCENTS.get(section.key, INK)
    size = 15 if level == 2 else 14
    rows = "".join(_line_row(section, index, line, digest) for index, line in enumerate(section.lines, 1))
    extra = more_text(section)
    if extra:
        rows += (f'<tr><td></td><td style="padding:6px 0;font-size:13px;color:{MUTED};font-style:italic;">'
                 f"{escape(extra)}</td></tr>")
    return (
        f'<tr><td style="padding:18px 28px 2px;">'
        f'<h{level} style="margin:0 0 6px;padding-left:10px;border-left:4px solid {accent};font-size:{size}px;'
        f'line-height:20px;color:{INK};font-weight:600;">{escape(section_heading(section, digest))}</h{level}>'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="border-collapse:collapse;">{rows}</table></td></tr>'
    )


def _person(label: str) -> str:
    return (f'<tr><td style="padding:24px 28px 0;"><div style="font-size:17px;font-weight:600;color:{INK};'
            f'padding-bottom:6px;border-bottom:2px solid {RULE};">{escape(label)}</div></td></tr>')


def _charts(digest: Any, chart_cids: list[str] | None) -> str:
    charts = getattr(digest, "charts", None) or []
    if not charts:
        return ""
    figures = []
    for index, chart in enumerate(charts):
        if chart_cids is not None:
            figure = (f'<img src="cid:{escape(chart_cids[index])}" width="584" alt="{escape(chart.title)}" '
                      f'style="display:block;width:100%;max-width:584px;height:auto;border:0;">')
        else:
            from planner.render.charts.svg import charts_svg

            svg = charts_svg([chart]).split("?>", 1)[-1].strip()
            figure = svg.replace("<svg ", '<svg style="width:100%;height:auto;" ', 1)
        figures.append(f'<div style="margin:6px 0 14px;">{figure}</div>')
    return (f'<tr><td style="padding:18px 28px 2px;">'
            f'<h2 style="margin:0 0 6px;padding-left:10px;border-left:4px solid #0969da;font-size:15px;'
            f'line-height:20px;color:{INK};font-weight:600;">Charts</h2>{"".join(figures)}</td></tr>')


def render_html(digest: Any, chart_cids: list[str] | None = None) -> str:
    """A complete HTML document for the mail's HTML part.

    The digest's charts show as ``<img src="cid:…">`` when ``chart_cids`` name the attached PNGs (mail),
    else as inline SVG (a file for a browser).
    """
    body: list[str] = []
    if digest.empty:
        body.append(f'<tr><td style="padding:18px 28px;font-size:14px;color:{MUTED};">Nothing to report: nothing '
                    "overdue, due, queued, blocked or changed.</td></tr>")
    for person, sections in blocks(digest):
        if person is not None:
            body.append(_person(person))
        for section in sections:
            body.append(_section(section, digest, level=3 if person is not None else 2))
    body.append(_charts(digest, chart_cids))
    who = digest.name if digest.kind == "team" or digest.name == digest.subject \
        else f"{digest.name} ({digest.subject})"
    command = "planner digest --team" if digest.kind == "team" else f"planner digest --user {digest.subject}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{escape(subject_line(digest))}</title>
</head>
<body style="margin:0;padding:0;background:{PAGE};">
<div style="display:none;max-height:0;overflow:hidden;">{escape(headline(digest))}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:{PAGE};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;background:#ffffff;border:1px solid {RULE};border-radius:8px;font-family:{FONT};color:{INK};">
<tr><td style="padding:22px 28px 18px;border-bottom:1px solid {RULE};">
<div style="font-size:12px;letter-spacing:0.06em;text-transform:uppercase;color:{MUTED};">Planner digest</div>
<h1 style="margin:4px 0 2px;font-size:22px;line-height:28px;color:{INK};">{escape(who)}</h1>
<div style="font-size:14px;color:{MUTED};">{escape(long_day(digest.day))}</div>
{_summary(digest)}
</td></tr>
{"".join(body)}
<tr><td style="padding:22px 28px 24px;font-size:12px;line-height:18px;color:{MUTED};">
Sent by Planner. The same digest in a terminal: <span style="font-family:{MONO};">{escape(command)} --date {digest.day.isoformat()}</span>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""
