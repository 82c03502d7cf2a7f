/* SPDX-License-Identifier: MIT */
/* usage.h — the usage log, after HubSpot's API call log: which profile ran
 * which command when, as non-secret state in
 * $XDG_STATE_HOME/hs-exec/usage.jsonl (mode 0600, never through a link
 * another user planted: core/safe-dir.h).  hs-exec appends one line per
 * run: {"time","profile","command"} with the command's name only.
 * hs-token reads it once to show each profile's use in the last 7 days and
 * its last use, and now and then rewrites it without lines older than that
 * (keeping each profile's last). */
#ifndef HS_USAGE_H
#define HS_USAGE_H

#include <glib.h>

/* The window `hs-token show` counts uses in. */
#define HS_USAGE_WINDOW (7 * 86400)

/* Lines past the window that make hs_usage_load trim the file. */
#define HS_USAGE_TRIM_AT 1000

typedef struct {
  guint uses_in_window; /* runs in the HS_USAGE_WINDOW before `now` */
  gint64 last_time;     /* unix seconds of the last run, 0 if none */
  char *last_command;   /* its command name, or NULL */
} HsUsage;

/* The file's path (transfer full). */
char *hs_usage_path(void);

/* Append one line for a run of `command` (argv[0]; its base name is kept)
 * under `profile` at `now`: one write() to a file opened O_APPEND, under a
 * shared flock so a trim never loses it.  Best effort: a log that cannot be
 * written is skipped silently (the audit log reports such trouble). */
void hs_usage_record(const char *profile, const char *command, gint64 now);

/* Read the log once: profile name → HsUsage (transfer full; a missing file
 * is an empty table).  Malformed lines are skipped.  When at least
 * HS_USAGE_TRIM_AT lines are past the window and not a profile's last, the
 * file is rewritten without them (atomically, under an exclusive flock). */
GHashTable *hs_usage_load(gint64 now);

#endif
