/*
 * test-unit.c - unit files: every key, resets, drop-ins, warnings for
 * unknown sections and keys, errors naming file:line for invalid values,
 * cross-key checks, conf-dir sets with a bad unit among good ones, and
 * the seed pattern of the memory-limits issue.
 */
#include <signal.h>
#include <stdbool.h>

#include "testlib.h"
#include "unit.h"

#define GB (1024ULL * 1024 * 1024)
#define MB (1024ULL * 1024)

static struct unit_defaults defs;

static void
init_defs(void)
{
	unit_defaults_init(&defs, 16 * GB);
}

/* Write conf/<rel> below the test directory; returns the conf dir. */
static const char *
conf(const char *rel, const char *text)
{
	static char dir[512];
	char rel_path[512];

	snprintf(rel_path, sizeof rel_path, "conf/%s", rel);
	test_write_file(rel_path, text);
	snprintf(dir, sizeof dir, "%s/conf", test_tmpdir());
	return dir;
}

static struct unit *
load(const char *filename, const char *text, struct diag_list *dl)
{
	const char *dir = conf(filename, text);

	init_defs();
	return unit_load(dir, filename, &defs, dl);
}

/* The diagnostic whose message contains needle, or fail. */
static const struct diag *
find_diag(const struct diag_list *dl, enum diag_severity sev, const char *needle)
{
	for (size_t i = 0; i < dl->n; i++) {
		if (dl->items[i].severity == sev && strstr(dl->items[i].msg, needle) != NULL)
			return &dl->items[i];
	}
	for (size_t i = 0; i < dl->n; i++)
		fprintf(stderr, "  diag: %s:%d: %s\n", dl->items[i].file, dl->items[i].line,
			dl->items[i].msg);
	test_fail(__FILE__, __LINE__, "no %s containing \"%s\"",
		  sev == DIAG_ERROR ? "error" : "warning", needle);
}

TEST(minimal_unit_gets_defaults)
{
	struct diag_list dl = {0};
	struct unit *u = load("web.conf", "[Service]\nExecStart=/bin/web\n", &dl);

	ASSERT_EQ(dl.n, 0);
	ASSERT(!u->bad_config);
	ASSERT(u->error == NULL);
	ASSERT_STR_EQ(u->name, "web");
	ASSERT_CONTAINS(u->path, "/conf/web.conf");
	ASSERT(u->dropins != NULL && u->dropins[0] == NULL);
	ASSERT_EQ(u->type, UNIT_TYPE_SIMPLE);
	ASSERT_STR_EQ(u->exec_start.path, "/bin/web");
	ASSERT_EQ(u->restart, UNIT_RESTART_NO);
	ASSERT_U64_EQ(u->restart_usec, 100 * USEC_PER_MSEC);
	ASSERT_U64_EQ(u->restart_max_delay_usec, USEC_INFINITY);
	ASSERT_U64_EQ(u->start_limit_interval_usec, 10 * USEC_PER_SEC);
	ASSERT_EQ(u->start_limit_burst, 5);
	ASSERT_U64_EQ(u->timeout_stop_usec, 90 * USEC_PER_SEC);
	ASSERT_EQ(u->kill_signal, SIGTERM);
	ASSERT_EQ(u->kill_mode, UNIT_KILL_CONTROL_GROUP);
	ASSERT_EQ(u->umask, 0022);
	ASSERT_U64_EQ(u->tasks_max, UINT64_MAX);
	ASSERT(u->auto_start);
	ASSERT_U64_EQ(u->memory_min, 0);
	ASSERT_U64_EQ(u->memory_max, BYTES_INFINITY);
	ASSERT_U64_EQ(u->memory_high, BYTES_INFINITY);
	ASSERT(!u->memory_max_set);
	ASSERT_EQ(u->oom_policy, UNIT_OOM_STOP);
	ASSERT(!u->oom_score_adjust_set);
	ASSERT_U64_EQ(u->log_max_bytes, 10 * MB);
	ASSERT_EQ(u->log_backups, 5);
	ASSERT(u->environment != NULL && u->environment[0] == NULL);
	ASSERT(u->user == NULL && u->working_directory == NULL);
	unit_free(u);
	diag_clear(&dl);
}

TEST(every_key_parsed)
{
	struct diag_list dl = {0};
	struct unit *u = load(
		"db.service",
		"[Unit]\n"
		"Description=Database ; with semicolon\n"
		"StartLimitIntervalSec=5min\n"
		"StartLimitBurst=7\n"
		"[Service]\n"
		"Type=exec\n"
		"ExecStartPre=-/bin/mkdir -p /run/db\n"
		"ExecStartPre=/bin/true\n"
		"ExecStart=/usr/bin/db --config '/etc/db/db.conf' $OPTS\n"
		"ExecStopPost=/bin/rm -f /run/db/lock\n"
		"Environment=A=1 \"B=two words\"\n"
		"Environment=C=3\n"
		"EnvironmentFile=-/etc/default/db\n"
		"User=db\n"
		"Group=1234\n"
		"WorkingDirectory=~\n"
		"UMask=0077\n"
		"Restart=on-failure\n"
		"RestartSec=2.5s\n"
		"RestartSteps=5\n"
		"RestartMaxDelaySec=1min\n"
		"SuccessExitStatus=3 SIGUSR1\n"
		"RestartPreventExitStatus=42\n"
		"RestartForceExitStatus=SIGABRT 9\n"
		"TimeoutStopSec=30\n"
		"KillSignal=SIGINT\n"
		"KillMode=mixed\n"
		"TasksMax=512\n"
		"MemoryMin=64M\n"
		"MemoryLow=128M\n"
		"MemoryHigh=1G\n"
		"MemoryMax=25%\n"
		"MemorySwapMax=0\n"
		"OOMPolicy=kill\n"
		"OOMScoreAdjust=-500\n"
		"AutoStart=no\n"
		"LogMaxBytes=1M\n"
		"LogBackups=2\n",
		&dl);

	ASSERT_EQ(dl.n, 0);
	ASSERT(!u->bad_config);
	ASSERT_STR_EQ(u->description, "Database ; with semicolon");
	ASSERT_U64_EQ(u->start_limit_interval_usec, 300 * USEC_PER_SEC);
	ASSERT_EQ(u->start_limit_burst, 7);
	ASSERT_EQ(u->type, UNIT_TYPE_EXEC);
	ASSERT_EQ(u->n_exec_start_pre, 2);
	ASSERT_EQ(u->exec_start_pre[0].flags, EXEC_FLAG_IGNORE_FAILURE);
	ASSERT_STR_EQ(u->exec_start_pre[0].argv[2], "/run/db");
	ASSERT_STR_EQ(u->exec_start.argv[2], "/etc/db/db.conf");
	ASSERT_STR_EQ(u->exec_start.argv[3], "$OPTS");
	ASSERT_EQ(u->n_exec_stop_post, 1);
	ASSERT_STR_EQ(u->environment[0], "A=1");
	ASSERT_STR_EQ(u->environment[1], "B=two words");
	ASSERT_STR_EQ(u->environment[2], "C=3");
	ASSERT(u->environment[3] == NULL);
	ASSERT_STR_EQ(u->environment_files[0], "-/etc/default/db");
	ASSERT_STR_EQ(u->user, "db");
	ASSERT_STR_EQ(u->group, "1234");
	ASSERT_STR_EQ(u->working_directory, "~");
	ASSERT_EQ(u->umask, 077);
	ASSERT_EQ(u->restart, UNIT_RESTART_ON_FAILURE);
	ASSERT_U64_EQ(u->restart_usec, 2500 * USEC_PER_MSEC);
	ASSERT_EQ(u->restart_steps, 5);
	ASSERT_U64_EQ(u->restart_max_delay_usec, 60 * USEC_PER_SEC);
	ASSERT(exit_status_set_has_status(&u->success_exit_status, 3));
	ASSERT(exit_status_set_has_signal(&u->success_exit_status, SIGUSR1));
	ASSERT(exit_status_set_has_status(&u->restart_prevent_exit_status, 42));
	ASSERT(exit_status_set_has_signal(&u->restart_force_exit_status, SIGABRT));
	ASSERT(exit_status_set_has_status(&u->restart_force_exit_status, 9));
	ASSERT_U64_EQ(u->timeout_stop_usec, 30 * USEC_PER_SEC);
	ASSERT_EQ(u->kill_signal, SIGINT);
	ASSERT_EQ(u->kill_mode, UNIT_KILL_MIXED);
	ASSERT_U64_EQ(u->tasks_max, 512);
	ASSERT_U64_EQ(u->memory_min, 64 * MB);
	ASSERT(u->memory_min_set);
	ASSERT_U64_EQ(u->memory_low, 128 * MB);
	ASSERT_U64_EQ(u->memory_high, GB);
	ASSERT_U64_EQ(u->memory_max, 4 * GB);
	ASSERT(u->memory_max_set);
	ASSERT_U64_EQ(u->memory_swap_max, 0);
	ASSERT(u->memory_swap_max_set);
	ASSERT_EQ(u->oom_policy, UNIT_OOM_KILL);
	ASSERT(u->oom_score_adjust_set);
	ASSERT_EQ(u->oom_score_adjust, -500);
	ASSERT(!u->auto_start);
	ASSERT_U64_EQ(u->log_max_bytes, MB);
	ASSERT_EQ(u->log_backups, 2);
	unit_free(u);
	diag_clear(&dl);
}

TEST(unknown_sections_and_keys_are_warnings)
{
	struct diag_list dl = {0};
	struct unit *u = load("w.service",
			      "[Unit]\nDescription=x\nAfter=network.target\n"
			      "[Service]\nExecStart=/bin/w\nPrivateTmp=yes\n"
			      "[Install]\nWantedBy=multi-user.target\nAlias=x.service\n",
			      &dl);
	const struct diag *d;

	ASSERT(!u->bad_config);
	ASSERT_EQ(dl.nerrors, 0);
	ASSERT_EQ(dl.n, 3);
	d = find_diag(&dl, DIAG_WARNING, "After=network.target");
	ASSERT_EQ(d->line, 3);
	ASSERT_CONTAINS(d->file, "w.service");
	d = find_diag(&dl, DIAG_WARNING, "PrivateTmp");
	ASSERT_EQ(d->line, 6);
	/* One warning for the whole unknown section. */
	d = find_diag(&dl, DIAG_WARNING, "[Install]");
	ASSERT_EQ(d->line, 7); /* the section's header, as systemd says */
	unit_free(u);
	diag_clear(&dl);
}

TEST(assignment_outside_section_is_warning)
{
	struct diag_list dl = {0};
	struct unit *u = load("o.conf", "Foo=bar\n[Service]\nExecStart=/bin/o\n", &dl);

	ASSERT(!u->bad_config);
	ASSERT_EQ(find_diag(&dl, DIAG_WARNING, "outside")->line, 1);
	unit_free(u);
	diag_clear(&dl);
}

TEST(key_in_wrong_section_is_unknown)
{
	struct diag_list dl = {0};
	struct unit *u = load("s.conf", "[Unit]\nMemoryMax=1G\n[Service]\nExecStart=/bin/s\n", &dl);

	ASSERT(!u->bad_config);
	ASSERT(!u->memory_max_set);
	find_diag(&dl, DIAG_WARNING, "[Unit] MemoryMax=1G: unknown key");
	unit_free(u);
	diag_clear(&dl);
}

TEST(invalid_values_are_errors_with_file_line_key)
{
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{"Type=forking", "not supported yet"},
		{"Type=notify", "not supported yet"},
		{"Type=bogus", "invalid service type"},
		{"Restart=sometimes", "invalid"},
		{"Restart=on-watchdog", "watchdog"},
		{"RestartSec=fast", "invalid time span"},
		{"RestartSec=-1", "out of range"},
		{"RestartSteps=x", "invalid number"},
		{"RestartMaxDelaySec=1 parsec", "invalid time span"},
		{"TimeoutStopSec=soon", "invalid time span"},
		{"StartLimitIntervalSec=abc", "invalid time span"},
		{"StartLimitBurst=-3", "negative"},
		{"KillSignal=SIGNOPE", "invalid signal"},
		{"KillMode=none", "not supported"},
		{"KillMode=all", "invalid"},
		{"UMask=0999", "octal"},
		{"User=bad user", "invalid user"},
		{"Group=a:b", "invalid user"},
		{"WorkingDirectory=relative/dir", "absolute"},
		{"EnvironmentFile=relative.env", "absolute"},
		{"Environment=NOEQUALS", "NAME=value"},
		{"ExecStart=+/bin/true", "'+'"},
		{"ExecStartPre=!/bin/true", "'!'"},
		{"ExecStopPost=:/bin/true", "':'"},
		{"ExecStartPre=/bin/a ; /bin/b", "';'"},
		{"ExecStart=/bin/echo 'unbalanced", "unbalanced"},
		{"SuccessExitStatus=256", "0-255"},
		{"RestartPreventExitStatus=SIGBOGUS", "invalid exit status"},
		{"MemoryMax=0", "greater than 0"},
		{"MemoryHigh=0", "greater than 0"},
		{"MemoryMax=7g", "invalid memory size"},
		{"MemoryMax=150%", "out of range"},
		{"MemoryLow=lots", "invalid memory size"},
		{"MemorySwapMax=-1", "invalid memory size"},
		{"OOMPolicy=ignore", "continue, stop, kill"},
		{"OOMScoreAdjust=1001", "-1000 to 1000"},
		{"OOMScoreAdjust=-1001", "-1000 to 1000"},
		{"OOMScoreAdjust=high", "-1000 to 1000"},
		{"TasksMax=0", "greater than 0"},
		{"TasksMax=lots", "number of tasks"},
		{"AutoStart=perhaps", "invalid boolean"},
		{"LogMaxBytes=10", "too small"},
		{"LogBackups=1001", "out of range"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct diag_list dl = {0};
		char *text = xasprintf("[Unit]\nDescription=t\n[Service]\nExecStart=/bin/t\n%s\n",
				       cases[i].line);
		char *want = xasprintf("[Service] %s: ", cases[i].line);
		struct unit *u = load("bad.conf", text, &dl);

		if (!u->bad_config || dl.nerrors != 1)
			test_fail(__FILE__, __LINE__, "%s: bad_config %d, %zu errors", cases[i].line,
				  u->bad_config, dl.nerrors);
		if (dl.items[0].line != 5 || strstr(dl.items[0].file, "bad.conf") == NULL)
			test_fail(__FILE__, __LINE__, "%s: at %s:%d", cases[i].line,
				  dl.items[0].file, dl.items[0].line);
		if (strncmp(dl.items[0].msg, want, strlen(want)) != 0 ||
		    strstr(dl.items[0].msg, cases[i].why) == NULL)
			test_fail(__FILE__, __LINE__, "%s: message \"%s\" lacks \"%s\"",
				  cases[i].line, dl.items[0].msg, cases[i].why);
		ASSERT_CONTAINS(u->error, "bad.conf:5: [Service] ");
		ASSERT_CONTAINS(u->error, cases[i].why);
		unit_free(u);
		diag_clear(&dl);
		free(text);
		free(want);
	}
}

TEST(first_error_is_kept_and_all_are_reported)
{
	struct diag_list dl = {0};
	struct unit *u = load("e.conf",
			      "[Service]\nExecStart=/bin/e\nRestartSec=x\nMemoryMax=0\nType=forking\n",
			      &dl);

	ASSERT(u->bad_config);
	ASSERT_EQ(dl.nerrors, 3);
	ASSERT_CONTAINS(u->error, "e.conf:3: [Service] RestartSec=x: ");
	unit_free(u);
	diag_clear(&dl);
}

TEST(invalid_value_keeps_previous)
{
	struct diag_list dl = {0};
	struct unit *u = load("k.conf", "[Service]\nExecStart=/bin/k\nRestartSec=5\nRestartSec=x\n",
			      &dl);

	ASSERT(u->bad_config);
	ASSERT_U64_EQ(u->restart_usec, 5 * USEC_PER_SEC);
	unit_free(u);
	diag_clear(&dl);
}

TEST(reader_syntax_errors_make_unit_bad)
{
	struct diag_list dl = {0};
	char *text = xasprintf("[Service]\nExecStart=/bin/x\nNoEquals\n");
	struct unit *u = load("r.conf", text, &dl);

	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "r.conf:3: ");
	unit_free(u);
	diag_clear(&dl);
	free(text);
}

TEST(long_exec_line_kept_whole)
{
	struct diag_list dl = {0};
	char arg[1001];
	char *text;
	struct unit *u;

	memset(arg, 'a', sizeof arg - 1);
	arg[sizeof arg - 1] = '\0';
	text = xasprintf("[Service]\nExecStart=/bin/echo %s end\n", arg);
	u = load("long.conf", text, &dl);
	ASSERT(!u->bad_config);
	ASSERT_STR_EQ(u->exec_start.argv[1], arg);
	ASSERT_STR_EQ(u->exec_start.argv[2], "end");
	unit_free(u);
	diag_clear(&dl);
	free(text);
}

TEST(over_long_exec_line_is_error_not_truncated)
{
	struct diag_list dl = {0};
	size_t n = 20000;
	char *arg = xmalloc(n + 1);
	char *text;
	struct unit *u;

	memset(arg, 'a', n);
	arg[n] = '\0';
	text = xasprintf("[Service]\nExecStart=/bin/echo %s\n", arg);
	u = load("long.conf", text, &dl);
	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "long.conf:2: line too long");
	ASSERT(u->exec_start.path == NULL);
	unit_free(u);
	diag_clear(&dl);
	free(text);
	free(arg);
}

TEST(exec_with_semicolon_and_continuation)
{
	struct diag_list dl = {0};
	struct unit *u = load("c.conf",
			      "[Service]\nExecStart=/bin/sh -c \\\n   'echo a ; sleep 1'\n", &dl);

	ASSERT_EQ(dl.n, 0);
	ASSERT_STR_EQ(u->exec_start.argv[2], "echo a ; sleep 1");
	ASSERT(u->exec_start.argv[3] == NULL);
	ASSERT_EQ(u->settings[0].line, 2);
	unit_free(u);
	diag_clear(&dl);
}

TEST(empty_assignment_resets_lists)
{
	struct diag_list dl = {0};
	struct unit *u = load("l.conf",
			      "[Service]\nExecStart=/bin/l\n"
			      "Environment=A=1 B=2\nEnvironment=\nEnvironment=C=3\n"
			      "EnvironmentFile=/a\nEnvironmentFile=\nEnvironmentFile=-/b\n"
			      "ExecStartPre=/bin/p1\nExecStartPre=\nExecStartPre=/bin/p2\n"
			      "ExecStopPost=/bin/s1\nExecStopPost=\n"
			      "SuccessExitStatus=1 2\nSuccessExitStatus=\nSuccessExitStatus=3\n"
			      "RestartPreventExitStatus=4\nRestartPreventExitStatus=\n"
			      "RestartForceExitStatus=5\nRestartForceExitStatus=\n",
			      &dl);

	ASSERT_EQ(dl.n, 0);
	ASSERT_STR_EQ(u->environment[0], "C=3");
	ASSERT(u->environment[1] == NULL);
	ASSERT_STR_EQ(u->environment_files[0], "-/b");
	ASSERT(u->environment_files[1] == NULL);
	ASSERT_EQ(u->n_exec_start_pre, 1);
	ASSERT_STR_EQ(u->exec_start_pre[0].path, "/bin/p2");
	ASSERT_EQ(u->n_exec_stop_post, 0);
	ASSERT(!exit_status_set_has_status(&u->success_exit_status, 1));
	ASSERT(exit_status_set_has_status(&u->success_exit_status, 3));
	ASSERT(exit_status_set_empty(&u->restart_prevent_exit_status));
	ASSERT(exit_status_set_empty(&u->restart_force_exit_status));
	unit_free(u);
	diag_clear(&dl);
}

TEST(empty_assignment_resets_scalars_to_default)
{
	struct diag_list dl = {0};
	struct unit *u = load("r.conf",
			      "[Unit]\nDescription=x\nDescription=\nStartLimitBurst=9\nStartLimitBurst=\n"
			      "[Service]\nExecStart=/bin/r\n"
			      "Type=oneshot\nType=\nRestart=always\nRestart=\nRestartSec=9\nRestartSec=\n"
			      "TimeoutStopSec=1\nTimeoutStopSec=\nKillSignal=KILL\nKillSignal=\n"
			      "KillMode=process\nKillMode=\nUMask=0\nUMask=\nUser=x\nUser=\n"
			      "MemoryMax=1G\nMemoryMax=\nMemoryLow=1G\nMemoryLow=\n"
			      "OOMPolicy=continue\nOOMPolicy=\nOOMScoreAdjust=5\nOOMScoreAdjust=\n"
			      "TasksMax=10\nTasksMax=\nAutoStart=no\nAutoStart=\n"
			      "LogBackups=1\nLogBackups=\nRestartMaxDelaySec=5\nRestartMaxDelaySec=\n",
			      &dl);

	ASSERT_EQ(dl.n, 0);
	ASSERT(u->description == NULL);
	ASSERT_EQ(u->start_limit_burst, 5);
	ASSERT_EQ(u->type, UNIT_TYPE_SIMPLE);
	ASSERT_EQ(u->restart, UNIT_RESTART_NO);
	ASSERT_U64_EQ(u->restart_usec, 100 * USEC_PER_MSEC);
	ASSERT_U64_EQ(u->timeout_stop_usec, 90 * USEC_PER_SEC);
	ASSERT_EQ(u->kill_signal, SIGTERM);
	ASSERT_EQ(u->kill_mode, UNIT_KILL_CONTROL_GROUP);
	ASSERT_EQ(u->umask, 0022);
	ASSERT(u->user == NULL);
	ASSERT_U64_EQ(u->memory_max, BYTES_INFINITY);
	ASSERT(!u->memory_max_set);
	ASSERT_U64_EQ(u->memory_low, 0);
	ASSERT(!u->memory_low_set);
	ASSERT_EQ(u->oom_policy, UNIT_OOM_STOP);
	ASSERT(!u->oom_score_adjust_set);
	ASSERT_U64_EQ(u->tasks_max, UINT64_MAX);
	ASSERT(u->auto_start);
	ASSERT_EQ(u->log_backups, 5);
	ASSERT_U64_EQ(u->restart_max_delay_usec, USEC_INFINITY);
	unit_free(u);
	diag_clear(&dl);
}

TEST(timeout_stop_zero_means_infinity)
{
	struct diag_list dl = {0};
	struct unit *u = load("t.conf", "[Service]\nExecStart=/bin/t\nTimeoutStopSec=0\n", &dl);

	ASSERT_U64_EQ(u->timeout_stop_usec, USEC_INFINITY);
	unit_free(u);
	diag_clear(&dl);
}

TEST(defaults_come_from_daemon_defaults)
{
	struct diag_list dl = {0};
	const char *dir = conf("d.conf", "[Service]\nExecStart=/bin/d\n");
	struct unit *u;

	init_defs();
	defs.restart_usec = 3 * USEC_PER_SEC;
	defs.start_limit_burst = 2;
	defs.oom_policy = UNIT_OOM_CONTINUE;
	defs.timeout_stop_usec = 7 * USEC_PER_SEC;
	u = unit_load(dir, "d.conf", &defs, &dl);
	ASSERT_U64_EQ(u->restart_usec, 3 * USEC_PER_SEC);
	ASSERT_EQ(u->start_limit_burst, 2);
	ASSERT_EQ(u->oom_policy, UNIT_OOM_CONTINUE);
	ASSERT_U64_EQ(u->timeout_stop_usec, 7 * USEC_PER_SEC);
	unit_free(u);
	diag_clear(&dl);
}

TEST(start_limit_keys_accepted_in_service_and_legacy_name)
{
	struct diag_list dl = {0};
	struct unit *u = load("sl.conf",
			      "[Service]\nExecStart=/bin/s\nStartLimitIntervalSec=60\n"
			      "StartLimitBurst=2\n",
			      &dl);

	ASSERT_EQ(dl.n, 0);
	ASSERT_U64_EQ(u->start_limit_interval_usec, 60 * USEC_PER_SEC);
	ASSERT_EQ(u->start_limit_burst, 2);
	unit_free(u);
	diag_clear(&dl);
	u = load("sl2.conf", "[Service]\nExecStart=/bin/s\nStartLimitInterval=0\n", &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_U64_EQ(u->start_limit_interval_usec, 0);
	ASSERT_STR_EQ(unit_setting_last(u, "StartLimitIntervalSec")->value, "0");
	unit_free(u);
	diag_clear(&dl);
}

TEST(exec_start_missing_is_error)
{
	struct diag_list dl = {0};
	struct unit *u = load("m.conf", "[Unit]\nDescription=nothing to run\n", &dl);

	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "m.conf: [Service] ExecStart= is missing");
	unit_free(u);
	diag_clear(&dl);
}

TEST(exec_start_twice_is_error)
{
	struct diag_list dl = {0};
	struct unit *u = load("two.conf", "[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n", &dl);

	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "two.conf:3: [Service] ExecStart=/bin/b: more than one");
	unit_free(u);
	diag_clear(&dl);
	u = load("two1.conf", "[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n", &dl);
	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "not supported yet");
	unit_free(u);
	diag_clear(&dl);
}

TEST(exec_start_reset_then_replaced)
{
	struct diag_list dl = {0};
	struct unit *u = load("rr.conf", "[Service]\nExecStart=/bin/a\nExecStart=\nExecStart=/bin/b\n",
			      &dl);

	ASSERT(!u->bad_config);
	ASSERT_STR_EQ(u->exec_start.path, "/bin/b");
	unit_free(u);
	diag_clear(&dl);
}

TEST(oneshot_with_restart_always_is_error)
{
	struct diag_list dl = {0};
	struct unit *u = load("os.conf", "[Service]\nType=oneshot\nExecStart=/bin/a\nRestart=always\n",
			      &dl);

	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "os.conf:4: [Service] Restart=always: not allowed with Type=oneshot");
	unit_free(u);
	diag_clear(&dl);
	u = load("os2.conf", "[Service]\nType=oneshot\nExecStart=/bin/a\nRestart=on-failure\n", &dl);
	ASSERT(!u->bad_config);
	unit_free(u);
	diag_clear(&dl);
}

TEST(settings_record_file_and_line)
{
	struct diag_list dl = {0};
	const struct unit_setting *s;
	struct unit *u;

	conf("p.service.d/10-mem.conf", "[Service]\nMemoryMax=2G\n");
	u = load("p.service", "[Unit]\nDescription=p\n[Service]\nExecStart=/bin/p\nMemoryMax=1G\n",
		 &dl);
	ASSERT_EQ(u->n_settings, 4);
	ASSERT_STR_EQ(u->settings[0].section, "Unit");
	ASSERT_STR_EQ(u->settings[0].key, "Description");
	ASSERT_EQ(u->settings[2].line, 5);
	s = unit_setting_last(u, "MemoryMax");
	ASSERT_STR_EQ(s->value, "2G");
	ASSERT_CONTAINS(s->file, "p.service.d/10-mem.conf");
	ASSERT_EQ(s->line, 2);
	ASSERT(unit_setting_last(u, "MemoryHigh") == NULL);
	unit_free(u);
	diag_clear(&dl);
}

TEST(seed_pattern_with_memory_dropin)
{
	struct diag_list dl = {0};
	struct unit *u;

	conf("immich-ml.service.d/memory.conf",
	     "[Service]\nMemoryMax=7G\nOOMPolicy=continue\n");
	u = load("immich-ml.service",
		 "[Unit]\n"
		 "Description=Immich machine learning\n"
		 "StartLimitIntervalSec=300\n"
		 "StartLimitBurst=3\n"
		 "\n"
		 "[Service]\n"
		 "ExecStart=/usr/bin/python3 -m immich_ml\n"
		 "MemoryMax=7G\n"
		 "OOMPolicy=continue\n"
		 "Restart=always\n"
		 "RestartSec=10\n"
		 "\n"
		 "[Install]\n"
		 "WantedBy=multi-user.target\n",
		 &dl);

	ASSERT_EQ(dl.nerrors, 0);
	ASSERT(!u->bad_config);
	ASSERT_U64_EQ(u->memory_max, 7 * GB);
	ASSERT(u->memory_max_set);
	ASSERT_EQ(u->oom_policy, UNIT_OOM_CONTINUE);
	ASSERT_EQ(u->restart, UNIT_RESTART_ALWAYS);
	ASSERT_U64_EQ(u->restart_usec, 10 * USEC_PER_SEC);
	ASSERT_U64_EQ(u->start_limit_interval_usec, 300 * USEC_PER_SEC);
	ASSERT_EQ(u->start_limit_burst, 3);
	ASSERT_CONTAINS(u->dropins[0], "immich-ml.service.d/memory.conf");
	ASSERT(u->dropins[1] == NULL);
	ASSERT_CONTAINS(unit_setting_last(u, "MemoryMax")->file, "memory.conf");
	unit_free(u);
	diag_clear(&dl);
}

TEST(dropins_lexical_order_across_both_dirs)
{
	struct diag_list dl = {0};
	struct unit *u;

	conf("q.conf.d/20-b.conf", "[Service]\nRestartSec=20\nEnvironment=B=2\n");
	conf("q.service.d/10-a.conf", "[Service]\nRestartSec=10\nEnvironment=A=1\n");
	conf("q.conf.d/30-c.conf", "[Service]\nEnvironment=\nEnvironment=C=3\n");
	conf("q.conf.d/notes.txt", "[Service]\nRestartSec=99\n");
	conf("q.conf.d/.hidden.conf", "[Service]\nRestartSec=98\n");
	u = load("q.conf", "[Service]\nExecStart=/bin/q\nRestartSec=1\n", &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_CONTAINS(u->dropins[0], "q.service.d/10-a.conf");
	ASSERT_CONTAINS(u->dropins[1], "q.conf.d/20-b.conf");
	ASSERT_CONTAINS(u->dropins[2], "q.conf.d/30-c.conf");
	ASSERT(u->dropins[3] == NULL);
	ASSERT_U64_EQ(u->restart_usec, 20 * USEC_PER_SEC);
	ASSERT_STR_EQ(u->environment[0], "C=3");
	ASSERT(u->environment[1] == NULL);
	unit_free(u);
	diag_clear(&dl);
}

TEST(dropin_same_name_matching_suffix_wins)
{
	struct diag_list dl = {0};
	struct unit *u;

	conf("z.service.d/mem.conf", "[Service]\nMemoryMax=1G\n");
	conf("z.conf.d/mem.conf", "[Service]\nMemoryMax=2G\n");
	u = load("z.service", "[Service]\nExecStart=/bin/z\n", &dl);
	ASSERT_U64_EQ(u->memory_max, GB);
	ASSERT_CONTAINS(u->dropins[0], "z.service.d/mem.conf");
	ASSERT(u->dropins[1] == NULL);
	find_diag(&dl, DIAG_WARNING, "same name");
	unit_free(u);
	diag_clear(&dl);
}

TEST(dropin_error_names_dropin_file)
{
	struct diag_list dl = {0};
	struct unit *u;

	conf("de.conf.d/x.conf", "[Service]\nMemoryMax=lots\n");
	u = load("de.conf", "[Service]\nExecStart=/bin/de\n", &dl);
	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "de.conf.d/x.conf:2: [Service] MemoryMax=lots: ");
	unit_free(u);
	diag_clear(&dl);
}

TEST(invalid_names_are_errors)
{
	static const char *const bad[] = {".hidden.conf", "a b.conf", "x;y.service", ".conf",
					  "web.txt"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct diag_list dl = {0};
		struct unit *u = load(bad[i], "[Service]\nExecStart=/bin/x\n", &dl);

		if (!u->bad_config)
			test_fail(__FILE__, __LINE__, "%s accepted", bad[i]);
		unit_free(u);
		diag_clear(&dl);
	}
}

TEST(valid_names)
{
	static const char *const good[] = {"web.conf", "getty@tty1.service", "a_b-c.d:e.conf"};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct diag_list dl = {0};
		struct unit *u = load(good[i], "[Service]\nExecStart=/bin/x\n", &dl);

		if (u->bad_config)
			test_fail(__FILE__, __LINE__, "%s: %s", good[i], u->error);
		unit_free(u);
		diag_clear(&dl);
	}
}

TEST(missing_file_is_error)
{
	struct diag_list dl = {0};
	struct unit *u;

	init_defs();
	u = unit_load(test_tmpdir(), "nope.conf", &defs, &dl);
	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "cannot read");
	unit_free(u);
	diag_clear(&dl);
}

TEST(set_loads_sorted_with_bad_unit_among_good)
{
	struct diag_list dl = {0};
	struct unit_set set;
	const char *dir;

	conf("b.conf", "[Service]\nExecStart=/bin/b\n");
	conf("a.service", "[Service]\nExecStart=/bin/a\n");
	conf("c.conf", "[Service]\nExecStart=/bin/c\nMemoryMax=0\n");
	conf("README", "not a unit\n");
	conf("b.conf.d/x.conf", "[Service]\nRestartSec=1\n");
	conf("notes.txt", "x\n");
	dir = conf("d.conf", "[Service]\nExecStart=/bin/d\n");
	init_defs();
	ASSERT_EQ(unit_set_load(dir, &defs, &set, &dl), 0);
	ASSERT_EQ(set.n, 4);
	ASSERT_STR_EQ(set.units[0]->name, "a");
	ASSERT_STR_EQ(set.units[1]->name, "b");
	ASSERT_STR_EQ(set.units[2]->name, "c");
	ASSERT_STR_EQ(set.units[3]->name, "d");
	ASSERT(!set.units[0]->bad_config && !set.units[1]->bad_config);
	ASSERT(set.units[2]->bad_config);
	ASSERT(!set.units[3]->bad_config);
	ASSERT_U64_EQ(set.units[1]->restart_usec, USEC_PER_SEC);
	ASSERT_EQ(dl.nerrors, 1);
	unit_set_free(&set);
	diag_clear(&dl);
}

TEST(set_rejects_name_defined_twice)
{
	struct diag_list dl = {0};
	struct unit_set set;
	const char *dir;

	conf("dup.conf", "[Service]\nExecStart=/bin/a\n");
	dir = conf("dup.service", "[Service]\nExecStart=/bin/b\n");
	conf("ok.conf", "[Service]\nExecStart=/bin/ok\n");
	init_defs();
	ASSERT_EQ(unit_set_load(dir, &defs, &set, &dl), 0);
	ASSERT_EQ(set.n, 2);
	ASSERT_STR_EQ(set.units[0]->name, "dup");
	ASSERT(set.units[0]->bad_config);
	ASSERT_CONTAINS(set.units[0]->error, "both define service \"dup\"");
	ASSERT(!set.units[1]->bad_config);
	unit_set_free(&set);
	diag_clear(&dl);
}

TEST(set_ignores_directories_and_hidden_files)
{
	struct diag_list dl = {0};
	struct unit_set set;
	const char *dir;

	conf("weird.conf/inner", "x\n");
	conf(".swap.conf", "garbage\n");
	dir = conf("real.conf", "[Service]\nExecStart=/bin/r\n");
	init_defs();
	ASSERT_EQ(unit_set_load(dir, &defs, &set, &dl), 0);
	ASSERT_EQ(set.n, 1);
	ASSERT_STR_EQ(set.units[0]->name, "real");
	ASSERT_EQ(dl.nerrors, 0);
	unit_set_free(&set);
	diag_clear(&dl);
}

TEST(set_missing_dir_is_error)
{
	struct diag_list dl = {0};
	struct unit_set set;

	init_defs();
	ASSERT(unit_set_load("/nonexistent/supd-conf", &defs, &set, &dl) < 0);
	ASSERT_EQ(dl.nerrors, 1);
	ASSERT_EQ(set.n, 0);
	diag_clear(&dl);
}

TEST(unit_equal_compares_what_runs)
{
	struct diag_list dl = {0};
	const char *base = "[Service]\nExecStart=/bin/e -x\nMemoryMax=1G\nEnvironment=A=1\n";
	struct unit *a = load("e1.conf", base, &dl);
	struct unit *b = load("e2.conf", base, &dl);
	struct unit *c = load("e3.conf",
			      "[Unit]\nDescription=only the text differs\n[Service]\n"
			      "ExecStart=/bin/e -x\nMemoryMax=1G\nEnvironment=A=1\n",
			      &dl);
	struct unit *d = load("e4.conf", "[Service]\nExecStart=/bin/e -y\nMemoryMax=1G\nEnvironment=A=1\n",
			      &dl);
	struct unit *e = load("e5.conf", "[Service]\nExecStart=/bin/e -x\nMemoryMax=2G\nEnvironment=A=1\n",
			      &dl);
	struct unit *f = load("e6.conf", "[Service]\nExecStart=/bin/e -x\nMemoryMax=1G\nEnvironment=A=2\n",
			      &dl);

	ASSERT(unit_equal(a, b));
	ASSERT(unit_equal(a, c));
	ASSERT(!unit_equal(a, d));
	ASSERT(!unit_equal(a, e));
	ASSERT(!unit_equal(a, f));
	unit_free(a);
	unit_free(b);
	unit_free(c);
	unit_free(d);
	unit_free(e);
	unit_free(f);
	diag_clear(&dl);
}

TEST(enum_names)
{
	enum unit_oom_policy p;

	ASSERT_STR_EQ(unit_restart_name(UNIT_RESTART_ON_ABNORMAL), "on-abnormal");
	ASSERT_STR_EQ(unit_type_name(UNIT_TYPE_ONESHOT), "oneshot");
	ASSERT_STR_EQ(unit_kill_mode_name(UNIT_KILL_CONTROL_GROUP), "control-group");
	ASSERT_STR_EQ(unit_oom_policy_name(UNIT_OOM_CONTINUE), "continue");
	ASSERT_EQ(unit_oom_policy_parse("kill", &p), 0);
	ASSERT_EQ(p, UNIT_OOM_KILL);
	ASSERT_EQ(unit_oom_policy_parse("Kill", &p), -1);
}

TEST(tasks_max_percentage)
{
	struct diag_list dl = {0};
	struct unit *u = load("tm.conf", "[Service]\nExecStart=/bin/t\nTasksMax=50%\n", &dl);

	ASSERT(!u->bad_config);
	ASSERT(u->tasks_max > 0 && u->tasks_max < UINT64_MAX);
	unit_free(u);
	diag_clear(&dl);
}

TEST(example_units_load_without_errors)
{
	struct diag_list dl = {0};
	struct unit_set set;

	/* tests/run.sh runs the binaries from the top of the tree. */
	init_defs();
	ASSERT_EQ(unit_set_load("examples/units", &defs, &set, &dl), 0);
	for (size_t i = 0; i < dl.n; i++) {
		if (dl.items[i].severity == DIAG_ERROR)
			test_fail(__FILE__, __LINE__, "%s:%d: %s", dl.items[i].file, dl.items[i].line,
				  dl.items[i].msg);
	}
	ASSERT_EQ(set.n, 4);
	ASSERT_STR_EQ(set.units[0]->name, "immich-ml");
	ASSERT_U64_EQ(set.units[0]->memory_high, 6 * GB);
	ASSERT_U64_EQ(set.units[0]->memory_max, 7 * GB);
	ASSERT_U64_EQ(set.units[0]->memory_swap_max, GB);
	ASSERT_EQ(set.units[0]->oom_policy, UNIT_OOM_CONTINUE);
	ASSERT_EQ(set.units[0]->start_limit_burst, 3);
	ASSERT_STR_EQ(set.units[1]->name, "ollama");
	ASSERT(!set.units[1]->auto_start);
	ASSERT_STR_EQ(set.units[2]->name, "postgres");
	ASSERT_EQ(set.units[2]->kill_signal, SIGINT);
	ASSERT_STR_EQ(set.units[3]->name, "redis");
	ASSERT_U64_EQ(set.units[3]->memory_max, 4 * GB);
	for (size_t i = 0; i < set.n; i++)
		ASSERT(!set.units[i]->bad_config);
	unit_set_free(&set);
	diag_clear(&dl);
}

TEST(specifiers_expanded_as_systemd)
{
	struct diag_list dl = {0};
	struct unit *u = load("getty@tty1.service",
			      "[Unit]\nDescription=Getty on %I (%n)\n[Service]\n"
			      "ExecStart=/sbin/agetty %i --name %N --prefix %p 'date +%%s' 50% %-x\n"
			      "Environment=STATE=%S/%p RUN=%t\nWorkingDirectory=%T\n",
			      &dl);
	const char *const want[] = {"/sbin/agetty", "tty1", "--name", "getty@tty1", "--prefix",
				    "getty", "date +%s", "50%", "%-x", NULL};

	ASSERT_EQ(dl.nerrors, 0);
	ASSERT_STR_EQ(u->description, "Getty on tty1 (getty@tty1.service)");
	for (size_t i = 0; want[i] != NULL; i++)
		ASSERT_STR_EQ(u->exec_start.argv[i], want[i]);
	ASSERT(u->exec_start.argv[9] == NULL);
	ASSERT_STR_EQ(u->environment[0], "STATE=/var/lib/getty");
	ASSERT_STR_EQ(u->environment[1], "RUN=/run");
	ASSERT_STR_EQ(u->working_directory, "/tmp");
	/* show prints the value as written. */
	ASSERT_STR_EQ(unit_setting_last(u, "WorkingDirectory")->value, "%T");
	unit_free(u);
	diag_clear(&dl);
}

TEST(specifier_instance_unescaped)
{
	struct diag_list dl = {0};
	struct unit *u = load("backup@var-lib.service", "[Service]\nExecStart=/bin/b %I %i\n", &dl);

	ASSERT_EQ(dl.nerrors, 0);
	ASSERT_STR_EQ(u->exec_start.argv[1], "var/lib");
	ASSERT_STR_EQ(u->exec_start.argv[2], "var-lib");
	unit_free(u);
	diag_clear(&dl);
}

TEST(unknown_specifier_is_error)
{
	struct diag_list dl = {0};
	struct unit *u = load("sp.conf", "[Service]\nExecStart=/bin/date +%z\n", &dl);

	ASSERT(u->bad_config);
	ASSERT_CONTAINS(u->error, "sp.conf:2: [Service] ExecStart=/bin/date +%z: unknown specifier");
	unit_free(u);
	diag_clear(&dl);
}

TEST(settings_in_effect_after_dropins_and_resets)
{
	struct diag_list dl = {0};
	struct unit *u;

	test_write_file("conf/e.service.d/a.conf",
			"[Service]\nMemoryMax=2G\nEnvironment=\nEnvironment=C=3\n");
	u = load("e.service",
		 "[Service]\nExecStart=/bin/e\nMemoryMax=7G\nEnvironment=A=1\nEnvironment=B=2\n", &dl);
	ASSERT(!u->bad_config);
	for (size_t i = 0; i < u->n_settings; i++) {
		const struct unit_setting *st = &u->settings[i];
		bool want = strcmp(st->value, "2G") == 0 || strcmp(st->value, "C=3") == 0 ||
			    strcmp(st->key, "ExecStart") == 0;

		if (unit_setting_in_effect(u, i) != want)
			test_fail(__FILE__, __LINE__, "%s=%s at %s:%d: in effect %d", st->key,
				  st->value, st->file, st->line, !want);
	}
	unit_free(u);
	diag_clear(&dl);
}
