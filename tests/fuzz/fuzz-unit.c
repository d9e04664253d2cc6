/*
 * fuzz-unit.c - the unit-file reader (ini_reader + libinih + the key table
 * + drop-ins) on arbitrary bytes, through unit_load() as supd calls it.
 *
 * Input layout, so that mutations can reach file names and drop-ins:
 *   [0x1d NAME 0x1d]  optional file name (default "web@a-b.conf");
 *                     0x1c instead of 0x1d also loads the dir as a set
 *   MAIN              the main file
 *   0x1e PART ...     drop-ins: NAME.conf.d/10-a.conf,
 *                     NAME.service.d/10-a.conf (same base: precedence),
 *                     NAME.service.d/20-b.conf, NAME.conf.d/30-c.conf
 *                     (the last one takes the rest, 0x1e bytes included)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "unit.h"

#define NAME_MARK 0x1d
#define SET_MARK 0x1c
#define PART_MARK 0x1e
#define MAX_NAME 120
#define DEFAULT_NAME "web@a-b.conf"

static const struct {
	const char *dir_suffix;
	const char *base;
} dropins[] = {
	{".conf.d", "10-a.conf"},
	{".service.d", "10-a.conf"},
	{".service.d", "20-b.conf"},
	{".conf.d", "30-c.conf"},
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzzlib_scratch_dir();
	return 0;
}

/* The file name from the header: no '/' (it must stay in the scratch dir)
 * and not "." or "..". */
static char *
take_name(const uint8_t **p, size_t *n, bool *as_set)
{
	const uint8_t *end;
	char *name;
	size_t len;

	*as_set = false;
	if (*n == 0 || ((*p)[0] != NAME_MARK && (*p)[0] != SET_MARK))
		return strdup(DEFAULT_NAME);
	*as_set = (*p)[0] == SET_MARK;
	end = memchr(*p + 1, (*p)[0], *n - 1);
	len = end != NULL ? (size_t)(end - *p - 1) : *n - 1;
	if (len > MAX_NAME)
		len = MAX_NAME;
	name = fuzzlib_strndup(*p + 1, len);
	for (char *c = name; *c != '\0'; c++) {
		if (*c == '/' || (*c == '\\' && fuzzlib_known_bug("instance-unescape-overread")))
			*c = '_';
	}
	/* A NUL cuts the name short, as a C string would. */
	if (end != NULL) {
		*n -= (size_t)(end - *p) + 1;
		*p = end + 1;
	} else {
		*p += *n;
		*n = 0;
	}
	if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		free(name);
		return strdup(DEFAULT_NAME);
	}
	return name;
}

static char *
stem_of(const char *filename)
{
	size_t n = strlen(filename);

	if (n >= 5 && strcmp(filename + n - 5, ".conf") == 0)
		return fuzzlib_strndup((const uint8_t *)filename, n - 5);
	if (n >= 8 && strcmp(filename + n - 8, ".service") == 0)
		return fuzzlib_strndup((const uint8_t *)filename, n - 8);
	return strdup(filename);
}

static void
write_dropin(const char *dir, const char *stem, size_t i, const uint8_t *p, size_t n)
{
	char path[1024], sub[1024];

	snprintf(sub, sizeof sub, "%s/%s%s", dir, stem, dropins[i].dir_suffix);
	snprintf(path, sizeof path, "%s/%s", sub, dropins[i].base);
	fuzzlib_mkdir(sub);
	fuzzlib_write_file(path, p, n);
}

static void
check_unit(const struct unit *u, const struct diag_list *dl)
{
	FUZZ_CHECK(u != NULL && u->name != NULL && u->path != NULL);
	FUZZ_CHECK(u->dropins != NULL && u->environment != NULL && u->environment_files != NULL);
	FUZZ_CHECK(u->bad_config == (u->error != NULL));
	FUZZ_CHECK(!u->bad_config || dl->nerrors > 0);
	FUZZ_CHECK(unit_equal(u, u));
	if (!u->bad_config) {
		FUZZ_CHECK(u->exec_start.path != NULL);
		FUZZ_CHECK(u->exec_start.argv != NULL && u->exec_start.argv[0] != NULL);
	}
	for (size_t i = 0; u->environment[i] != NULL; i++)
		FUZZ_CHECK(strchr(u->environment[i], '=') != NULL);
	for (size_t i = 0; i < u->n_settings; i++) {
		FUZZ_CHECK(u->settings[i].key != NULL && u->settings[i].value != NULL);
		FUZZ_CHECK(u->settings[i].file != NULL && u->settings[i].line > 0);
		FUZZ_CHECK(unit_setting_last(u, u->settings[i].key) != NULL);
	}
	/* show's "in effect": an assignment reset later is not, the last
	 * non-empty assignment of a key is. */
	for (size_t i = 0; i < u->n_settings; i++) {
		bool reset_later = false, last = true;

		for (size_t j = i + 1; j < u->n_settings; j++) {
			if (strcmp(u->settings[j].key, u->settings[i].key) != 0)
				continue;
			last = false;
			if (u->settings[j].value[0] == '\0')
				reset_later = true;
		}
		if (reset_later)
			FUZZ_CHECK(!unit_setting_in_effect(u, i));
		if (last && u->settings[i].value[0] != '\0')
			FUZZ_CHECK(unit_setting_in_effect(u, i));
	}
	FUZZ_CHECK(strcmp(unit_type_name(u->type), "?") != 0);
	FUZZ_CHECK(strcmp(unit_restart_name(u->restart), "?") != 0);
	FUZZ_CHECK(strcmp(unit_kill_mode_name(u->kill_mode), "?") != 0);
	FUZZ_CHECK(strcmp(unit_oom_policy_name(u->oom_policy), "?") != 0);
	FUZZ_CHECK(u->umask <= 07777);
	for (size_t i = 0; i < dl->n; i++) {
		char *s = diag_format(&dl->items[i]);

		FUZZ_CHECK(s != NULL);
		free(s);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzzlib_scratch_dir();
	const uint8_t *p = data, *mark, *last = NULL;
	size_t last_len = 0;
	size_t n = size;
	struct unit_defaults defs;
	struct diag_list dl = {0}, dl2 = {0};
	struct unit *u, *again;
	char *filename, *stem, path[1024];
	bool as_set;

	filename = take_name(&p, &n, &as_set);
	stem = stem_of(filename);
	/* Main file, then each 0x1e-separated part as a drop-in. */
	mark = memchr(p, PART_MARK, n);
	snprintf(path, sizeof path, "%s/%s", dir, filename);
	fuzzlib_write_file(path, p, mark != NULL ? (size_t)(mark - p) : n);
	for (size_t i = 0; mark != NULL && i < sizeof dropins / sizeof dropins[0]; i++) {
		const uint8_t *q = mark + 1;
		size_t left = n - (size_t)(q - p);
		const uint8_t *next = i + 1 < sizeof dropins / sizeof dropins[0]
					      ? memchr(q, PART_MARK, left) : NULL;

		last = q;
		last_len = next != NULL ? (size_t)(next - q) : left;
		write_dropin(dir, stem, i, last, last_len);
		mark = next;
	}

	unit_defaults_init(&defs, 8ULL << 30);
	u = unit_load(dir, filename, &defs, &dl);
	check_unit(u, &dl);
	/* Loading is a pure function of the files. */
	again = unit_load(dir, filename, &defs, &dl2);
	FUZZ_CHECK(unit_equal(u, again));
	FUZZ_CHECK(dl.n == dl2.n && dl.nerrors == dl2.nerrors);
	unit_free(again);
	diag_clear(&dl2);

	if (as_set) {
		struct unit_set set;
		struct diag_list dl3 = {0};
		bool twin = false;

		/* In a set, the last drop-in is also the same service under the
		 * other suffix: "both define service" must make it bad-config. */
		if (last != NULL && strcmp(filename, stem) != 0) {
			snprintf(path, sizeof path, "%s/%s%s", dir, stem,
				 strcmp(filename + strlen(stem), ".conf") == 0 ? ".service" : ".conf");
			fuzzlib_write_file(path, last, last_len);
			twin = true;
		}

		FUZZ_CHECK(unit_set_load(dir, &defs, &set, &dl3) == 0);
		for (size_t i = 0; i < set.n; i++) {
			check_unit(set.units[i], &dl3);
			if (strcmp(set.units[i]->name, u->name) != 0)
				continue;
			if (twin)
				FUZZ_CHECK(set.units[i]->bad_config);
			else if (set.n == 1)
				FUZZ_CHECK(unit_equal(set.units[i], u));
		}
		unit_set_free(&set);
		diag_clear(&dl3);
	}

	unit_free(u);
	diag_clear(&dl);
	free(filename);
	free(stem);
	fuzzlib_scratch_clear();
	return 0;
}
