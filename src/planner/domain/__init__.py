"""Pure rules: dates, calendars, scheduling, recurrence, ranking, filters. No I/O."""
