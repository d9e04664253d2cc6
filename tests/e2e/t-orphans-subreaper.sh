#!/bin/bash
# Not as PID 1, supd is a child subreaper: a service's double-forked
# orphan is reparented to supd (not to init) and reaped by it when it
# exits; no zombie is left.
. "$(dirname "$0")/lib.sh"

# The inner shell forks the sleep and exits: the sleep is an orphan.
cat >"$T/fork.sh" <<'EOF'
sh -c 'sleep 1.5 & echo $! >"$0.tmp"; mv "$0.tmp" "$0"' "$1"
exec sleep 1000
EOF
unit forker <<EOF
[Service]
ExecStart=/bin/sh $T/fork.sh $T/orphan
EOF
supd_start
wait_for 10 test -s "$T/orphan" || fail "no orphan"
orphan=$(cat "$T/orphan")
ppid=$(awk '{ print $4 }' "/proc/$orphan/stat" 2>/dev/null)
assert_eq "$ppid" "$SUPD_PID" "the orphan's parent"
# It exits after 1.5s; supd must reap it.
wait_for 10 test ! -e "/proc/$orphan/stat" || fail "orphan $orphan not reaped: $(cat "/proc/$orphan/stat" 2>/dev/null)"
zombies=$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$SUPD_PID" '{ sub(/^.*\) /, "") } $2 == p && $1 == "Z"' | wc -l)
assert_eq "$zombies" 0 "zombies under supd"
assert_eq "$(state_of forker)" running "the service"
pass
