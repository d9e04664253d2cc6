/*
 * restart.h - the pure policy parts of supervision, kept apart from the
 * state machine so each rule is unit-tested against systemd.service(5):
 * how an exit is classified, whether Restart= restarts after it, the
 * RestartSteps= backoff, and the StartLimit window.
 */
#ifndef SUPD_RESTART_H
#define SUPD_RESTART_H

#include <stdbool.h>
#include <stdint.h>

#include "service.h"
#include "unit.h"

/* How the main process ended: code is CLD_EXITED, CLD_KILLED or CLD_DUMPED,
 * status the exit code or signal number.  oom is true when supd attributes
 * the death to the OOM killer. */
enum service_result restart_classify_exit(const struct unit *u, int code, int status, bool oom);

/*
 * systemd's service_shall_restart(): manual stops never restart;
 * RestartPreventExitStatus= wins over RestartForceExitStatus=, which wins
 * over the Restart= table.  code/status describe the main process's exit
 * (code 0 when there was none, e.g. a timeout before it exited).
 */
bool restart_should(const struct unit *u, enum service_result result, int code, int status,
		    bool manual_stop);

/* The delay before restart number n (1-based), systemd's
 * service_restart_usec_next(): RestartSec grown geometrically over
 * RestartSteps up to RestartMaxDelaySec. */
uint64_t restart_delay_usec(uint64_t restart_usec, unsigned steps, uint64_t max_delay_usec,
			    unsigned n);

/* systemd's ratelimit: a fixed window starting at the first start; every
 * start counts; allowed while num <= burst.  interval 0 or burst 0 disables. */
struct start_limit {
	uint64_t begin_usec; /* CLOCK_MONOTONIC; 0 = no window yet */
	unsigned num;
};
bool start_limit_below(struct start_limit *sl, uint64_t interval_usec, unsigned burst,
		       uint64_t now_usec);
void start_limit_reset(struct start_limit *sl);

#endif
