"""The daily queue: ranking, the capacity cut, schedule slack, the day's plan."""
