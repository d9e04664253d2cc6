#!/bin/bash
# A service is in its own cgroup, in every hierarchy, from its first
# instruction on: the first thing ExecStartPre= and ExecStart= do is read
# /proc/self/cgroup, and it already names the service's cgroup.
. "$(dirname "$0")/lib.sh"

unit placed <<'EOF'
[Service]
ExecStartPre=/bin/cat /proc/self/cgroup
ExecStart=/bin/sh -c 'cat /proc/self/cgroup; exec sleep 1000'
EOF
unit typed <<'EOF'
[Service]
Type=oneshot
ExecStart=/bin/cat /proc/self/cgroup
EOF
supd_start
wait_for 10 state_is placed running || fail "placed not running"
wait_for 10 state_is typed exited || fail "typed not exited"
# Our own cgroup paths in each hierarchy, below which supd's root is.
check() { # NAME: both runs of its log name NAME's cgroup
	local name=$1 want line n
	for h in memory pids ""; do
		case $h in
		memory) [ -n "$CG_MEM" ] || continue ;;
		pids) [ -n "$CG_PIDS" ] || continue ;;
		"") [ -n "$CG_UNI" ] || continue ;;
		esac
		if [ -z "$h" ]; then
			want="0::$(cg_self "")/$CGROOT/$name"
		else
			want=":$h:$(cg_self "$h")/$CGROOT/$name"
		fi
		want=${want//\/\//\/}
		n=$(grep -c -- "${want}\$" "$LOGDIR/$name.log")
		[ "$n" -ge "$2" ] || fail "$name: $want seen $n times, expected $2: $(cat "$LOGDIR/$name.log")"
	done
}
wait_for 5 bash -c "[ \$(grep -c '0::' '$LOGDIR/placed.log') -ge 2 ]" || fail "placed: output missing"
check placed 2
check typed 1
pass
