"""make bench: supd against its peers, same machine, same run.
Environment: QUICK=1 for a short run; BENCH_ONLY=restart,memory,fleet,storm
to pick scenarios; BENCH_KEEP=1 keeps the work directory (configs, logs)."""

import os
import platform
import shutil
import signal
import sys
import time
import traceback

import importlib

import lib
import peers

SCENARIOS = ["restart", "memory", "fleet", "storm"]


def on_signal(signum, frame):
    raise KeyboardInterrupt


def main():
    sys.stdout.reconfigure(line_buffering=True)
    lib.become_subreaper()
    signal.signal(signal.SIGTERM, on_signal)
    only = [s for s in os.environ.get("BENCH_ONLY", "").split(",") if s]
    # tmpfs: no writeback stalls in the services' stamps (a memcg charged
    # with dirty pages waits on their writeback before it OOM-kills).
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else "/tmp"
    work = os.path.join(os.environ.get("BENCH_WORK", base), "supd-bench.%d" % os.getpid())
    os.makedirs(work)
    ctx = {"work": work, "supd": peers.supd_built()}
    print("supd bench: %s, %d CPUs, kernel %s, %s%s" % (
        time.strftime("%Y-%m-%d %H:%M:%S"), os.cpu_count(), platform.release(),
        "QUICK" if lib.QUICK else "full",
        "" if ctx["supd"] else "; supd: not built (bin/supd, bin/supctl missing)"))
    print("Times are CLOCK_MONOTONIC from the event to the service's first "
          "instruction; only ratios within one run mean anything.")
    t0 = time.monotonic()
    summary = {"quick": lib.QUICK, "started": time.time(), "scenarios": {}}
    failed = []
    try:
        for name in SCENARIOS:
            if only and name not in only:
                continue
            mod = importlib.import_module("sc_" + name)
            load = os.getloadavg()[0]
            if load > 1.5:
                print("\n(load average %.1f before %s: other work on this machine moves"
                      " every row of it)" % (load, name))
            ts = time.monotonic()
            try:
                res = mod.run(ctx)
            except Exception:       # one broken scenario must not stop the rest
                traceback.print_exc()
                lib.kill_below_me()
                failed.append(name)
                continue
            res["seconds"] = round(time.monotonic() - ts, 1)
            lib.write_json(name, res)
            summary["scenarios"][name] = {"targets": res.get("targets", []),
                                          "seconds": res["seconds"]}
            lib.kill_below_me()
    except KeyboardInterrupt:
        print("\ninterrupted: stopping everything the bench started", file=sys.stderr)
        lib.kill_below_me()
        return 130
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    summary["seconds"] = round(time.monotonic() - t0, 1)
    print("\nTargets (supd):")
    for name, s in summary["scenarios"].items():
        for t in s["targets"]:
            mark = {True: "met", False: "MISSED", None: "n/a"}[t["met"]]
            print("  %-6s %-52s %s" % (mark, t["target"], t["value"] or "-"))
    print("\nbench took %.0f s; raw samples in %s" % (summary["seconds"], lib.RESULTS))
    summary["failed"] = failed
    lib.write_json("summary", summary)
    if failed:
        print("scenarios that failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
