"""`planner digest` and `planner cron`: the morning digest, in the terminal, in a file or by mail."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, fail, merged_alias, parse_day

app = App()
cron_app = App(help="Run the daily digest from cron: install, show or remove its one entry.")

UserOpt = Annotated[Optional[str], typer.Option("--user", "-u", help="Whose digest (default: you).")]
TeamOpt = Annotated[Optional[str], typer.Option("--team", "-T", help="A team's digest, member by member (`planner team ls`).")]
EveryoneOpt = Annotated[bool, typer.Option("--everyone", help="Everyone's digest, person by person, with unassigned work.")]
TeamNameAlias = Annotated[Optional[str], typer.Option("--team-name", hidden=True, help="Old spelling of --team.")]
ToOpt = Annotated[Optional[list[str]], typer.Option(
    "--to", help="Mail to this address instead (repeatable, or several comma-separated).")]
CrontabOpt = Annotated[Optional[Path], typer.Option("--crontab-file", hidden=True, envvar="PLANNER_CRONTAB_FILE",
                                                    help="Use this file instead of your crontab.")]


@app.command("digest")
def digest(
    cli_ctx: typer.Context,
    user: UserOpt = None,
    team: TeamOpt = None,
    everyone: EveryoneOpt = False,
    team_name: TeamNameAlias = None,
    day: Annotated[Optional[str], typer.Option("--date", help="The day to report on (default today).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, markdown, html or json.")] = "text",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the same as --format json).")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write it to this file.")] = None,
    send: Annotated[bool, typer.Option("--send", help="Mail it (text + HTML) over SMTP.")] = False,
    to: ToOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Mail it even if today's was sent already.")] = False,
) -> None:
    """Overdue, due today, today's queue, milestones at risk, blocked, done and what changed."""
    from planner.render.digest_formats import FORMATS, render
    from planner.services.digest.delivery import send_digest
    from planner.services.digest.build import build_digest

    if as_json:
        if fmt not in ("text", "json"):
            raise fail(f"--json and --format {fmt} disagree: give one", 2)
        fmt = "json"
    if fmt not in FORMATS:
        raise fail(f"--format {fmt!r} unknown: use {', '.join(FORMATS)}", 2)
    if (to or force) and not send:
        raise fail("--to and --force go with --send", 2)
    team = merged_alias(team, team_name, "--team")
    if team and everyone:
        raise fail("give --team NAME or --everyone, not both", 2)
    ctx = context(cli_ctx)
    result = build_digest(ctx, user=user, team=team or everyone, day=parse_day(cli_ctx, day))
    if fmt == "html" or send:
        from planner.services.digest.charts import attach_charts

        attach_charts(ctx, result)
    if out is not None:
        from planner.services.output import write_output

        write_output(out, render(result, fmt), what="digest")
    if not send:
        if out is None:
            typer.echo(render(result, fmt), nl=False)
        return
    report = send_digest(ctx, result, to=to, force=force)
    for delivery in report.deliveries:
        if delivery.status == "sent":
            retry = f" (attempt {delivery.attempts})" if delivery.attempts > 1 else ""
            typer.echo(f"sent the {result.day} digest to {delivery.recipient}{retry}")
        elif delivery.status == "skipped":
            typer.echo(f"not sent to {delivery.recipient}: {delivery.detail}")
    if report.failed:
        first = report.failed[0]
        others = f" (and {len(report.failed) - 1} more)" if len(report.failed) > 1 else ""
        raise fail(f"could not send the digest to {first.recipient}{others}: {first.detail}; "
                   "the next run retries it")


@cron_app.command("install")
def cron_install(
    cli_ctx: typer.Context,
    at: Annotated[str, typer.Option("--at", help="Time of day, HH:MM.")] = "07:30",
    user: UserOpt = None,
    team: TeamOpt = None,
    everyone: EveryoneOpt = False,
    team_name: TeamNameAlias = None,
    send: Annotated[bool, typer.Option("--send", help="Mail the digest (else cron mails its output to you).")] = False,
    to: Annotated[Optional[str], typer.Option("--to", help="Mail to this address instead.")] = None,
    weekdays: Annotated[bool, typer.Option("--weekdays", help="Monday to Friday only.")] = False,
    crontab_file: CrontabOpt = None,
) -> None:
    """Install (or replace) the one crontab entry that runs the digest every day."""
    from planner.services.digest import cron

    if to and not send:
        raise fail("--to goes with --send", 2)
    team = merged_alias(team, team_name, "--team")
    if team and everyone:
        raise fail("give --team NAME or --everyone, not both", 2)
    plan = cron.plan_entry(context(cli_ctx), at=at, user=user, team=everyone, team_name=team, send=send, to=to,
                           weekdays_only=weekdays)
    result = cron.install(plan, crontab_file=crontab_file)
    if result.written_to is None:
        _print_fallback(plan)
        return
    verb = "replaced the entry in" if result.replaced else "installed in"
    typer.echo(f"{verb} {result.written_to}:\n  {plan.line}")
    if send:
        typer.echo("note: cron does not see your shell's environment; keep the SMTP settings in config.toml "
                   "and the password in the keyring (`keyring set planner-smtp SMTP_USER`)")


def _print_fallback(plan) -> None:  # noqa: ANN001 - services.cron.CronPlan
    service, timer = plan.systemd_units()
    typer.echo("There is no crontab program here. The crontab line would be:\n")
    typer.echo(f"  {plan.line}\n")
    typer.echo("Or run it with a systemd user timer:\n")
    typer.echo(f"# ~/.config/systemd/user/planner-digest.service\n{service}")
    typer.echo(f"# ~/.config/systemd/user/planner-digest.timer\n{timer}")
    typer.echo("then: systemctl --user daemon-reload && systemctl --user enable --now planner-digest.timer")


@cron_app.command("show")
def cron_show(crontab_file: CrontabOpt = None) -> None:
    """Show the digest's crontab entry."""
    from planner.services.digest import cron

    lines = cron.show(crontab_file=crontab_file)
    if lines is None:
        raise fail("there is no crontab program here; `planner cron install` prints a systemd timer instead")
    if not lines:
        typer.echo("no digest entry; `planner cron install --at 07:30` adds one")
    for line in lines:
        typer.echo(line)


@cron_app.command("remove")
def cron_remove(crontab_file: CrontabOpt = None) -> None:
    """Remove the digest's crontab entry."""
    from planner.services.digest import cron

    count = cron.remove(crontab_file=crontab_file)
    if count is None:
        raise fail("there is no crontab program here; remove the systemd timer with "
                   "`systemctl --user disable --now planner-digest.timer`")
    typer.echo("removed the digest entry" if count else "there was no digest entry")
