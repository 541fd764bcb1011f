"""The planning rules of a programme: the ones its coordinator last planned with, or
defaults from its settings. The planner, rescheduling and confirming a poll use the same."""

from datetime import date, timedelta

from django.utils import timezone


def default_rules(programme) -> dict:
    # Never in the past: a running programme is planned from tomorrow on.
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = max(programme.starts_on or tomorrow, tomorrow)
    # A year later; from 29 February that is 28 February.
    day = min(start.day, 28) if start.month == 2 else start.day
    end = programme.ends_on or date(start.year + 1, start.month, day)
    return {
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "weekdays": [0, 1, 2, 3],
        "start_times": ["09:30", "13:30", "15:30"],
        "min_gap_days": max(7, programme.interval_weeks * 7 - 14),
        "max_gap_days": programme.interval_weeks * 7 + 21,
        "meeting_count": programme.meeting_count,
        "time_limit": 20,
    }


def rules_in_force(programme) -> dict:
    latest = programme.planning_runs.exclude(rules={}).first()
    return {**default_rules(programme), **(latest.rules if latest else {})}
