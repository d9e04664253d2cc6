/*
 * test-daemonconf.c - supd.conf: built-in defaults, every key, resets,
 * unknown keys as warnings, invalid values as errors naming file:line.
 */
#include <errno.h>

#include "daemonconf.h"
#include "testlib.h"

#define GB (1024ULL * 1024 * 1024)

TEST(builtin_defaults)
{
	struct daemon_conf c;

	daemon_conf_init(&c, 8 * GB);
	ASSERT_STR_EQ(c.socket_path, "/run/supd/supd.sock");
	ASSERT(c.socket_group == NULL);
	ASSERT_STR_EQ(c.conf_dir, "/etc/supd/conf.d");
	ASSERT_STR_EQ(c.log_dir, "/var/log/supd");
	ASSERT_STR_EQ(c.state_dir, "/var/lib/supd");
	ASSERT_STR_EQ(c.cgroup_root, "supd");
	ASSERT_STR_EQ(c.log_level, "info");
	ASSERT_U64_EQ(c.defaults.restart_usec, 100 * USEC_PER_MSEC);
	ASSERT_U64_EQ(c.defaults.start_limit_interval_usec, 10 * USEC_PER_SEC);
	ASSERT_EQ(c.defaults.start_limit_burst, 5);
	ASSERT_U64_EQ(c.defaults.timeout_stop_usec, 90 * USEC_PER_SEC);
	ASSERT_EQ(c.defaults.oom_policy, UNIT_OOM_STOP);
	ASSERT_U64_EQ(c.defaults.log_max_bytes, 10 * 1024 * 1024);
	ASSERT_EQ(c.defaults.log_backups, 5);
	ASSERT_U64_EQ(c.defaults.physical_memory, 8 * GB);
	daemon_conf_free(&c);
}

TEST(every_key)
{
	struct daemon_conf c;
	struct diag_list dl = {0};
	const char *path = test_write_file(
		"supd.conf",
		"# supd.conf\n"
		"[supd]\n"
		"Socket=/tmp/s.sock\n"
		"SocketGroup=supd\n"
		"ConfDir=/srv/conf.d\n"
		"LogDir=/srv/log\n"
		"StateDir=/srv/state\n"
		"CgroupRoot=apps/supd\n"
		"DefaultRestartSec=1s\n"
		"DefaultStartLimitIntervalSec=5min\n"
		"DefaultStartLimitBurst=3\n"
		"DefaultTimeoutStopSec=20s\n"
		"DefaultOOMPolicy=continue\n"
		"LogMaxBytes=1M\n"
		"LogBackups=2\n"
		"LogLevel=debug\n");

	daemon_conf_init(&c, 8 * GB);
	ASSERT_EQ(daemon_conf_load(&c, path, true, &dl), 0);
	ASSERT_EQ(dl.n, 0);
	ASSERT_STR_EQ(c.socket_path, "/tmp/s.sock");
	ASSERT_STR_EQ(c.socket_group, "supd");
	ASSERT_STR_EQ(c.conf_dir, "/srv/conf.d");
	ASSERT_STR_EQ(c.log_dir, "/srv/log");
	ASSERT_STR_EQ(c.state_dir, "/srv/state");
	ASSERT_STR_EQ(c.cgroup_root, "apps/supd");
	ASSERT_U64_EQ(c.defaults.restart_usec, USEC_PER_SEC);
	ASSERT_U64_EQ(c.defaults.start_limit_interval_usec, 300 * USEC_PER_SEC);
	ASSERT_EQ(c.defaults.start_limit_burst, 3);
	ASSERT_U64_EQ(c.defaults.timeout_stop_usec, 20 * USEC_PER_SEC);
	ASSERT_EQ(c.defaults.oom_policy, UNIT_OOM_CONTINUE);
	ASSERT_U64_EQ(c.defaults.log_max_bytes, 1024 * 1024);
	ASSERT_EQ(c.defaults.log_backups, 2);
	ASSERT_STR_EQ(c.log_level, "debug");
	ASSERT_U64_EQ(c.defaults.physical_memory, 8 * GB);
	daemon_conf_free(&c);
	diag_clear(&dl);
}

TEST(missing_file_optional_or_required)
{
	struct daemon_conf c;
	struct diag_list dl = {0};

	daemon_conf_init(&c, GB);
	ASSERT_EQ(daemon_conf_load(&c, "/nonexistent/supd.conf", false, &dl), 0);
	ASSERT_EQ(dl.n, 0);
	ASSERT_EQ(daemon_conf_load(&c, "/nonexistent/supd.conf", true, &dl), -ENOENT);
	ASSERT_EQ(dl.nerrors, 1);
	ASSERT_CONTAINS(dl.items[0].msg, "cannot read");
	ASSERT_STR_EQ(c.socket_path, "/run/supd/supd.sock");
	daemon_conf_free(&c);
	diag_clear(&dl);
}

TEST(unknown_keys_and_sections_are_warnings)
{
	struct daemon_conf c;
	struct diag_list dl = {0};
	const char *path = test_write_file("w.conf",
					   "Top=1\n[supd]\nBogus=1\nLogLevel=warn\n[other]\nX=1\nY=2\n");

	daemon_conf_init(&c, GB);
	ASSERT_EQ(daemon_conf_load(&c, path, true, &dl), 0);
	ASSERT_EQ(dl.nerrors, 0);
	ASSERT_EQ(dl.n, 3);
	ASSERT_EQ(dl.items[0].line, 1);
	ASSERT_EQ(dl.items[1].line, 3);
	ASSERT_CONTAINS(dl.items[1].msg, "[supd] Bogus=1: unknown key");
	ASSERT_EQ(dl.items[2].line, 5); /* the section's header */
	ASSERT_CONTAINS(dl.items[2].msg, "[other]");
	ASSERT_STR_EQ(c.log_level, "warn");
	daemon_conf_free(&c);
	diag_clear(&dl);
}

TEST(invalid_values_are_errors)
{
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{"Socket=relative.sock", "absolute"},
		{"ConfDir=conf.d", "absolute"},
		{"LogDir=log", "absolute"},
		{"StateDir=~/state", "absolute"},
		{"SocketGroup=bad group", "invalid group"},
		{"CgroupRoot=../escape", ".."},
		{"CgroupRoot=/", "below the root"},
		{"DefaultRestartSec=soon", "invalid time span"},
		{"DefaultStartLimitIntervalSec=-1", "out of range"},
		{"DefaultStartLimitBurst=many", "invalid number"},
		{"DefaultTimeoutStopSec=x", "invalid time span"},
		{"DefaultOOMPolicy=panic", "continue, stop, kill"},
		{"LogMaxBytes=1k", "invalid size"},
		{"LogMaxBytes=100", "too small"},
		{"LogBackups=5000", "out of range"},
		{"LogLevel=verbose", "err, warn, info, debug"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct daemon_conf c;
		struct diag_list dl = {0};
		char *text = xasprintf("[supd]\n\n%s\n", cases[i].line);
		const char *path = test_write_file("bad.conf", text);
		char *want = xasprintf("[supd] %s: ", cases[i].line);

		daemon_conf_init(&c, GB);
		if (daemon_conf_load(&c, path, true, &dl) != -EINVAL || dl.nerrors != 1)
			test_fail(__FILE__, __LINE__, "%s: not an error", cases[i].line);
		if (dl.items[0].line != 3 || strstr(dl.items[0].file, "bad.conf") == NULL)
			test_fail(__FILE__, __LINE__, "%s: at %s:%d", cases[i].line, dl.items[0].file,
				  dl.items[0].line);
		if (strncmp(dl.items[0].msg, want, strlen(want)) != 0 ||
		    strstr(dl.items[0].msg, cases[i].why) == NULL)
			test_fail(__FILE__, __LINE__, "%s: \"%s\" lacks \"%s\"", cases[i].line,
				  dl.items[0].msg, cases[i].why);
		daemon_conf_free(&c);
		diag_clear(&dl);
		free(text);
		free(want);
	}
}

TEST(invalid_value_keeps_default)
{
	struct daemon_conf c;
	struct diag_list dl = {0};
	const char *path = test_write_file("k.conf", "[supd]\nDefaultRestartSec=bogus\n");

	daemon_conf_init(&c, GB);
	ASSERT_EQ(daemon_conf_load(&c, path, true, &dl), -EINVAL);
	ASSERT_U64_EQ(c.defaults.restart_usec, 100 * USEC_PER_MSEC);
	daemon_conf_free(&c);
	diag_clear(&dl);
}

TEST(empty_assignment_restores_default)
{
	struct daemon_conf c;
	struct diag_list dl = {0};
	const char *path = test_write_file("e.conf",
					   "[supd]\nSocket=/x.sock\nSocket=\nSocketGroup=g\n"
					   "SocketGroup=\nDefaultStartLimitBurst=1\n"
					   "DefaultStartLimitBurst=\nLogLevel=debug\nLogLevel=\n");

	daemon_conf_init(&c, GB);
	ASSERT_EQ(daemon_conf_load(&c, path, true, &dl), 0);
	ASSERT_STR_EQ(c.socket_path, "/run/supd/supd.sock");
	ASSERT(c.socket_group == NULL);
	ASSERT_EQ(c.defaults.start_limit_burst, 5);
	ASSERT_STR_EQ(c.log_level, "info");
	daemon_conf_free(&c);
	diag_clear(&dl);
}

TEST(timeout_zero_means_infinity_and_aliases)
{
	struct daemon_conf c;
	struct diag_list dl = {0};
	const char *path = test_write_file("z.conf",
					   "[supd]\nDefaultTimeoutStopSec=0\nLogLevel=warning\n"
					   "LogMaxBytes=infinity\nCgroupRoot=/abs/root\n");

	daemon_conf_init(&c, GB);
	ASSERT_EQ(daemon_conf_load(&c, path, true, &dl), 0);
	ASSERT_U64_EQ(c.defaults.timeout_stop_usec, USEC_INFINITY);
	ASSERT_STR_EQ(c.log_level, "warn");
	ASSERT_U64_EQ(c.defaults.log_max_bytes, UINT64_MAX);
	ASSERT_STR_EQ(c.cgroup_root, "/abs/root");
	daemon_conf_free(&c);
	diag_clear(&dl);
}

TEST(defaults_flow_into_units)
{
	struct daemon_conf c;
	struct diag_list dl = {0};
	const char *path = test_write_file("d.conf", "[supd]\nDefaultOOMPolicy=kill\n"
						     "DefaultRestartSec=7s\n");
	struct unit *u;
	char *dir;

	test_write_file("conf/a.conf", "[Service]\nExecStart=/bin/a\n");
	dir = xasprintf("%s/conf", test_tmpdir());
	daemon_conf_init(&c, GB);
	ASSERT_EQ(daemon_conf_load(&c, path, true, &dl), 0);
	u = unit_load(dir, "a.conf", &c.defaults, &dl);
	ASSERT_EQ(u->oom_policy, UNIT_OOM_KILL);
	ASSERT_U64_EQ(u->restart_usec, 7 * USEC_PER_SEC);
	unit_free(u);
	free(dir);
	daemon_conf_free(&c);
	diag_clear(&dl);
}
