/*
 * floor - the naive supervisor that shows what fork+exec costs on this
 * machine: start every command of LISTFILE (one per line, words separated
 * by spaces, no quoting), and re-fork a command as soon as it exits.
 * Nothing else: no delay, no limit, no control interface, no logging.
 *
 * Usage: floor LISTFILE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct cmd {
	char **argv;
	pid_t pid;
};

static pid_t
spawn(char **argv)
{
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid == -1)
		perror("fork");
	return pid;
}

int
main(int argc, char **argv)
{
	struct cmd *cmds = NULL;
	size_t n = 0, cap = 0, i;
	char *line = NULL, *p, *save;
	size_t lsize = 0;
	FILE *f;
	pid_t pid;

	if (argc != 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: floor LISTFILE\n");
		return 2;
	}
	while (getline(&line, &lsize, f) > 0) {
		char **av = calloc(32, sizeof *av);
		int k = 0;

		for (p = strtok_r(line, " \t\n", &save); p != NULL && k < 31;
		    p = strtok_r(NULL, " \t\n", &save))
			av[k++] = strdup(p);
		if (k == 0)
			continue;
		if (n == cap && (cmds = realloc(cmds, (cap = cap * 2 + 64) * sizeof *cmds)) == NULL)
			return 1;
		cmds[n].argv = av;
		cmds[n++].pid = 0;
	}
	fclose(f);
	for (i = 0; i < n; i++)
		cmds[i].pid = spawn(cmds[i].argv);
	for (;;) {
		if ((pid = wait(NULL)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return 0;
			perror("wait");
			return 1;
		}
		for (i = 0; i < n; i++)
			if (cmds[i].pid == pid)
				cmds[i].pid = spawn(cmds[i].argv);
	}
}
