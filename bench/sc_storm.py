"""Scenario 6, crash storm: 200 services that exit at once and restart with
no delay and no start limit, for 20 s: the supervisor's CPU share, the
starts per second it sustains, and the p50/p99 of its status command
during the storm."""

import time

import lib
import peers

N = 200


def storm(p, window_s, grace_s, gap_s=0.02):
    """CPU of the supervisor's long-lived processes over window_s while
    timing its status command back to back (gap_s apart)."""
    pids = [x for x in p.sup_pids() if lib.alive(x)]
    cpu0 = {x: lib.proc_cpu_ns(x) for x in pids}
    p.st.poll()
    starts0, t0 = len(p.st.all), time.monotonic()
    status, lost, argv = [], 0, p.status_argv()
    while time.monotonic() - t0 < window_s:
        if argv:    # no answer within the window plus grace_s counts as that long
            limit = window_s - (time.monotonic() - t0) + grace_s
            ns = lib.time_cmd(argv, env=p.status_env(), timeout=limit)
            lost += ns is None
            status.append(ns if ns is not None else int(limit * 1e9))
        time.sleep(gap_s)
        lib.reap()
    wall = time.monotonic() - t0
    p.st.poll()
    # A pid that died in the window (a respawned per-service supervisor)
    # has lost its counters: count only the survivors, and say how many.
    alive = [x for x in pids if lib.alive(x)]
    ns = sum(lib.proc_cpu_ns(x) - cpu0[x] for x in alive)
    return {"cpu_pct": 100.0 * ns / 1e9 / wall, "window_s": wall,
            "starts_per_s": (len(p.st.all) - starts0) / wall, "status_ns": status,
            "status_lost": lost, "procs": len(pids), "procs_lost": len(pids) - len(alive)}


def run(ctx):
    window, start_s, grace = (3, 3, 1) if lib.QUICK else (20, 10, 5)
    raw, rows = {}, []
    for cls in peers.ALL:
        if cls is peers.Supd and not ctx["supd"]:
            rows.append((cls.name, None, "supd: not built"))
            continue
        lib.log("storm:", cls.name)
        svcs = [peers.Svc("c%d" % i, ["exit", "1"]) for i in range(N)]
        t = time.monotonic()
        # The storm starts with the supervisor: a peer still starting its
        # services after start_s is measured as it is.
        with peers.running(cls, ctx["work"], svcs, start_timeout=start_s) as p:
            lib.log("storm: %s started %d services in %.1f s"
                    % (cls.name, len(p.st.first), time.monotonic() - t))
            r = storm(p, window, grace) if p.st.first else None
            if r:
                r["services_started"] = len(p.st.first)
            t = time.monotonic()
        lib.log("storm: %s stopped in %.1f s" % (cls.name, time.monotonic() - t))
        raw[cls.key] = r
        rows.append((cls.name, r, cls.delays))
    print("\n6. Crash storm: %d services exiting at once, %d s" % (N, window))
    print("  %-22s%10s%10s%11s%11s%6s%6s  %s" % ("peer", "CPU %", "starts/s", "status p50",
                                                 "status p99", "n", "lost", "note"))
    for name, r, note in rows:
        if r is None:
            print("  %-22s%10s%10s%11s%11s%6s%6s  %s" % (name, "-", "-", "-", "-", "-", "-", note))
            continue
        st = lib.summary(r["status_ns"])
        lost = r["status_lost"]
        print("  %-22s%10.1f%10.0f%11s%11s%6d%6s  %s" % (
            name, r["cpu_pct"], r["starts_per_s"], lib.fmt(st["median"], "ms"),
            lib.fmt(st["p99"], "ms"), st["n"], lost if r["status_ns"] else "-",
            note + ("" if r["services_started"] == N else
                    " (%d of %d started)" % (r["services_started"], N))))
    print("  * CPU %%: of one core, the supervisor's own processes; status in ms;"
          " lost: status commands with no answer within the storm + %d s" % grace)
    s = raw.get("supd")
    p99 = lib.pct(s["status_ns"], 99) if s else None
    targets = [lib.target_line("storm: status p99 <= 50 ms",
                               "%s ms (CPU %.0f%%)" % (lib.fmt(p99, "ms"), s["cpu_pct"]) if s else None,
                               p99 <= 50e6 if p99 is not None else None)]
    return {"raw": raw, "targets": targets, "services": N}
