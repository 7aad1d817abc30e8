"""People and their time: resources, teams, calendars and vacations."""
