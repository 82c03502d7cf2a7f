/* SPDX-License-Identifier: MIT */
/* scan.h — finding HubSpot credentials in plain text: private-app
 * tokens (pat-<hublet>-<uuid>), the HubSpot CLI's personal access keys,
 * OAuth refresh tokens of HubSpot's shape, and values given to HUBSPOT_*
 * credential variables in .env-like lines. */
#ifndef HS_TOKEN_SCAN_H
#define HS_TOKEN_SCAN_H

#include <glib.h>

typedef struct {
  guint line;       /* 1-based */
  const char *kind; /* "private-app", "personal-access-key",
                       "oauth-refresh-token", or the variable's name */
  gsize start, len; /* the secret's bytes in the buffer scanned */
} HsScanHit;

typedef void (*HsScanFn)(const HsScanHit *hit, void *user_data);

/* Call `fn` for each credential in `len` bytes of `buf` (need not be
 * NUL-terminated), in order.  `first_line` is the number of the buffer's
 * first line.  Pure: no I/O.  Returns the number of hits. */
guint hs_scan_text(const char *buf, gsize len, guint first_line, HsScanFn fn,
                   void *user_data);

typedef void (*HsDiffScanFn)(const char *path, const HsScanHit *hit,
                             const char *text, void *user_data);

/* Scan the lines a unified diff (`git diff --cached -U0`) adds; `fn` gets the
 * new file's path, the hit with its line in the new file, and the added
 * line's text that hit.start/len index into (borrowed for the call).
 * Returns the number of hits. */
guint hs_scan_diff(const char *buf, gsize len, HsDiffScanFn fn,
                   void *user_data);

/* A masked form for display: the first 8 characters and "…"
 * (transfer full). */
char *hs_scan_mask(const char *token, gsize len);

#endif
