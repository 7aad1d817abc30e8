"""Use cases: the one API every face (CLI, TUI, digest, cron) calls."""
