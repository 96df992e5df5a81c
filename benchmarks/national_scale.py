"""National scale, parent side: runs every workload of ``national.py`` in its own Python process under
safety limits (``run_child_guarded``), then records time and peak memory against the targets: sparsity
plus the five analyses <= 30 s in all, every workload <= 2 GiB peak resident memory."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from pathlib import Path

import national
from common import GIB, mib, record, say, secs
from national_workloads import ANALYSES, WORKLOADS

NATIONAL_SECONDS = 30.0    # target: national-scale analyses <= 30 s in all
NATIONAL_BYTES = 2 * GIB   # and <= 2 GiB peak memory each
# Safety limits for the national children (they are not targets): a runaway workload is stopped
# before it can take the machine's memory.
CHILD_AS_LIMIT = 8 * GIB   # RLIMIT_AS: a larger allocation fails with MemoryError and a traceback
CHILD_RSS_LIMIT = 4 * GIB  # watchdog on resident memory
CHILD_SECONDS = 600


def run_child_guarded(name: str, data: Path, work: Path, **kw) -> dict:
    """``national.run_child`` with safety limits: address space, resident memory and time.

    Returns the child's result, or {"failed": reason, "wall": ..., "peak_rss_kib": ...}."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_AS_LIMIT, CHILD_AS_LIMIT))

    stop = threading.Event()
    state = {"killed": None, "max_rss": 0}

    def watchdog(pid_holder):
        started = time.perf_counter()
        while not stop.wait(0.02):
            pid = pid_holder.get("pid")
            if pid is None:
                continue
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return
            m = re.search(r"VmRSS:\s+(\d+) kB", status)
            rss = int(m.group(1)) * 1024 if m else 0
            state["max_rss"] = max(state["max_rss"], rss)
            if rss > CHILD_RSS_LIMIT or time.perf_counter() - started > CHILD_SECONDS:
                state["killed"] = (f"stopped by the benchmark: resident memory {mib(rss)} > {mib(CHILD_RSS_LIMIT)}"
                                   if rss > CHILD_RSS_LIMIT else f"stopped by the benchmark after {CHILD_SECONDS} s")
                os.kill(pid, signal.SIGKILL)  # only the child this benchmark started
                return

    holder: dict = {}
    thread = threading.Thread(target=watchdog, args=(holder,), daemon=True)
    thread.start()
    started = time.perf_counter()
    try:
        return national.run_child(name, data, work, preexec_fn=limit,
                                  on_start=lambda pid: holder.__setitem__("pid", pid), **kw)
    except RuntimeError as exc:
        reason = state["killed"] or str(exc).strip().splitlines()[-1]
        return {"failed": reason, "log": str(exc), "wall": time.perf_counter() - started,
                "peak_rss_kib": state["max_rss"] // 1024}
    finally:
        stop.set()
        thread.join()


LABELS = {
    "sparsity": "national (a) sparsity: 290 municipalities, 2 017 tätorter, grid distances",
    "generate": "national (b) generate the synthetic national survey, 100 000 respondents (setup)",
    "headline_indicators": "national (b) headline_indicators",
    "indicators_by_municipality": "national (b) indicators_by_municipality (290 municipalities)",
    "collapsed_by_municipality": "national (b) collapsed_by_municipality (distance and form)",
    "distance_form_test": "national (b) distance_form_test (1 999 bootstrap resamples)",
    "cramers_v_bootstrap": "  … of which the two Cramér's V bootstraps alone (2 × 1 999 resamples, as in distance_form_test)",
    "remote_preference_model": "national (b) remote_preference_model",
}


def measure_national(data: Path, tmp: Path, trace: bool) -> dict:
    work = tmp / "national"
    work.mkdir()
    say("== national scale: each workload in its own process; time = the analysis call only, "
        "process = whole child incl. start-up and loading")
    results = {}
    for name in WORKLOADS:
        r = run_child_guarded(name, data, work)
        if "failed" not in r and trace:
            t = run_child_guarded(name, data, work, trace=True)
            r["tracemalloc_peak"] = t.get("tracemalloc_peak")
        results[name] = r
        if "failed" in r:
            say(f"  {name}: FAILED after {secs(r['wall'])} ({r['failed']})")
            for line in r["log"].splitlines()[1:]:
                say(f"      | {line}")
        else:
            extra = f", tracemalloc peak {mib(r['tracemalloc_peak'])}" if r.get("tracemalloc_peak") else ""
            say(f"  {name}: {secs(r['seconds'])} (process {secs(r['wall'])}), peak RSS "
                f"{mib(r['peak_rss_kib'], kib=True)}{extra}")
            for line in r.get("info", []):
                say(f"      {line}")
        if name == "generate" and "failed" in r:
            say("  the analyses need the national survey; skipping them")
            break

    for name, r in results.items():
        if "failed" in r:
            record(LABELS[name], f"FAILED after {secs(r['wall'])}: {r['failed']}", "≤ 2 GiB RSS", False,
                   f"national:{name}")
            continue
        value = (f"{secs(r['seconds'])} (process {secs(r['wall'])}); peak RSS {mib(r['peak_rss_kib'], kib=True)}"
                 + (f", tracemalloc {mib(r['tracemalloc_peak'])}" if r.get("tracemalloc_peak") else ""))
        ok = r["peak_rss_kib"] * 1024 <= NATIONAL_BYTES
        record(LABELS[name], value, "≤ 2 GiB RSS", ok, f"national-mem:{name}")

    timed = ["sparsity", *ANALYSES]
    done = [n for n in timed if n in results and "failed" not in results[n]]
    total = sum(results[n]["seconds"] for n in done)
    if len(done) == len(timed):
        record("national scale: sparsity + the 5 analyses, total time", secs(total), f"≤ {NATIONAL_SECONDS:.0f} s",
               total <= NATIONAL_SECONDS, "national-time")
    else:
        missing = [n for n in timed if n not in done]
        record("national scale: sparsity + the 5 analyses, total time",
               f"not measurable ({', '.join(missing)} did not finish); the others: {secs(total)}",
               f"≤ {NATIONAL_SECONDS:.0f} s", False, "national-time")
    peak = max((r.get("peak_rss_kib", 0) for r in results.values()), default=0)
    failed_mem = [n for n, r in results.items() if "failed" in r]
    record("national scale: peak RSS, largest workload" + (" that finished" if failed_mem else ""),
           mib(peak, kib=True) + (f"; {', '.join(failed_mem)} did not finish" if failed_mem else ""),
           "≤ 2 GiB", peak * 1024 <= NATIONAL_BYTES and not failed_mem)
    if "generate" in results and "failed" not in results["generate"]:
        g = results["generate"]
        record("national: generation + sparsity + analyses, total time",
               secs(total + g["seconds"]) if len(done) == len(timed) else "not measurable")
    return {"results": results, "work": work}
