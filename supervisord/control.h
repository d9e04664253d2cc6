/*
 * control.h - the Unix-socket control server: accepts clients, frames
 * requests (proto.h), checks the peer with SO_PEERCRED, dispatches through
 * one command table and writes replies.  Per-connection limits (line
 * length, pending output, idle time, connection count) are documented in
 * docs/protocol.md.
 */
#ifndef SUPD_CONTROL_H
#define SUPD_CONTROL_H

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

#endif
