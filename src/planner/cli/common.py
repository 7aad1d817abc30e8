"""What every command group shares: the Typer subclass, the context, parsers."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
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


options = GlobalOptions()
_context_cache: dict[tuple, Any] = {}


def context():  # noqa: ANN201 - returns planner.services.context.Context
    """The service context for this invocation (built once per set of flags)."""
    from planner.services.context import Context

    key = (options.database, options.user, options.today)
    if key not in _context_cache:
        ctx = Context.load(database=options.database, user=options.user)
        ctx.today_override = options.today
        _context_cache[key] = ctx
    return _context_cache[key]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one actionable line on stderr and return the Exit to raise."""
    from planner.render.console import echo_error

    echo_error(message)
    return typer.Exit(code)


def friendly_errors(fn: F) -> F:
    """Turn PlannerError into one line on stderr and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PlannerError as error:
            raise fail(str(error)) from None

    return wrapper  # type: ignore[return-value]


class App(typer.Typer):
    """A Typer whose commands report PlannerError as one line and exit 1."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        register = super().command(*args, **kwargs)

        def decorator(fn: F) -> F:
            register(friendly_errors(fn))
            return fn

        return decorator


def merged_alias(value: Any, alias_value: Any, name: str) -> Any:
    """One option given under its name or its old hidden spelling (``--date`` / ``--from``); both is a usage error."""
    if alias_value is None or alias_value is False:
        return value
    if value is not None and value is not False and value != alias_value:
        raise fail(f"give {name} once", 2)
    return alias_value


def parse_day(text: str | None) -> date | None:
    """A date option (ISO or a phrase); None stays None."""
    if text is None:
        return None
    from planner.domain.dates import parse_date

    return parse_date(text, context().today())


def parse_optional_day(text: str | None) -> date | None | type[...]:
    """Like parse_day, but ``none`` means 'clear it' (returns None) and absent returns Ellipsis."""
    if text is None:
        return ...
    if text.strip().lower() in ("none", "clear", "-"):
        return None
    return parse_day(text)


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
