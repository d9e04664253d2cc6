/*
 * leaky.c - a demo service that leaks memory: it allocates and touches
 * STEP MiB (default 8) every INTERVAL ms (default 500) and says how much it
 * holds, until the kernel's memory limit stops it.
 * usage: supd-demo-leaky [STEP_MIB [INTERVAL_MS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
main(int argc, char **argv)
{
	long step = argc > 1 ? atol(argv[1]) : 8;
	long interval_ms = argc > 2 ? atol(argv[2]) : 500;
	struct timespec pause = {interval_ms / 1000, (interval_ms % 1000) * 1000000L};
	long held = 0;

	if (step <= 0 || interval_ms < 0) {
		fprintf(stderr, "usage: %s [STEP_MIB [INTERVAL_MS]]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		char *p = malloc((size_t)step << 20);

		if (p == NULL) {
			printf("malloc failed at %ld MiB\n", held);
			return 1;
		}
		memset(p, 0xa5, (size_t)step << 20); /* touch it: only touched pages count */
		held += step;
		printf("holding %ld MiB\n", held);
		nanosleep(&pause, NULL);
	}
}
