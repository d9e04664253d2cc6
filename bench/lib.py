"""Shared helpers of the benchmark: settings, statistics, JSON output,
process trees, /proc accounting, cgroups, the stamp file, tables."""

import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
RESULTS = os.environ.get("BENCH_RESULTS", os.path.join(BENCH, "results"))
BIN = os.path.join(RESULTS, "bin")
STAMP = os.path.join(BIN, "stamp")
FLOOR = os.path.join(BIN, "floor")
SUPD = os.path.join(ROOT, "bin", "supd")
SUPCTL = os.path.join(ROOT, "bin", "supctl")
PM2_PREFIX = os.environ.get("BENCH_PM2_PREFIX", "/tmp/supd-bench-pm2")
PM2 = os.path.join(PM2_PREFIX, "node_modules", ".bin", "pm2")
QUICK = os.environ.get("QUICK", "") not in ("", "0")
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


def now():
    """CLOCK_MONOTONIC in ns, the clock the stamp program writes."""
    return time.monotonic_ns()


def log(*args):
    print("  ..", *args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- statistics

def pct(xs, p):
    """Percentile p (0..100) with linear interpolation; None if empty."""
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(xs):
    xs = [x for x in xs if x is not None]
    return {"n": len(xs), "median": pct(xs, 50), "p95": pct(xs, 95),
            "p99": pct(xs, 99), "min": min(xs) if xs else None,
            "max": max(xs) if xs else None}


def write_json(name, data):
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, name + ".json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    return path


# ---------------------------------------------------------------- processes

def become_subreaper():
    """Daemonizing peers (pm2) and orphans then stay below us, so a
    scenario can find and stop everything it started."""
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_CHILD_SUBREAPER = 36
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        log("prctl(PR_SET_CHILD_SUBREAPER) failed; cleanup may miss orphans")


def reap():
    """Collect exited orphans that were re-parented to us."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def ppid_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        ppid = int(st[st.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def descendants(pid, kids=None):
    """pid and every process below it."""
    kids = kids if kids is not None else ppid_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def exe_of(pid):
    try:
        return os.readlink("/proc/%d/exe" % pid)
    except OSError:
        return None


def comm_of(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
        return st[st.rindex(")") + 2] != "Z"
    except OSError:
        return False


def kill_pids(pids, sig=signal.SIGKILL):
    for p in pids:
        if p > 1 and p != os.getpid():
            try:
                os.kill(p, sig)
            except ProcessLookupError:
                pass


def kill_below_me(deadline_s=10):
    """SIGKILL every process below this one (by pid, never by name), and
    wait until they are gone."""
    me = os.getpid()
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        pids = [p for p in descendants(me) if p != me and alive(p)]
        if not pids:
            reap()
            return True
        kill_pids(pids)
        reap()
        time.sleep(0.05)
    return False


def wait_gone(pid, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        reap()
        if not alive(pid):
            return True
        time.sleep(0.02)
    return False


def proc_cpu_ns(pid):
    """CPU time of pid so far, in ns, exact (schedstat), where utime and
    stime are sampled at ticks and read 0 for a process that runs briefly
    many times."""
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def proc_ctx(pid):
    """Voluntary plus involuntary context switches of pid so far."""
    n = 0
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(("voluntary_ctxt", "nonvoluntary_ctxt")):
                    n += int(line.split()[1])
    except OSError:
        pass
    return n


def proc_mem(pid):
    """(RSS, PSS) in bytes from smaps_rollup."""
    rss = pss = 0
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


# ---------------------------------------------------------------- cgroups

def own_cgroup(controller):
    """The path of our cgroup in a v1 hierarchy, or in v2 for ''."""
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, ctrls, path = line.rstrip("\n").split(":", 2)
            if controller in ctrls.split(","):
                return path
    return None


def memcg_base():
    """Directory of our own v1 memory cgroup, or None."""
    path = own_cgroup("memory")
    d = "/sys/fs/cgroup/memory" + (path if path != "/" else "")
    return d if path is not None and os.path.isdir(d) else None


def rm_cgroup_tree(path):
    """rmdir a cgroup and its children, deepest first; its processes must
    be gone already."""
    if not os.path.isdir(path):
        return True
    ok = True
    for dirpath, dirnames, _ in os.walk(path, topdown=False):
        for attempt in range(50):
            try:
                os.rmdir(dirpath)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.02)
        else:
            ok = False
    return ok


# ---------------------------------------------------------------- stamps

class Stamps:
    """Reader of the shared stamp file: lines 'NS PID ID'."""

    def __init__(self, path):
        self.path = path
        self.off = 0
        self.rest = b""
        self.all = []            # (ns, pid, id) in file order
        self.last = {}           # id -> (ns, pid)
        self.first = {}          # id -> ns of its first stamp
        open(path, "a").close()

    def poll(self):
        with open(self.path, "rb") as f:
            f.seek(self.off)
            data = f.read()
        self.off += len(data)
        data = self.rest + data
        lines = data.split(b"\n")
        self.rest = lines.pop()
        for ln in lines:
            ns, pid, sid = ln.decode().split()
            rec = (int(ns), int(pid), sid)
            self.all.append(rec)
            self.last[sid] = (rec[0], rec[1])
            self.first.setdefault(sid, rec[0])
        return len(lines)

    def wait_count(self, n, timeout, period=0.01):
        """Wait until n distinct ids have stamped; returns True if so."""
        end = time.monotonic() + timeout
        while True:
            self.poll()
            if len(self.first) >= n:
                return True
            if time.monotonic() > end:
                return False
            reap()
            time.sleep(period)

    def wait_new(self, sid, after_ns, timeout, period=0.002):
        """Wait for a stamp of sid later than after_ns; its ns or None."""
        end = time.monotonic() + timeout
        while True:
            self.poll()
            rec = self.last.get(sid)
            if rec and rec[0] > after_ns:
                return rec
            if time.monotonic() > end:
                return None
            time.sleep(period)


# ---------------------------------------------------------------- commands

def time_cmd(argv, env=None, timeout=30):
    """Wall time of running argv to completion, in ns (None on timeout).
    The wait blocks in waitpid, a timer kills the command on timeout: a
    wait with a timeout polls with sleeps of 0.5, 1, 2 ms..., which rounded
    every command's time up to one of those steps (3.4 ms for a 1.3 ms
    status, measured)."""
    expired = []

    def expire(p):
        expired.append(True)
        p.kill()

    t0 = now()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    timer = threading.Timer(timeout, expire, (p,))
    timer.start()
    try:
        p.wait()
    finally:
        timer.cancel()
    t = now() - t0
    return None if expired else t


def repeat_cmd(argv, runs, budget_s, env=None):
    """Up to runs timings of argv, fewer if budget_s runs out (at least 3)."""
    out, end = [], time.monotonic() + budget_s
    for i in range(runs):
        if i >= 3 and time.monotonic() > end:
            break
        out.append(time_cmd(argv, env=env))
    return out


# ---------------------------------------------------------------- output

def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "ms":
        return "%.2f" % (v / 1e6) if v < 1e8 else "%.0f" % (v / 1e6)
    if unit == "MiB":
        return "%.2f" % (v / MIB)
    if unit == "%":
        return "%.2f" % v
    return "%g" % v


def ratio(v, ref):
    if v is None or not ref:
        return "-"
    return "%.2fx" % (v / ref)


def table(title, unit, rows, notes=(), cols=("median", "p95")):
    """rows: list of (name, stats dict or None, note).  Ratio is the median
    against supd's median."""
    ref = next((s["median"] for n, s, _ in rows if n == "supd" and s), None)
    print("\n%s  [%s]" % (title, unit))
    hdr = "  %-22s" % "peer" + "".join("%10s" % c for c in cols) + \
        "%6s%10s  %s" % ("n", "vs supd", "note")
    print(hdr)
    for name, s, note in rows:
        if s is None:
            print("  %-22s%s  %s" % (name, "".join("%10s" % "-" for _ in cols)
                                     + "%6s%10s" % ("-", "-"), note or ""))
            continue
        print("  %-22s" % name + "".join("%10s" % fmt(s.get(c), unit) for c in cols)
              + "%6s%10s  %s" % (s.get("n", ""), ratio(s.get("median"), ref), note or ""))
    for n in notes:
        print("  * " + n)


def target_line(what, value, met):
    """Print a target with supd's figure and met/MISSED (n/a: no figure)."""
    mark = {True: "met", False: "MISSED", None: "n/a"}[met]
    print("  target: %-46s supd %-30s %s" % (what, value if value is not None else "-", mark))
    return {"target": what, "value": value, "met": met}


def ratio_target(what, rows, ref_name, limit):
    """supd's median over ref_name's median, checked against limit."""
    med = {name: s["median"] for name, s, _ in rows if s and s["median"] is not None}
    if "supd" not in med or ref_name not in med:
        return target_line(what, None, None)
    r = med["supd"] / med[ref_name]
    return target_line(what, "%.2fx (%s vs %s ms)" % (r, fmt(med["supd"], "ms"),
                                                    fmt(med[ref_name], "ms")), r <= limit)
