/*
 * proto.h - the control protocol, shared by supd and supctl.  One JSON
 * object per line each way (docs/protocol.md):
 *
 *   request  {"v":1,"id":7,"cmd":"status","names":["web"]}
 *   reply    {"v":1,"id":7,"ok":true,"services":[...]}
 *   error    {"v":1,"id":7,"ok":false,"code":"no-such-service","error":"..."}
 *
 * Version history:
 *   1 - status, show, start, stop, restart, reset-failed, reload, logs,
 *       shutdown.
 */
#ifndef SUPD_PROTO_H
#define SUPD_PROTO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define PROTO_VERSION 1
/* Longest request line supd accepts (bytes, newline excluded). */
#define PROTO_MAX_REQUEST 65536

/* Error codes carried in "code". */
#define PROTO_E_BAD_REQUEST "bad-request"
#define PROTO_E_UNKNOWN_COMMAND "unknown-command"
#define PROTO_E_VERSION "unsupported-version"
#define PROTO_E_TOO_LONG "request-too-long"
#define PROTO_E_NO_SUCH_SERVICE "no-such-service"
#define PROTO_E_PERMISSION "permission-denied"
#define PROTO_E_FAILED "failed"
#define PROTO_E_BUSY "busy"

/* A line accumulator for a byte stream. */
struct proto_buf {
	char *data;
	size_t len, cap;
	bool overflow; /* a line exceeded max; bytes are discarded to the next '\n' */
};
void proto_buf_append(struct proto_buf *b, const char *p, size_t n, size_t max);
/* Next complete line (malloc'd, without '\n'), or NULL.  *overflowed is set
 * when a too-long line was skipped (reported once per line). */
char *proto_buf_next_line(struct proto_buf *b, size_t max, bool *overflowed);
void proto_buf_free(struct proto_buf *b);

/* Build a request: {"v":1,"id":id,"cmd":cmd}. */
json_t *proto_request_new(const char *cmd, json_int_t id);
/* Parse and validate a request line: an object with v == PROTO_VERSION and
 * a string cmd.  On failure returns NULL with *code and *msg (static/malloc'd msg). */
json_t *proto_request_parse(const char *line, const char **code, char **msg);
/* Serialize compactly and append '\n'.  malloc'd. */
char *proto_encode(json_t *obj);
json_t *proto_reply_ok(json_t *req);
json_t *proto_reply_error(json_t *req, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Connection limits of the control server (docs/protocol.md). */
#define PROTO_MAX_PENDING_OUTPUT (4u * 1024 * 1024)
#define PROTO_IDLE_TIMEOUT_MS 60000
#define PROTO_MAX_CONNECTIONS 256
/* Most lines a `logs` reply carries, and most bytes of them. */
#define PROTO_MAX_LOG_LINES 10000
#define PROTO_MAX_LOG_BYTES (2u * 1024 * 1024)
#define PROTO_E_SHUTTING_DOWN "shutting-down"

/* A JSON string from bytes that may not be UTF-8 (service output): invalid
 * sequences become U+FFFD, so the reply always encodes. */
json_t *proto_string(const char *s, size_t len);

#endif
