/* SPDX-License-Identifier: MIT */
/* usage-log.h — appending to the usage log (core/usage.h says what it
 * holds and reads it back), with the C library only (base/): the cached
 * run of hs-exec counts its run with it. */
#ifndef HS_BASE_USAGE_LOG_H
#define HS_BASE_USAGE_LOG_H

#include <stdbool.h>
#include <stdint.h>

#define HS_USAGE_LOG_NAME "usage.jsonl"

/* The file's path (transfer full: free()), or NULL when out of memory. */
char *hs_usage_log_path(void);

/* Open the log in `dirfd` (the state directory), our own regular file,
 * locked with flock `op`, and still the file there once locked (a trim
 * renames a new one into place).  -1 when it cannot be. */
int hs_usage_log_open_locked(int dirfd, int flags, int op);

/* Append one line for a run of `command` (argv[0]; its base name is kept)
 * under `profile` at `now`: one write() to a file opened O_APPEND, under a
 * shared flock so a trim never loses it.  Best effort: a log that cannot be
 * written is skipped silently (the audit log reports such trouble). */
void hs_usage_log_append(const char *profile, const char *command, int64_t now);

#endif
