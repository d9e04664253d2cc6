#!/bin/bash
# `supctl stop` kills a forking service's whole tree: children,
# grandchildren and double-forked orphans, some ignoring SIGTERM (those get
# SIGKILL after TimeoutStopSec=).  Afterwards no process of the tree is
# alive and the service's cgroup is empty in every hierarchy.
. "$(dirname "$0")/lib.sh"

# ign.sh PIDFILE: record our pid, then ignore SIGTERM (sleep inherits it).
cat >"$T/ign.sh" <<'EOF'
echo $$ >>"$1"
trap '' TERM
exec sleep 1000
EOF
# tree.sh PIDFILE IGN: a child, a child and a double-forked orphan that
# ignore SIGTERM, a grandchild that ignores it, a plain orphan.
cat >"$T/tree.sh" <<'EOF'
pids=$1 ign=$2
sleep 1000 & echo $! >>"$pids"
sh "$ign" "$pids" &
sh -c 'sh "$0" "$1" &' "$ign" "$pids"
sh -c 'sh "$0" "$1" & sleep 1000' "$ign" "$pids" &
sh -c 'sleep 1000 & echo $! >>"$0"' "$pids"
echo $$ >>"$pids"
exec sleep 1000
EOF
unit tree <<EOF
[Service]
ExecStart=/bin/sh $T/tree.sh $T/pids $T/ign.sh
TimeoutStopSec=1s
EOF
supd_start
wait_for 10 state_is tree running || fail "tree not running"
wait_for 10 bash -c "[ \$(wc -l <'$T/pids') -ge 6 ]" || fail "tree not complete: $(cat "$T/pids")"
pids=$(sort -u "$T/pids")
log "tree: $(echo $pids)"
# The ignoring processes write their pid before their trap: wait until
# three show SIGTERM (bit 14) in SigIgn.
ignoring() {
	local p n=0
	for p in $pids; do
		grep -q '^SigIgn:.*[4567cdef]...$' "/proc/$p/status" 2>/dev/null && n=$((n + 1))
	done
	[ $n -ge 3 ]
}
wait_for 10 ignoring || fail "SIGTERM-ignoring processes not ready"
for p in $pids; do kill -0 "$p" || fail "pid $p of the tree not alive before stop"; done
if [ -n "$CG_UNI" ]; then
	n=$(wc -l <"$CG_UNI/tree/cgroup.procs")
	[ "$n" -ge 7 ] || fail "only $n processes in $CG_UNI/tree"
fi
start=$(date +%s%N)
ctl stop tree
took=$((($(date +%s%N) - start) / 1000000))
log "stop took ${took}ms"
[ "$took" -ge 950 ] || fail "stop took ${took}ms, but SIGTERM-ignoring processes need the 1s TimeoutStopSec"
[ "$took" -lt 5000 ] || fail "stop took ${took}ms"
# Nothing may run once stop returns; a zombie may wait a moment for supd
# to reap it.
for p in $pids; do
	st=$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] || fail "pid $p still running after stop: $(cat "/proc/$p/stat")"
done
gone() { local p; for p in $pids; do [ -e "/proc/$p/stat" ] && return 1; done; return 0; }
wait_for 5 gone || fail "zombies of the tree not reaped by supd"
for d in "$CG_UNI" "$CG_MEM" "$CG_PIDS"; do
	[ -n "$d" ] && [ -f "$d/tree/cgroup.procs" ] || continue
	[ -s "$d/tree/cgroup.procs" ] && fail "$d/tree/cgroup.procs not empty: $(cat "$d/tree/cgroup.procs")"
done
assert_eq "$(state_of tree)" failed "state after a stop that needed SIGKILL"
assert_eq "$(result_of tree)" timeout "result after a stop that needed SIGKILL"
pass
