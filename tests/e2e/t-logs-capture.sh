#!/bin/bash
# stdout and stderr of a service go to LOGDIR/NAME.log, each line with a
# timestamp, never to supd's own output; `supctl logs NAME -n N` prints
# the last N lines as stored.
. "$(dirname "$0")/lib.sh"

cat >"$T/talk.sh" <<'EOF'
for i in 1 2 3 4 5 6; do echo "out line $i"; done
echo "err line 1" >&2
printf 'partial without newline'
exec sleep 1000
EOF
unit talk <<EOF
[Service]
ExecStart=/bin/sh $T/talk.sh
EOF
supd_start
wait_for 10 file_has "$LOGDIR/talk.log" "err line 1" || fail "stderr not captured"
file_has "$LOGDIR/talk.log" "out line 6" || fail "stdout not captured"
ts='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z '
grep -E "(out|err) line" "$LOGDIR/talk.log" | grep -Ev "$ts" && fail "lines without a timestamp"
assert_eq "$(grep -Ec "${ts}out line [1-6]\$" "$LOGDIR/talk.log")" 6 "timestamped stdout lines"
assert_eq "$(grep -Ec "${ts}err line 1\$" "$LOGDIR/talk.log")" 1 "timestamped stderr lines"
grep -q "out line\|err line" "$T/supd.log" && fail "service output leaked into supd's own output"
# Order within one stream is kept.
assert_eq "$(grep -o 'out line [0-9]' "$LOGDIR/talk.log" | tr -d '\n')" \
	"out line 1out line 2out line 3out line 4out line 5out line 6" "stdout order"
ctl logs talk -n 3 >"$T/got.lines"
mapfile -t got <"$T/got.lines"
assert_eq "${#got[@]}" 3 "lines printed by logs -n 3"
echo "${got[0]}${got[1]}${got[2]}" | grep -q "out line 6" || fail "logs -n 3 misses the 6th stdout line: ${got[*]}"
for l in "${got[@]}"; do
	[[ $l =~ $ts ]] || fail "logs line without timestamp: $l"
done
ctl logs talk -n 100 >"$T/all.lines"
mapfile -t all <"$T/all.lines"
[ "${#all[@]}" -ge 7 ] && [ "${#all[@]}" -le 9 ] || fail "logs -n 100 printed ${#all[@]} lines: ${all[*]}"
ctl logs talk -n 1 >"$T/one.lines"
mapfile -t one <"$T/one.lines"
assert_eq "${#one[@]}" 1 "lines printed by logs -n 1"
ctl logs nosuch -n 1 >/dev/null 2>&1
assert_eq "$?" 4 "exit code of logs for an unknown service"
pass
