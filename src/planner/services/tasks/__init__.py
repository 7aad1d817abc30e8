"""Tasks: adding, editing, status changes, links and recurring series."""
