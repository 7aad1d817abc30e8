"""Planner: a terminal planner for one person or a team."""

__version__ = "0.1.0"
