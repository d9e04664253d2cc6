/*
 * control_int.h - the control server's private structures, shared only by
 * control.c (socket, connections, limits, peer checks) and control_cmds.c
 * (the command table).  Nothing else includes this file.
 */
#ifndef SUPD_CONTROL_INT_H
#define SUPD_CONTROL_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>
#include <uv.h>

#include "control.h"
#include "proto.h"

/* One read of a client's requests, at most. */
#define CONTROL_READBUF 65536

struct logfile_sub;
struct service_waiter;

struct control_conn;

struct control {
	struct supd *d;
	uv_pipe_t server;
	char *path;
	bool has_group;
	gid_t gid;
	uid_t owner;

	struct control_conn *conns;
	size_t n_conns; /* accepted and served, for PROTO_MAX_CONNECTIONS */
	size_t pending_total; /* replies waiting to be written, all clients */

	bool closing;
	bool server_open;
	bool handing_over; /* supctl reexec: clients wait for the next image */
	void (*close_cb)(void *data);
	void *close_data;

	/* Reads are consumed before the next alloc.  Allocated apart and on
	 * first use, not zeroed with the struct: 64 KiB resident for a supd
	 * that nobody asks anything. */
	char *readbuf;
};

struct control_job {
	struct control_conn *cn;
	char *name;
	struct service_waiter *waiter; /* NULL once settled */
	json_t *outcome;
};

struct control_conn {
	struct control *c;
	uv_pipe_t pipe;
	uv_timer_t timer; /* idle timeout, then the linger deadline */
	uv_shutdown_t shutdown_req;
	int open_handles;

	pid_t pid;
	uid_t uid;
	gid_t gid;
	bool may_read, may_write;
	bool counted;

	struct proto_buf in;
	size_t pending_out;
	bool eof, busy, processing, closing, handles_closing, shutdown_after, reexec_after;
	bool throttled; /* replies pile up: requests wait until they drain */

	json_t *req; /* the request being served */
	struct control_job *jobs;
	size_t n_jobs, n_waiting;
	struct logfile_sub *sub;

	struct control_conn *prev, *next;
};

/* control.c, for control_cmds.c */
/* Queue one message to the client (steals obj). */
void control_conn_send(struct control_conn *cn, json_t *obj);
/* The current request is answered: send reply (stolen), serve queued input. */
void control_conn_complete(struct control_conn *cn, json_t *reply);
/* The same with a reply already encoded: line, malloc'd and ending in '\n',
 * is stolen (a status of a thousand services is written as text). */
void control_conn_complete_text(struct control_conn *cn, char *line, size_t len);
/* Close a client; graceful lets queued replies reach it first. */
void control_conn_close(struct control_conn *cn, bool graceful);
/* A new client: listed, its pipe initialised but not open. */
struct control_conn *control_conn_new(struct control *c);
/* Its pipe is open: check the peer and the connection limit, start reading.
 * false if it was refused (and is closing). */
bool control_conn_admit(struct control_conn *cn);
/* Read and serve it again (a hand-over was called off). */
void control_conn_resume(struct control_conn *cn);

/* control_cmds.c */
/* Parse one request line, check the peer may run it, and dispatch it. */
void control_cmds_handle_line(struct control_conn *cn, const char *line);

#endif
