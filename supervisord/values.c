/*
 * values.c - the scalar value syntaxes of systemd unit files with systemd's
 * semantics (parse_sec, parse_size(..., 1024), config_parse_memory_limit,
 * signal names, exit-status sets), except that every invalid value is an
 * error for the caller to report instead of a line that is silently
 * ignored.  Words, Exec*= lines and environments are in values_words.c.
 */
#include "values.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WHITESPACE " \t\n\r"
#define DIGITS "0123456789"

#define USEC_PER_MINUTE (60ULL * USEC_PER_SEC)
#define USEC_PER_HOUR (60ULL * USEC_PER_MINUTE)
#define USEC_PER_DAY (24ULL * USEC_PER_HOUR)
#define USEC_PER_WEEK (7ULL * USEC_PER_DAY)
#define USEC_PER_MONTH (2629800ULL * USEC_PER_SEC)
#define USEC_PER_YEAR (31557600ULL * USEC_PER_SEC)

static const char *
startswith(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

static bool
endswith(const char *s, const char *suffix, size_t *stem)
{
	size_t n = strlen(s), m = strlen(suffix);

	if (n < m || strcmp(s + n - m, suffix) != 0)
		return false;
	*stem = n - m;
	return true;
}

/* systemd's table order matters: "min" before "m", "ms" before "m", "M" for months. */
static const char *
time_multiplier(const char *p, uint64_t *mult)
{
	static const struct {
		const char *suffix;
		uint64_t usec;
	} table[] = {
		{"seconds", USEC_PER_SEC}, {"second", USEC_PER_SEC}, {"sec", USEC_PER_SEC},
		{"s", USEC_PER_SEC}, {"minutes", USEC_PER_MINUTE}, {"minute", USEC_PER_MINUTE},
		{"min", USEC_PER_MINUTE}, {"months", USEC_PER_MONTH}, {"month", USEC_PER_MONTH},
		{"M", USEC_PER_MONTH}, {"msec", USEC_PER_MSEC}, {"ms", USEC_PER_MSEC},
		{"m", USEC_PER_MINUTE}, {"hours", USEC_PER_HOUR}, {"hour", USEC_PER_HOUR},
		{"hr", USEC_PER_HOUR}, {"h", USEC_PER_HOUR}, {"days", USEC_PER_DAY},
		{"day", USEC_PER_DAY}, {"d", USEC_PER_DAY}, {"weeks", USEC_PER_WEEK},
		{"week", USEC_PER_WEEK}, {"w", USEC_PER_WEEK}, {"years", USEC_PER_YEAR},
		{"year", USEC_PER_YEAR}, {"y", USEC_PER_YEAR}, {"usec", 1}, {"us", 1},
		{"\xce\xbcs", 1}, {"\xc2\xb5s", 1},
	};
	const char *e;

	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		if ((e = startswith(p, table[i].suffix)) != NULL) {
			*mult = table[i].usec;
			return e;
		}
	}
	return p;
}

int
parse_timespan(const char *t, uint64_t *ret, const char **why)
{
	const char *p, *s;
	uint64_t usec = 0;
	bool something = false;

	p = t + strspn(t, WHITESPACE);
	if ((s = startswith(p, "infinity")) != NULL) {
		if (s[strspn(s, WHITESPACE)] != '\0')
			goto invalid;
		*ret = USEC_INFINITY;
		return 0;
	}
	for (;;) {
		uint64_t mult = USEC_PER_SEC, k;
		long long l;
		char *e;

		p += strspn(p, WHITESPACE);
		if (*p == '\0') {
			if (!something)
				goto invalid;
			break;
		}
		if (*p == '-')
			goto range;
		errno = 0;
		l = strtoll(p, &e, 10);
		if (errno != 0 || l < 0)
			goto range;
		if (*e == '.')
			p = e + 1 + strspn(e + 1, DIGITS);
		else if (e == p)
			goto invalid;
		else
			p = e;
		s = time_multiplier(p + strspn(p, WHITESPACE), &mult);
		if (s == p && *s != '\0')
			goto invalid; /* "12.34.56" */
		p = s;
		/* l * mult must stay below USEC_INFINITY (which means "infinity"). */
		if ((uint64_t)l > (USEC_INFINITY - 1) / mult)
			goto range;
		k = (uint64_t)l * mult;
		if (k >= USEC_INFINITY - usec)
			goto range;
		usec += k;
		something = true;
		if (*e == '.') {
			uint64_t m = mult / 10;
			const char *b;

			for (b = e + 1; *b >= '0' && *b <= '9'; b++, m /= 10) {
				k = (uint64_t)(*b - '0') * m;
				if (k >= USEC_INFINITY - usec)
					goto range;
				usec += k;
			}
			if (b == e + 1)
				goto invalid; /* "3.sec", "3. 1" */
		}
	}
	*ret = usec;
	return 0;
invalid:
	*why = "invalid time span (examples: 90, 5min 20s, 100ms, infinity)";
	return -1;
range:
	*why = "time span out of range";
	return -1;
}

int
parse_size(const char *t, uint64_t *ret, const char **why)
{
	static const struct {
		const char *suffix;
		unsigned long long factor;
	} table[] = {
		{"E", 1ULL << 60}, {"P", 1ULL << 50}, {"T", 1ULL << 40}, {"G", 1ULL << 30},
		{"M", 1ULL << 20}, {"K", 1ULL << 10}, {"B", 1}, {"", 1},
	};
	const size_t n = sizeof table / sizeof table[0];
	const char *p = t;
	unsigned long long r = 0;
	size_t start = 0;

	do {
		unsigned long long l, tmp;
		double frac = 0;
		char *e;
		size_t i;

		p += strspn(p, WHITESPACE);
		/* strtoull would skip more space (\v, \f) and negate "-N". */
		if (*p == '-')
			goto range;
		if (!isdigit((unsigned char)*p))
			goto invalid;
		errno = 0;
		l = strtoull(p, &e, 10);
		if (errno != 0)
			goto range;
		if (e == p)
			goto invalid;
		if (*e == '.') {
			e++;
			if (*e >= '0' && *e <= '9') {
				char *e2;

				frac = (double)strtoull(e, &e2, 10);
				if (errno != 0)
					goto range;
				for (; e < e2; e++)
					frac /= 10;
			}
		}
		e += strspn(e, WHITESPACE);
		for (i = start; i < n; i++)
			if (startswith(e, table[i].suffix) != NULL)
				break;
		if (i >= n)
			goto invalid;
		if (l + (frac > 0) > ULLONG_MAX / table[i].factor)
			goto range;
		tmp = l * table[i].factor + (unsigned long long)(frac * (double)table[i].factor);
		if (tmp > ULLONG_MAX - r)
			goto range;
		r += tmp;
		p = e + strlen(table[i].suffix);
		start = i + 1;
	} while (*p != '\0');
	*ret = r;
	return 0;
invalid:
	*why = "invalid size (a number with an optional suffix B, K, M, G, T, P or E, base 1024)";
	return -1;
range:
	*why = "size out of range";
	return -1;
}

/* Parse "N" of at most max_frac decimals ("12", "12.5") into units of 10^-max_frac. */
static int
parse_fixed(const char *s, size_t len, int max_frac, uint64_t *v)
{
	uint64_t whole = 0, frac = 0;
	size_t i = 0;
	int nfrac = 0;

	if (len == 0 || !isdigit((unsigned char)s[0]))
		return -1;
	for (; i < len && isdigit((unsigned char)s[i]); i++) {
		whole = whole * 10 + (uint64_t)(s[i] - '0');
		if (whole > 1000000)
			return -2;
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && isdigit((unsigned char)s[i]); i++, nfrac++)
			frac = frac * 10 + (uint64_t)(s[i] - '0');
		if (nfrac == 0 || nfrac > max_frac)
			return -1;
	}
	if (i != len)
		return -1;
	for (; nfrac < max_frac; nfrac++)
		frac *= 10;
	for (int k = 0; k < max_frac; k++)
		whole *= 10;
	*v = whole + frac;
	return 0;
}

/* systemd's parse_permyriad(): "N%" (2 decimals), "N‰" (1), "N‱" (0). */
static int
parse_permyriad(const char *s, uint64_t *v, const char **why)
{
	size_t stem;
	int r;

	if (endswith(s, "%", &stem))
		r = parse_fixed(s, stem, 2, v);
	else if (endswith(s, "\xe2\x80\xb0", &stem)) /* ‰ */
		r = parse_fixed(s, stem, 1, v);
	else if (endswith(s, "\xe2\x80\xb1", &stem)) /* ‱ */
		r = parse_fixed(s, stem, 0, v);
	else
		return 1;
	if (r == 0 && *v <= 10000)
		return 0;
	*why = r == -1 ? "invalid percentage (examples: 50%, 12.5%, 125‰, 1250‱)"
		       : "percentage out of range (at most 100%)";
	return -1;
}

int
parse_memory_limit(const char *s, uint64_t physical_memory, bool zero_ok, uint64_t *bytes,
		   const char **why)
{
	uint64_t v, b;
	int r;

	if (strcmp(s, "infinity") == 0) {
		*bytes = BYTES_INFINITY;
		return 0;
	}
	if ((r = parse_permyriad(s, &v, why)) < 0)
		return -1;
	if (r == 0) {
		long ps = sysconf(_SC_PAGESIZE);
		uint64_t pages;

		if (ps <= 0)
			ps = 4096;
		/* systemd's physical_memory_scale(): whole pages, rounded down. */
		pages = physical_memory / (uint64_t)ps;
		if (v == 10000)
			b = physical_memory;
		else
			b = (uint64_t)((unsigned __int128)pages * v / 10000) * (uint64_t)ps;
	} else if (parse_size(s, &b, why) < 0) {
		*why = "invalid memory size (a number with an optional suffix K, M, G, T, P or "
		       "E, base 1024; N%; or infinity)";
		return -1;
	}
	if (b >= BYTES_INFINITY) {
		*why = "memory limit out of range";
		return -1;
	}
	if (b == 0 && !zero_ok) {
		*why = "memory limit must be greater than 0 (use infinity for no limit)";
		return -1;
	}
	*bytes = b;
	return 0;
}

int
parse_bool(const char *s, bool *b, const char **why)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "t", "on"};
	static const char *const no[] = {"0", "no", "n", "false", "f", "off"};

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*b = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*b = false;
			return 0;
		}
	}
	*why = "invalid boolean (yes/no, true/false, on/off, 1/0)";
	return -1;
}

static const char *const signal_names[] = {
	[SIGHUP] = "HUP",	[SIGINT] = "INT",	[SIGQUIT] = "QUIT",   [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP",	[SIGABRT] = "ABRT",	[SIGBUS] = "BUS",     [SIGFPE] = "FPE",
	[SIGKILL] = "KILL",	[SIGUSR1] = "USR1",	[SIGSEGV] = "SEGV",   [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE",	[SIGALRM] = "ALRM",	[SIGTERM] = "TERM",   [SIGSTKFLT] = "STKFLT",
	[SIGCHLD] = "CHLD",	[SIGCONT] = "CONT",	[SIGSTOP] = "STOP",   [SIGTSTP] = "TSTP",
	[SIGTTIN] = "TTIN",	[SIGTTOU] = "TTOU",	[SIGURG] = "URG",     [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ",	[SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",   [SIGWINCH] = "WINCH",
	[SIGIO] = "IO",		[SIGPWR] = "PWR",	[SIGSYS] = "SYS",
};

#define SIGNUM_NAME(n) [n] = "SIG" #n
static const char *const signal_numeric_names[] = {
	SIGNUM_NAME(32), SIGNUM_NAME(33), SIGNUM_NAME(34), SIGNUM_NAME(35), SIGNUM_NAME(36),
	SIGNUM_NAME(37), SIGNUM_NAME(38), SIGNUM_NAME(39), SIGNUM_NAME(40), SIGNUM_NAME(41),
	SIGNUM_NAME(42), SIGNUM_NAME(43), SIGNUM_NAME(44), SIGNUM_NAME(45), SIGNUM_NAME(46),
	SIGNUM_NAME(47), SIGNUM_NAME(48), SIGNUM_NAME(49), SIGNUM_NAME(50), SIGNUM_NAME(51),
	SIGNUM_NAME(52), SIGNUM_NAME(53), SIGNUM_NAME(54), SIGNUM_NAME(55), SIGNUM_NAME(56),
	SIGNUM_NAME(57), SIGNUM_NAME(58), SIGNUM_NAME(59), SIGNUM_NAME(60), SIGNUM_NAME(61),
	SIGNUM_NAME(62), SIGNUM_NAME(63), SIGNUM_NAME(64),
};

const char *
signal_name(int sig)
{
	static const char *const full[] = {
		[SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",	[SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL",   [SIGTRAP] = "SIGTRAP",	[SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",	[SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",	[SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",	[SIGTERM] = "SIGTERM",
		[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
		[SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",	[SIGTTIN] = "SIGTTIN",
		[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG",	[SIGXCPU] = "SIGXCPU",
		[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
		[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO",	[SIGPWR] = "SIGPWR",
		[SIGSYS] = "SIGSYS",
	};

	if (sig > 0 && (size_t)sig < sizeof full / sizeof full[0] && full[sig] != NULL)
		return full[sig];
	if (sig > 0 && (size_t)sig < sizeof signal_numeric_names / sizeof signal_numeric_names[0] &&
	    signal_numeric_names[sig] != NULL)
		return signal_numeric_names[sig];
	return "SIGUNKNOWN";
}

/* A decimal number without sign or leading/trailing garbage. */
static int
parse_decimal(const char *s, unsigned long long *v)
{
	char *e;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	*v = strtoull(s, &e, 10);
	if (errno != 0 || *e != '\0')
		return -1;
	return 0;
}

int
parse_signal(const char *s, int *sig, const char **why)
{
	const char *p = s, *q;
	unsigned long long n;

	if (parse_decimal(s, &n) == 0) {
		if (n < 1 || n >= (unsigned long long)NSIG)
			goto invalid;
		*sig = (int)n;
		return 0;
	}
	if ((q = startswith(p, "SIG")) != NULL) {
		p = q;
		/* "SIG37": what signal_name() prints for signals without a name. */
		if (parse_decimal(p, &n) == 0) {
			if (n < 1 || n >= (unsigned long long)NSIG)
				goto invalid;
			*sig = (int)n;
			return 0;
		}
	}
	for (size_t i = 1; i < sizeof signal_names / sizeof signal_names[0]; i++) {
		if (signal_names[i] != NULL && strcmp(p, signal_names[i]) == 0) {
			*sig = (int)i;
			return 0;
		}
	}
	if (strcmp(p, "IOT") == 0) {
		*sig = SIGABRT;
		return 0;
	}
	if (strcmp(p, "POLL") == 0) {
		*sig = SIGIO;
		return 0;
	}
	if ((q = startswith(p, "RTMIN")) != NULL) {
		n = 0;
		if (*q != '\0' && (*q != '+' || parse_decimal(q + 1, &n) < 0))
			goto invalid;
		if (n > (unsigned long long)(SIGRTMAX - SIGRTMIN))
			goto invalid;
		*sig = SIGRTMIN + (int)n;
		return 0;
	}
	if ((q = startswith(p, "RTMAX")) != NULL) {
		n = 0;
		if (*q != '\0' && (*q != '-' || parse_decimal(q + 1, &n) < 0))
			goto invalid;
		if (n > (unsigned long long)(SIGRTMAX - SIGRTMIN))
			goto invalid;
		*sig = SIGRTMAX - (int)n;
		return 0;
	}
invalid:
	*why = "invalid signal (a name such as SIGTERM or TERM, or a number)";
	return -1;
}

int
parse_umask(const char *s, unsigned *mask, const char **why)
{
	unsigned long v;
	char *e;

	if (s[0] < '0' || s[0] > '7')
		goto invalid;
	errno = 0;
	v = strtoul(s, &e, 8);
	if (errno != 0 || *e != '\0')
		goto invalid;
	if (v > 07777) {
		*why = "umask out of range (at most 07777)";
		return -1;
	}
	*mask = (unsigned)v;
	return 0;
invalid:
	*why = "invalid umask (an octal number such as 0022)";
	return -1;
}

int
parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v, const char **why)
{
	unsigned long long n;

	if (parse_decimal(s, &n) < 0) {
		*why = s[0] == '-' ? "out of range (must not be negative)" : "invalid number";
		return -1;
	}
	if (n < min || n > max) {
		*why = "number out of range";
		return -1;
	}
	*v = n;
	return 0;
}

int
parse_int(const char *s, int64_t min, int64_t max, int64_t *v, const char **why)
{
	long long n;
	char *e;

	if (!(isdigit((unsigned char)s[0]) ||
	      ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1])))) {
		*why = "invalid number";
		return -1;
	}
	errno = 0;
	n = strtoll(s, &e, 10);
	if (*e != '\0') {
		*why = "invalid number";
		return -1;
	}
	if (errno != 0 || n < min || n > max) {
		*why = "number out of range";
		return -1;
	}
	*v = n;
	return 0;
}

/* systemd's exit_status_from_string() names (exit-status.c): LSB, BSD
 * sysexits.h and systemd's own codes. */
static int
exit_status_from_name(const char *s)
{
	static const struct {
		const char *name;
		int status;
	} names[] = {
		{"SUCCESS", 0}, {"FAILURE", 1}, {"INVALIDARGUMENT", 2}, {"NOTIMPLEMENTED", 3},
		{"NOPERMISSION", 4}, {"NOTINSTALLED", 5}, {"NOTCONFIGURED", 6}, {"NOTRUNNING", 7},
		{"USAGE", 64}, {"DATAERR", 65}, {"NOINPUT", 66}, {"NOUSER", 67}, {"NOHOST", 68},
		{"UNAVAILABLE", 69}, {"SOFTWARE", 70}, {"OSERR", 71}, {"OSFILE", 72},
		{"CANTCREAT", 73}, {"IOERR", 74}, {"TEMPFAIL", 75}, {"PROTOCOL", 76},
		{"NOPERM", 77}, {"CONFIG", 78}, {"CHDIR", 200}, {"NICE", 201}, {"FDS", 202},
		{"EXEC", 203}, {"MEMORY", 204}, {"LIMITS", 205}, {"OOM_ADJUST", 206},
		{"SIGNAL_MASK", 207}, {"STDIN", 208}, {"STDOUT", 209}, {"CHROOT", 210},
		{"IOPRIO", 211}, {"TIMERSLACK", 212}, {"SECUREBITS", 213}, {"SETSCHEDULER", 214},
		{"CPUAFFINITY", 215}, {"GROUP", 216}, {"USER", 217}, {"CAPABILITIES", 218},
		{"CGROUP", 219}, {"SETSID", 220}, {"CONFIRM", 221}, {"STDERR", 222},
		{"PAM", 224}, {"NETWORK", 225}, {"NAMESPACE", 226}, {"NO_NEW_PRIVILEGES", 227},
		{"SECCOMP", 228}, {"SELINUX_CONTEXT", 229}, {"PERSONALITY", 230},
		{"APPARMOR_PROFILE", 231}, {"ADDRESS_FAMILIES", 232}, {"RUNTIME_DIRECTORY", 233},
		{"CHOWN", 235}, {"SMACK_PROCESS_LABEL", 236}, {"KEYRING", 237},
		{"STATE_DIRECTORY", 238}, {"CACHE_DIRECTORY", 239}, {"LOGS_DIRECTORY", 240},
		{"CONFIGURATION_DIRECTORY", 241}, {"NUMA_POLICY", 242}, {"CREDENTIALS", 243},
		{"BPF", 245},
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i].name) == 0)
			return names[i].status;
	}
	return -1;
}

int
parse_exit_status_set(const char *s, struct exit_status_set *set, const char **why)
{
	struct exit_status_set tmp = *set;
	const char *p = s;
	unsigned long long n;
	int sig;

	if (s[strspn(s, WHITESPACE)] == '\0') {
		memset(set, 0, sizeof *set);
		return 0;
	}
	for (;;) {
		char word[32];
		size_t len;

		p += strspn(p, WHITESPACE);
		if ((len = strcspn(p, WHITESPACE)) == 0)
			break;
		if (len >= sizeof word)
			goto invalid;
		memcpy(word, p, len);
		word[len] = '\0';
		p += len;
		if (parse_decimal(word, &n) == 0) {
			if (n > 255) {
				*why = "exit status out of range (0-255)";
				return -1;
			}
			tmp.status[n / 8] |= (uint8_t)(1u << (n % 8));
			continue;
		}
		if ((sig = exit_status_from_name(word)) >= 0) {
			tmp.status[sig / 8] |= (uint8_t)(1u << (sig % 8));
			continue;
		}
		if (parse_signal(word, &sig, why) < 0 || sig >= 64)
			goto invalid;
		tmp.signals |= 1ULL << sig;
	}
	*set = tmp;
	return 0;
invalid:
	*why = "invalid exit status (a number 0-255, a name such as TEMPFAIL, or a signal name such as SIGTERM)";
	return -1;
}

bool
exit_status_set_has_status(const struct exit_status_set *set, int status)
{
	if (status < 0 || status > 255)
		return false;
	return (set->status[status / 8] & (1u << (status % 8))) != 0;
}

bool
exit_status_set_has_signal(const struct exit_status_set *set, int sig)
{
	if (sig <= 0 || sig >= 64)
		return false;
	return (set->signals & (1ULL << sig)) != 0;
}

bool
exit_status_set_empty(const struct exit_status_set *set)
{
	if (set->signals != 0)
		return false;
	for (size_t i = 0; i < sizeof set->status; i++) {
		if (set->status[i] != 0)
			return false;
	}
	return true;
}
