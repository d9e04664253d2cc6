#!/bin/bash
# A service's log file deleted from outside (rm, a careless log cleaner)
# is recreated by supd at the next line; nothing is written into the
# unlinked inode only.
. "$(dirname "$0")/lib.sh"

unit ticker <<'EOF'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$$((i+1)); echo "tick $$i"; sleep 0.05; done'
EOF
supd_start
wait_for 10 file_has "$LOGDIR/ticker.log" "tick 3" || fail "ticker not ticking"
rm "$LOGDIR/ticker.log"
wait_for 5 test -f "$LOGDIR/ticker.log" || fail "log file not recreated after rm"
wait_for 5 bash -c "[ \$(grep -c tick '$LOGDIR/ticker.log') -ge 3 ]" || fail "no lines in the recreated log"
ctl logs ticker -n 2 >"$T/got.lines"
mapfile -t got <"$T/got.lines"
assert_eq "${#got[@]}" 2 "logs -n 2 after the file was recreated"
pass
