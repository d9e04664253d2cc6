/*
 * fdholder.h - keeps the services' output pipes open across a supd crash,
 * in the manner of s6-fdholder.  A tiny process started by supd at start
 * holds a copy of both ends of every service's output pipe, so that if
 * supd dies (SIGKILL, a bug) the services' writes do not hit a pipe without
 * readers (SIGPIPE would kill them): they block when the pipe is full
 * instead.  The next supd connects to STATE_DIR/fdholder.sock and takes
 * the pipes back, and no line is lost.  On a clean shutdown supd tells the
 * holder to exit.
 *
 * The holder is its own program, supd-fdholder (fdholder/supd-fdholder.c,
 * built without libc on x86_64): supd creates the listening socket, then
 * forks and execs the program with the socket as descriptor
 * FDHOLDER_LISTEN_FD.  A fork of supd would do the same work but keep
 * ~1.5 MiB resident (the libc and supd pages it touches); the program
 * keeps a few pages.  supd looks for it next to its own executable, then
 * in SUPD_LIBEXECDIR (where `make install` puts it); if neither can be
 * executed it logs so and holds the pipes in a plain fork of itself,
 * which runs the program's own loop (fdholder_program_serve).
 */
#ifndef SUPD_FDHOLDER_H
#define SUPD_FDHOLDER_H

/* Shared with supd-fdholder, which includes this header without libc:
 * the socket's name in the state directory, the size of a request with its
 * NUL (so a name has at most FDHOLDER_MSG - 3 bytes), the descriptor the
 * program finds its listening socket on, and the program's name. */
#define FDHOLDER_SOCK "fdholder.sock"
#define FDHOLDER_MSG 512
#define FDHOLDER_LISTEN_FD 3
#define FDHOLDER_PROG "supd-fdholder"

#include <stdbool.h>

struct fdholder;

/* Connect to the holder in state_dir, starting one if none answers. */
struct fdholder *fdholder_open(const char *state_dir, char **cause);
/* Hand the holder a copy of fds[0..1] under name (replacing any). */
int fdholder_store(struct fdholder *h, const char *name, const int fds[2]);
/* Take back the pair stored under name: 0 with fds set, -ENOENT, or -errno. */
int fdholder_fetch(struct fdholder *h, const char *name, int fds[2]);
/* Forget name (its service was removed). */
void fdholder_drop(struct fdholder *h, const char *name);
/* Whether a fetch can find anything: not in a holder this supd started,
 * which holds only the pipes of outputs that exist (each close drops its
 * own), so a cold start asks nothing of it. */
bool fdholder_may_hold(const struct fdholder *h);
/* The state directory was recreated: have the holder listen there again. */
int fdholder_rebind(struct fdholder *h, const char *state_dir);
/* Ask the holder to exit (clean shutdown), then close. */
void fdholder_quit(struct fdholder *h);
/* Close the connection only (supd re-executes itself). */
void fdholder_close(struct fdholder *h);

/* The holder's loop (fdholder/supd-fdholder.c, built into supd with
 * FDHOLDER_IN_SUPD), serving the socket on FDHOLDER_LISTEN_FD: the
 * fallback in a fork of supd when the program cannot be executed. */
void fdholder_program_serve(void) __attribute__((noreturn));

#endif
