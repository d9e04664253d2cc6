/*
 * test-values.c - value syntaxes against systemd's semantics: time spans,
 * sizes, memory limits, booleans, signals, exit-status sets, Exec*= word
 * splitting and prefixes, $VAR expansion, Environment= and EnvironmentFile=.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>

#include "testlib.h"
#include "values.h"

#define SEC USEC_PER_SEC
#define MIN (60 * SEC)
#define KB 1024ULL
#define MB (1024ULL * KB)
#define GB (1024ULL * MB)

TEST(timespan_valid)
{
	static const struct {
		const char *in;
		uint64_t usec;
	} cases[] = {
		{"90", 90 * SEC},
		{"0", 0},
		{"5min 20s", 5 * MIN + 20 * SEC},
		{"5min20s", 5 * MIN + 20 * SEC},
		{"100ms", 100 * USEC_PER_MSEC},
		{"1h30m", 90 * MIN},
		{"1.5s", 1500 * USEC_PER_MSEC},
		{"0.5", 500 * USEC_PER_MSEC},
		{"2 min", 2 * MIN},
		{"  10s  ", 10 * SEC},
		{"1d", 86400 * SEC},
		{"1w", 7 * 86400 * SEC},
		{"1M", 2629800 * SEC},
		{"1y", 31557600 * SEC},
		{"3us", 3},
		{"7\xc2\xb5s", 7},
		{"7\xce\xbcs", 7},
		{"3usec", 3},
		{"3 msec", 3000},
		{"2hr", 7200 * SEC},
		{"1 minute 1 second", 61 * SEC},
		{"infinity", USEC_INFINITY},
		{" infinity ", USEC_INFINITY},
		{"300", 300 * SEC},
		{"12.34s.56", 12340 * USEC_PER_MSEC + 560 * USEC_PER_MSEC},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *why = NULL;
		uint64_t v = 1;

		if (parse_timespan(cases[i].in, &v, &why) != 0)
			test_fail(__FILE__, __LINE__, "\"%s\" rejected: %s", cases[i].in, why);
		if (v != cases[i].usec)
			test_fail(__FILE__, __LINE__, "\"%s\": %" PRIu64 " != %" PRIu64,
				  cases[i].in, v, cases[i].usec);
	}
}

TEST(timespan_invalid)
{
	static const char *const bad[] = {
		"", " ", "abc", "-1", "-0", "5 parsecs", "1.", "3.sec", "12.34.56", "infinityx",
		"infinity 5", "5s garbage", "99999999999999999999", "1e3",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why = NULL;
		uint64_t v;

		if (parse_timespan(bad[i], &v, &why) == 0)
			test_fail(__FILE__, __LINE__, "\"%s\" accepted as %" PRIu64, bad[i], v);
		ASSERT(why != NULL);
	}
}

TEST(size_valid)
{
	static const struct {
		const char *in;
		uint64_t bytes;
	} cases[] = {
		{"0", 0},
		{"1024", 1024},
		{"1K", KB},
		{"7G", 7 * GB},
		{"512M", 512 * MB},
		{"1.5G", GB + 512 * MB},
		{"1G 512M", GB + 512 * MB},
		{"1G512M", GB + 512 * MB},
		{"2T", 2048 * GB},
		{"1P", 1ULL << 50},
		{"1E", 1ULL << 60},
		{"100B", 100},
		{"10.M", 10 * MB},
		{" 3 K", 3 * KB},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *why = NULL;
		uint64_t v = 1;

		if (parse_size(cases[i].in, &v, &why) != 0)
			test_fail(__FILE__, __LINE__, "\"%s\" rejected: %s", cases[i].in, why);
		if (v != cases[i].bytes)
			test_fail(__FILE__, __LINE__, "\"%s\": %" PRIu64 " != %" PRIu64,
				  cases[i].in, v, cases[i].bytes);
	}
}

TEST(size_invalid)
{
	static const char *const bad[] = {
		"", "abc", "-1", "1k", "1g", "1KB", "1Gi", "512M 1G", "1M 1M", "16E", "1X",
		"99999999999999999999", "infinity", "5%",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why = NULL;
		uint64_t v;

		if (parse_size(bad[i], &v, &why) == 0)
			test_fail(__FILE__, __LINE__, "\"%s\" accepted as %" PRIu64, bad[i], v);
		ASSERT(why != NULL);
	}
}

TEST(memory_limit_sizes_and_infinity)
{
	const char *why;
	uint64_t v;

	ASSERT_EQ(parse_memory_limit("7G", 16 * GB, false, &v, &why), 0);
	ASSERT_U64_EQ(v, 7 * GB);
	ASSERT_EQ(parse_memory_limit("infinity", 16 * GB, false, &v, &why), 0);
	ASSERT_U64_EQ(v, BYTES_INFINITY);
	ASSERT_EQ(parse_memory_limit("64M", 16 * GB, false, &v, &why), 0);
	ASSERT_U64_EQ(v, 64 * MB);
}

TEST(memory_limit_percentages)
{
	const char *why;
	uint64_t v;

	ASSERT_EQ(parse_memory_limit("50%", 16 * GB, false, &v, &why), 0);
	ASSERT_U64_EQ(v, 8 * GB);
	ASSERT_EQ(parse_memory_limit("100%", 16 * GB + 123, false, &v, &why), 0);
	ASSERT_U64_EQ(v, 16 * GB + 123);
	ASSERT_EQ(parse_memory_limit("12.5%", 16 * GB, false, &v, &why), 0);
	ASSERT_U64_EQ(v, 2 * GB);
	ASSERT_EQ(parse_memory_limit("125\xe2\x80\xb0", 16 * GB, false, &v, &why), 0);
	ASSERT_U64_EQ(v, 2 * GB);
	ASSERT_EQ(parse_memory_limit("1250\xe2\x80\xb1", 16 * GB, false, &v, &why), 0);
	ASSERT_U64_EQ(v, 2 * GB);
	/* Rounded down to whole pages, as systemd's physical_memory_scale(). */
	ASSERT_EQ(parse_memory_limit("0.01%", 16 * GB, false, &v, &why), 0);
	ASSERT_EQ(v % 4096, 0);
	ASSERT(v > 0 && v <= 16 * GB / 10000);
}

TEST(memory_limit_errors)
{
	static const char *const bad[] = {
		"", "0", "0%", "150%", "12.345%", "abc%", "-1G", "7g", "infinity%", "1.5.5%",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why = NULL;
		uint64_t v;

		if (parse_memory_limit(bad[i], 16 * GB, false, &v, &why) == 0)
			test_fail(__FILE__, __LINE__, "\"%s\" accepted as %" PRIu64, bad[i], v);
		ASSERT(why != NULL);
	}
}

TEST(memory_limit_zero_allowed_for_min_low_swap)
{
	const char *why = NULL;
	uint64_t v = 1;

	ASSERT_EQ(parse_memory_limit("0", 16 * GB, true, &v, &why), 0);
	ASSERT_U64_EQ(v, 0);
	ASSERT_EQ(parse_memory_limit("0", 16 * GB, false, &v, &why), -1);
	ASSERT_CONTAINS(why, "greater than 0");
}

TEST(bool_values)
{
	static const char *const yes[] = {"1", "yes", "YES", "y", "true", "t", "on", "On"};
	static const char *const no[] = {"0", "no", "n", "false", "f", "off", "OFF"};
	const char *why;
	bool b;

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		b = false;
		ASSERT_EQ(parse_bool(yes[i], &b, &why), 0);
		ASSERT(b);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		b = true;
		ASSERT_EQ(parse_bool(no[i], &b, &why), 0);
		ASSERT(!b);
	}
	ASSERT_EQ(parse_bool("maybe", &b, &why), -1);
	ASSERT_EQ(parse_bool("", &b, &why), -1);
	ASSERT_EQ(parse_bool("2", &b, &why), -1);
}

TEST(signals)
{
	const char *why;
	int sig = 0;

	ASSERT_EQ(parse_signal("SIGTERM", &sig, &why), 0);
	ASSERT_EQ(sig, SIGTERM);
	ASSERT_EQ(parse_signal("TERM", &sig, &why), 0);
	ASSERT_EQ(sig, SIGTERM);
	ASSERT_EQ(parse_signal("15", &sig, &why), 0);
	ASSERT_EQ(sig, 15);
	ASSERT_EQ(parse_signal("SIGKILL", &sig, &why), 0);
	ASSERT_EQ(sig, SIGKILL);
	ASSERT_EQ(parse_signal("INT", &sig, &why), 0);
	ASSERT_EQ(sig, SIGINT);
	ASSERT_EQ(parse_signal("SIGRTMIN+2", &sig, &why), 0);
	ASSERT_EQ(sig, SIGRTMIN + 2);
	ASSERT_EQ(parse_signal("RTMAX", &sig, &why), 0);
	ASSERT_EQ(sig, SIGRTMAX);
	ASSERT_EQ(parse_signal("SIGFOO", &sig, &why), -1);
	ASSERT_EQ(parse_signal("0", &sig, &why), -1);
	ASSERT_EQ(parse_signal("65", &sig, &why), -1);
	ASSERT_EQ(parse_signal("sigterm", &sig, &why), -1);
	ASSERT_EQ(parse_signal("", &sig, &why), -1);
	ASSERT_EQ(parse_signal("-9", &sig, &why), -1);
}

TEST(signal_names)
{
	ASSERT_STR_EQ(signal_name(SIGTERM), "SIGTERM");
	ASSERT_STR_EQ(signal_name(SIGKILL), "SIGKILL");
	ASSERT_STR_EQ(signal_name(SIGHUP), "SIGHUP");
	ASSERT_STR_EQ(signal_name(40), "SIG40");
	ASSERT(signal_name(0) != NULL);
	ASSERT(signal_name(1000) != NULL);
}

TEST(umask_values)
{
	const char *why;
	unsigned m = 1;

	ASSERT_EQ(parse_umask("0022", &m, &why), 0);
	ASSERT_EQ(m, 022);
	ASSERT_EQ(parse_umask("077", &m, &why), 0);
	ASSERT_EQ(m, 077);
	ASSERT_EQ(parse_umask("0", &m, &why), 0);
	ASSERT_EQ(m, 0);
	ASSERT_EQ(parse_umask("0008", &m, &why), -1);
	ASSERT_EQ(parse_umask("abc", &m, &why), -1);
	ASSERT_EQ(parse_umask("-022", &m, &why), -1);
	ASSERT_EQ(parse_umask("17777", &m, &why), -1);
	ASSERT_EQ(parse_umask("", &m, &why), -1);
}

TEST(integers)
{
	const char *why;
	uint64_t u;
	int64_t i;

	ASSERT_EQ(parse_uint("3", 0, 10, &u, &why), 0);
	ASSERT_U64_EQ(u, 3);
	ASSERT_EQ(parse_uint("11", 0, 10, &u, &why), -1);
	ASSERT_CONTAINS(why, "range");
	ASSERT_EQ(parse_uint("-1", 0, 10, &u, &why), -1);
	ASSERT_EQ(parse_uint("+1", 0, 10, &u, &why), -1);
	ASSERT_EQ(parse_uint("1x", 0, 10, &u, &why), -1);
	ASSERT_EQ(parse_uint("", 0, 10, &u, &why), -1);
	ASSERT_EQ(parse_int("-1000", -1000, 1000, &i, &why), 0);
	ASSERT_EQ(i, -1000);
	ASSERT_EQ(parse_int("1000", -1000, 1000, &i, &why), 0);
	ASSERT_EQ(i, 1000);
	ASSERT_EQ(parse_int("1001", -1000, 1000, &i, &why), -1);
	ASSERT_EQ(parse_int("-1001", -1000, 1000, &i, &why), -1);
	ASSERT_EQ(parse_int("ten", -1000, 1000, &i, &why), -1);
	ASSERT_EQ(parse_int("-", -1000, 1000, &i, &why), -1);
}

TEST(exit_status_set_accumulates)
{
	struct exit_status_set set = {0};
	const char *why;

	ASSERT(exit_status_set_empty(&set));
	ASSERT_EQ(parse_exit_status_set("1 2 SIGHUP", &set, &why), 0);
	ASSERT_EQ(parse_exit_status_set("255 TERM", &set, &why), 0);
	ASSERT(exit_status_set_has_status(&set, 1));
	ASSERT(exit_status_set_has_status(&set, 2));
	ASSERT(exit_status_set_has_status(&set, 255));
	ASSERT(!exit_status_set_has_status(&set, 0));
	ASSERT(!exit_status_set_has_status(&set, 3));
	ASSERT(exit_status_set_has_signal(&set, SIGHUP));
	ASSERT(exit_status_set_has_signal(&set, SIGTERM));
	ASSERT(!exit_status_set_has_signal(&set, SIGKILL));
	ASSERT(!exit_status_set_empty(&set));
}

TEST(exit_status_set_names)
{
	struct exit_status_set set = {0};
	const char *why;

	/* Names as systemd's exit_status_from_string(); "USER" is 217, not a signal. */
	ASSERT_EQ(parse_exit_status_set("TEMPFAIL USAGE CGROUP USER", &set, &why), 0);
	ASSERT(exit_status_set_has_status(&set, 75));
	ASSERT(exit_status_set_has_status(&set, 64));
	ASSERT(exit_status_set_has_status(&set, 219));
	ASSERT(exit_status_set_has_status(&set, 217));
	ASSERT_EQ(set.signals, 0);
}

TEST(exit_status_set_reset_and_errors)
{
	struct exit_status_set set = {0};
	const char *why;

	ASSERT_EQ(parse_exit_status_set("1", &set, &why), 0);
	ASSERT_EQ(parse_exit_status_set("2 256", &set, &why), -1);
	ASSERT_CONTAINS(why, "0-255");
	/* A failed assignment changes nothing. */
	ASSERT(!exit_status_set_has_status(&set, 2));
	ASSERT_EQ(parse_exit_status_set("SIGBOGUS", &set, &why), -1);
	ASSERT_EQ(parse_exit_status_set("-1", &set, &why), -1);
	ASSERT(exit_status_set_has_status(&set, 1));
	ASSERT_EQ(parse_exit_status_set("", &set, &why), 0);
	ASSERT(exit_status_set_empty(&set));
}

static void
check_exec(const char *line, const char *path, int flags, const char *const *argv)
{
	struct exec_command cmd;
	const char *why = NULL;
	size_t i;

	if (parse_exec_command(line, &cmd, &why) != 0)
		test_fail(__FILE__, __LINE__, "[%s] rejected: %s", line, why);
	if (strcmp(cmd.path, path) != 0)
		test_fail(__FILE__, __LINE__, "[%s] path \"%s\" != \"%s\"", line, cmd.path, path);
	if (cmd.flags != flags)
		test_fail(__FILE__, __LINE__, "[%s] flags %d != %d", line, cmd.flags, flags);
	for (i = 0; argv[i] != NULL; i++) {
		if (cmd.argv[i] == NULL || strcmp(cmd.argv[i], argv[i]) != 0)
			test_fail(__FILE__, __LINE__, "[%s] argv[%zu] \"%s\" != \"%s\"", line, i,
				  cmd.argv[i] ? cmd.argv[i] : "(null)", argv[i]);
	}
	if (cmd.argv[i] != NULL)
		test_fail(__FILE__, __LINE__, "[%s] extra argv[%zu] \"%s\"", line, i, cmd.argv[i]);
	exec_command_free(&cmd);
}

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

TEST(exec_plain_words)
{
	check_exec("/usr/bin/redis-server /etc/redis.conf", "/usr/bin/redis-server", 0,
		   ARGV("/usr/bin/redis-server", "/etc/redis.conf"));
	check_exec("  /bin/true  ", "/bin/true", 0, ARGV("/bin/true"));
	check_exec("sleep 10", "sleep", 0, ARGV("sleep", "10"));
}

TEST(exec_quoting)
{
	check_exec("/bin/sh -c 'a ; b'", "/bin/sh", 0, ARGV("/bin/sh", "-c", "a ; b"));
	check_exec("/bin/echo \"two words\" 'single' mixed\"quo ted\"end", "/bin/echo", 0,
		   ARGV("/bin/echo", "two words", "single", "mixedquo tedend"));
	check_exec("/bin/echo ''", "/bin/echo", 0, ARGV("/bin/echo", ""));
	check_exec("/bin/echo \"it's\"", "/bin/echo", 0, ARGV("/bin/echo", "it's"));
	check_exec("\"/opt/my app/run\" x", "/opt/my app/run", 0, ARGV("/opt/my app/run", "x"));
}

TEST(exec_escapes)
{
	check_exec("/bin/printf a\\tb\\n", "/bin/printf", 0, ARGV("/bin/printf", "a\tb\n"));
	/* "\ " is no C escape: systemd keeps it, and the word, whole. */
	check_exec("/bin/echo a\\ b", "/bin/echo", 0, ARGV("/bin/echo", "a\\ b"));
	check_exec("/bin/echo \\x41\\101\\u00e9", "/bin/echo", 0, ARGV("/bin/echo", "AA\xc3\xa9"));
	check_exec("/bin/echo \"q\\\"q\"", "/bin/echo", 0, ARGV("/bin/echo", "q\"q"));
	/* Unknown escapes stay as written (systemd warns and does the same). */
	check_exec("/bin/grep \\d+", "/bin/grep", 0, ARGV("/bin/grep", "\\d+"));
	check_exec("/bin/echo \\s", "/bin/echo", 0, ARGV("/bin/echo", " "));
}

TEST(exec_semicolons)
{
	check_exec("/bin/echo a;b", "/bin/echo", 0, ARGV("/bin/echo", "a;b"));
	check_exec("/bin/find . -exec rm {} \\;", "/bin/find", 0,
		   ARGV("/bin/find", ".", "-exec", "rm", "{}", ";"));
	check_exec("/bin/echo ';'", "/bin/echo", 0, ARGV("/bin/echo", ";"));
}

TEST(exec_prefixes_honoured)
{
	check_exec("-/bin/false", "/bin/false", EXEC_FLAG_IGNORE_FAILURE, ARGV("/bin/false"));
	check_exec("@/bin/sleep mysleep 5", "/bin/sleep", EXEC_FLAG_ARGV0,
		   ARGV("mysleep", "5"));
	check_exec("-@/bin/sleep mysleep", "/bin/sleep",
		   EXEC_FLAG_ARGV0 | EXEC_FLAG_IGNORE_FAILURE, ARGV("mysleep"));
	check_exec("@-/bin/sleep mysleep", "/bin/sleep",
		   EXEC_FLAG_ARGV0 | EXEC_FLAG_IGNORE_FAILURE, ARGV("mysleep"));
}

static void
check_exec_error(const char *line, const char *needle)
{
	struct exec_command cmd;
	const char *why = NULL;

	if (parse_exec_command(line, &cmd, &why) == 0)
		test_fail(__FILE__, __LINE__, "[%s] accepted", line);
	if (why == NULL || strstr(why, needle) == NULL)
		test_fail(__FILE__, __LINE__, "[%s]: \"%s\" lacks \"%s\"", line, why ? why : "",
			  needle);
}

TEST(exec_prefixes_rejected)
{
	check_exec_error("+/bin/true", "'+'");
	check_exec_error("!/bin/true", "'!'");
	check_exec_error("!!/bin/true", "'!'");
	check_exec_error(":/bin/true", "':'");
	check_exec_error("-+/bin/true", "'+'");
	check_exec_error("|/bin/true", "'|'");
}

TEST(exec_errors)
{
	check_exec_error("", "empty");
	check_exec_error("   ", "empty");
	check_exec_error("-", "empty executable");
	check_exec_error("@/bin/true", "argv[0]");
	check_exec_error("/bin/echo 'unterminated", "unbalanced");
	check_exec_error("/bin/echo \"x", "unbalanced");
	check_exec_error("/bin/true ; /bin/false", "';'");
	check_exec_error(";", "';'");
	check_exec_error("bin/true", "absolute");
	check_exec_error("./run", "absolute");
	check_exec_error("/usr/bin/", "directory");
}

static void
check_expand(const char *line, char *const *env, const char *const *want)
{
	struct exec_command cmd;
	const char *why = NULL;
	char **argv;
	size_t i;

	if (parse_exec_command(line, &cmd, &why) != 0)
		test_fail(__FILE__, __LINE__, "[%s] rejected: %s", line, why);
	argv = exec_command_expand(&cmd, env);
	for (i = 0; want[i] != NULL; i++) {
		if (argv[i] == NULL || strcmp(argv[i], want[i]) != 0)
			test_fail(__FILE__, __LINE__, "[%s] argv[%zu] \"%s\" != \"%s\"", line, i,
				  argv[i] ? argv[i] : "(null)", want[i]);
	}
	if (argv[i] != NULL)
		test_fail(__FILE__, __LINE__, "[%s] extra argv[%zu] \"%s\"", line, i, argv[i]);
	strv_free(argv);
	exec_command_free(&cmd);
}

TEST(expand_whole_word_splits)
{
	char *env[] = {(char *)"OPTS=-a -b  'c d'", (char *)"EMPTY=", NULL};

	check_expand("/bin/x $OPTS end", env, ARGV("/bin/x", "-a", "-b", "c d", "end"));
	check_expand("/bin/x $EMPTY end", env, ARGV("/bin/x", "end"));
	check_expand("/bin/x $UNSET end", env, ARGV("/bin/x", "end"));
}

TEST(expand_braces_in_word)
{
	char *env[] = {(char *)"PORT=6379", (char *)"DIR=/var/lib/x y", (char *)"EMPTY=", NULL};

	check_expand("/bin/x --port=${PORT} ${DIR}/data", env,
		     ARGV("/bin/x", "--port=6379", "/var/lib/x y/data"));
	check_expand("/bin/x a${UNSET}b ${EMPTY}", env, ARGV("/bin/x", "ab", ""));
	check_expand("/bin/x ${PORT}", env, ARGV("/bin/x", "6379"));
}

TEST(expand_dollar_dollar_and_literals)
{
	char *env[] = {(char *)"A=1", NULL};

	check_expand("/bin/x $$ $$A cost$$ ${A", env, ARGV("/bin/x", "$", "$A", "cost$", "${A"));
	check_expand("/bin/x a$A", env, ARGV("/bin/x", "a$A"));
	check_expand("/bin/sh -c 'echo $$HOME'", env, ARGV("/bin/sh", "-c", "echo $HOME"));
}

TEST(expand_argv0_prefix)
{
	char *env[] = {(char *)"NAME=worker", NULL};

	check_expand("@/bin/sleep ${NAME} 5", env, ARGV("worker", "5"));
}

TEST(environment_words)
{
	struct strv env = {0};
	const char *why;

	ASSERT_EQ(parse_environment("A=1 \"B=two words\" C=", &env, &why), 0);
	ASSERT_EQ(env.n, 3);
	ASSERT_STR_EQ(env.v[0], "A=1");
	ASSERT_STR_EQ(env.v[1], "B=two words");
	ASSERT_STR_EQ(env.v[2], "C=");
	/* A later assignment of the same name replaces the earlier one. */
	ASSERT_EQ(parse_environment("A=3 'D=x;y'", &env, &why), 0);
	ASSERT_EQ(env.n, 4);
	ASSERT_STR_EQ(env.v[0], "A=3");
	ASSERT_STR_EQ(env.v[3], "D=x;y");
	strv_clear(&env);
}

TEST(environment_errors)
{
	struct strv env = {0};
	const char *why = NULL;

	ASSERT_EQ(parse_environment("A=1 NOEQUALS", &env, &why), -1);
	ASSERT_CONTAINS(why, "NAME=value");
	ASSERT_EQ(env.n, 0);
	ASSERT_EQ(parse_environment("1A=x", &env, &why), -1);
	ASSERT_EQ(parse_environment("=x", &env, &why), -1);
	ASSERT_EQ(parse_environment("A-B=x", &env, &why), -1);
	ASSERT_EQ(parse_environment("A='x", &env, &why), -1);
	ASSERT_CONTAINS(why, "unbalanced");
	strv_clear(&env);
}

TEST(env_file_syntax)
{
	struct strv env = {0};
	const char *path = test_write_file(
		"env",
		"# comment\n"
		"; another comment\n"
		"PLAIN=value\n"
		"  SPACED = padded value   \n"
		"SQ='single $quoted \\n'\n"
		"DQ=\"double \\\"q\\\" \\$x \\n\"\n"
		"export EXPORTED=yes\n"
		"CONT=one\\\n"
		"two\n"
		"EMPTY=\n"
		"1BAD=ignored\n"
		"NOVALUE\n"
		"PLAIN=override\n"
		"LAST=no newline");
	size_t i;

	ASSERT_EQ(values_read_env_file(path, &env), 0);
	static const char *const want[] = {
		"PLAIN=override",
		"SPACED=padded value",
		"SQ=single $quoted \\n",
		"DQ=double \"q\" $x \\n",
		"EXPORTED=yes",
		"CONT=onetwo",
		"EMPTY=",
		"LAST=no newline",
		NULL,
	};
	for (i = 0; want[i] != NULL; i++)
		ASSERT_STR_EQ(env.v[i], want[i]);
	ASSERT_EQ(env.n, i);
	strv_clear(&env);
}

TEST(env_file_missing)
{
	struct strv env = {0};

	ASSERT_EQ(values_read_env_file("/nonexistent/supd-env", &env), -ENOENT);
	ASSERT_EQ(env.n, 0);
}
