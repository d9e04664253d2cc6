/*
 * fuzz-exec.c - ExecStart= word splitting (parse_exec_command) and $VAR
 * expansion (exec_command_expand).  The input is the command line; after
 * an optional 0x1e byte comes an Environment= value that is added to a
 * small fixed environment, so expansion sees names the fuzzer chose.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "values.h"

#define ENV_MARK 0x1e

static const char *const base_env[] = {
	"HOME=/root", "A=a b  c", "EMPTY=", "Q='x y' \"z\"", "PATH=/usr/bin:/bin",
	"X=${A}$$", "BS=a\\ b", NULL,
};

/* A word in double quotes, with the two characters that need it escaped. */
static void
put_quoted(struct strv *parts, const char *w)
{
	size_t n = strlen(w);
	char *q = malloc(2 * n + 3), *o = q;

	FUZZ_CHECK(q != NULL);
	*o++ = '"';
	for (; *w != '\0'; w++) {
		if (*w == '"' || *w == '\\')
			*o++ = '\\';
		*o++ = *w;
	}
	*o++ = '"';
	*o = '\0';
	strv_push_take(parts, q);
}

/* Quoting every word of a parsed command and parsing that again gives the
 * same command: what the splitter takes apart, quotes put back together. */
static void
check_requote(const struct exec_command *cmd)
{
	struct strv parts = {0};
	struct exec_command again;
	const char *why = NULL;
	size_t len = 0, i = 0;
	char *line;

	strv_push(&parts, cmd->flags & EXEC_FLAG_IGNORE_FAILURE ? "-" : "");
	strv_push(&parts, cmd->flags & EXEC_FLAG_ARGV0 ? "@" : "");
	put_quoted(&parts, cmd->path);
	if (!(cmd->flags & EXEC_FLAG_ARGV0))
		i = 1; /* argv[0] is the path, already written */
	for (; cmd->argv[i] != NULL; i++) {
		strv_push(&parts, " ");
		put_quoted(&parts, cmd->argv[i]);
	}
	for (i = 0; i < parts.n; i++)
		len += strlen(parts.v[i]);
	line = malloc(len + 1);
	FUZZ_CHECK(line != NULL);
	line[0] = '\0';
	for (i = 0; i < parts.n; i++)
		strcat(line, parts.v[i]);
	FUZZ_CHECK(parse_exec_command(line, &again, &why) == 0);
	FUZZ_CHECK(strcmp(again.path, cmd->path) == 0 && again.flags == cmd->flags);
	for (i = 0; cmd->argv[i] != NULL; i++)
		FUZZ_CHECK(again.argv[i] != NULL && strcmp(again.argv[i], cmd->argv[i]) == 0);
	FUZZ_CHECK(again.argv[i] == NULL);
	exec_command_free(&again);
	strv_clear(&parts);
	free(line);
}

static void
check_argv(char **argv)
{
	FUZZ_CHECK(argv != NULL);
	for (size_t i = 0; argv[i] != NULL; i++)
		FUZZ_CHECK(strlen(argv[i]) < (1u << 20));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *mark = memchr(data, ENV_MARK, size);
	size_t cmdlen = mark != NULL ? (size_t)(mark - data) : size;
	char *line = fuzzlib_strndup(data, cmdlen), *envs = NULL, **out;
	struct strv env = {0};
	struct exec_command cmd;
	const char *why = NULL;

	for (size_t i = 0; base_env[i] != NULL; i++)
		strv_push(&env, base_env[i]);
	if (mark != NULL) {
		envs = fuzzlib_strndup(mark + 1, size - cmdlen - 1);
		if (parse_environment(envs, &env, &why) < 0)
			FUZZ_CHECK(why != NULL);
	}

	if (parse_exec_command(line, &cmd, &why) < 0) {
		FUZZ_CHECK(why != NULL && why[0] != '\0');
		FUZZ_CHECK(cmd.path == NULL && cmd.argv == NULL);
		goto out;
	}
	FUZZ_CHECK(cmd.path != NULL && cmd.path[0] != '\0');
	FUZZ_CHECK(cmd.path[0] == '/' || strchr(cmd.path, '/') == NULL);
	FUZZ_CHECK((cmd.flags & ~(EXEC_FLAG_IGNORE_FAILURE | EXEC_FLAG_ARGV0)) == 0);
	FUZZ_CHECK(cmd.argv != NULL && cmd.argv[0] != NULL);
	/* Without '@' the executable is also argv[0]. */
	if (!(cmd.flags & EXEC_FLAG_ARGV0))
		FUZZ_CHECK(strcmp(cmd.argv[0], cmd.path) == 0);
	check_requote(&cmd);

	out = exec_command_expand(&cmd, env.v);
	check_argv(out);
	strv_free(out);
	out = exec_command_expand(&cmd, NULL);
	check_argv(out);
	strv_free(out);
	exec_command_free(&cmd);
	FUZZ_CHECK(cmd.path == NULL && cmd.argv == NULL);
out:
	strv_clear(&env);
	free(envs);
	free(line);
	return 0;
}
