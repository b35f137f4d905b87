"""The development clock: real time plus an offset kept in one small JSON file that every
process of a `make run` instance reads, so an operator can move time for the whole platform at
once (`POST /api/v1/dev/clock`) and walk through the 30-day notice, contract limits, SLAs,
listing terms and report windows in minutes. Off unless DEV_CLOCK_FILE is set; the Helm chart
never sets it. Time only moves forward: a deadline that has passed stays passed."""

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.common.clock import Clock, SystemClock

MAX_STEP = timedelta(days=400)


class OffsetClock:
    """`now()` = the system time + the file's offset; re-read only when the file changes
    (it is replaced, never rewritten in place, so its inode tells)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._seen: tuple[int, int] | None = None
        self._offset = timedelta(0)

    def offset(self) -> timedelta:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return timedelta(0)
        if (stat.st_ino, stat.st_mtime_ns) != self._seen:
            self._offset = read_offset(self.path)
            self._seen = (stat.st_ino, stat.st_mtime_ns)
        return self._offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset()


def read_offset(path: str | Path) -> timedelta:
    try:
        return timedelta(seconds=float(json.loads(Path(path).read_text())["offset_seconds"]))
    except FileNotFoundError:
        return timedelta(0)


def write_offset(path: str | Path, offset: timedelta) -> None:
    """Replace the file atomically (readers see the old or the new offset, never half)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"offset_seconds": offset.total_seconds()}))
    os.replace(tmp, path)


def advance(path: str | Path, step: timedelta) -> timedelta:
    """Move the platform forward by `step` (0 < step ≤ 400 days); returns the new offset."""
    if not timedelta(0) < step <= MAX_STEP:
        raise ValueError(f"a step must be more than 0 and at most {MAX_STEP.days} days")
    offset = read_offset(path) + step
    write_offset(path, offset)
    return offset


def clock_for(settings) -> Clock:
    path = getattr(settings, "dev_clock_file", "")
    return OffsetClock(path) if path else SystemClock()
