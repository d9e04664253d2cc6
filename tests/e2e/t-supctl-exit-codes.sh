#!/bin/bash
# supctl's documented exit codes against the real supd: 0 success, 1
# failure, 2 usage, 3 supd not reachable, 4 no such service (and then
# nothing is done, even for the names that exist).
. "$(dirname "$0")/lib.sh"

unit lazy <<'EOF'
[Service]
AutoStart=no
ExecStart=/bin/sleep 1000
EOF
unit failing <<'EOF'
[Service]
Type=oneshot
AutoStart=no
ExecStart=/bin/false
EOF
supd_start
code() { "$@" >/dev/null 2>&1; echo $?; }
assert_eq "$(code ctl status)" 0 "status"
assert_eq "$(code ctl status nosuch)" 4 "status of an unknown service"
assert_eq "$(code ctl start lazy nosuch)" 4 "start of a known and an unknown service"
assert_eq "$(state_of lazy)" stopped "lazy after the refused start"
assert_eq "$(code ctl frobnicate)" 2 "unknown command"
assert_eq "$(code ctl start)" 2 "start without a name"
assert_eq "$(code ctl logs lazy -n notanumber)" 2 "logs with a bad -n"
assert_eq "$(code ctl start failing)" 1 "start of a service that fails"
assert_eq "$(code ctl start lazy)" 0 "start"
assert_eq "$(code "$SUPCTL" -s "$T/nosuch.sock" status)" 3 "status on a missing socket"
out=$("$SUPCTL" -s "$T/nosuch.sock" status 2>&1)
echo "$out" | grep -q "$T/nosuch.sock" || fail "unreachable message does not name the socket: $out"
assert_eq "$(code env SUPD_SOCKET="$SOCK" "$SUPCTL" status lazy)" 0 "SUPD_SOCKET honoured"
pass
