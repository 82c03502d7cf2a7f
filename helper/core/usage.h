/* SPDX-License-Identifier: MIT */
/* usage.h — the usage log, after HubSpot's API call log: which profile ran
 * which command when, as non-secret state in
 * $XDG_STATE_HOME/hs-exec/usage.jsonl (mode 0600, never through a link
 * another user planted: base/safe-dir.h).  hs-exec appends one line per
 * run (base/usage-log.h): {"time","profile","command"} with the command's name
 * only. hs-token reads it once to show each profile's use in the last 7 days
 * and its last use, and now and then rewrites it without lines older than that
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

/* Read the log once: profile name → HsUsage (transfer full; a missing file
 * is an empty table).  Malformed lines are skipped.  When at least
 * HS_USAGE_TRIM_AT lines are past the window and not a profile's last, the
 * file is rewritten without them (atomically, under an exclusive flock). */
GHashTable *hs_usage_load(gint64 now);

#endif
