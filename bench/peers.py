"""One class per supervisor under test.  Each writes its fairest
configuration (no restart delay, no start limit) for a list of services,
launches the supervisor, names its own processes (services excluded),
gives its "status of everything" command, and stops everything it
started, by pid."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time

import lib


class Svc:
    """A service: the stamp program run as STAMP STAMPFILE ID WORDS...;
    mem_mib asks the peer to limit its memory; restart is supd's Restart=
    (the others always restart)."""

    def __init__(self, sid, words, mem_mib=None, cgprocs=None, restart="always"):
        self.sid, self.words, self.mem_mib, self.cgprocs = sid, words, mem_mib, cgprocs
        self.restart = restart


class Peer:
    name = "?"
    key = "?"                # a file name for the peer
    delays = ""              # the delays this peer enforces by design
    memlimit = False         # can it restart a service on a memory limit?

    def __init__(self, workdir, stamps, services, label=None, **opts):
        self.label = label or self.name
        self.dir = os.path.join(workdir, label.replace(" ", "_") if label else self.key)
        self.stamps = stamps
        self.services = services
        self.opts = opts
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)

    def argv_of(self, svc):
        return [lib.STAMP, self.stamps, svc.sid] + svc.words

    def prepare(self):
        pass

    def launch(self):
        """Start the supervisor; returns the CLOCK_MONOTONIC ns just
        before its exec."""
        argv, env = self.command()
        t0 = lib.now()
        self.proc = subprocess.Popen(argv, cwd=self.dir, env=env,
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.logf(), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        return t0

    def logf(self):
        return open(os.path.join(self.dir, "supervisor.out"), "ab")

    def root_pid(self):
        return self.proc.pid if self.proc else None

    def sup_pids(self):
        """The supervisor's own processes: its tree minus the services."""
        root = self.root_pid()
        if root is None or not lib.alive(root):
            return []
        # A rebuilt stamp leaves running services with "PATH (deleted)".
        stamp = os.path.realpath(lib.STAMP)
        return [p for p in lib.descendants(root)
                if (lib.exe_of(p) or "").removesuffix(" (deleted)") != stamp]

    def status_argv(self):
        return None

    def status_env(self):
        return None

    def stop(self):
        root = self.root_pid()
        if root is not None:
            tree = lib.descendants(root)
            sup = set(self.sup_pids())
            lib.kill_pids([p for p in tree if p in sup])
            lib.kill_pids(tree)
            lib.wait_gone(root, 10)
        if self.proc:
            try:
                self.proc.wait(timeout=5)
            except (subprocess.TimeoutExpired, ChildProcessError):
                pass


class Floor(Peer):
    name = "floor (fork+exec)"
    key = "floor"
    delays = "none: re-forks on exit"

    def prepare(self):
        self.list = os.path.join(self.dir, "list")
        with open(self.list, "w") as f:
            for s in self.services:
                f.write(" ".join(self.argv_of(s)) + "\n")

    def command(self):
        return [lib.FLOOR, self.list], None


class Supd(Peer):
    name = "supd"
    key = "supd"
    delays = "RestartSec=0, start limit off"
    memlimit = True

    def prepare(self):
        self.sock = os.path.join(self.dir, "supd.sock")
        self.confd = os.path.join(self.dir, "conf.d")
        self.cgname = "supd-bench-%d-%d" % (os.getpid(), int(time.time() * 1000) % 10**9)
        for d in ("conf.d", "log", "state"):
            os.makedirs(os.path.join(self.dir, d))
        for s in self.services:
            with open(os.path.join(self.confd, s.sid + ".conf"), "w") as f:
                f.write("[Service]\nExecStart=%s\nRestart=%s\nRestartSec=0\n"
                        "StartLimitIntervalSec=0\nStartLimitBurst=0\n"
                        % (" ".join(self.argv_of(s)), s.restart))
                if s.mem_mib:
                    f.write("MemoryMax=%dM\n" % s.mem_mib)

    def command(self):
        return [lib.SUPD, "--conf-dir", self.confd, "--socket", self.sock,
                "--log-dir", os.path.join(self.dir, "log"),
                "--state-dir", os.path.join(self.dir, "state"),
                "--cgroup-root", self.cgname], None

    def status_argv(self):
        return [lib.SUPCTL, "-s", self.sock, "status"]

    def json_status(self):
        out = subprocess.run([lib.SUPCTL, "-s", self.sock, "--json", "status"],
                             capture_output=True, timeout=10)
        return json.loads(out.stdout or b"null")

    def cgroup_dirs(self):
        """Where supd's --cgroup-root lands: below our own cgroup in every
        hierarchy mounted under /sys/fs/cgroup."""
        dirs = []
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, ctrls, path = line.rstrip("\n").split(":", 2)
                name = ctrls.split(",")[0].replace("name=", "") or "unified"
                mnt = "/sys/fs/cgroup/" + name
                if os.path.isdir(mnt):
                    dirs.append(mnt + (path if path != "/" else "") + "/" + self.cgname)
        return dirs

    def stop(self):
        """SIGTERM first: supd stops its services and removes its cgroups."""
        self.left_cgroups = []
        if self.proc and lib.alive(self.proc.pid):
            os.kill(self.proc.pid, signal.SIGTERM)
            if not lib.wait_gone(self.proc.pid, 15):
                lib.log("supd did not exit within 15 s of SIGTERM; killing it")
        super().stop()
        for d in self.cgroup_dirs():
            if os.path.isdir(d):
                self.left_cgroups.append(d)
                lib.rm_cgroup_tree(d)
        if self.left_cgroups:
            lib.log("supd left cgroups behind:", " ".join(self.left_cgroups))


class DirPeer(Peer):
    """runit, s6, daemontools: a directory per service whose ./run is the
    stamp program itself (no shell), reading its words from ./stamp.conf."""
    scanner = None

    def prepare(self):
        self.scandir = os.path.join(self.dir, "sv")
        os.makedirs(self.scandir)
        self.svdirs = []
        for s in self.services:
            d = os.path.join(self.scandir, s.sid)
            os.makedirs(d)
            words = [self.stamps, s.sid] + s.words + ([s.cgprocs] if s.cgprocs else [])
            with open(os.path.join(d, "stamp.conf"), "w") as f:
                f.write(" ".join(words) + "\n")
            os.symlink(lib.STAMP, os.path.join(d, "run"))
            self.svdirs.append(d)
        # runsvdir ignores a directory modified less than a second ago.
        old = time.time() - 10
        for d in self.svdirs + [self.scandir]:
            os.utime(d, (old, old))

    def command(self):
        return self.scanner + [self.scandir], None


class Runit(DirPeer):
    name = "runit"
    key = "runit"
    delays = "waits 1 s before restarting a service that ran < 1 s"
    scanner = ["runsvdir"]

    def status_argv(self):
        return ["sv", "status"] + self.svdirs


class RunitMemcg(Runit):
    name = "runit+memcg"
    key = "runit-memcg"
    delays = "kernel memcg limit; runit waits 1 s if the service ran < 1 s"
    memlimit = True


class S6(DirPeer):
    name = "s6"
    key = "s6"
    delays = "s6 2.11 waits 1 s after every death"
    scanner = ["s6-svscan"]

    def command(self):
        # s6-svscan supervises at most 500 services unless told more.
        return ["s6-svscan", "-c", str(2 * len(self.services) + 10), self.scandir], None

    def status_argv(self):
        return ["sh", "-c", 'for d in "$0"/*/; do s6-svstat "$d"; done', self.scandir]


class Daemontools(DirPeer):
    name = "daemontools"
    key = "daemontools"
    delays = "supervise sleeps 1 s after every start"
    scanner = ["svscan"]

    def status_argv(self):
        return ["svstat"] + self.svdirs


class Supervisor(Peer):
    name = "supervisor"
    key = "supervisor"
    delays = "startsecs=0 (no backoff); polls its loop every 1 s"

    def prepare(self):
        self.conf = os.path.join(self.dir, "supervisord.conf")
        sock = os.path.join(self.dir, "supervisor.sock")
        with open(self.conf, "w") as f:
            f.write("[supervisord]\nnodaemon=true\nlogfile=%s/supervisord.log\n"
                    "pidfile=%s/supervisord.pid\nchildlogdir=%s\nminfds=16384\n"
                    "minprocs=4096\nloglevel=warn\n\n" % (self.dir, self.dir, self.dir))
            f.write("[unix_http_server]\nfile=%s\n\n[rpcinterface:supervisor]\n"
                    "supervisor.rpcinterface_factory = supervisor.rpcinterface:"
                    "make_main_rpcinterface\n\n[supervisorctl]\nserverurl=unix://%s\n\n"
                    % (sock, sock))
            for s in self.services:
                f.write("[program:%s]\ncommand=%s\nautostart=true\nautorestart=true\n"
                        "startsecs=0\nstartretries=1000000\nstdout_logfile=NONE\n"
                        "stderr_logfile=NONE\n\n" % (s.sid, " ".join(self.argv_of(s))))

    def command(self):
        return ["supervisord", "-n", "-c", self.conf], None

    def status_argv(self):
        return ["supervisorctl", "-c", self.conf, "status"]


class Pm2(Peer):
    name = "pm2"
    key = "pm2"
    delays = "restart_delay=0; memory checked every 30 s (PM2_WORKER_INTERVAL)"
    memlimit = True

    def prepare(self):
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home)
        self.eco = os.path.join(self.dir, "ecosystem.json")
        apps = []
        for s in self.services:
            app = {"name": s.sid, "script": lib.STAMP,
                   "args": [self.stamps, s.sid] + s.words, "interpreter": "none",
                   "exec_mode": "fork", "autorestart": True, "restart_delay": 0,
                   "min_uptime": 100, "max_restarts": 1000000000, "vizion": False,
                   "pmx": False, "automation": False, "watch": False,
                   "out_file": "/dev/null", "error_file": "/dev/null", "cwd": self.dir}
            if s.mem_mib:
                app["max_memory_restart"] = "%dM" % s.mem_mib
            apps.append(app)
        with open(self.eco, "w") as f:
            json.dump({"apps": apps}, f)

    def env(self):
        env = dict(os.environ, PM2_HOME=self.home, HOME=self.home,
                   PM2_DISABLE_VERSION_CHECK="1")
        if self.opts.get("worker_ms"):
            env["PM2_WORKER_INTERVAL"] = str(self.opts["worker_ms"])
        return env

    def command(self):
        return [lib.PM2, "start", self.eco], self.env()

    def root_pid(self):
        """The God daemon (it daemonizes; as our subreaper child it stays
        below us)."""
        try:
            with open(os.path.join(self.home, "pm2.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def status_argv(self):
        return [lib.PM2, "jlist"]

    def status_env(self):
        return self.env()

    def stop(self):
        if self.proc:            # the CLI, which may still be adding apps
            lib.kill_pids([self.proc.pid])
        super().stop()


@contextlib.contextmanager
def running(cls, workdir, services, start_timeout=120, **opts):
    """A peer launched on services, its stamp file read into p.st, p.t0
    the launch time and p.started whether every service stamped in time;
    stopped on the way out, whatever happens."""
    label = opts.pop("label", None)
    stamps = os.path.join(workdir, (label or cls.key).replace(" ", "_") + ".stamps")
    if os.path.exists(stamps):
        os.unlink(stamps)
    p = cls(workdir, stamps, services, label=label, **opts)
    p.prepare()
    p.st = lib.Stamps(stamps)
    try:
        p.t0 = p.launch()
        p.started = p.st.wait_count(len(services), start_timeout)
        if not p.started:
            lib.log("%s: only %d of %d services started within %d s"
                    % (p.label, len(p.st.first), len(services), start_timeout))
        yield p
    finally:
        p.stop()
        lib.reap()


ALL = [Floor, Supd, Runit, S6, Daemontools, Supervisor, Pm2]
# BENCH_PEERS=floor,supd measures some peers only (for profiling one change).
if os.environ.get("BENCH_PEERS"):
    ALL = [c for c in ALL if c.key in os.environ["BENCH_PEERS"].split(",")]


def supd_built():
    return os.access(lib.SUPD, os.X_OK) and os.access(lib.SUPCTL, os.X_OK)
