#!/bin/bash
# Whichever event arrives first (the main process's exit or the OOM
# notification), an OOM-killed main process is recorded as oom-kill, never
# as signal: eight OOM-killed runs in a row (Restart=always, until the
# start limit of 8 ends it), each one ended oom-kill.
. "$(dirname "$0")/lib.sh"

unit hog <<EOF
[Unit]
StartLimitIntervalSec=120
StartLimitBurst=8
[Service]
ExecStart=$HELPERS/memhog 64
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=continue
Restart=always
RestartSec=100ms
EOF
supd_start
wait_for 30 state_is hog failed || fail "hog not failed: $(state_of hog), $(svc_json hog .memory.oom_kills) OOM kills"
assert_eq "$(result_of hog)" start-limit-hit "result"
runs=$(grep -c "hog: main process .* killed by" "$T/supd.log")
assert_eq "$runs" 8 "main-process deaths logged"
oom=$(grep -c "hog: main process .* killed by SIGKILL (OOM killer)" "$T/supd.log")
assert_eq "$oom" "$runs" "main-process deaths attributed to the OOM killer"
sig=$(grep -cE "hog: (signal, restarting|failed with result signal)" "$T/supd.log")
assert_eq "$sig" 0 "runs recorded as signal"
oomres=$(grep -cE "hog: (oom-kill, restarting|failed with result oom-kill)" "$T/supd.log")
assert_eq "$oomres" "$runs" "runs recorded as oom-kill"
assert_eq "$(svc_json hog .memory.oom_kills)" "$runs" "oom_kills vs main-process deaths"
assert_eq "$(svc_json hog " | [.oom_events[].victim] | unique | join(\",\")")" main "victims in oom_events"
pass
