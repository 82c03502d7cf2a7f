/* SPDX-License-Identifier: MIT */
/* options.h — hs-token commands' option parsing with one error form, the
 * store chain they open, and the clock they read. */
#pragma once

#include <glib.h>
#include "core/stores.h"

/* Parse a subcommand's options; exactly `nargs` positional arguments remain
 * (argv[1..]), or any number when nargs < 0.  Errors are HS_ERR_USAGE. */
gboolean hs_options_parse(const char *name, const char *args,
                          GOptionEntry *entries, int nargs, int *argc,
                          char ***argv, GError **error);

/* The configured store chain. */
HsStores *hs_options_open_stores(GError **error);

/* Unix seconds now, or HS_EXEC_FAKE_NOW for tests (never under AT_SECURE). */
gint64 hs_options_now(void);

/* A duration as `hs-token add --ttl` takes it: a positive whole number and
 * a unit, s, m, h or d ("30m", "8h", "2d"), at most 366 days; in seconds.
 * FALSE with HS_ERR_USAGE naming `option` and the form. */
gboolean hs_options_duration(const char *option, const char *text,
                             gint64 *ret_seconds, GError **error);
