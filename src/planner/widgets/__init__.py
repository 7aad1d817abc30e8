"""Reusable Textual widgets: Line API views (Gantt chart, board, queue table) and the bars around them."""
