"""Working-day arithmetic (Mon–Fri; pure)."""

from datetime import datetime, timedelta


def add_working_days(start: datetime, days: int) -> datetime:
    """The same time of day `days` working days after `start` (weekends are skipped)."""
    moment, left = start, days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment
