"""What every command group shares: the Typer subclass, the context, parsers."""

from __future__ import annotations

import functools
import math
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
    """A Typer whose commands report PlannerError as one line and exit 1."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("rich_markup_mode", None)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        register = super().command(*args, **kwargs)

        def decorator(fn: F) -> F:
            register(friendly_errors(fn))
            return fn

        return decorator


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
