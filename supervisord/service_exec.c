/*
 * service_exec.c - everything between "start this command of the
 * service" and a running process: the environment (Environment=, then
 * EnvironmentFile=, which wins, as in systemd), $VAR expansion, User= and
 * Group=, the spawn itself, and the status pipe that says whether exec
 * succeeded.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "logfile.h"
#include "output.h"
#include "service_internal.h"
#include "spawn.h"
#include "state.h"
#include "strutil.h"
#include "supd.h"
#include "unit.h"

#define SERVICE_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Set KEY=VALUE in env, replacing an earlier KEY. */
static void
service_env_set(struct strv *env, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);

	for (size_t i = 0; i < env->n; i++)
		if (strncmp(env->v[i], kv, klen) == 0 && env->v[i][klen] == '=') {
			free(env->v[i]);
			env->v[i] = xstrdup(kv);
			return;
		}
	strv_push(env, kv);
}

/* Build the environment; -1 with *cause if a required EnvironmentFile= is
 * missing (systemd fails the start with result "resources" then). */
static int
service_build_env(struct service *s, const char *user, const char *home, const char *shell,
		  struct strv *env, char **cause)
{
	const struct unit *u = s->unit;
	char buf[64];

	service_env_set(env, "PATH=" SERVICE_DEFAULT_PATH);
	if (user != NULL) {
		char *kv = xasprintf("USER=%s", user);
		service_env_set(env, kv);
		free(kv);
		kv = xasprintf("LOGNAME=%s", user);
		service_env_set(env, kv);
		free(kv);
	}
	if (home != NULL) {
		char *kv = xasprintf("HOME=%s", home);
		service_env_set(env, kv);
		free(kv);
	}
	if (shell != NULL) {
		char *kv = xasprintf("SHELL=%s", shell);
		service_env_set(env, kv);
		free(kv);
	}
	for (char **e = u->environment; e != NULL && *e != NULL; e++)
		service_env_set(env, *e);
	for (char **f = u->environment_files; f != NULL && *f != NULL; f++) {
		bool optional = (*f)[0] == '-';
		const char *path = optional ? *f + 1 : *f;
		struct strv fenv = {0};
		int r = values_read_env_file(path, &fenv);

		if (r < 0) {
			strv_clear(&fenv);
			if (optional && r == -ENOENT)
				continue;
			*cause = xasprintf("EnvironmentFile=%s: %s", path, strerror(-r));
			return -1;
		}
		for (size_t i = 0; i < fenv.n; i++)
			service_env_set(env, fenv.v[i]);
		strv_clear(&fenv);
	}
	if (s->control == SERVICE_CONTROL_STOP_POST) {
		/* What systemd tells ExecStopPost= about the run. */
		char *kv = xasprintf("SERVICE_RESULT=%s", service_result_name(s->result));
		service_env_set(env, kv);
		free(kv);
		if (s->main_code != 0) {
			kv = xasprintf("EXIT_CODE=%s", service_exit_code_name(s->main_code));
			service_env_set(env, kv);
			free(kv);
			if (s->main_code == CLD_EXITED)
				snprintf(buf, sizeof buf, "EXIT_STATUS=%d", s->main_status);
			else
				snprintf(buf, sizeof buf, "EXIT_STATUS=%s",
					 signal_name(s->main_status) + 3);
			service_env_set(env, buf);
		}
	}
	return 0;
}

static void
service_exec_watch_closed_cb(uv_handle_t *h)
{
	struct service_exec_watch *w = h->data;
	struct service *s = w->s;

	free(w);
	service_release(s);
}

void
service_exec_watch_close(struct service *s)
{
	struct service_exec_watch *w = s->exec_watch;

	if (w == NULL)
		return;
	s->exec_watch = NULL;
	uv_poll_stop(&w->poll);
	close(w->fd);
	s->closing_handles++;
	uv_close((uv_handle_t *)&w->poll, service_exec_watch_closed_cb);
}

static void
service_exec_watch_cb(uv_poll_t *p, int status, int events)
{
	struct service_exec_watch *w = p->data;
	struct service *s = w->s;
	bool main = w->main;
	ssize_t n;

	(void)events;
	if (status < 0) {
		service_exec_watch_close(s);
		return;
	}
	n = read(w->fd, w->msg + w->len, sizeof w->msg - 1 - w->len);
	if (n > 0) {
		w->len += (size_t)n;
		if (w->len < sizeof w->msg - 1)
			return;
	} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	}
	if (w->len > 0) {
		/* The child reported a failed step; its exit carries the code. */
		w->msg[w->len] = '\0';
		free(s->error);
		s->error = xstrdup(w->msg);
		log_warnx("%s: %s", service_name(s), w->msg);
		service_exec_watch_close(s);
		return;
	}
	service_exec_watch_close(s);
	service_exec_started(s, main);
}

static int
service_spawn(struct service *s, const struct exec_command *cmd, bool main, pid_t *pid,
	      char **cause)
{
	const struct unit *u = s->unit;
	struct spawn_params p;
	struct strv env = {0};
	char *name = NULL, *home = NULL, *shell = NULL;
	char **argv = NULL;
	int status_fd = -1, r = -1;

	memset(&p, 0, sizeof p);
	if (spawn_resolve_credentials(u->user, u->group, &p, &name, &home, &shell, cause) < 0)
		return -1;
	if (service_build_env(s, name, home, shell, &env, cause) < 0)
		goto out;
	argv = exec_command_expand(cmd, env.v);
	p.argv = argv;
	p.path = cmd->path;
	p.env = env.v;
	p.cg = s->cg;
	p.output_fd = output_write_fd(s->output);
	p.spawner = &s->d->spawner;
	p.umask = u->umask;
	if (u->working_directory != NULL) {
		p.working_directory_optional = u->working_directory[0] == '-';
		p.working_directory = u->working_directory + p.working_directory_optional;
		if (strcmp(p.working_directory, "~") == 0)
			p.working_directory = home ? home : "/";
	}
	p.nofile = s->d->nofile.rlim_cur != 0 ? &s->d->nofile : NULL;
	p.reset_signals = &s->d->changed_signals;
	p.oom_score_adjust_set = u->oom_score_adjust_set;
	p.oom_score_adjust = u->oom_score_adjust;
	if (!u->oom_score_adjust_set && s->d->oom_protected) {
		/* Not supd's -1000: that would make the service unkillable. */
		p.oom_score_adjust_set = true;
		p.oom_score_adjust = s->d->inherited_oom_score_adj;
	}

	p.batch = s->d->starting_all;
	if (s->cg != NULL)
		cgroup_expect_process(s->cg);
	*pid = spawn_process(&p, &status_fd, cause);
	if (*pid < 0)
		goto out;
	service_exec_watch_close(s);
	s->exec_watch = xcalloc(1, sizeof *s->exec_watch);
	s->exec_watch->fd = status_fd;
	s->exec_watch->s = s;
	s->exec_watch->main = main;
	s->exec_watch->poll.data = s->exec_watch;
	if (uv_poll_init(s->d->loop, &s->exec_watch->poll, status_fd) < 0 ||
	    uv_poll_start(&s->exec_watch->poll, UV_READABLE, service_exec_watch_cb) < 0) {
		/* Cannot watch: assume exec worked; the exit code still tells. */
		close(status_fd);
		free(s->exec_watch);
		s->exec_watch = NULL;
	}
	r = 0;
out:
	strv_free(argv);
	strv_clear(&env);
	free(p.groups);
	free(name);
	free(home);
	free(shell);
	return r;
}

int
service_exec_main(struct service *s, char **cause)
{
	pid_t pid;

	if (service_spawn(s, &s->unit->exec_start, true, &pid, cause) < 0)
		return -1;
	s->main_pid = pid;
	s->main_dead = false;
	s->main_code = s->main_status = 0;
	s->main_start_mono = service_now_mono();
	/* Read when the state is saved (service_state_save), off the path
	 * from a crash to the new process: the pid stays ours until reaped. */
	s->main_start_ticks = 0;
	s->adopted = false;
	s->oom_main = false;
	log_info("%s: started %s, pid %d", service_name(s), s->unit->exec_start.path, (int)pid);
	return 0;
}

int
service_exec_control(struct service *s, const struct exec_command *cmd, char **cause)
{
	pid_t pid;

	if (service_spawn(s, cmd, false, &pid, cause) < 0)
		return -1;
	s->control_pid = pid;
	log_debug("%s: control process %s, pid %d", service_name(s), cmd->path, (int)pid);
	return 0;
}
