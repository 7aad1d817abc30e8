"""`python -m planner` runs the CLI."""

from planner.cli.main import run

if __name__ == "__main__":
    run()
