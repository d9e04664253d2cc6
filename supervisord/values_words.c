/*
 * values_words.c - the word-level syntaxes of unit files, with systemd's
 * semantics: extract_first_word() quoting and C escapes, Exec*= command
 * lines and their prefixes, replace_env_argv() expansion of $VAR and
 * ${VAR}, Environment= assignments and load_env_file() for
 * EnvironmentFile=.
 */
#include "values.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHITESPACE " \t\n\r"

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

