"""Project plans: projects, the schedule, baselines, forecasts, progress and workload."""
