/*
 * logfile.h - a service's output log: LOGDIR/NAME.log, one line per line
 * the service wrote, prefixed with an ISO-8601 timestamp; rotated by size
 * (NAME.log.1 ... NAME.log.N).  Writes are plain write(2) on an O_APPEND fd
 * from the loop; if a write fails (disk full) the line is dropped, counted,
 * and the count is written into the log once writing works again.
 */
#ifndef SUPD_LOGFILE_H
#define SUPD_LOGFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct logfile;
struct logfile_sub;

struct logfile *logfile_open(const char *dir, const char *name, uint64_t max_bytes,
			     unsigned backups, char **cause);
void logfile_close(struct logfile *lf);
void logfile_set_limits(struct logfile *lf, uint64_t max_bytes, unsigned backups);
const char *logfile_path(const struct logfile *lf);

/* One line of service output (no trailing newline; len may be 0). */
void logfile_write_line(struct logfile *lf, const char *line, size_t len);
/* Bracket the lines of one chunk of output: the file is checked (removed?
 * truncated?) once per batch instead of once per line. */
void logfile_batch(struct logfile *lf, bool begin);
/* In a batch: the file the next line goes to and its size.  false if the
 * file cannot be opened. */
bool logfile_position(struct logfile *lf, uint64_t *ino, uint64_t *size);
/* Called in a batch just before the file (inode ino, size bytes) is
 * rotated away, for outjournal's record. */
void logfile_set_rotate_hook(struct logfile *lf, void (*fn)(void *data, uint64_t ino, uint64_t size),
			     void *data);
/* Recovery after supd died: if the file is still inode ino, cut it back to
 * size (what a dead supd wrote past its last record is written again); if
 * it is another file and or_rotated, the rotation under way made it: empty
 * it. */
void logfile_cut(struct logfile *lf, uint64_t ino, uint64_t size, bool or_rotated);
/* Close the file while nothing writes (the next write reopens it): a
 * stopped service holds no descriptor. */
void logfile_release_fd(struct logfile *lf);
/* A line from supd itself about the service ("supd: OOM kill ..."). */
void logfile_note(struct logfile *lf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint64_t logfile_dropped(const struct logfile *lf);

/* The last n lines of the current log file (and of NAME.log.1 if needed). */
json_t *logfile_tail(struct logfile *lf, unsigned n);
/* Follow: cb gets every line written from now on, as written to the file. */
struct logfile_sub *logfile_subscribe(struct logfile *lf,
				      void (*cb)(const char *line, size_t len, void *data),
				      void *data);
void logfile_unsubscribe(struct logfile_sub *sub);

/*
 * Notes on the calls above: logfile_note() prefixes "supd: " unless the
 * message already starts with it.  A subscriber's cb gets the line with its
 * timestamp, without '\n'; when the log is closed every subscriber's cb is
 * called once with line NULL, after which the subscription is freed and must
 * not be passed to logfile_unsubscribe().  cb may unsubscribe any
 * subscription, its own included.
 */

/* logfile_tail() for a service with no open log (bad-config, removed). */
json_t *logfile_tail_path(const char *dir, const char *name, unsigned n);

#endif
