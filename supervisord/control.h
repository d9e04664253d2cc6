/*
 * control.h - the Unix-socket control server: accepts clients, frames
 * requests (proto.h), checks the peer with SO_PEERCRED, dispatches through
 * one command table and writes replies.  Per-connection limits (line
 * length, pending output, idle time, connection count) are documented in
 * docs/protocol.md.
 */
#ifndef SUPD_CONTROL_H
#define SUPD_CONTROL_H

#include <stdbool.h>

struct supd;
struct control;

/* Bind and listen on d->conf.socket_path (a stale socket file is replaced;
 * a live one is an error).  Mode 0600, or 0660 and the group's gid with
 * SocketGroup=.  Returns 0 or -1 with *cause. */
int control_open(struct supd *d, struct control **out, char **cause);
/* Stop accepting, close every client, unlink the socket; cb when closed. */
void control_close(struct control *c, void (*cb)(void *data), void *data);

/* The listening socket's fd (kept open across supd_reexec), or -1. */
int control_listen_fd(struct control *c);

/* supctl reexec (control_handover.c).  begin: stop reading and serving
 * clients; what they send waits.  ready: every reply written, no request
 * in progress.  prepare, just before exec: requests in progress get an
 * error, idle clients' descriptors stay open across exec, listed with their
 * unserved input in the memfd returned (-1 on error).  abort: the exec
 * failed, serve as before.  adopt, in the next image once services are
 * loaded: take over the clients in memfd and serve what they sent. */
void control_handover_begin(struct control *c);
bool control_handover_ready(const struct control *c);
int control_handover_prepare(struct control *c);
void control_handover_abort(struct control *c, int memfd);
void control_handover_adopt(struct control *c, int memfd);

#endif
