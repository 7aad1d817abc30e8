"""Textual screens of the Planner app: daily queue, board, Gantt, and the modals they open."""
