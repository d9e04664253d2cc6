/*
 * daemonconf.h - supd's own configuration: /etc/supd/supd.conf (or -c FILE),
 * every key optional, then command-line overrides.  Same reader as units
 * (ini_reader.h), so errors name file:line and key.
 *
 *   [supd]
 *   Socket=/run/supd/supd.sock     SocketGroup=supd
 *   ConfDir=/etc/supd/conf.d       LogDir=/var/log/supd
 *   StateDir=/var/lib/supd         CgroupRoot=supd
 *   DefaultRestartSec=100ms        DefaultStartLimitIntervalSec=10s
 *   DefaultStartLimitBurst=5       DefaultTimeoutStopSec=90s
 *   DefaultOOMPolicy=stop          LogMaxBytes=10M   LogBackups=5
 *   LogLevel=info
 */
#ifndef SUPD_DAEMONCONF_H
#define SUPD_DAEMONCONF_H

#include "diag.h"
#include "unit.h"

struct daemon_conf {
	char *socket_path;
	char *socket_group; /* NULL: socket mode 0600 */
	char *conf_dir;
	char *log_dir;
	char *state_dir;
	char *cgroup_root; /* relative: below supd's own cgroup */
	char *log_level;   /* "err", "warn", "info", "debug" */
	struct unit_defaults defaults;
};

/* Fill c with the built-in defaults. */
void daemon_conf_init(struct daemon_conf *c, uint64_t physical_memory);
/* Parse path into c.  A missing file is not an error when !required. */
int daemon_conf_load(struct daemon_conf *c, const char *path, bool required, struct diag_list *dl);
void daemon_conf_free(struct daemon_conf *c);

#endif
