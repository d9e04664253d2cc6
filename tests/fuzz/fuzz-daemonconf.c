/*
 * fuzz-daemonconf.c - supd.conf through daemon_conf_load(): the same
 * reader as units with the [supd] keys (paths, Default*= values, the log
 * level).  A bad supd.conf must be reported, never half-applied in a way
 * that leaves a NULL path behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemonconf.h"
#include "fuzzlib.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzzlib_scratch_dir();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct daemon_conf c;
	struct diag_list dl = {0};
	char path[512];
	int r;

	snprintf(path, sizeof path, "%s/supd.conf", fuzzlib_scratch_dir());
	fuzzlib_write_file(path, data, size);
	daemon_conf_init(&c, 8ULL << 30);
	r = daemon_conf_load(&c, path, true, &dl);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	FUZZ_CHECK((r == 0) == (dl.nerrors == 0));
	/* Every path keeps a value (a default or an accepted one). */
	FUZZ_CHECK(c.socket_path != NULL && c.conf_dir != NULL && c.log_dir != NULL);
	FUZZ_CHECK(c.state_dir != NULL && c.cgroup_root != NULL && c.log_level != NULL);
	if (r == 0) {
		FUZZ_CHECK(c.socket_path[0] == '/' && strlen(c.socket_path) < 108);
		FUZZ_CHECK(c.conf_dir[0] == '/' && c.log_dir[0] == '/' && c.state_dir[0] == '/');
	}
	for (size_t i = 0; i < dl.n; i++) {
		char *s = diag_format(&dl.items[i]);

		FUZZ_CHECK(s != NULL);
		free(s);
	}
	daemon_conf_free(&c);
	diag_clear(&dl);
	return 0;
}
