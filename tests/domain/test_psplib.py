"""PSPLIB .sm parsing: real instances (copied into tests/data/psplib) and malformed text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner.domain.errors import InvalidInputError
from planner.domain.psplib import PsplibInstance, PsplibJob, parse_result_table, parse_sm

DATA = Path(__file__).resolve().parent.parent / "data" / "psplib"
INSTANCES = ["j301_1.sm", "j3013_1.sm", "j3045_2.sm", "j305_3.sm"]


def _text(name: str) -> str:
    return (DATA / name).read_text()


def test_parses_the_first_j30_instance_exactly() -> None:
    instance = parse_sm(_text("j301_1.sm"))
    assert isinstance(instance, PsplibInstance)
    assert len(instance.jobs) == 32
    assert instance.horizon == 158
    assert instance.mpm_time == 38
    assert instance.capacities == (12, 13, 4, 12)
    assert instance.resource_count == 4
    assert instance.jobs[0] == PsplibJob(1, 0, (0, 0, 0, 0), (2, 3, 4))
    assert instance.jobs[1] == PsplibJob(2, 8, (4, 0, 0, 0), (6, 11, 15))
    assert instance.jobs[-1] == PsplibJob(32, 0, (0, 0, 0, 0), ())
    assert [job.number for job in instance.jobs] == list(range(1, 33))


@pytest.mark.parametrize("name", INSTANCES)
def test_every_copied_instance_is_consistent(name: str) -> None:
    instance = parse_sm(_text(name))
    numbers = {job.number for job in instance.jobs}
    assert numbers == set(range(1, 33))
    source, sink = instance.jobs[0], instance.jobs[-1]
    assert source.duration == 0 and sink.duration == 0 and sink.successors == ()
    for job in instance.jobs:
        assert len(job.demands) == len(instance.capacities)
        assert all(0 <= demand <= capacity for demand, capacity in zip(job.demands, instance.capacities))
        assert all(successor in numbers and successor != job.number for successor in job.successors)
    # MPM-Time is the critical-path length: check it against our own longest path.
    finish: dict[int, int] = {}
    start = {job.number: 0 for job in instance.jobs}
    for job in instance.jobs:  # PSPLIB numbers jobs topologically
        finish[job.number] = start[job.number] + job.duration
        for successor in job.successors:
            start[successor] = max(start[successor], finish[job.number])
    assert max(finish.values()) == instance.mpm_time


def test_windows_line_endings_and_trailing_spaces_parse() -> None:
    text = _text("j301_1.sm").replace("\n", "  \r\n")
    assert parse_sm(text) == parse_sm(_text("j301_1.sm"))


def test_result_table_reads_the_optimum_rows() -> None:
    table = parse_result_table(_text("j30opt.sm"))
    assert table == {(1, 1): 43, (5, 3): 76, (13, 1): 58, (45, 2): 125}


def test_result_table_reads_hrs_and_lb_layouts() -> None:
    hrs = "Par\tInst\tMakespan\tDate\n====\n1\t1\t77\t\tTue Apr  2 1996  R. Kolisch\n48\t10\t70\t\tx\n"
    assert parse_result_table(hrs) == {(1, 1): 77, (48, 10): 70}
    lb = "Par  Inst    UB   LB         Author LB\n 41   7   132   132    *    Schutt\n  1   2    68    65    Klein\n"
    assert parse_result_table(lb) == {(41, 7): 132, (1, 2): 68}


def test_result_table_refuses_a_row_without_a_makespan() -> None:
    with pytest.raises(InvalidInputError, match=r"line 2: expected 'parameter instance makespan'"):
        parse_result_table("header\n1 1 x 0.3\n")


def test_result_table_refuses_a_duplicate_row() -> None:
    with pytest.raises(InvalidInputError, match=r"line 2: parameter 1 instance 1 is listed twice"):
        parse_result_table("1 1 43 0.3\n1 1 44 0.3\n")


# -- malformed text --------------------------------------------------------------------------


def _lines() -> list[str]:
    return _text("j301_1.sm").splitlines()


def _line_index(lines: list[str], pattern: str) -> int:
    return next(index for index, line in enumerate(lines) if re.match(pattern, line))


def _error(text: str) -> str:
    with pytest.raises(InvalidInputError) as caught:
        parse_sm(text)
    message = str(caught.value)
    assert re.match(r"line \d+: ", message), message
    return message


def test_a_garbled_number_names_its_line() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+5\s+1\s+3\s+3\s+0")  # job 5's request row
    lines[index] = lines[index].replace(" 3 ", " x ", 1)
    message = _error("\n".join(lines))
    assert message.startswith(f"line {index + 1}: expected whole numbers in REQUESTS/DURATIONS")


def test_a_wrong_successor_count_names_its_line() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+2\s+1\s+3\s+6\s+11\s+15")
    lines[index] = "   2        1          4           6  11  15"
    message = _error("\n".join(lines))
    assert message == f"line {index + 1}: job 2 declares 4 successors but lists 3"


def test_a_missing_job_row_is_reported() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+7\s+1\s+5\s+4")  # job 7's request row
    del lines[index]
    message = _error("\n".join(lines))
    assert "REQUESTS/DURATIONS has no row for job 7" in message


def test_a_successor_outside_the_jobs_names_its_line() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+5\s+1\s+1\s+20")
    lines[index] = "   5        1          1          40"
    assert _error("\n".join(lines)) == f"line {index + 1}: job 5 has successor 40, which is not another job of 1..32"


def test_multi_mode_rows_are_refused() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+3\s+1\s+3\s+7\s+8\s+13")
    lines[index] = "   3        2          3           7   8  13"
    message = _error("\n".join(lines))
    assert message.startswith(f"line {index + 1}: job 3 has 2 modes")


def test_a_short_demand_row_names_its_line() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+9\s+1\s+2\s+6")
    lines[index] = "  9      1     2       6    0    0"
    message = _error("\n".join(lines))
    assert message.startswith(f"line {index + 1}: job 9 has 3 resource demands")


def test_a_negative_duration_names_its_line() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+9\s+1\s+2\s+6")
    lines[index] = "  9      1    -2       6    0    0    0"
    assert _error("\n".join(lines)) == f"line {index + 1}: job 9 has a negative duration (-2)"


def test_a_missing_section_is_reported_at_the_end() -> None:
    lines = _lines()
    index = _line_index(lines, r"^RESOURCEAVAILABILITIES")
    text = "\n".join(lines[:index])
    message = _error(text)
    assert message == f"line {index}: missing the RESOURCEAVAILABILITIES section"


def test_a_missing_jobs_header_is_reported() -> None:
    lines = [line for line in _lines() if not line.startswith("jobs (incl.")]
    assert "missing the 'jobs (incl. supersource/sink ):' header" in _error("\n".join(lines))


def test_a_garbled_header_value_names_its_line() -> None:
    lines = _lines()
    index = _line_index(lines, r"^horizon")
    lines[index] = "horizon                       :  many"
    assert _error("\n".join(lines)).startswith(f"line {index + 1}: expected a whole number after ':' for the horizon")


def test_a_job_listed_twice_names_its_line() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+4\s+1\s+3\s+5\s+9\s+10")
    lines.insert(index + 1, lines[index])
    assert _error("\n".join(lines)).startswith(f"line {index + 2}: job 4 is listed twice in PRECEDENCE RELATIONS")


def test_a_negative_capacity_names_its_line() -> None:
    lines = _lines()
    index = _line_index(lines, r"^\s+12\s+13\s+4\s+12\s*$")
    lines[index] = "   12   13   -4   12"
    assert _error("\n".join(lines)) == f"line {index + 1}: a resource capacity is negative"


def test_empty_text_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="missing the 'jobs"):
        parse_sm("")
