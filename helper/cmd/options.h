/* SPDX-License-Identifier: MIT */
/* options.h — hs-token commands' option parsing with one error form, the
 * store chain and API client they open, and the clock they read. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include "core/stores.h"
#include "hubspot/api.h"

/* Parse a subcommand's options; exactly `nargs` positional arguments remain
 * (argv[1..]), or any number when nargs < 0.  Errors are HS_ERR_USAGE. */
gboolean hs_options_parse(const char *name, const char *args,
                          GOptionEntry *entries, int nargs, int *argc,
                          char ***argv, GError **error);

/* With `out` set, hs_options_parse() prints the command's options to it
 * (for hs-token --list-options) and returns FALSE, so that the command stops
 * before it does anything; NULL again to parse. */
void hs_options_list_to(FILE *out);

/* The configured store chain. */
HsStores *hs_options_open_stores(GError **error);

/* The API client `config` asks for (hs_api_new_for_config); the first one
 * of a run that sends elsewhere than HubSpot prints its note on stderr.
 * (transfer full) NULL with HS_ERR_CONFIG. */
HsApi *hs_options_api_new(const HsConfig *config, GError **error);

/* Unix seconds now, or a test build's fake clock (core/hooks). */
gint64 hs_options_now(void);

/* A duration as `hs-token add --ttl` takes it: a positive whole number and
 * a unit, s, m, h or d ("30m", "8h", "2d"), at most 366 days; in seconds.
 * FALSE with HS_ERR_USAGE naming `option` and the form. */
gboolean hs_options_duration(const char *option, const char *text,
                             gint64 *ret_seconds, GError **error);
