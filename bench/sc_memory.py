"""Scenario 2, memory limit reaction: a service touches 80 MiB, then grows
10 MiB/s past a 100 MiB limit; time from crossing the limit to the
replacement's first instruction.  The service records when it crossed
(touched memory plus its starting RSS reached the limit) or, killed
before that by a memcg charge that includes its page tables, the last
page it touched."""

import os
import time

import lib
import peers

TITLE = "2. Memory limit reaction"
BASE, RATE, LIMIT = 80, 10, 100


def progress(progdir, sid, pid):
    try:
        with open(os.path.join(progdir, "%s.%d" % (sid, pid))) as f:
            t_last, touched, t_cross = (int(x) for x in f.read().split())
        return t_last, touched, t_cross
    except (OSError, ValueError):
        return None


def samples(p, progdir, sids):
    """One sample per instance that has a replacement."""
    out = []
    for sid in sids:
        insts = [(ns, pid) for ns, pid, s in p.st.all if s == sid]
        for (ns, pid), (ns2, _) in zip(insts, insts[1:]):
            pr = progress(progdir, sid, pid)
            if pr is None:
                continue
            t_last, touched, t_cross = pr
            t = t_cross or t_last
            out.append({"reaction_ns": ns2 - t, "touched_mib": touched / lib.MIB,
                        "crossed_before_kill": t_cross > 0,
                        "uptime_ms": (t_last - ns) / 1e6})
    return out


def wait_samples(p, progdir, sids, want, deadline_s):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        p.st.poll()
        done = sum(len([1 for _, _, s in p.st.all if s == sid]) - 1 for sid in sids)
        if done >= want:
            break
        lib.reap()
        time.sleep(0.05)
    return samples(p, progdir, sids)


def one(ctx, cls, label, n_svcs, want, deadline_s, cgbase=None, **opts):
    progdir = os.path.join(ctx["work"], "progress-" + label.replace(" ", "_"))
    os.makedirs(progdir, exist_ok=True)
    cap = LIMIT + RATE * (deadline_s + 5)
    svcs = []
    for i in range(n_svcs):
        sid = "m%d" % i
        cgprocs = None
        if cgbase:
            cg = os.path.join(cgbase, sid)
            os.makedirs(cg)
            with open(os.path.join(cg, "memory.limit_in_bytes"), "w") as f:
                f.write(str(LIMIT * lib.MIB))
            cgprocs = os.path.join(cg, "cgroup.procs")
        svcs.append(peers.Svc(sid, ["grow", progdir] + [str(x) for x in (BASE, RATE, LIMIT, cap)],
                              mem_mib=LIMIT, cgprocs=cgprocs))
    if cls is peers.Supd:
        # Restart=no, crossing at ~2.9 s, apart from m0's kills: its result
        # must read oom-kill (a restarted service's reads success again).
        svcs.append(peers.Svc("once", ["grow", progdir, str(BASE), "7", str(LIMIT), str(cap)],
                              mem_mib=LIMIT, restart="no"))
    result = None
    with peers.running(cls, ctx["work"], svcs, label=label, **opts) as p:
        sids = [s.sid for s in svcs if s.sid != "once"]
        got = wait_samples(p, progdir, sids, want, deadline_s) if p.started else []
        if cls is peers.Supd and p.started:
            result = supd_once(p)
    return got, result


def supd_once(p):
    """supd's status of the Restart=no service once it stopped."""
    end = time.monotonic() + 8
    while True:
        try:
            st = {s["name"]: s for s in p.json_status().get("services", [])}
        except Exception as e:              # report, never abort the bench
            return {"error": repr(e)}
        once = st.get("once", {})
        if once.get("state") not in ("running", "starting") or time.monotonic() > end:
            return {k: {f: v.get(f) for f in ("state", "result", "restarts", "memory")}
                    for k, v in st.items()}
        time.sleep(0.1)


def run(ctx):
    n = 3 if lib.QUICK else 8
    per = (LIMIT - BASE) / RATE + 1.5          # seconds per sample at most
    rows, raw, supd_status = [], {}, None
    runs = [(peers.Supd, "supd", {}), (peers.RunitMemcg, "runit+memcg", {}),
            (peers.Pm2, "pm2 (1 s worker)", {"worker_ms": 1000})]
    if not lib.QUICK:
        runs.append((peers.Pm2, "pm2 (default 30 s)", {}))
    memcg = lib.memcg_base()
    for cls, label, opts in runs:
        if cls is peers.Supd and not ctx["supd"]:
            rows.append((label, None, "supd: not built"))
            continue
        if cls is peers.RunitMemcg and not memcg:
            rows.append((label, None, "no v1 memory cgroup"))
            continue
        lib.log("memory:", label)
        cgbase = None
        if cls is peers.RunitMemcg:
            cgbase = os.path.join(memcg, "supd-bench-%d-memcg" % os.getpid())
            os.makedirs(cgbase)
        try:
            if "default" in label:   # one sample per 30 s tick: several services at once
                got, st = one(ctx, cls, label, 3, 3, 40, **opts)
            else:
                got, st = one(ctx, cls, label, 1, n, n * per + 10, cgbase=cgbase, **opts)
        finally:
            if cgbase:
                lib.rm_cgroup_tree(cgbase)
        if st is not None:
            supd_status = st
        raw[label] = got
        lat = [g["reaction_ns"] for g in got]
        rows.append((label, lib.summary(lat), cls.delays if cls is not peers.Supd else ""))
    lib.table(TITLE + " (limit %d MiB, +%d MiB/s from %d MiB)" % (LIMIT, RATE, BASE),
              "ms", rows)
    once = (supd_status or {}).get("once", {})
    oom = [v.get("memory", {}) or {} for k, v in (supd_status or {}).items() if k != "once"]
    print("  supd: Restart=no service: state %s, result %s; restarted service: %s oom kills"
          % (once.get("state"), once.get("result"), ", ".join(str(m.get("oom_kills")) for m in oom)))
    targets = [lib.ratio_target("limit reaction <= 1.1x memcg+runit", rows, "runit+memcg", 1.1),
               lib.target_line("supd's result says oom-kill", once.get("result"),
                               (once.get("result") == "oom-kill") if ctx["supd"] else None)]
    return {"raw": raw, "supd_status": supd_status, "targets": targets}
