"""CPU time and resident memory of a process, from /proc."""

import os

WINDOW = 60.0   # seconds over which CPU at rest is measured (the 60 s)
LOOP_WINDOW = 10.0   # the delivery loop at rest, polling (before) vs event-driven (now)


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
