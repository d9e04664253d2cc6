/*
 * values.h - parsers for the value syntaxes of systemd unit files: time
 * spans, sizes, memory limits, booleans, signals, exit-status lists, the
 * word splitting and $VAR expansion of Exec*= lines, and EnvironmentFile=
 * contents.  Pure functions: no I/O except values_read_env_file(); no libuv.
 * Every parser returns 0 on success or -1 with a static-lifetime reason in
 * *why, suitable for "file:line: [Section] Key=: <why>".
 */
#ifndef SUPD_VALUES_H
#define SUPD_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "strutil.h"

#define USEC_INFINITY UINT64_MAX
#define USEC_PER_SEC 1000000ULL
#define USEC_PER_MSEC 1000ULL
#define BYTES_INFINITY UINT64_MAX

/* systemd's parse_sec(): "90" (seconds), "5min 20s", "100ms", "1h30m",
 * "infinity"; units us/usec, ms/msec, s/sec/second(s), m/min/minute(s),
 * h/hr/hour(s), d/day(s), w/week(s), M/month(s), y/year(s); decimals. */
int parse_timespan(const char *s, uint64_t *usec, const char **why);

/* systemd's parse_size(s, 1024): B K M G T P E (uppercase), decimals, sums
 * of decreasing components ("1G 512M"). */
int parse_size(const char *s, uint64_t *bytes, const char **why);

/* Memory*= value: a size, "N%" / "N‰" / "N‱" of physical_memory, or
 * "infinity" (BYTES_INFINITY).  zero_ok is false for MemoryHigh/MemoryMax. */
int parse_memory_limit(const char *s, uint64_t physical_memory, bool zero_ok, uint64_t *bytes,
		       const char **why);

/* yes/no/true/false/on/off/1/0. */
int parse_bool(const char *s, bool *b, const char **why);

/* "SIGTERM", "TERM", "15" -> signal number. */
int parse_signal(const char *s, int *sig, const char **why);
const char *signal_name(int sig); /* "SIGTERM"; "SIG42" style for unknown */

/* Octal umask "0022". */
int parse_umask(const char *s, unsigned *mask, const char **why);

/* Unsigned integer in [min, max]. */
int parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v, const char **why);
int parse_int(const char *s, int64_t min, int64_t max, int64_t *v, const char **why);

/* An exit-status set (SuccessExitStatus=, Restart{Prevent,Force}ExitStatus=):
 * space-separated exit codes 0-255 and signal names.  Entries accumulate
 * into *set (systemd semantics: repeated assignments add). */
struct exit_status_set {
	uint8_t status[32]; /* bit n: exit code n */
	uint64_t signals;   /* bit n: signal n (1..63) */
};
int parse_exit_status_set(const char *s, struct exit_status_set *set, const char **why);
bool exit_status_set_has_status(const struct exit_status_set *set, int status);
bool exit_status_set_has_signal(const struct exit_status_set *set, int sig);
bool exit_status_set_empty(const struct exit_status_set *set);

/*
 * One Exec*= command line, split with systemd's quoting rules (single and
 * double quotes, backslash escapes, "\;" and ";" handling: supd accepts a
 * single command per line and rejects a lone ";" separator with an error).
 * Prefixes: '-' (failure ignored) and '@' (argv[0] given separately) are
 * honoured; '+', '!', '!!' and ':' are rejected with a clear error (supd has
 * no privilege elevation or per-command credential switch).
 */
#define EXEC_FLAG_IGNORE_FAILURE 0x1 /* '-' */
#define EXEC_FLAG_ARGV0 0x2          /* '@' */
struct exec_command {
	char *path;  /* executable (absolute, or looked up in PATH at spawn) */
	char **argv; /* NULL-terminated; words still carry $VAR / ${VAR} */
	int flags;
};
int parse_exec_command(const char *s, struct exec_command *cmd, const char **why);
void exec_command_free(struct exec_command *cmd);
/* Expand $VAR (whole word: split into several words) and ${VAR} (in a word)
 * from env ("K=V" strings); "$$" is a literal '$'.  Returns a new argv. */
char **exec_command_expand(const struct exec_command *cmd, char *const *env);

/* Environment= value: one or more "K=V" words with systemd quoting. */
int parse_environment(const char *s, struct strv *out, const char **why);
/* EnvironmentFile= contents: KEY=VALUE lines, '#'/';' comments, quotes,
 * "export " prefix.  Returns 0, or -errno if the file cannot be read. */
int values_read_env_file(const char *path, struct strv *out);

#endif
