"""The Typer command line: parses arguments, calls services, renders."""
