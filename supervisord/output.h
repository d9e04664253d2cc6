/*
 * output.h - the pipe that carries a service's stdout and stderr to its log.
 * One pipe per service, kept across restarts, so output of stray children
 * of an old instance still reaches the log.  Read on the loop in bounded
 * chunks: a service that writes faster than the disk fills its pipe and
 * blocks in write(2); supd's loop never stalls on it.
 */
#ifndef SUPD_OUTPUT_H
#define SUPD_OUTPUT_H

#include <stdbool.h>
#include <uv.h>

struct logfile;
struct output;

struct fdholder;
struct outjournal;

/* Take back name's pipe from the fd holder (a previous supd's), or create
 * one and give the holder a copy; with a journal, first log what a previous
 * supd took from the pipe but did not finish logging.  holder and journal
 * may be NULL. */
struct output *output_new(uv_loop_t *loop, struct logfile *lf, struct fdholder *holder,
			  struct outjournal *journal, const char *name, char **cause);
/* The write end, to become the child's stdout and stderr. */
int output_write_fd(const struct output *o);
/* Write out a pending partial line (before supd re-executes itself). */
void output_flush(struct output *o);
/* A run has ended: log what is still in the pipe, and an unterminated last
 * line as a line of its own (it must not be glued to the next run's). */
void output_drain(struct output *o);
/* Close both ends (and forget the holder's copy when forget is set: the
 * service is gone for good); cb(data) once libuv has released the handle. */
void output_close(struct output *o, bool forget, void (*cb)(void *data), void *data);

#endif
