#!/bin/bash
# A 100 KiB line without a break is split into timestamped pieces, none
# lost, and the lines after it are logged normally.
. "$(dirname "$0")/lib.sh"

cat >"$T/long.sh" <<'EOF'
i=0
s=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
while [ $i -lt 1024 ]; do printf '%s' "$s"; i=$((i + 1)); done
echo
echo "after the long line"
EOF
unit long <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh $T/long.sh
EOF
supd_start
wait_for 10 state_is long exited || fail "long: $(state_of long)"
wait_for 5 file_has "$LOGDIR/long.log" "after the long line" || fail "line after the long one lost"
ts='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z '
grep -Ev "$ts" "$LOGDIR/long.log" | head -c 200 | grep -q . && fail "a line without timestamp"
total=$(grep -E "${ts}a+\$" "$LOGDIR/long.log" | sed -E "s/$ts//" | tr -d '\n' | wc -c)
assert_eq "$total" 102400 "bytes of the long line kept"
pieces=$(grep -cE "${ts}a+\$" "$LOGDIR/long.log")
[ "$pieces" -ge 2 ] || fail "the 100 KiB line was not split: $pieces piece(s)"
pass
