/*
 * main.c - supd's command line: read supd.conf and the options, validate
 * with --check, or set up and run the loop.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/close_range.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "fdholder.h"
#include "log.h"
#include "outjournal.h"
#include "strutil.h"
#include "supd.h"
#include "unit.h"

#define SUPD_VERSION "0.1.0"
#define SUPD_DEFAULT_CONF "/etc/supd/supd.conf"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: supd [-c FILE] [--conf-dir DIR] [--socket PATH] [--log-dir DIR]\n"
		"            [--state-dir DIR] [--cgroup-root PATH] [--log-level LEVEL]\n"
		"            [--check] [--version]\n"
		"  -c, --config FILE    daemon configuration (default " SUPD_DEFAULT_CONF ")\n"
		"  -n, --check          validate the configuration and every unit, then exit\n"
		"                       (0: valid; 1: errors, all printed)\n");
}

static void
replace(char **dst, const char *src)
{
	free(*dst);
	*dst = xstrdup(src);
}

static enum log_level
parse_log_level(const char *s)
{
	if (strcmp(s, "debug") == 0)
		return LOG_LEVEL_DEBUG;
	if (strcmp(s, "warn") == 0 || strcmp(s, "warning") == 0)
		return LOG_LEVEL_WARN;
	if (strcmp(s, "err") == 0 || strcmp(s, "error") == 0)
		return LOG_LEVEL_ERR;
	return LOG_LEVEL_INFO;
}

static uint64_t
physical_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : UINT64_MAX;
}

/* --check: load everything, print every diagnostic, touch nothing. */
static int
check_config(struct supd *d, struct diag_list *dl)
{
	struct unit_set set = {0};
	size_t nbad = 0;

	unit_set_load(d->conf.conf_dir, &d->conf.defaults, &set, dl);
	for (size_t i = 0; i < dl->n; i++) {
		char *m = diag_format(&dl->items[i]);
		fprintf(stderr, "%s\n", m);
		free(m);
	}
	for (size_t i = 0; i < set.n; i++)
		nbad += set.units[i]->bad_config;
	if (dl->nerrors > 0) {
		fprintf(stderr, "supd: %zu errors; %zu of %zu services would not load\n",
			dl->nerrors, nbad, set.n);
		unit_set_free(&set);
		return 1;
	}
	printf("configuration OK: %zu services in %s\n", set.n, d->conf.conf_dir);
	unit_set_free(&set);
	return 0;
}

/* Services must never inherit a closed stdio slot as an unrelated fd. */
static void
ensure_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			int n = open("/dev/null", O_RDWR);
			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
}

/* What supd inherited beyond stdio (a shell's saved redirections, a
 * parent's pipes) is not the services': systemd gives a service its stdio
 * only.  Marked close-on-exec rather than closed: across `supctl reexec`
 * two of them are supd's own (take_inherited_fd). */
static void
cloexec_inherited(void)
{
	DIR *dir;
	struct dirent *e;

	if (syscall(SYS_close_range, STDERR_FILENO + 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	/* Kernels before 5.11: one at a time. */
	if ((dir = opendir("/proc/self/fd")) == NULL) {
		log_warn("/proc/self/fd: descriptors supd inherited may reach its services");
		return;
	}
	while ((e = readdir(dir)) != NULL) {
		int fd = atoi(e->d_name), flags;

		if (fd > STDERR_FILENO && fd != dirfd(dir) && (flags = fcntl(fd, F_GETFD)) != -1)
			(void)fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
	}
	closedir(dir);
}

/* supd is the recovery agent: the OOM killer should take anything else
 * first.  Remember the value services should inherit instead. */
static void
protect_self_from_oom(struct supd *d)
{
	char buf[32];
	int r;

	d->inherited_oom_score_adj = 0;
	if (read_small_file("/proc/self/oom_score_adj", buf, sizeof buf) > 0)
		d->inherited_oom_score_adj = atoi(buf);
	r = write_small_file("/proc/self/oom_score_adj", "-1000");
	if (r < 0)
		log_info("cannot set supd's own oom_score_adj to -1000 (%s); the OOM killer "
			 "could pick supd itself (needs CAP_SYS_RESOURCE)",
			 strerror(-r));
	d->oom_protected = r == 0;
}

/* Whether a supd already answers on path: checked before anything else so
 * that a second supd touches nothing (not the fd holder, not the cgroups,
 * not the services' logs) and says why it stops. */
static bool
socket_is_live(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, r;

	if (strlen(path) >= sizeof sa.sun_path)
		return false;
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return false;
	r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	if (r == 0) {
		/* Connecting is not enough: a dead supd's child between fork and
		 * exec still holds the listening socket.  A live supd answers. */
		static const char ping[] = "{\"v\":1,\"cmd\":\"status\",\"names\":[\"-\"]}\n";
		struct pollfd p = {fd, POLLIN, 0};
		char c;

		r = send(fd, ping, sizeof ping - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof ping - 1) &&
				    poll(&p, 1, 2000) == 1 && recv(fd, &c, 1, 0) == 1
			    ? 0
			    : -1;
	}
	close(fd);
	return r == 0;
}

/* In the initial PID namespace, PID 2 is kthreadd (parent 0).  Only there
 * is supd a machine's init that must power off; in a container, reboot()
 * would just kill supd with SIGINT, so it exits 0 instead. */
static bool
in_initial_pid_namespace(void)
{
	char buf[512], *p;
	int ppid = -1;

	if (read_small_file("/proc/2/stat", buf, sizeof buf) <= 0 ||
	    (p = strrchr(buf, ')')) == NULL || sscanf(p + 2, "%*c %d", &ppid) != 1)
		return false;
	return ppid == 0 && strstr(buf, "(kthreadd)") != NULL;
}

/*
 * Every service has stopped, but the kernel empties a cgroup before its last
 * processes become zombies: their SIGCHLD may still be on the way.  Reap
 * them (and the fd holder) so that nothing is left to the init above supd.
 * No service runs any more, so waitpid(-1) cannot steal a service's exit.
 */
static void
reap_leftovers(void)
{
	struct timespec tick = {0, 10 * 1000 * 1000};

	for (int waited = 0; waited < 100;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid > 0)
			continue;
		if (pid == -1 && errno == ECHILD)
			return;
		nanosleep(&tick, NULL);
		waited++;
	}
	log_warnx("exiting with children that did not exit within 1 s");
}

/* A descriptor handed over by the previous image in environment variable
 * name (then removed, and the fd made close-on-exec again), or -1. */
static int
take_inherited_fd(const char *name)
{
	const char *v = getenv(name);
	int fd;

	if (v == NULL)
		return -1;
	fd = atoi(v);
	unsetenv(name);
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"conf-dir", required_argument, NULL, 'C'},
		{"socket", required_argument, NULL, 'S'},
		{"log-dir", required_argument, NULL, 'L'},
		{"state-dir", required_argument, NULL, 'T'},
		{"cgroup-root", required_argument, NULL, 'G'},
		{"log-level", required_argument, NULL, 'l'},
		{"check", no_argument, NULL, 'n'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *conf_file = SUPD_DEFAULT_CONF, *conf_dir = NULL, *socket_path = NULL;
	const char *log_dir = NULL, *state_dir = NULL, *cgroup_root = NULL, *log_level = NULL;
	bool conf_required = false, check = false;
	struct diag_list dl = {0};
	struct supd d;
	char *cause = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:nhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf_file = optarg; conf_required = true; break;
		case 'C': conf_dir = optarg; break;
		case 'S': socket_path = optarg; break;
		case 'L': log_dir = optarg; break;
		case 'T': state_dir = optarg; break;
		case 'G': cgroup_root = optarg; break;
		case 'l': log_level = optarg; break;
		case 'n': check = true; break;
		case 'V': printf("supd %s\n", SUPD_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	memset(&d, 0, sizeof d);
	log_init("supd", LOG_LEVEL_INFO);
	daemon_conf_init(&d.conf, physical_memory());
	if (daemon_conf_load(&d.conf, conf_file, conf_required, &dl) < 0 || dl.nerrors > 0) {
		for (size_t i = 0; i < dl.n; i++) {
			char *m = diag_format(&dl.items[i]);
			fprintf(stderr, "%s\n", m);
			free(m);
		}
		if (dl.nerrors == 0)
			fprintf(stderr, "supd: cannot read %s: %s\n", conf_file, strerror(errno));
		return 1;
	}
	if (conf_required || access(conf_file, R_OK) == 0)
		d.conf_file = xstrdup(conf_file);
	if (conf_dir) replace(&d.conf.conf_dir, conf_dir);
	if (socket_path) replace(&d.conf.socket_path, socket_path);
	if (log_dir) replace(&d.conf.log_dir, log_dir);
	if (state_dir) replace(&d.conf.state_dir, state_dir);
	if (cgroup_root) replace(&d.conf.cgroup_root, cgroup_root);
	if (log_level) replace(&d.conf.log_level, log_level);
	log_set_level(parse_log_level(d.conf.log_level));

	if (check) {
		rc = check_config(&d, &dl);
		diag_clear(&dl);
		daemon_conf_free(&d.conf);
		free(d.conf_file);
		return rc;
	}
	supd_log_diags(&dl);
	diag_clear(&dl);

	d.argv = argv;
	/* The path, not the file: `supctl reexec` runs what is there then. */
	{
		char exe[4096];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

		exe[n > 0 ? n : 0] = '\0';
		d.self_exe = xstrdup(n > 0 ? exe : argv[0]);
	}
	/* supd re-executed itself (supctl reexec): the socket is ours, and
	 * maybe the previous image's clients. */
	d.inherited_listen_fd = take_inherited_fd("SUPD_LISTEN_FD");
	d.inherited_clients_fd = take_inherited_fd("SUPD_CLIENTS_FD");
	if (d.inherited_listen_fd < 0 && socket_is_live(d.conf.socket_path)) {
		log_errx("supd already running on %s; not starting a second one",
			 d.conf.socket_path);
		return 1;
	}
	ensure_stdio();
	cloexec_inherited();
	/* Before anything else takes the low descriptors. */
	if ((rc = spawner_open(&d.spawner)) < 0)
		log_warnx("/dev/null: %s; each start copies supd's descriptor table",
			  strerror(-rc));
	signal(SIGPIPE, SIG_IGN);
	d.is_pid1 = getpid() == 1;
	/* Orphans of services come to supd, which reaps them; the last process
	 * of a cgroup is thereby always supd's child. */
	if (!d.is_pid1 && prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("cannot become a child subreaper");
	protect_self_from_oom(&d);
	if (getrlimit(RLIMIT_NOFILE, &d.nofile) == 0 && d.nofile.rlim_cur < d.nofile.rlim_max) {
		struct rlimit raised = {d.nofile.rlim_max, d.nofile.rlim_max};

		if (setrlimit(RLIMIT_NOFILE, &raised) == -1)
			log_warn("raising the descriptor limit to %llu",
				 (unsigned long long)raised.rlim_max);
	}
	if ((rc = mkdir_parents(d.conf.state_dir, 0755)) < 0)
		log_warnx("state directory %s: %s", d.conf.state_dir, strerror(-rc));

	d.loop = uv_default_loop();
	if (supd_signals_init(&d) < 0)
		return 1;
	/* The socket first: if it cannot be had, supd stops before it has
	 * touched the fd holder, the cgroups or a service. */
	if (control_open(&d, &d.control, &cause) < 0) {
		log_errx("control socket %s: %s", d.conf.socket_path, cause);
		free(cause);
		return 1;
	}
	if ((d.fdholder = fdholder_open(d.conf.state_dir, &cause)) == NULL) {
		log_warnx("no fd holder (%s): services' output pipes will break if supd dies",
			  cause);
		free(cause);
		cause = NULL;
	}
	if ((d.journal = outjournal_open(d.conf.state_dir, &cause)) == NULL) {
		log_warnx("no output journal (%s): output read but not yet logged is lost if "
			  "supd dies", cause);
		free(cause);
		cause = NULL;
	}
	if (supd_cgroups_init(&d) < 0)
		return 1;
	supd_load(&d);
	/* After a reexec, services that exited meanwhile are zombies to reap. */
	supd_reap(&d);
	/* ... and the clients of the previous image wait for their replies. */
	if (d.inherited_clients_fd >= 0)
		control_handover_adopt(d.control, d.inherited_clients_fd);
	log_info("supd %s listening on %s%s", SUPD_VERSION, d.conf.socket_path,
		 d.is_pid1 ? " (PID 1)" : "");
	supd_start_all(&d);
	/* Loading left the heap full of freed parse buffers: give their pages
	 * back, or a thousand services' worth stays resident for good. */
	malloc_trim(0);
	uv_run(d.loop, UV_RUN_DEFAULT);

	reap_leftovers();
	rc = uv_loop_close(d.loop);
	if (rc != 0)
		log_debug("loop closed with handles open: %s", uv_strerror(rc));
	free(d.services);
	outjournal_close(d.journal);
	spawner_close(&d.spawner);
	daemon_conf_free(&d.conf);
	free(d.conf_file);
	free(d.self_exe);
	log_info("exiting");
	if (d.is_pid1 && in_initial_pid_namespace()) {
		/* A machine's init must not exit: power off, as init does on halt. */
		sync();
		reboot(RB_POWER_OFF);
	}
	return 0;
}
