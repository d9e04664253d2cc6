/*
 * output.h - the pipe that carries a service's stdout and stderr to its log.
 * One pipe per service, kept across restarts, so output of stray children
 * of an old instance still reaches the log.  Read on the loop in bounded
 * chunks: a service that writes faster than the disk fills its pipe and
 * blocks in write(2); supd's loop never stalls on it.
 */
#ifndef SUPD_OUTPUT_H
#define SUPD_OUTPUT_H

#include <uv.h>

struct logfile;
struct output;

struct output *output_new(uv_loop_t *loop, struct logfile *lf, char **cause);
/* The write end, to become the child's stdout and stderr. */
int output_write_fd(const struct output *o);
/* Close both ends; cb(data) once libuv has released the handle. */
void output_close(struct output *o, void (*cb)(void *data), void *data);

#endif
