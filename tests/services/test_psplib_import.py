"""PSPLIB instances imported as projects and leveled through the services (both backends)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from planner.domain.errors import ConflictError, InvalidInputError
from planner.services.interchange.psplib import import_psplib
from planner.services.planning.schedule import schedule_project

DATA = Path(__file__).parent.parent / "data" / "psplib-import"
OPTIMA = {"j301_1.sm": 43, "j304_1.sm": 49}


def _instance(name: str):
    from planner.domain.psplib import parse_sm

    return parse_sm((DATA / name).read_text())


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_imported_instance_levels_to_a_feasible_schedule_no_shorter_than_the_optimum(ctx, name):
    result = import_psplib(ctx, DATA / name, "rcpsp")
    instance = _instance(name)
    assert result.tasks == len(instance.jobs) - 2 and result.start.weekday() == 0
    unleveled = schedule_project(ctx, "rcpsp")
    assert unleveled.makespan_days == instance.mpm_time  # offsets equal PSPLIB periods
    leveled = schedule_project(ctx, "rcpsp", level=True)
    by_job = {int(t.external_id.rsplit(":", 1)[1]): t for t in leveled.tasks}
    jobs = {job.number: job for job in instance.jobs}
    usage: dict[tuple[int, int], int] = defaultdict(int)
    for number, task in by_job.items():
        assert task.ef - task.es == jobs[number].duration
        for successor in jobs[number].successors:
            if successor in by_job:
                assert by_job[successor].es >= task.ef
        for day in range(task.es, task.ef):
            for resource, units in enumerate(jobs[number].demands):
                usage[(resource, day)] += units
    for (resource, _day), used in usage.items():
        assert used <= instance.capacities[resource]
    assert OPTIMA[name] <= leveled.makespan_days <= OPTIMA[name] * 1.1
    assert leveled.to_json()["makespan_days"] == leveled.makespan_days


def test_import_refuses_an_existing_project_and_a_malformed_file(ctx, tmp_path):
    import_psplib(ctx, DATA / "j301_1.sm", "rcpsp")
    with pytest.raises(ConflictError):
        import_psplib(ctx, DATA / "j301_1.sm", "rcpsp")
    bad = tmp_path / "bad.sm"
    bad.write_text("jobs (incl. supersource/sink ):  nonsense\n")
    with pytest.raises(InvalidInputError):
        import_psplib(ctx, bad, "other")
    from planner.services.queries import list_projects

    assert [p.key for p in list_projects(ctx)] == ["rcpsp"]
