#!/bin/sh
# Run supd in the foreground on the demo configuration.  The socket is the
# default one, so `bin/supctl status` in a second terminal finds it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
work=${SUPD_DEMO_DIR:-/tmp/supd-demo}
mkdir -p "$work/conf.d" "$work/log" "$work/state"
# The leaky service needs the path of the demo program built by `make run`.
for f in "$top"/examples/demo/conf.d/*; do
	sed "s|@LEAKY@|$top/bin/supd-demo-leaky|" "$f" >"$work/conf.d/$(basename "$f")"
done
echo "supd demo: units in $work/conf.d, logs in $work/log"
echo "in another terminal: $top/bin/supctl status"
exec "$top/bin/supd" --conf-dir "$work/conf.d" --log-dir "$work/log" \
	--state-dir "$work/state" --cgroup-root supd-demo "$@"
