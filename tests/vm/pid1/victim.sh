# Run by supd as the VM's PID 1: says on the console that it got SIGTERM,
# which the host requires to see before the kernel's "Power down".
trap 'echo "@@SUPDVM@@ STOPPED victim" >/dev/console; exit 0' TERM
sleep 100000 &
wait
