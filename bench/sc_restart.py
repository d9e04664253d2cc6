"""Scenario 1, restart latency: SIGKILL a service that has run > 1.5 s and
time the kill to its replacement's first instruction; then kill that
replacement at 0.2 s uptime and time again."""

import os
import signal
import time

import lib
import peers

TITLE = "1. Restart latency"


def sleep_until(ns):
    d = (ns - lib.now()) / 1e9
    if d > 0:
        time.sleep(d)


def kill_and_time(p, sid, pid):
    t = lib.now()
    os.kill(pid, signal.SIGKILL)
    rec = p.st.wait_new(sid, t, 5)
    return (rec[0] - t, rec) if rec else (None, None)


def measure(p, n, budget_s):
    long_up, short_up = [], []
    end = time.monotonic() + budget_s
    for i in range(n):
        if time.monotonic() > end:
            lib.log("%s: %d s budget spent after %d samples" % (p.label, budget_s, i))
            break
        sid = "r%d" % i
        ns, pid = p.st.last[sid]
        # A cgroup migration right after another is cheap, one on a quiet
        # system waits for an RCU grace period (~10 ms here): leave 0.3 s
        # after the last start, as for a crash out of the blue.
        p.st.poll()
        sleep_until(max(ns + 1_600_000_000, p.st.all[-1][0] + 300_000_000))
        lat, rec = kill_and_time(p, sid, pid)
        long_up.append(lat)
        if rec is None:
            continue
        sleep_until(rec[0] + 200_000_000)
        lat, rec = kill_and_time(p, sid, rec[1])
        short_up.append(lat)
        if rec is None:
            break
    return long_up, short_up


def run(ctx):
    n = int(os.environ.get("BENCH_SAMPLES") or (3 if lib.QUICK else 20))
    raw, rows_long, rows_short = {}, [], []
    for cls in peers.ALL:
        if cls is peers.Supd and not ctx["supd"]:
            rows_long.append((cls.name, None, "supd: not built"))
            rows_short.append((cls.name, None, "supd: not built"))
            continue
        lib.log("restart:", cls.name)
        svcs = [peers.Svc("r%d" % i, ["sleep"]) for i in range(n)]
        with peers.running(cls, ctx["work"], svcs) as p:
            lu, su = measure(p, n, 30 if lib.QUICK else 120) if p.started else ([], [])
        raw[cls.key] = {"long_uptime_ns": lu, "short_uptime_ns": su, "delays": cls.delays}
        rows_long.append((cls.name, lib.summary(lu), ""))
        rows_short.append((cls.name, lib.summary(su), cls.delays))
    lib.table(TITLE + ", killed after > 1.5 s uptime", "ms", rows_long)
    lib.table(TITLE + ", killed at 0.2 s uptime", "ms", rows_short)
    targets = []
    for label, rows in (("> 1.5 s", rows_long), ("0.2 s", rows_short)):
        targets.append(lib.ratio_target("restart (%s uptime) <= 1.2x floor" % label,
                                    rows, "floor (fork+exec)", 1.2))
    return {"raw": raw, "targets": targets, "samples_per_peer": n}

