/*
 * outjournal.h - no output lost or logged twice when supd dies.
 *
 * Output is taken from a service's pipe with splice(2) into one journal
 * file in the state directory: the kernel removes the bytes from the pipe
 * and puts them in the file in the same call, so at any instant every byte
 * is either still in the pipe, or in the journal, or (after the commit) in
 * the log.  A record also notes where in the log its lines go and the
 * partial line supd held before it; an unfinished last line is kept in a
 * small file per service (STATE_DIR/partial/NAME) once its bytes have left
 * the pipe.  The next supd finds an uncommitted record, cuts the log back
 * to where the record's lines began, and logs the record again.
 * (It protects against supd's death, not the machine's: nothing is fsync'ed.)
 */
#ifndef SUPD_OUTJOURNAL_H
#define SUPD_OUTJOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct outjournal;

/* Open STATE_DIR/output.journal; an uncommitted record found there is kept
 * for outjournal_claim.  NULL with *cause if the file cannot be used. */
struct outjournal *outjournal_open(const char *state_dir, char **cause);
void outjournal_close(struct outjournal *j);

/* Move up to max bytes from the head of the (non-blocking) pipe fd into the
 * journal as name's, noting the log position and the partial line held
 * before them, and copy them to buf.  Returns the bytes moved (0: the pipe
 * is empty), or -1 with errno.  fd -1: a record of the partial line alone. */
ssize_t outjournal_take(struct outjournal *j, int fd, const char *name, uint64_t log_ino,
			uint64_t log_size, const char *partial, size_t partial_len, char *buf,
			size_t max);
/* The log is about to be rotated away (it is inode log_ino, log_size
 * bytes): the first skip bytes of partial + chunk are logged, the rest go
 * after log_size or, once rotated, to the new file. */
void outjournal_progress(struct outjournal *j, uint64_t log_ino, uint64_t log_size, size_t skip);
/* The record's lines are in the log, and name's partial line is now
 * partial (len 0: none; had_partial says whether a file may exist). */
void outjournal_commit(struct outjournal *j, const char *name, const char *partial,
		       size_t len, bool had_partial);

/* What a previous supd left of name's output, once (on adoption of its
 * pipe): the log position to cut back to (if *has_cut), the partial line,
 * and output to log before anything new from the pipe.  Caller frees. */
struct outjournal_left {
	bool has_cut, or_rotated;
	uint64_t log_ino, log_size;
	char *partial;
	size_t partial_len;
	char *data;
	size_t data_len;
};
void outjournal_claim(struct outjournal *j, const char *name, struct outjournal_left *left);
/* name is gone for good: forget its partial line. */
void outjournal_forget(struct outjournal *j, const char *name);

#endif
