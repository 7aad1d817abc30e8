"""Work management: workflows and the board, streams, sprints, time tracking."""
