#!/bin/bash
# With SocketGroup= in supd.conf the socket is 0660 and belongs to that
# group; a member of the group may read status (and run commands); a
# non-member cannot reach the socket (supctl exit 3 naming it), and when
# the socket file is opened up by hand the peer check still refuses him
# with a message naming his uid.  The throwaway users and group are
# removed at the end.
. "$(dirname "$0")/lib.sh"

command -v useradd >/dev/null && command -v groupadd >/dev/null || skip "no useradd/groupadd"
command -v setpriv >/dev/null || skip "no setpriv"
G=supdtg$$
M=supdtm$$
N=supdtn$$
remove_users() {
	userdel "$M" 2>/dev/null
	userdel "$N" 2>/dev/null
	groupdel "$G" 2>/dev/null
}
trap 'rc=$?; remove_users; (exit $rc); cleanup' EXIT
groupadd "$G" || skip "groupadd failed"
nogroup=$(getent group nogroup >/dev/null && echo nogroup || echo "$G")
useradd -M -N -g "$nogroup" -G "$G" -s /bin/false "$M" || fail "useradd $M failed"
useradd -M -N -g "$nogroup" -s /bin/false "$N" || fail "useradd $N failed"
[ "$nogroup" != "$G" ] || fail "no group nogroup for the non-member"
chmod 755 "$T"
as() { # USER CMD...: run as USER with his groups
	local u=$1
	shift
	setpriv --reuid="$u" --regid="$nogroup" --init-groups "$@"
}

cat >"$T/supd.conf" <<EOF
[supd]
SocketGroup=$G
EOF
unit web <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
supd_start -c "$T/supd.conf"
wait_for 10 state_is web running || fail "web not running"
assert_eq "$(stat -c %a "$SOCK")" 660 "socket mode with SocketGroup="
assert_eq "$(stat -c %G "$SOCK")" "$G" "socket group"

out=$(as "$M" "$SUPCTL" -s "$SOCK" status 2>&1)
rc=$?
log "member: $out"
assert_eq "$rc" 0 "member's status exit code"
echo "$out" | grep -q '^web ' || fail "member's status lacks web: $out"
assert_eq "$(as "$M" "$SUPCTL" -s "$SOCK" --json status web | jq -r '.services[0].state')" running \
	"member's JSON status"
as "$M" "$SUPCTL" -s "$SOCK" stop web || fail "member may not stop web"
assert_eq "$(state_of web)" stopped "web after the member's stop"
as "$M" "$SUPCTL" -s "$SOCK" start web || fail "member may not start web"

out=$(as "$N" "$SUPCTL" -s "$SOCK" status 2>&1)
rc=$?
log "non-member: $out"
assert_eq "$rc" 3 "non-member's exit code (socket not reachable)"
echo "$out" | grep -q "$SOCK" || fail "refusal does not name the socket: $out"
echo "$out" | grep -qi "permission denied" || fail "refusal does not say permission denied: $out"

# Open the file up: supd's SO_PEERCRED check must still refuse.
chmod 666 "$SOCK"
out=$(as "$N" "$SUPCTL" -s "$SOCK" status 2>&1)
rc=$?
log "non-member, socket 0666: $out"
assert_eq "$rc" 1 "non-member's exit code when supd refuses him"
uid=$(id -u "$N")
echo "$out" | grep -q "uid $uid" || fail "refusal does not name uid $uid: $out"
echo "$out" | grep -q "web" && fail "non-member got status: $out"
out=$(as "$N" "$SUPCTL" -s "$SOCK" stop web 2>&1) && fail "non-member could stop web"
assert_eq "$(state_of web)" running "web after the non-member's stop"
pass
