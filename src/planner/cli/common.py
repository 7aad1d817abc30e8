"""What every command group shares: the Typer subclass, the context, parsers."""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import typer

from planner.domain.errors import PlannerError

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(slots=True)
class GlobalOptions:
    """Flags given before the command (``planner --db FILE --as ana ls``)."""

    database: str | None = None
    user: str | None = None
    today: date | None = None


@dataclass(slots=True)
class Invocation:
    """What one run of ``planner`` shares between its callback and its command: the flags and the context."""

    options: GlobalOptions = field(default_factory=GlobalOptions)
    service_context: Any = None  # planner.services.context.Context, built on first use


def invocation(cli_ctx: typer.Context) -> Invocation:
    """This run's state, kept on the root context (``ctx.obj``; the ``planner`` callback fills in the flags)."""
    root = cli_ctx.find_root()
    if not isinstance(root.obj, Invocation):
        root.obj = Invocation()
    return root.obj


def options(cli_ctx: typer.Context) -> GlobalOptions:
    """The flags given before the command."""
    return invocation(cli_ctx).options


def context(cli_ctx: typer.Context):  # noqa: ANN201 - returns planner.services.context.Context
    """The service context for this run (built once, from the global flags); every command gets it here."""
    from planner.services.context import Context

    state = invocation(cli_ctx)
    if state.service_context is None:
        service_context = Context.load(database=state.options.database, user=state.options.user)
        service_context.today_override = state.options.today
        state.service_context = service_context
    return state.service_context


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one actionable line on stderr and return the Exit to raise."""
    from planner.render.console import echo_error

    echo_error(message)
    return typer.Exit(code)


#: The widest integer either store holds (SQLite INTEGER, PostgreSQL BIGINT).
MAX_INTEGER = 2**63 - 1


def check_numbers(values: dict[str, Any]) -> None:
    """Refuse (usage error, exit 2) an integer no store can hold or a float that is not finite."""
    for name, value in values.items():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, bool):
                continue
            shown = name.replace("_", "-")
            if isinstance(item, int) and abs(item) > MAX_INTEGER:
                digits = len(str(abs(item)))
                raise fail(f"{shown}: a number of {digits} digits is too large (at most {MAX_INTEGER})", 2)
            if isinstance(item, float) and not math.isfinite(item):
                raise fail(f"{shown}: {item} is not a finite number", 2)


def friendly_errors(fn: F) -> F:
    """Turn PlannerError into one line on stderr and exit status 1 (numbers out of range: exit 2)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check_numbers(kwargs)
        try:
            return fn(*args, **kwargs)
        except PlannerError as error:
            raise fail(str(error)) from None

    return wrapper  # type: ignore[return-value]


class App(typer.Typer):
    """A Typer whose commands report PlannerError as one line and exit 1, and which knows its command names."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        super().__init__(**kwargs)
        self.command_names: set[str] = set()

    def command(self, name: str | None = None, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        register = super().command(name, *args, **kwargs)

        def decorator(fn: F) -> F:
            register(friendly_errors(fn))
            self.command_names.add(name or fn.__name__.lower().replace("_", "-"))
            return fn

        return decorator


def merged_alias(value: Any, alias_value: Any, name: str) -> Any:
    """One option given under its name or its old hidden spelling (``--date`` / ``--from``); both is a usage error."""
    if alias_value is None or alias_value is False:
        return value
    if value is not None and value is not False and value != alias_value:
        raise fail(f"give {name} once", 2)
    return alias_value


def parse_day(cli_ctx: typer.Context, text: str | None) -> date | None:
    """A date option (ISO or a phrase, relative to this run's today); None stays None."""
    if text is None:
        return None
    from planner.domain.dates import parse_date

    return parse_date(text, context(cli_ctx).today())


def parse_optional_day(cli_ctx: typer.Context, text: str | None) -> date | None | type[...]:
    """Like parse_day, but ``none`` means 'clear it' (returns None) and absent returns Ellipsis."""
    if text is None:
        return ...
    if text.strip().lower() in ("none", "clear", "-"):
        return None
    return parse_day(cli_ctx, text)


def parse_hours(text: str | None) -> float | None:
    """An effort option (``90m``, ``3h``, ``2d``) in hours."""
    if text is None:
        return None
    from planner.domain.dates import parse_duration_hours

    return parse_duration_hours(text)


def parse_days(text: str | None) -> int | None:
    """A duration option in working days (``3``, ``3d``, ``2w``)."""
    if text is None:
        return None
    from planner.domain.dates import parse_working_days

    return parse_working_days(text)


def is_terminal() -> bool:
    """Whether stdout is a terminal (tables get colours and boxes)."""
    return sys.stdout.isatty()
