/*
 * values.c - the value syntaxes of systemd unit files, with systemd's
 * semantics (parse_sec, parse_size(..., 1024), config_parse_memory_limit,
 * extract_first_word, replace_env_argv, load_env_file), except that every
 * invalid value is an error for the caller to report instead of a line
 * that is silently ignored.
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
		if ((uint64_t)l >= USEC_INFINITY / mult)
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
		errno = 0;
		l = strtoull(p, &e, 10);
		if (errno != 0)
			goto range;
		if (e == p)
			goto invalid;
		if (*p == '-')
			goto range;
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
	if ((q = startswith(p, "SIG")) != NULL)
		p = q;
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

/* Flags of extract_word(), named after systemd's EXTRACT_* flags. */
#define X_UNQUOTE 0x1        /* quotes group and are removed */
#define X_CUNESCAPE 0x2      /* C escapes (\n, \x41, \u00e9) are decoded */
#define X_UNESCAPE_RELAX 0x4 /* unknown escapes and a trailing '\' stay verbatim */
#define X_RELAX 0x8          /* unbalanced quotes end the word instead of failing */

static void
buf_put(char **s, size_t *len, size_t *cap, const char *p, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*s = xrealloc(*s, *cap);
	}
	memcpy(*s + *len, p, n);
	*len += n;
	(*s)[*len] = '\0';
}

static int
unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t
utf8_encode(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* systemd's cunescape_one(): decode the escape at p (after the backslash)
 * into out; returns the characters consumed, or -1 if unknown. */
static int
cunescape_one(const char *p, char *out, size_t *outlen)
{
	static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
	uint32_t c = 0;
	int n, v;

	for (size_t i = 0; simple[i] != '\0'; i += 2) {
		if (p[0] == simple[i]) {
			out[0] = simple[i + 1];
			*outlen = 1;
			return 1;
		}
	}
	switch (p[0]) {
	case 'x':
		if ((v = unhex(p[1])) < 0 || unhex(p[2]) < 0)
			return -1;
		c = (uint32_t)(v << 4 | unhex(p[2]));
		if (c == 0)
			return -1;
		out[0] = (char)c;
		*outlen = 1;
		return 3;
	case 'u':
	case 'U':
		n = p[0] == 'u' ? 4 : 8;
		for (int i = 1; i <= n; i++) {
			if ((v = unhex(p[i])) < 0)
				return -1;
			c = c << 4 | (uint32_t)v;
		}
		if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return -1;
		*outlen = utf8_encode(out, c);
		return n + 1;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		for (int i = 0; i < 3; i++) {
			if (p[i] < '0' || p[i] > '7')
				return -1;
			c = c << 3 | (uint32_t)(p[i] - '0');
		}
		if (c == 0 || c > 255)
			return -1;
		out[0] = (char)c;
		*outlen = 1;
		return 3;
	default:
		return -1;
	}
}

/*
 * systemd's extract_first_word() with whitespace separators.  Returns 1 and
 * a new word, 0 at the end of the string, -1 on unbalanced quoting or (without
 * X_UNESCAPE_RELAX) an unknown escape.
 */
static int
extract_word(const char **pp, char **ret, int flags)
{
	const char *p = *pp;
	char *s = NULL;
	size_t len = 0, cap = 0;
	char quote = 0;

	*ret = NULL;
	p += strspn(p, WHITESPACE);
	if (*p == '\0') {
		*pp = p;
		return 0;
	}
	buf_put(&s, &len, &cap, "", 0);
	for (;; p++) {
		char c = *p;

		if (c == '\0') {
			if (quote != 0 && !(flags & X_RELAX))
				goto fail;
			break;
		}
		if (c == '\\') {
			char out[4];
			size_t outlen;
			int r;

			c = *++p;
			if (c == '\0') {
				if (flags & X_UNESCAPE_RELAX && (quote == 0 || flags & X_RELAX)) {
					buf_put(&s, &len, &cap, "\\", 1);
					break;
				}
				if (flags & X_RELAX)
					break;
				goto fail;
			}
			if (!(flags & X_CUNESCAPE)) {
				buf_put(&s, &len, &cap, &c, 1);
			} else if ((r = cunescape_one(p, out, &outlen)) > 0) {
				buf_put(&s, &len, &cap, out, outlen);
				p += r - 1;
			} else if (flags & X_UNESCAPE_RELAX) {
				buf_put(&s, &len, &cap, p - 1, 2);
			} else {
				goto fail;
			}
			continue;
		}
		if (quote != 0) {
			if (c == quote)
				quote = 0;
			else
				buf_put(&s, &len, &cap, &c, 1);
			continue;
		}
		if ((c == '\'' || c == '"') && flags & X_UNQUOTE) {
			quote = c;
			continue;
		}
		if (strchr(WHITESPACE, c) != NULL) {
			p += strspn(p, WHITESPACE);
			break;
		}
		buf_put(&s, &len, &cap, &c, 1);
	}
	*pp = p;
	*ret = s;
	return 1;
fail:
	free(s);
	return -1;
}

/* What every Exec*= word goes through: quotes removed, C escapes decoded,
 * unknown escapes kept as written (systemd warns and does the same). */
#define EXEC_WORD_FLAGS (X_UNQUOTE | X_CUNESCAPE | X_UNESCAPE_RELAX)

static bool
is_lone(const char *p, const char *tok)
{
	size_t n = strlen(tok);

	return strncmp(p, tok, n) == 0 && (p[n] == '\0' || strchr(WHITESPACE, p[n]) != NULL);
}

int
parse_exec_command(const char *s, struct exec_command *cmd, const char **why)
{
	struct strv argv = {0};
	const char *p = s, *f;
	char *first = NULL, *word;
	int flags = 0, r;

	memset(cmd, 0, sizeof *cmd);
	if ((r = extract_word(&p, &first, EXEC_WORD_FLAGS)) <= 0) {
		*why = r == 0 ? "empty command line" : "unbalanced quoting";
		return -1;
	}
	if (strcmp(first, ";") == 0) {
		*why = "a lone ';' separates several commands, which supd does not support: one "
		       "command per line";
		goto fail;
	}
	for (f = first;; f++) {
		if (*f == '-' && !(flags & EXEC_FLAG_IGNORE_FAILURE)) {
			flags |= EXEC_FLAG_IGNORE_FAILURE;
		} else if (*f == '@' && !(flags & EXEC_FLAG_ARGV0)) {
			flags |= EXEC_FLAG_ARGV0;
		} else if (*f == '+') {
			*why = "prefix '+' (run with full privileges) is not supported by supd";
			goto fail;
		} else if (*f == '!') {
			*why = "prefix '!' or '!!' (skip the User=/Group= switch) is not supported by "
			       "supd";
			goto fail;
		} else if (*f == ':') {
			*why = "prefix ':' (no environment variable expansion) is not supported by "
			       "supd";
			goto fail;
		} else if (*f == '|') {
			*why = "prefix '|' (run through the user's shell) is not supported by supd";
			goto fail;
		} else {
			break;
		}
	}
	if (*f == '\0') {
		*why = "empty executable path";
		goto fail;
	}
	if (f[strlen(f) - 1] == '/') {
		*why = "executable path names a directory";
		goto fail;
	}
	if (f[0] != '/' && strchr(f, '/') != NULL) {
		*why = "executable must be an absolute path or a plain file name looked up in PATH";
		goto fail;
	}
	if (!(flags & EXEC_FLAG_ARGV0))
		strv_push(&argv, f);
	while (*p != '\0') {
		if (is_lone(p, ";")) {
			*why = "';' separates several commands, which supd does not support: one "
			       "command per line (write \\; for a literal semicolon)";
			goto fail;
		}
		if (p[0] == '\\' && is_lone(p + 1, ";")) {
			p += 2;
			p += strspn(p, WHITESPACE);
			strv_push(&argv, ";");
			continue;
		}
		if ((r = extract_word(&p, &word, EXEC_WORD_FLAGS)) < 0) {
			*why = "unbalanced quoting";
			goto fail;
		}
		if (r == 0)
			break;
		strv_push_take(&argv, word);
	}
	if (argv.n == 0) {
		*why = "prefix '@' needs the argv[0] word after the executable path";
		goto fail;
	}
	cmd->path = xstrdup(f);
	cmd->argv = argv.v;
	cmd->flags = flags;
	free(first);
	return 0;
fail:
	free(first);
	strv_clear(&argv);
	return -1;
}

void
exec_command_free(struct exec_command *cmd)
{
	free(cmd->path);
	strv_free(cmd->argv);
	memset(cmd, 0, sizeof *cmd);
}

static const char *
env_get_n(char *const *env, const char *name, size_t n)
{
	for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	}
	return NULL;
}

/* systemd's replace_env() without extensions: "${NAME}" is replaced, "$$"
 * becomes '$', anything else stays as written. */
static char *
replace_env(const char *w, char *const *env)
{
	char *s = NULL;
	size_t len = 0, cap = 0;
	const char *p = w;

	buf_put(&s, &len, &cap, "", 0);
	while (*p != '\0') {
		const char *end, *v;

		if (p[0] == '$' && p[1] == '$') {
			buf_put(&s, &len, &cap, "$", 1);
			p += 2;
		} else if (p[0] == '$' && p[1] == '{' && (end = strchr(p + 2, '}')) != NULL &&
			   memchr(p + 2, ':', (size_t)(end - p - 2)) == NULL) {
			v = env_get_n(env, p + 2, (size_t)(end - p - 2));
			if (v != NULL)
				buf_put(&s, &len, &cap, v, strlen(v));
			p = end + 1;
		} else {
			buf_put(&s, &len, &cap, p, 1);
			p++;
		}
	}
	return s;
}

char **
exec_command_expand(const struct exec_command *cmd, char *const *env)
{
	struct strv out = {0};

	for (size_t i = 0; cmd->argv != NULL && cmd->argv[i] != NULL; i++) {
		const char *w = cmd->argv[i], *v, *p;
		char *word;

		if (w[0] == '$' && w[1] != '{' && w[1] != '$') {
			/* A whole-word $NAME becomes the value split into words. */
			if ((v = env_get_n(env, w + 1, strlen(w + 1))) == NULL)
				continue;
			p = v;
			while (extract_word(&p, &word, X_UNQUOTE | X_RELAX) > 0)
				strv_push_take(&out, word);
			continue;
		}
		strv_push_take(&out, replace_env(w, env));
	}
	if (out.v == NULL)
		out.v = xcalloc(1, sizeof *out.v);
	return out.v;
}

static bool
env_name_valid(const char *s, size_t n)
{
	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	}
	return true;
}

/* Set "K=V" in an environment list: a later assignment replaces an earlier one. */
static void
env_set_take(struct strv *sv, char *kv)
{
	size_t n = (size_t)(strchr(kv, '=') - kv);

	for (size_t i = 0; i < sv->n; i++) {
		if (strncmp(sv->v[i], kv, n) == 0 && sv->v[i][n] == '=') {
			free(sv->v[i]);
			sv->v[i] = kv;
			return;
		}
	}
	strv_push_take(sv, kv);
}

int
parse_environment(const char *s, struct strv *out, const char **why)
{
	struct strv tmp = {0};
	const char *p = s;
	char *word, *eq;
	int r;

	while ((r = extract_word(&p, &word, EXEC_WORD_FLAGS)) > 0) {
		eq = strchr(word, '=');
		if (eq == NULL || !env_name_valid(word, (size_t)(eq - word))) {
			free(word);
			strv_clear(&tmp);
			*why = "invalid environment assignment (expected NAME=value, NAME made of "
			       "letters, digits and '_')";
			return -1;
		}
		strv_push_take(&tmp, word);
	}
	if (r < 0) {
		strv_clear(&tmp);
		*why = "unbalanced quoting";
		return -1;
	}
	for (size_t i = 0; i < tmp.n; i++)
		env_set_take(out, tmp.v[i]);
	free(tmp.v);
	return 0;
}

enum env_state {
	ENV_PRE_KEY,
	ENV_KEY,
	ENV_PRE_VALUE,
	ENV_VALUE,
	ENV_VALUE_ESCAPE,
	ENV_SQUOTE,
	ENV_DQUOTE,
	ENV_DQUOTE_ESCAPE,
	ENV_COMMENT,
	ENV_COMMENT_ESCAPE,
};

static void
env_file_push(struct strv *out, char *key, size_t klen, const char *val, size_t vlen)
{
	const char *k = key;
	size_t n = klen;

	/* Trailing whitespace of the key is not part of it ("FOO = bar"). */
	while (n > 0 && strchr(WHITESPACE, k[n - 1]) != NULL)
		n--;
	/* A shell-style "export FOO=bar" sets FOO. */
	if (n > 7 && strncmp(k, "export", 6) == 0 && (k[6] == ' ' || k[6] == '\t')) {
		k += 7;
		n -= 7;
		while (n > 0 && (*k == ' ' || *k == '\t')) {
			k++;
			n--;
		}
	}
	if (!env_name_valid(k, n))
		return;
	env_set_take(out, xasprintf("%.*s=%.*s", (int)n, k, (int)vlen, val));
}

/* systemd's parse_env_file_internal() state machine over a whole file. */
static void
env_file_parse(const char *text, struct strv *out)
{
	enum env_state st = ENV_PRE_KEY;
	char *key = NULL, *val = NULL;
	size_t klen = 0, kcap = 0, vlen = 0, vcap = 0, last_ws = SIZE_MAX;

	buf_put(&key, &klen, &kcap, "", 0);
	buf_put(&val, &vlen, &vcap, "", 0);
	for (const char *p = text; *p != '\0'; p++) {
		char c = *p;
		bool nl = c == '\n' || c == '\r';

		switch (st) {
		case ENV_PRE_KEY:
			if (c == '#' || c == ';') {
				st = ENV_COMMENT;
			} else if (strchr(WHITESPACE, c) == NULL) {
				st = ENV_KEY;
				klen = 0;
				buf_put(&key, &klen, &kcap, &c, 1);
			}
			break;
		case ENV_KEY:
			if (nl) {
				st = ENV_PRE_KEY;
			} else if (c == '=') {
				st = ENV_PRE_VALUE;
				vlen = 0;
				last_ws = SIZE_MAX;
			} else {
				buf_put(&key, &klen, &kcap, &c, 1);
			}
			break;
		case ENV_PRE_VALUE:
			if (nl) {
				env_file_push(out, key, klen, val, vlen);
				st = ENV_PRE_KEY;
			} else if (c == '\'') {
				st = ENV_SQUOTE;
			} else if (c == '"') {
				st = ENV_DQUOTE;
			} else if (c == '\\') {
				st = ENV_VALUE_ESCAPE;
			} else if (strchr(WHITESPACE, c) == NULL) {
				st = ENV_VALUE;
				buf_put(&val, &vlen, &vcap, &c, 1);
			}
			break;
		case ENV_VALUE:
			if (nl) {
				if (last_ws != SIZE_MAX)
					vlen = last_ws;
				env_file_push(out, key, klen, val, vlen);
				st = ENV_PRE_KEY;
			} else if (c == '\\') {
				st = ENV_VALUE_ESCAPE;
				last_ws = SIZE_MAX;
			} else {
				if (strchr(WHITESPACE, c) == NULL)
					last_ws = SIZE_MAX;
				else if (last_ws == SIZE_MAX)
					last_ws = vlen;
				buf_put(&val, &vlen, &vcap, &c, 1);
			}
			break;
		case ENV_VALUE_ESCAPE:
			/* An escaped newline continues the value on the next line. */
			st = ENV_VALUE;
			if (!nl)
				buf_put(&val, &vlen, &vcap, &c, 1);
			break;
		case ENV_SQUOTE:
			if (c == '\'')
				st = ENV_PRE_VALUE;
			else
				buf_put(&val, &vlen, &vcap, &c, 1);
			break;
		case ENV_DQUOTE:
			if (c == '"')
				st = ENV_PRE_VALUE;
			else if (c == '\\')
				st = ENV_DQUOTE_ESCAPE;
			else
				buf_put(&val, &vlen, &vcap, &c, 1);
			break;
		case ENV_DQUOTE_ESCAPE:
			/* Like the shell: only "\`$ and newline are escapable in "". */
			st = ENV_DQUOTE;
			if (strchr("\"\\`$", c) != NULL) {
				buf_put(&val, &vlen, &vcap, &c, 1);
			} else if (c != '\n') {
				buf_put(&val, &vlen, &vcap, "\\", 1);
				buf_put(&val, &vlen, &vcap, &c, 1);
			}
			break;
		case ENV_COMMENT:
			if (c == '\\')
				st = ENV_COMMENT_ESCAPE;
			else if (nl)
				st = ENV_PRE_KEY;
			break;
		case ENV_COMMENT_ESCAPE:
			st = nl ? ENV_PRE_KEY : ENV_COMMENT;
			break;
		}
	}
	/* A last line without newline, or an unterminated quote, still assigns. */
	if (st == ENV_VALUE && last_ws != SIZE_MAX)
		vlen = last_ws;
	if (st != ENV_PRE_KEY && st != ENV_KEY && st != ENV_COMMENT && st != ENV_COMMENT_ESCAPE)
		env_file_push(out, key, klen, val, vlen);
	free(key);
	free(val);
}

int
values_read_env_file(const char *path, struct strv *out)
{
	FILE *f;
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	char buf[4096];
	int err = 0;

	if ((f = fopen(path, "re")) == NULL)
		return -errno;
	buf_put(&text, &len, &cap, "", 0);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (memchr(buf, '\0', n) != NULL) {
			err = -EBADMSG;
			break;
		}
		buf_put(&text, &len, &cap, buf, n);
		if (len > 16 * 1024 * 1024) {
			err = -EFBIG;
			break;
		}
	}
	if (err == 0 && ferror(f))
		err = -EIO;
	fclose(f);
	if (err == 0)
		env_file_parse(text, out);
	free(text);
	return err;
}

int
parse_exit_status_set(const char *s, struct exit_status_set *set, const char **why)
{
	struct exit_status_set tmp = *set;
	const char *p = s;
	char *word;
	unsigned long long n;
	int r, sig;

	if (s[strspn(s, WHITESPACE)] == '\0') {
		memset(set, 0, sizeof *set);
		return 0;
	}
	while ((r = extract_word(&p, &word, X_UNQUOTE)) > 0) {
		if (parse_decimal(word, &n) == 0) {
			free(word);
			if (n > 255) {
				*why = "exit status out of range (0-255)";
				return -1;
			}
			tmp.status[n / 8] |= (uint8_t)(1u << (n % 8));
			continue;
		}
		r = parse_signal(word, &sig, why);
		free(word);
		if (r < 0 || sig >= 64) {
			*why = "invalid exit status (a number 0-255 or a signal name such as SIGTERM)";
			return -1;
		}
		tmp.signals |= 1ULL << sig;
	}
	if (r < 0) {
		*why = "unbalanced quoting";
		return -1;
	}
	*set = tmp;
	return 0;
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
