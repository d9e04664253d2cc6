#!/usr/bin/env python3
"""Regenerate the seed corpus of tests/fuzz/corpus/ and the dictionaries.

Seeds come from the project's own examples (examples/units, examples/demo),
the snippets of docs/config.md and docs/protocol.md, and the examples of
systemd's man pages (systemd.time(7), systemd.resource-control(5),
systemd.service(5), systemd.exec(5)).  Run from anywhere; it rewrites only
files named seed-*.  Input formats are described in each fuzz-*.c.
"""
import hashlib
import os
import re
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(TOP, "tests", "fuzz", "corpus")
RS, GS, FS = b"\x1e", b"\x1d", b"\x1c"


def put(target, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(rel):
    with open(os.path.join(TOP, rel), "rb") as f:
        return f.read()


def clear():
    for t in os.listdir(CORPUS):
        for n in os.listdir(os.path.join(CORPUS, t)):
            if n.startswith("seed-"):
                os.unlink(os.path.join(CORPUS, t, n))


# ---- fuzz-unit ----------------------------------------------------------
def unit_seeds():
    units = os.path.join(TOP, "examples", "units")
    for n in sorted(os.listdir(units)):
        p = os.path.join(units, n)
        if not os.path.isfile(p):
            continue
        body = read(os.path.relpath(p, TOP))
        put("fuzz-unit", GS + n.encode() + GS + body)
        put("fuzz-unit", body)
        dd = p + ".d"
        if os.path.isdir(dd):
            parts = [read(os.path.relpath(os.path.join(dd, m), TOP))
                     for m in sorted(os.listdir(dd))]
            # Main file, then the drop-in as NAME.conf.d/10-a.conf and, with
            # the same base name, NAME.service.d/10-a.conf.
            put("fuzz-unit", GS + n.encode() + GS + body + RS + parts[0] + RS + parts[0])
            put("fuzz-unit", FS + n.encode() + FS + body + RS + RS + b"".join(parts))
    demo = os.path.join(TOP, "examples", "demo", "conf.d")
    for n in sorted(os.listdir(demo)):
        put("fuzz-unit", GS + n.encode() + GS + read(os.path.relpath(os.path.join(demo, n), TOP)))
    # ```ini blocks of docs/config.md (conf.d snippets and drop-ins).
    doc = read("docs/config.md").decode()
    for m in re.finditer(r"```ini\n(.*?)```", doc, re.S):
        block = "\n".join(l.strip() for l in m.group(1).splitlines()) + "\n"
        if "[supd]" in block:
            continue
        main = b"[Service]\nExecStart=/bin/true\n"
        put("fuzz-unit", main + RS + block.encode())
    hand = [
        # Continuations, comments between continued lines, ';' kept.
        b"[Service]\nExecStart=/bin/sh -c 'a ; b' \\\n  arg2 \\\n# comment\n  arg3\n",
        b"[Unit]\nDescription=semi;colon ; and # hash\n[Service]\nExecStart=/bin/echo \\; x\n",
        # Resets in drop-ins and repeated ExecStart.
        b"[Service]\nExecStart=/bin/a\n" + RS + b"[Service]\nExecStart=\nExecStart=/bin/b\n",
        b"[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\nRestart=always\n",
        # Specifiers with an instance name.
        GS + b"getty@tty1.conf" + GS +
        b"[Unit]\nDescription=%n %N %p %i %I %% %H\n[Service]\nUser=%u\n"
        b"WorkingDirectory=%h\nExecStart=/sbin/agetty %I %t/%p\nEnvironment=X=%S/%i\n",
        GS + b"sys@dev-disk-by\\x2dlabel.service" + GS +
        b"[Service]\nExecStart=/bin/echo %i %I\n",
        # Every value syntax once.
        b"[Unit]\nStartLimitIntervalSec=5min 20s\nStartLimitBurst=3\nStartLimitInterval=0\n"
        b"[Service]\nExecStart=-@/bin/sleep sleeper 1000\nExecStartPre=/bin/true\n"
        b"ExecStopPost=/bin/false\nRestart=on-abnormal\nRestartSec=1.5s\nRestartSteps=5\n"
        b"RestartMaxDelaySec=infinity\nSuccessExitStatus=0 75 SIGHUP\n"
        b"RestartPreventExitStatus=SIGKILL 1\nRestartForceExitStatus=RTMIN+3\n"
        b"TimeoutStopSec=0\nKillSignal=SIGRTMAX-1\nKillMode=process\nTasksMax=infinity\n"
        b"MemoryMin=64M\nMemoryLow=12.5%\nMemoryHigh=125\xe2\x80\xb0\nMemoryMax=1250\xe2\x80\xb1\n"
        b"MemorySwapMax=0\nOOMPolicy=kill\nOOMScoreAdjust=-1000\nUMask=0027\nAutoStart=false\n"
        b"LogMaxBytes=infinity\nLogBackups=0\nEnvironmentFile=/etc/default/x\n",
        # Syntax errors: no '=', bad section, long line, NUL, BOM, CRLF.
        b"[Service\nExecStart=/bin/true\nnot an assignment\n=novalue\n[]\n",
        b"\xef\xbb\xbf[Service]\r\nExecStart=/bin/true\r\n",
        b"[Service]\nExecStart=/bin/echo " + b"x" * 300 + b"\n",
        b"[Service]\nDescription=a\x00b\nExecStart=/bin/true\n",
        b"ExecStart=/bin/outside\n[Install]\nWantedBy=x\n[X-Custom]\nK=V\n[Service]\nAfter=y\n",
        b"[Service]\nExecStart=/bin/true\n  indented=continuation\n\tTabbed=x\n",
    ]
    # Debian's libinih holds 16382 bytes a line: the longest accepted line,
    # one byte more, and a line that is too long only once joined.
    svc = b"[Service]\nExecStart=/bin/true\n"
    desc = b"Description="
    hand.append(b"[Unit]\n" + desc + b"x" * (16382 - len(desc)) + b"\n" + svc)
    hand.append(b"[Unit]\n" + desc + b"x" * (16383 - len(desc)) + b"\n" + svc)
    hand.append(b"[Unit]\n" + desc + b"a" * 9000 + b" \\\n" + b"b" * 9000 + b"\n" + svc)
    for h in hand:
        put("fuzz-unit", h)


# ---- fuzz-values --------------------------------------------------------
SEL = {"timespan": 0, "size": 1, "memory": 2, "memory0": 3, "exit": 4, "signal": 5,
       "env": 6, "bool": 7, "umask": 8, "uint": 9, "int": 10, "envfile": 11}


def values_seeds():
    v = {
        # systemd.time(7) "Parsing Time Spans" and the project's own keys.
        "timespan": ["2 h", "2hours", "48hr", "1y 12month", "55s500ms", "300ms20s 5day",
                     "90", "5min 20s", "100ms", "1h30m", "infinity", "1.5h", "0.5s",
                     "3.sec", "12.34.56", "-1", "1w 2d 3h 4min 5s 6ms 7us", "10\xce\xbcs",
                     "18446744073709551615us", "5 minutes", "1 month", "0"],
        # systemd.resource-control(5), parse_size(..., 1024).
        "size": ["512M", "1G 512M", "1.5G", "100K", "10M", "4096", "1E", "16E", "0",
                 "2T 1G 1K", "1.", "1K 2G", "  7 G", "0.1B"],
        "memory": ["7G", "80%", "90%", "12.5%", "125\xe2\x80\xb0", "1250\xe2\x80\xb1",
                   "infinity", "100%", "100.01%", "0", "25%", "1.005%"],
        "memory0": ["0", "0%", "64M", "infinity"],
        "exit": ["0 1 SIGTERM", "75 SIGKILL", "1", "255 256", "SIGRTMIN+3 RTMAX-2",
                 "", "  ", "SIGHUP SIGINT 2 3"],
        "signal": ["SIGTERM", "TERM", "15", "9", "SIGKILL", "RTMIN", "RTMIN+3", "SIGRTMAX-2",
                   "IOT", "POLL", "SIGPWR", "0", "65", "SIG42", "STKFLT"],
        "env": ["A=1 B=\"two words\" 'C=x y'", "PGDATA=/var/lib/postgresql/15/main",
                "\"OLLAMA_HOST=127.0.0.1:11434\" \"OLLAMA_KEEP_ALIVE=5m\"",
                "A=1 A=2", "1BAD=x", "X=\\x41\\n\\u00e9", "Q='unbalanced"],
        "bool": ["yes", "no", "true", "false", "on", "off", "1", "0", "YES", "t", "f"],
        "umask": ["0022", "0077", "0027", "7777", "10000", "8", "022"],
        "uint": ["1", "1000", "1001", "0", "-1", "+5", "007"],
        "int": ["-1000", "1000", "-1", "+0", "- 1", "500", "-100"],
        "envfile": ["# comment\nexport A=1\nB='single $x'\nC=\"dq \\\" \\$ \\\\\"\n",
                    "; semi\nLONG=a\\\nb\n  SPACED  =  v  \n1BAD=x\n",
                    "PGDATA=/var/lib/pg\nPGOPTS=-c work_mem=64MB\n", "A=\"unterminated\n"],
    }
    for sel, items in v.items():
        for s in items:
            put("fuzz-values", bytes([SEL[sel]]) + s.encode("utf-8", "surrogateescape"))


# ---- fuzz-exec ----------------------------------------------------------
def exec_seeds():
    lines = set()
    for root in ("examples/units", "examples/demo/conf.d"):
        for dp, _, files in os.walk(os.path.join(TOP, root)):
            for n in files:
                text = read(os.path.relpath(os.path.join(dp, n), TOP)).decode()
                text = re.sub(r"\\\n\s*", " ", text)
                for m in re.finditer(r"^Exec\w+=(.*)$", text, re.M):
                    lines.add(m.group(1))
    lines |= {
        "/bin/sh -c 'a ; b'", "find /tmp -name '*.o' -exec rm {} \\;", "/bin/a ; /bin/b",
        "-/bin/false", "@/bin/sleep sleeper 10", "-@/bin/x y", "+/bin/x", "!!/bin/x",
        ":/bin/x", "|/bin/x", "/bin/echo --name=\"a b\" 'c d'\"e\"",
        "/bin/echo \\n \\t \\a \\b \\f \\r \\v \\\\ \\\" \\' \\s \\x41 \\101 \\u00e9 \\U0001F600",
        "/bin/echo \\d unknown", "/bin/echo \"unbalanced", "relative/path", "/bin/dir/",
        "/bin/echo $A ${A} $$A ${EMPTY}x $EMPTY $Q $X $UNSET ${UNSET}", "/bin/echo ${A",
        "/bin/echo $", "sleep infinity", "/usr/bin/env", "@/bin/only",
    }
    for l in sorted(lines):
        put("fuzz-exec", l.encode())
    put("fuzz-exec", b"/bin/echo $V ${V} $W" + RS + b"V=\"one two\" W='a b c'")
    put("fuzz-exec", b"/usr/lib/postgresql/15/bin/postgres -D ${PGDATA} $PGOPTS" + RS +
        b"PGDATA=/var/lib/postgresql/15/main PGOPTS=\"-c work_mem=64MB\"")


# ---- fuzz-proto ---------------------------------------------------------
def proto_seeds():
    doc = read("docs/protocol.md").decode()
    reqs = [l for l in doc.splitlines() if re.match(r'^\{"v":1,.*"cmd"', l)]
    reqs += ['{"v":1,"id":7,"cmd":"status","names":["web"]}', '{"v":2,"cmd":"status"}',
             '{"cmd":"status"}', '{"v":1}', '{"v":1,"cmd":""}', '{"v":"1","cmd":"x"}',
             '[1,2]', 'not json', '{"v":1,"cmd":"status","v":1}', '{"v":1,"cmd":7}',
             '{"v":1,"cmd":"logs","name":"\\u00e9\\ud800","lines":-1}', '']
    for r in reqs:
        put("fuzz-proto", b"\x80\x01" + r.encode() + b"\n")
    stream = b"".join(r.encode() + b"\n" for r in reqs)
    put("fuzz-proto", b"\x80\x07" + stream)
    put("fuzz-proto", b"\x80\x33" + stream.replace(b"\n", b"\r\n"))
    put("fuzz-proto", b"\x1f\x05" + stream)  # max 32: most lines overflow
    put("fuzz-proto", b"\x10\x09" + b"x" * 40 + b"\n" + b'{"v":1,"cmd":"status"}\n' + b"y" * 20)
    put("fuzz-proto", b"\x80\x02" + b'{"v":1,"cmd":"st\x00tus"}\n\n\r\n')


# ---- fuzz-daemonconf ----------------------------------------------------
def daemonconf_seeds():
    doc = read("docs/config.md").decode()
    for m in re.finditer(r"```ini\n(.*?)```", doc, re.S):
        if "[supd]" in m.group(1):
            put("fuzz-daemonconf", m.group(1).encode())
    for h in [b"[supd]\nSocket=/run/supd/" + b"s" * 120 + b".sock\n",
              b"[supd]\nSocket=relative\nConfDir=\nLogDir=/x\nStateDir=/y\nLogLevel=warning\n",
              b"[supd]\nCgroupRoot=/\nCgroupRoot=a/../b\nCgroupRoot=/abs/x\nSocketGroup=-x\n",
              b"[supd]\nDefaultRestartSec=5min 20s\nDefaultStartLimitBurst=0\n"
              b"DefaultTimeoutStopSec=infinity\nDefaultOOMPolicy=kill\nLogMaxBytes=1G 512M\n"
              b"LogBackups=1000\nDefaultStartLimitIntervalSec=\n",
              b"[Service]\nExecStart=/bin/true\n[supd]\nUnknown=1\n"]:
        put("fuzz-daemonconf", h)


def dicts():
    keys = sorted(set(re.findall(r"^\| `([A-Za-z]+)=`", read("docs/config.md").decode(), re.M)))
    with open(os.path.join(TOP, "tests", "fuzz", "fuzz-unit.dict"), "w") as f:
        f.write("# Sections, keys and value fragments of unit files (make-seeds.py).\n")
        for t in ["[Unit]", "[Service]", "[Install]", "\\x5c\\x0a", ";", "#", "=", "%i", "%I",
                  "%n", "%%", "\\x1e", "\\x1d", ".conf", ".service", "infinity", "SIGTERM",
                  "5min", "512M", "80%", "yes", "oneshot", "always", "-/", "@/", "\\\"",
                  "'", "${", "$$"]:
            f.write('"%s"\n' % t)
        for k in keys:
            f.write('"%s="\n' % k)
    with open(os.path.join(TOP, "tests", "fuzz", "fuzz-proto.dict"), "w") as f:
        f.write("# JSON and envelope fragments of the control protocol (make-seeds.py).\n")
        for t in ['{', '}', '[', ']', ':', ',', '\\"v\\":1', '\\"cmd\\"', '\\"id\\"',
                  '\\"names\\"', '\\"status\\"', '\\"logs\\"', 'true', 'false', 'null',
                  '\\\\u0000', '\\\\ud800', '\\x0d\\x0a', '\\x0a', '1e999', '-0']:
            f.write('"%s"\n' % t)


if __name__ == "__main__":
    clear()
    unit_seeds()
    values_seeds()
    exec_seeds()
    proto_seeds()
    daemonconf_seeds()
    dicts()
    for t in sorted(os.listdir(CORPUS)):
        print(t, len(os.listdir(os.path.join(CORPUS, t))))
    sys.exit(0)
