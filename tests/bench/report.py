"""The benchmark report: every figure with its baseline measured in the same run, the ratio and
whether the target is met; written to docs/performance.json (with machine, date and commit) and
as tables into docs/performance.md between the generated-figures markers."""

import json
import math
import os
import platform
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JSON_PATH, MD_PATH = ROOT / "docs" / "performance.json", ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin (written by make bench) -->", "<!-- bench:end -->"


def pct(values: list[float], q: float) -> float:
    """The q-quantile; NaN when nothing was measured (the line then reports the target missed)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else math.nan


async def timed(call, runs: int = 12) -> tuple[list[float], object]:
    """`runs` timings (ms) of an async call after one untimed call (connections opened, caches
    warm at every size alike), and the last result."""
    times, result = [], await call()
    for _ in range(runs):
        started = time.perf_counter()
        result = await call()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def p50(values):
    return statistics.median(values) if values else math.nan


class Report:
    def __init__(self):
        self.rows: list[dict] = []
        self.started, self.commit = datetime.now(UTC), _commit()   # the code measured: HEAD when the run began

    def add(self, section: str, figure: str, value: float, unit: str, baseline: str = "", base: float | None = None,
            target: str = "", met: bool | None = None, note: str = "") -> None:
        ratio = value / base if base else None
        self.rows.append({"section": section, "figure": figure, "value": round(value, 3), "unit": unit,
                          "baseline": baseline, "baseline_value": round(base, 3) if base is not None else None,
                          "ratio": round(ratio, 3) if ratio is not None else None, "target": target,
                          "met": met, "note": note})
        shown = f"{value:,.2f} {unit}" + (f" vs {baseline} {base:,.2f} -> {ratio:.2f}x" if ratio else "")
        print(f"\n[bench] {section}: {figure}: {shown}" + (f" (target {target}: {_met(met)})" if target else ""))

    def write(self) -> None:
        if not self.rows:
            return
        meta = {"date": self.started.isoformat(timespec="seconds"), "minutes": round(
            (datetime.now(UTC) - self.started).total_seconds() / 60, 1), "machine": _machine(), "commit": self.commit}
        JSON_PATH.write_text(json.dumps({**meta, "figures": self.rows}, ensure_ascii=False, indent=1) + "\n")
        doc = MD_PATH.read_text() if MD_PATH.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
        head, _, rest = doc.partition(BEGIN)
        _, _, tail = rest.partition(END)
        MD_PATH.write_text(head + BEGIN + "\n" + _tables(meta, self.rows) + END + tail)


def _met(met) -> str:
    return "—" if met is None else "met" if met else "**missed**"


def _tables(meta: dict, rows: list[dict]) -> str:
    out = [f"Measured {meta['date']} ({meta['minutes']} minutes) on {meta['machine']}, commit "
           f"`{meta['commit']}` (figures in docs/performance.json).\n"]
    for section in dict.fromkeys(r["section"] for r in rows):
        out += [f"\n#### {section}\n", "| figure | value | baseline (same run) | ratio | target | |",
                "|---|---|---|---|---|---|"]
        for r in (r for r in rows if r["section"] == section):
            base = f"{r['baseline']} {r['baseline_value']:,} {r['unit']}" if r["baseline_value"] is not None else ""
            ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else ""
            note = f" ({r['note']})" if r["note"] else ""
            out.append(f"| {r['figure']}{note} | {r['value']:,} {r['unit']} | {base} | {ratio} | {r['target']} | "
                       f"{_met(r['met']) if r['target'] else ''} |")
    return "\n".join(out) + "\n"


def _machine() -> str:
    cpus = os.cpu_count()
    try:
        load = f", load {os.getloadavg()[0]:.1f}"
    except OSError:
        load = ""
    return f"{platform.node()} ({platform.machine()}, {cpus} CPUs{load}, Python {platform.python_version()})"


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip() or "unknown"
    except OSError:
        return "unknown"
