"""Shell completion callbacks (Typer's ``autocompletion=``): task ids with titles, keys, handles, tags, filters.

Enable with ``planner --install-completion``; each Tab runs ``planner`` with the words typed so far and
these callbacks answer from the store named by ``--db`` (or the configured one), read-only.
"""

from __future__ import annotations

import typer


def _database(cli_ctx: typer.Context) -> str | None:
    """The ``--db`` typed before the command, if any (completion parses the words without running callbacks)."""
    value = cli_ctx.find_root().params.get("db")
    return value if isinstance(value, str) else None


def complete_task_ids(cli_ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Task ids with their titles (``12 -- Buy milk`` in zsh and fish)."""
    from planner.services.completion import task_ids

    return task_ids(_database(cli_ctx), incomplete)


def complete_projects(cli_ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Project and stream keys with their names."""
    from planner.services.completion import project_keys

    return project_keys(_database(cli_ctx), incomplete)


def complete_handles(cli_ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Person handles with their names."""
    from planner.services.completion import handles

    return handles(_database(cli_ctx), incomplete)


def complete_tags(cli_ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Tag names."""
    from planner.services.completion import tags

    return tags(_database(cli_ctx), incomplete)


def complete_filter(cli_ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Filter words: ``project:web``, ``due.before:fri``, ``+tag``, ``assignee:ana`` ...

    Bash splits ``project:we`` at the colon (COMP_WORDBREAKS), handing over ``we`` after ``project`` and
    ``:``; then only the value is completed, as bash inserts it after the colon itself.
    """
    import os

    from planner.services.completion import filter_terms, filter_values

    before = typed_words(dict(os.environ)) if "COMP_WORDS" in os.environ else []
    if len(before) >= 2 and before[-1] == ":" and not incomplete.startswith(("+", "-")):
        return filter_values(_database(cli_ctx), before[-2], incomplete)
    return filter_terms(_database(cli_ctx), incomplete)


def _shell_completion():  # noqa: ANN202 - Click's shell_completion module
    try:
        from typer._click import shell_completion  # Typer 0.2x vendors Click
    except ImportError:  # older Typer depends on Click itself
        from click import shell_completion  # type: ignore[no-redef]
    return shell_completion


def typed_words(environ: dict[str, str]) -> list[str]:
    """The finished words after ``planner`` (not the one being completed), from the shell's variables."""
    split = _shell_completion().split_arg_string
    if "COMP_WORDS" in environ:  # bash
        try:
            cursor = int(environ.get("COMP_CWORD", "0"))
        except ValueError:
            return []
        return split(environ["COMP_WORDS"])[1:cursor]
    typed = environ.get("_TYPER_COMPLETE_ARGS", "")
    words = split(typed)[1:]
    return words if typed.endswith(" ") else words[:-1]


def _without_rich(shell_completion, name: str) -> None:  # noqa: ANN001
    """Re-register a shell's completion class so descriptions are not rendered through Rich.

    Typer passes each description through Rich to strip markup; importing Rich costs more than the
    whole lookup, and a task title is plain text.
    """
    base = shell_completion.get_completion_class(name)
    if base is None:
        return

    def format_completion(self, item):  # noqa: ANN001, ANN202
        if name == "zsh":
            def escape(text: str) -> str:
                return (text.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`")
                        .replace(":", r"\\:"))

            return f'"{escape(item.value)}":"{escape(item.help)}"' if item.help else f'"{escape(item.value)}"'
        help_text = " ".join((item.help or "").split())
        if name == "fish":
            return f"{item.value}\t{help_text}" if help_text else f"{item.value}"
        return f"{item.value}:::{help_text or ' '}"  # PowerShell

    plain = type(f"Plain{base.__name__}", (base,), {"format_completion": format_completion})
    shell_completion.add_completion_class(plain, name)


def answer_completion(app: typer.Typer) -> None:
    """Answer one Tab (``_PLANNER_COMPLETE`` is set): complete the typed words with ``app``'s commands."""
    shell_completion = _shell_completion()
    command = typer.main.get_command(app)  # registers Typer's shell classes
    for name in ("zsh", "fish", "powershell", "pwsh"):
        _without_rich(shell_completion, name)
    command.main(prog_name="planner")


def complete_ids_then_handles(cli_ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """`assign IDS HANDLES`: a word starting with a digit is an id, any other a handle."""
    if incomplete[:1].isdigit():
        return complete_task_ids(cli_ctx, incomplete)
    return complete_handles(cli_ctx, incomplete)


def complete_ids_then_tags(cli_ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """`tag IDS TAGS`: a word starting with a digit is an id, any other a tag."""
    if incomplete[:1].isdigit():
        return complete_task_ids(cli_ctx, incomplete)
    return complete_tags(cli_ctx, incomplete)
