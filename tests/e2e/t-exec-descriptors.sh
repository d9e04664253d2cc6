#!/bin/bash
# A service starts with exactly three descriptors, stdin from /dev/null and
# stdout/stderr to its log pipe, however many supd holds: at supd's start
# (children beside supd) and on every later start (children that share
# supd's table until they keep its bottom descriptors, spawn.h).  supd's
# own table is the same after ten restarts as before, its low descriptors
# (/dev/null and a pair per child that may be starting at once: 1 + 2 x 9)
# back on /dev/null.
. "$(dirname "$0")/lib.sh"

for i in $(seq 1 20); do
	unit "fill$i" <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
done
unit lister <<EOF
[Service]
ExecStart=/bin/sleep 1000
Restart=always
RestartSec=100ms
StartLimitBurst=0
EOF
supd_start
wait_for 10 state_is lister running || fail "lister: $(state_of lister)"

# The service's descriptors, seen from outside: "0:/dev/null 1:pipe 2:pipe".
fds_of() {
	local pid=$1 out="" fd target
	for fd in $(ls "/proc/$pid/fd" | sort -n); do
		target=$(readlink "/proc/$pid/fd/$fd")
		out="$out $fd:${target%%:*}"
	done
	echo "${out# }"
}
want="0:/dev/null 1:pipe 2:pipe"
assert_eq "$(fds_of "$(pid_of lister)")" "$want" "descriptors of a service started with supd"

supd_fds() { ls "/proc/$SUPD_PID/fd" | wc -l; }
ctl_ok restart lister || fail "restart lister"
wait_for 10 state_is lister running || fail "lister after restart: $(state_of lister)"
before=$(supd_fds)
for i in $(seq 1 10); do
	old=$(pid_of lister)
	# Half by supctl restart, half by supd's own restart after a kill.
	if [ $((i % 2)) = 0 ]; then
		ctl_ok restart lister || fail "restart lister ($i)"
	else
		kill -9 "$old"
	fi
	wait_for 10 eval '[ "$(state_of lister)" = running ] && [ "$(pid_of lister)" != "$old" ]' ||
		fail "lister not running again after restart $i: $(state_of lister)"
	# "running" only once the status pipe reached EOF: supd must not
	# keep the child's end in its low descriptors.
	assert_eq "$(fds_of "$(pid_of lister)")" "$want" "descriptors after restart $i"
done
assert_eq "$(supd_fds)" "$before" "supd's descriptors after the restarts"
# supd's lowest descriptors above stdio are /dev/null again.
low=$(ls "/proc/$SUPD_PID/fd" | sort -n | awk '$1 > 2' | head -19)
for fd in $low; do
	assert_eq "$(readlink "/proc/$SUPD_PID/fd/$fd")" /dev/null "supd's fd $fd"
done
pass
