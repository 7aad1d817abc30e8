"""Team use cases: named groups of people (`planner team add design ana bo`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import select

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.store import people_views
from planner.store.models import Resource, Team, TeamMember
from planner.store.uow import UnitOfWork


@dataclass(slots=True)
class TeamInfo:
    """A team and the handles of its members."""

    name: str
    members: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The team as JSON."""
        return {"name": self.name, "members": self.members}


def _team(uow: UnitOfWork, name: str) -> Team:
    found = uow.first(select(Team).where(Team.name == name.strip().lower()))
    if found is None:
        raise NotFoundError(f"no team {name!r}: `planner team ls` lists them, `planner team add {name} HANDLE...` "
                            "creates one")
    return found


def _members(uow: UnitOfWork, team: Team) -> list[str]:
    rows = uow.all(select(Resource.handle).join(TeamMember, TeamMember.resource_id == Resource.id)
                   .where(TeamMember.team_id == team.id).order_by(Resource.handle))
    return [str(handle) for handle in rows]


def add_to_team(ctx: Context, name: str, handles: list[str], *, create: bool = False) -> TeamInfo:
    """Create a team (on first use) and add people to it; unknown handles are refused unless ``create``."""
    key = lookup.validate_key(name, "team name")
    with ctx.uow() as uow:
        team = uow.first(select(Team).where(Team.name == key)) or uow.add(Team(name=key))
        for handle in handles:
            yourself = handle.strip().lower() == uow.actor.strip().lower()
            resource = lookup.resource_or_create(uow, handle) if create or yourself else lookup.resource(uow, handle)
            exists = uow.first(select(TeamMember).where(TeamMember.team_id == team.id,
                                                        TeamMember.resource_id == resource.id))
            if exists is None:
                uow.add(TeamMember(team_id=team.id, resource_id=resource.id))
        info = TeamInfo(team.name, _members(uow, team))
        uow.commit()
        return info


def remove_from_team(ctx: Context, name: str, handles: list[str] | None = None) -> TeamInfo | None:
    """Take people out of a team; without handles, delete the team (returns None)."""
    with ctx.uow() as uow:
        team = _team(uow, name)
        if not handles:
            for member in uow.all(select(TeamMember).where(TeamMember.team_id == team.id)):
                uow.delete(member)
            uow.delete(team)
            uow.commit()
            return None
        for handle in handles:
            resource = lookup.resource(uow, handle)
            member = uow.first(select(TeamMember).where(TeamMember.team_id == team.id,
                                                        TeamMember.resource_id == resource.id))
            if member is None:
                raise InvalidInputError(f"{resource.handle} is not in team {team.name!r}")
            uow.delete(member)
        info = TeamInfo(team.name, _members(uow, team))
        uow.commit()
        return info


def list_teams(ctx: Context) -> list[TeamInfo]:
    """Every team with its members."""
    with ctx.uow() as uow:
        return [TeamInfo(team.name, _members(uow, team)) for team in uow.all(select(Team).order_by(Team.name))]


def team_members(ctx: Context, name: str) -> list[str]:
    """The handles of a team's members (read side, no ORM), or NotFoundError."""
    with ctx.reader() as conn:
        team_id = people_views.team_id(conn, name.strip().lower())
        if team_id is None:
            raise NotFoundError(f"no team {name!r}: `planner team ls` lists them, "
                                f"`planner team add {name} HANDLE...` creates one")
        return people_views.team_member_handles(conn, team_id)


def team_of(ctx: Context, handle: str) -> str | None:
    """The first team (by name) ``handle`` belongs to, None when they belong to none."""
    with ctx.reader() as conn:
        return people_views.first_team_of(conn, handle.strip().lower())
