"""Scenarios 3-5 on one fleet of N services running `sleep` (the stamp
program stamps, then sleeps), N = 100 and 1000:
4. cold start: from launching the supervisor to the Nth service's first
   instruction (peers are launched one after another and left running;
   the cheap starts are repeated first: every peer at N=100, the floor and
   supd at every N);
3. idle cost: once every peer runs, their RSS and PSS (all their processes,
   services excluded), context switches over 30 s and CPU over 60 s, all
   peers measured in the same window;
5. control latency: the status of all services, median of 30 runs."""

import contextlib
import time

import lib
import peers

SIZES = [100, 1000]


def cold_start(p):
    if not p.started:
        return None
    return max(p.st.first.values()) - p.t0


def idle(running, ctx_s, cpu_s):
    """Per peer: processes, RSS, PSS, context switches over ctx_s and CPU
    ticks over cpu_s (all peers in the same window)."""
    pids = {p.label: p.sup_pids() for p in running}
    out = {}
    for label, ps in pids.items():
        mem = [lib.proc_mem(x) for x in ps]
        out[label] = {"procs": len(ps), "rss": sum(m[0] for m in mem),
                      "pss": sum(m[1] for m in mem),
                      "ctx0": sum(lib.proc_ctx(x) for x in ps),
                      "cpu0": sum(lib.proc_cpu_ns(x) for x in ps)}
    time.sleep(ctx_s)
    for label, ps in pids.items():
        out[label]["ctx"] = sum(lib.proc_ctx(x) for x in ps) - out[label].pop("ctx0")
    time.sleep(cpu_s - ctx_s)
    for label, ps in pids.items():
        ns = sum(lib.proc_cpu_ns(x) for x in ps) - out[label].pop("cpu0")
        out[label]["cpu_ms"] = ns / 1e6
    return out


def one_size(ctx, n, ctx_s, cpu_s, runs, budget_s, reps):
    cold, control, skipped = {}, {}, {}
    with contextlib.ExitStack() as stack:
        running = []
        for cls in peers.ALL:
            if cls is peers.Supd and not ctx["supd"]:
                skipped[cls.name] = "supd: not built"
                continue
            lib.log("fleet N=%d: starting %s" % (n, cls.name))
            svcs = [peers.Svc("f%d" % i, ["sleep"]) for i in range(n)]
            # One start is a noisy sample: repeat the cheap ones.
            cheap = n <= 100 or cls in (peers.Floor, peers.Supd)
            samples = []
            for _ in range(reps - 1 if cheap else 0):
                with peers.running(cls, ctx["work"], svcs, start_timeout=60 + n // 10) as p:
                    samples.append(cold_start(p))
            p = stack.enter_context(peers.running(cls, ctx["work"], svcs,
                                                  start_timeout=60 + n // 10))
            cold[p.label] = samples + [cold_start(p)]
            running.append(p)
        lib.log("fleet N=%d: idle window %d s" % (n, cpu_s))
        time.sleep(2)
        idl = idle(running, ctx_s, cpu_s)
        for p in running:
            if p.status_argv():
                lib.log("fleet N=%d: status of %s" % (n, p.label))
                control[p.label] = lib.repeat_cmd(p.status_argv(), runs, budget_s,
                                                  env=p.status_env())
        lib.log("fleet N=%d: stopping" % n)
    return cold, idl, control, skipped


def tables(n, cold, idl, control, skipped):
    odd = "" if n in (100, 1000) else " (N=1000's)"
    rows = [(k, lib.summary(v) if any(v) else None, "") for k, v in cold.items()]
    rows += [(k, None, v) for k, v in skipped.items()]
    lib.table("4. Cold start, N=%d (launch to the Nth first instruction)" % n, "ms",
              rows, cols=("median", "min"))
    tg = [lib.ratio_target("cold start N=%d <= 1.2x floor" % n, rows, "floor (fork+exec)", 1.2)]

    print("\n3. Idle cost, N=%d, supervisor processes only (services excluded)" % n)
    print("  %-22s%7s%10s%10s%12s%14s" % ("peer", "procs", "RSS MiB", "PSS MiB",
                                          "ctxsw/%ds" % idl["_ctx_s"], "CPU ms/%ds" % idl["_cpu_s"]))
    for k, v in idl.items():
        if not k.startswith("_"):
            print("  %-22s%7d%10.2f%10.2f%12d%14.3f" % (k, v["procs"], v["rss"] / lib.MIB,
                                                        v["pss"] / lib.MIB, v["ctx"], v["cpu_ms"]))
    s = idl.get("supd")
    rss_limit = 2 if n <= 100 else 8
    tg.append(lib.target_line("idle N=%d: 0 context switches, 0 CPU" % n,
                              "%d ctxsw, %.3f ms CPU" % (s["ctx"], s["cpu_ms"]) if s else None,
                              (s["ctx"] == 0 and s["cpu_ms"] == 0) if s else None))
    tg.append(lib.target_line("RSS N=%d <= %d MiB%s" % (n, rss_limit, odd), "%.2f MiB" % (s["rss"] / lib.MIB) if s else None,
                              s["rss"] <= rss_limit * lib.MIB if s else None))

    rows = [(k, lib.summary(v), "") for k, v in control.items()]
    rows += [(k, None, v) for k, v in skipped.items()]
    rows.append(("floor (fork+exec)", None, "no control interface"))
    lib.table("5. Control latency, N=%d (status of all services, wall time of the command)"
              % n, "ms", rows)
    limit = 3 if n <= 100 else 10
    med = lib.pct(control.get("supd", []), 50)
    tg.append(lib.target_line("status N=%d <= %d ms%s" % (n, limit, odd),
                              lib.fmt(med, "ms") + " ms" if med else None,
                              med <= limit * 1e6 if med else None))
    return tg


def run(ctx):
    q = lib.QUICK
    ctx_s, cpu_s = (4, 8) if q else (30, 60)
    runs, budget = (10, 3) if q else (30, 10)
    reps = 2 if q else 3
    raw, targets = {}, []
    for n in SIZES if not q else [100, 300]:
        cold, idl, control, skipped = one_size(ctx, n, ctx_s, cpu_s, runs, budget, reps)
        idl["_ctx_s"], idl["_cpu_s"] = ctx_s, cpu_s
        raw[str(n)] = {"cold_start_ns": cold, "idle": idl, "status_ns": control}
        targets += tables(n, cold, idl, control, skipped)
    return {"raw": raw, "targets": targets}
