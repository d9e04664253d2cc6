/*
 * fdholder.h - keeps the services' output pipes open across a supd crash,
 * in the manner of s6-fdholder.  A tiny process forked by supd at start
 * holds a copy of both ends of every service's output pipe, so that if
 * supd dies (SIGKILL, a bug) the services' writes do not hit a pipe without
 * readers (SIGPIPE would kill them): they block when the pipe is full
 * instead.  The next supd connects to STATE_DIR/fdholder.sock and takes
 * the pipes back, and no line is lost.  On a clean shutdown supd tells the
 * holder to exit.
 */
#ifndef SUPD_FDHOLDER_H
#define SUPD_FDHOLDER_H

struct fdholder;

/* Connect to the holder in state_dir, starting one if none answers. */
struct fdholder *fdholder_open(const char *state_dir, char **cause);
/* Hand the holder a copy of fds[0..1] under name (replacing any). */
int fdholder_store(struct fdholder *h, const char *name, const int fds[2]);
/* Take back the pair stored under name: 0 with fds set, -ENOENT, or -errno. */
int fdholder_fetch(struct fdholder *h, const char *name, int fds[2]);
/* Forget name (its service was removed). */
void fdholder_drop(struct fdholder *h, const char *name);
/* The state directory was recreated: have the holder listen there again. */
int fdholder_rebind(struct fdholder *h, const char *state_dir);
/* Ask the holder to exit (clean shutdown), then close. */
void fdholder_quit(struct fdholder *h);
/* Close the connection only (supd re-executes itself). */
void fdholder_close(struct fdholder *h);

#endif
