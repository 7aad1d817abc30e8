"""PSPLIB single-mode RCPSP instances (``.sm`` files) and their result tables, parsed from text.

PSPLIB (Kolisch & Sprecher, 1996) is the standard benchmark of the
resource-constrained project scheduling problem. An ``.sm`` file has header
lines (``jobs (incl. supersource/sink ):``, ``horizon``, ``- renewable``), a
``PROJECT INFORMATION`` row whose last column is the critical-path length
(``MPM-Time``), a ``PRECEDENCE RELATIONS`` table (job, modes, successor
count, successors ...), a ``REQUESTS/DURATIONS`` table (job, mode,
duration, one demand per resource) and ``RESOURCEAVAILABILITIES`` (one
capacity per resource).

:func:`parse_sm` returns every job, the dummy source (job 1) and sink (the
last job) included; an importer drops them. Malformed text raises
:class:`~planner.domain.errors.InvalidInputError` naming the line and the
problem. :func:`parse_result_table` reads the makespan column of the
``j30opt.sm`` / ``j60hrs.sm`` tables. No I/O here: callers read the files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.domain.errors import InvalidInputError

__all__ = ["PsplibInstance", "PsplibJob", "parse_result_table", "parse_sm"]


@dataclass(slots=True, frozen=True)
class PsplibJob:
    """One job: its number (1-based), duration in periods, demand per renewable resource, successors."""

    number: int
    duration: int
    demands: tuple[int, ...]
    successors: tuple[int, ...]


@dataclass(slots=True, frozen=True)
class PsplibInstance:
    """A parsed single-mode instance: jobs in number order, renewable capacities, horizon, MPM-Time.

    ``mpm_time`` is the critical-path length the file states (a lower bound on
    any feasible makespan).
    """

    jobs: list[PsplibJob]
    capacities: tuple[int, ...]
    horizon: int
    mpm_time: int

    @property
    def resource_count(self) -> int:
        """How many renewable resources the instance has."""
        return len(self.capacities)


_RULER = re.compile(r"^-{5,}$")
_LETTER = re.compile(r"[A-Za-z]")
_HEADER_VALUE = re.compile(r":\s*(-?\d+)")


def _integers(line: str, line_number: int, what: str) -> list[int]:
    """The whitespace-separated integers of a line; InvalidInputError when one is not an integer."""
    try:
        return [int(token) for token in line.split()]
    except ValueError:
        raise InvalidInputError(f"line {line_number}: expected whole numbers in {what}, got {line.strip()!r}") from None


def _header_value(line: str, line_number: int, what: str) -> int:
    match = _HEADER_VALUE.search(line)
    if match is None:
        raise InvalidInputError(f"line {line_number}: expected a whole number after ':' for {what}, got {line.strip()!r}")
    return int(match.group(1))


@dataclass(slots=True)
class _Parsed:
    job_count: int | None = None
    job_count_line: int = 0
    horizon: int | None = None
    renewable: int | None = None
    renewable_line: int = 0
    mpm_time: int | None = None
    successors: dict[int, tuple[int, ...]] | None = None
    successor_lines: dict[int, int] | None = None
    requests: dict[int, tuple[int, tuple[int, ...]]] | None = None
    capacities: tuple[int, ...] | None = None
    capacities_line: int = 0


def parse_sm(text: str) -> PsplibInstance:
    """Parse the text of a PSPLIB single-mode ``.sm`` file.

    Raise InvalidInputError with ``line N: problem`` for missing sections or
    header values, rows that are not whole numbers, wrong column counts, jobs
    missing or listed twice, more than one mode, successors that are not jobs,
    negative durations, demands or capacities.
    """
    lines = text.splitlines()
    parsed = _Parsed()
    index = 0
    total = len(lines)
    while index < total:
        line = lines[index]
        line_number = index + 1
        stripped = line.strip()
        lowered = stripped.lower()
        if lowered.startswith("jobs (incl. supersource/sink"):
            parsed.job_count = _header_value(line, line_number, "the number of jobs")
            parsed.job_count_line = line_number
            if parsed.job_count < 2:
                raise InvalidInputError(f"line {line_number}: an instance needs at least the dummy source and sink, got {parsed.job_count} jobs")
        elif lowered.startswith("horizon"):
            parsed.horizon = _header_value(line, line_number, "the horizon")
        elif lowered.startswith("- renewable"):
            parsed.renewable = _header_value(line, line_number, "the number of renewable resources")
            parsed.renewable_line = line_number
        elif lowered.startswith("project information"):
            index = _parse_project_information(lines, index + 1, parsed)
            continue
        elif lowered.startswith("precedence relations"):
            index = _parse_precedence(lines, index + 1, parsed)
            continue
        elif lowered.startswith("requests/durations"):
            index = _parse_requests(lines, index + 1, parsed)
            continue
        elif lowered.startswith("resourceavailabilities"):
            index = _parse_capacities(lines, index + 1, parsed)
            continue
        index += 1
    return _assemble(parsed, total)


def _table_rows(lines: list[str], index: int) -> tuple[list[tuple[int, str]], int]:
    """Data rows of a table from ``index`` (just after its title) to the closing ``****`` line.

    Skips blank lines, dash rulers and one column-header line (the first
    line with a letter, before any data row); any other line is a data row,
    so a garbled row reaches the number parser and is reported.
    Returns ``(line number, text)`` pairs and the index after the table.
    """
    rows: list[tuple[int, str]] = []
    header_seen = False
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        index += 1
        if not stripped or _RULER.match(stripped):
            continue
        if stripped.startswith(("*", "=")):
            break
        if not rows and not header_seen and _LETTER.search(stripped):
            header_seen = True
            continue
        rows.append((index, line))
    return rows, index


def _parse_project_information(lines: list[str], index: int, parsed: _Parsed) -> int:
    rows, index = _table_rows(lines, index)
    if not rows:
        raise InvalidInputError(f"line {index}: PROJECT INFORMATION has no data row")
    line_number, line = rows[0]
    values = _integers(line, line_number, "PROJECT INFORMATION")
    if len(values) < 6:
        raise InvalidInputError(f"line {line_number}: PROJECT INFORMATION needs 6 columns "
                                f"(pronr, #jobs, rel.date, duedate, tardcost, MPM-Time), got {len(values)}")
    parsed.mpm_time = values[5]
    return index


def _parse_precedence(lines: list[str], index: int, parsed: _Parsed) -> int:
    if parsed.successors is not None:
        raise InvalidInputError(f"line {index}: a second PRECEDENCE RELATIONS section")
    rows, index = _table_rows(lines, index)
    successors: dict[int, tuple[int, ...]] = {}
    row_lines: dict[int, int] = {}
    for line_number, line in rows:
        values = _integers(line, line_number, "PRECEDENCE RELATIONS")
        if len(values) < 3:
            raise InvalidInputError(f"line {line_number}: a precedence row needs job, #modes and #successors, got {line.strip()!r}")
        job, modes, count, *following = values
        if job in successors:
            raise InvalidInputError(f"line {line_number}: job {job} is listed twice in PRECEDENCE RELATIONS (first on line {row_lines[job]})")
        if modes != 1:
            raise InvalidInputError(f"line {line_number}: job {job} has {modes} modes; only single-mode (.sm) instances are supported")
        if count != len(following):
            raise InvalidInputError(f"line {line_number}: job {job} declares {count} successors but lists {len(following)}")
        if len(set(following)) != len(following):
            raise InvalidInputError(f"line {line_number}: job {job} lists a successor twice")
        successors[job] = tuple(following)
        row_lines[job] = line_number
    parsed.successors = successors
    parsed.successor_lines = row_lines
    return index


def _parse_requests(lines: list[str], index: int, parsed: _Parsed) -> int:
    if parsed.requests is not None:
        raise InvalidInputError(f"line {index}: a second REQUESTS/DURATIONS section")
    rows, index = _table_rows(lines, index)
    requests: dict[int, tuple[int, tuple[int, ...]]] = {}
    width: int | None = None
    for line_number, line in rows:
        values = _integers(line, line_number, "REQUESTS/DURATIONS")
        if len(values) < 3:
            raise InvalidInputError(f"line {line_number}: a request row needs job, mode and duration, got {line.strip()!r}")
        job, mode, duration, *demands = values
        if job in requests:
            raise InvalidInputError(f"line {line_number}: job {job} is listed twice in REQUESTS/DURATIONS")
        if mode != 1:
            raise InvalidInputError(f"line {line_number}: job {job} has mode {mode}; only single-mode (.sm) instances are supported")
        if width is None:
            width = len(demands)
        elif len(demands) != width:
            raise InvalidInputError(f"line {line_number}: job {job} has {len(demands)} resource demands, the rows above have {width}")
        if duration < 0:
            raise InvalidInputError(f"line {line_number}: job {job} has a negative duration ({duration})")
        if any(demand < 0 for demand in demands):
            raise InvalidInputError(f"line {line_number}: job {job} has a negative resource demand")
        requests[job] = (duration, tuple(demands))
    parsed.requests = requests
    return index


def _parse_capacities(lines: list[str], index: int, parsed: _Parsed) -> int:
    rows, index = _table_rows(lines, index)
    if not rows:
        raise InvalidInputError(f"line {index}: RESOURCEAVAILABILITIES has no row of capacities")
    line_number, line = rows[0]
    capacities = _integers(line, line_number, "RESOURCEAVAILABILITIES")
    if any(capacity < 0 for capacity in capacities):
        raise InvalidInputError(f"line {line_number}: a resource capacity is negative")
    parsed.capacities = tuple(capacities)
    parsed.capacities_line = line_number
    return index


def _assemble(parsed: _Parsed, total_lines: int) -> PsplibInstance:
    end = f"line {max(total_lines, 1)}"
    if parsed.job_count is None:
        raise InvalidInputError(f"{end}: missing the 'jobs (incl. supersource/sink ):' header")
    if parsed.horizon is None:
        raise InvalidInputError(f"{end}: missing the 'horizon' header")
    if parsed.successors is None:
        raise InvalidInputError(f"{end}: missing the PRECEDENCE RELATIONS section")
    if parsed.requests is None:
        raise InvalidInputError(f"{end}: missing the REQUESTS/DURATIONS section")
    if parsed.capacities is None:
        raise InvalidInputError(f"{end}: missing the RESOURCEAVAILABILITIES section")
    job_count = parsed.job_count
    expected = set(range(1, job_count + 1))
    for section, table in (("PRECEDENCE RELATIONS", parsed.successors), ("REQUESTS/DURATIONS", parsed.requests)):
        missing = sorted(expected - table.keys())
        extra = sorted(table.keys() - expected)
        if extra:
            raise InvalidInputError(f"line {parsed.job_count_line}: {section} lists job {extra[0]}, "
                                    f"but the header says there are {job_count} jobs")
        if missing:
            raise InvalidInputError(f"{end}: {section} has no row for job {missing[0]} (the header says {job_count} jobs)")
    resource_count = len(parsed.capacities)
    renewable = parsed.renewable if parsed.renewable is not None else resource_count
    capacities_line = parsed.capacities_line
    if renewable > resource_count:
        raise InvalidInputError(f"line {capacities_line}: {resource_count} capacities for {renewable} renewable resources "
                                f"(line {parsed.renewable_line})")
    jobs: list[PsplibJob] = []
    assert parsed.successor_lines is not None
    for number in range(1, job_count + 1):
        duration, demands = parsed.requests[number]
        if len(demands) != resource_count:
            raise InvalidInputError(f"{end}: job {number} has {len(demands)} resource demands but there are "
                                    f"{resource_count} capacities (line {capacities_line})")
        successors = parsed.successors[number]
        for successor in successors:
            if successor not in expected or successor == number:
                raise InvalidInputError(f"line {parsed.successor_lines[number]}: job {number} has successor {successor}, "
                                        f"which is not another job of 1..{job_count}")
        jobs.append(PsplibJob(number, duration, demands[:renewable], successors))
    mpm_time = parsed.mpm_time if parsed.mpm_time is not None else 0
    return PsplibInstance(jobs, parsed.capacities[:renewable], parsed.horizon, mpm_time)


def parse_result_table(text: str) -> dict[tuple[int, int], int]:
    """``{(parameter, instance): makespan}`` from a PSPLIB result table (``j30opt.sm``, ``j60hrs.sm``, ``j60lb.sm``).

    Rows start with three whole numbers: parameter set, instance and
    makespan (the optimum, best-known makespan or upper bound); header,
    comment and separator lines are skipped. A row that starts with two whole
    numbers but has no third one raises InvalidInputError naming the line.
    """
    table: dict[tuple[int, int], int] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        tokens = line.split()
        if len(tokens) < 2 or not (tokens[0].isdigit() and tokens[1].isdigit()):
            continue
        if len(tokens) < 3 or not tokens[2].isdigit():
            raise InvalidInputError(f"line {line_number}: expected 'parameter instance makespan', got {line.strip()!r}")
        key = (int(tokens[0]), int(tokens[1]))
        if key in table:
            raise InvalidInputError(f"line {line_number}: parameter {key[0]} instance {key[1]} is listed twice")
        table[key] = int(tokens[2])
    return table
