/* SPDX-License-Identifier: MIT */
/* hooks.h — what a test build may change: the plugin directory, hs-token's
 * clock, the retry backoff and the HTTP timeout.
 *
 * Only the test builds (hs-exec-faults, hs-token-faults: built by `make
 * check`, never installed) set them, from their environment
 * (helper/test-hooks.c, compiled with HS_TEST_HOOKS).  The installed
 * programs never call hs_hooks_set(), so no variable of their environment
 * can change which plugin is loaded, or how long they wait. */
#ifndef HS_HOOKS_H
#define HS_HOOKS_H

#include <glib.h>

typedef struct {
  const char *plugin_dir; /* plugins by name from here; NULL: PLUGINDIR */
  gint64 fake_now;        /* hs-token's clock, Unix seconds; 0: the real one */
  gint64 retry_base_ms;   /* the first backoff; -1: the built-in 1 s */
  long http_timeout_ms;   /* a whole request; 0: the built-in 15 s */
} HsHooks;

/* The hooks in force: all defaults unless a test build set them (transfer
 * none). */
const HsHooks *hs_hooks(void);

/* Set the hooks (copied; the strings must outlive the process). */
void hs_hooks_set(const HsHooks *hooks);

#endif
