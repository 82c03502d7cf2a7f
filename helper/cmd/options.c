/* SPDX-License-Identifier: MIT */
/* options.c — see options.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/options.h"
#include "core/error.h"
#include "core/hooks.h"

gboolean hs_options_parse(const char *name, const char *args,
                          GOptionEntry *entries, int nargs, int *argc,
                          char ***argv, GError **error) {
  g_autofree char *param = g_strdup_printf("%s %s", name, args);
  g_autoptr(GOptionContext) ctx = g_option_context_new(param);
  g_autoptr(GError) local = NULL;

  g_option_context_set_summary(ctx, hs_cmd_summary(name));
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, argc, argv, &local)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "%s: %s; see 'hs-token %s --help'", name, local->message, name);
    return FALSE;
  }
  if (nargs >= 0 && *argc - 1 != nargs) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "%s: expected %s; see 'hs-token %s --help'", name,
                *args ? args : "no arguments", name);
    return FALSE;
  }
  return TRUE;
}

HsStores *hs_options_open_stores(GError **error) {
  g_autoptr(HsConfig) config = hs_config_load(error);

  if (config == NULL) return NULL;
  return hs_stores_open(config, error);
}

HsApi *hs_options_api_new(const HsConfig *config, GError **error) {
  static gboolean noted = FALSE;
  HsApi *api = hs_api_new_for_config(config, error);
  g_autofree char *note = api != NULL ? hs_api_note(api) : NULL;

  if (note != NULL && !noted) {
    fprintf(stderr, "hs-token: note: %s\n", note);
    noted = TRUE;
  }
  return api;
}

gint64 hs_options_now(void) {
  gint64 fake = hs_hooks()->fake_now;

  return fake > 0 ? fake : g_get_real_time() / G_USEC_PER_SEC;
}

gboolean hs_options_duration(const char *option, const char *text,
                             gint64 *ret_seconds, GError **error) {
  static const struct {
    char unit;
    gint64 seconds;
  } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  const char *p = text;
  gint64 n = 0;

  while (g_ascii_isdigit(*p) && n <= 366 * 86400) n = n * 10 + (*p++ - '0');
  for (gsize i = 0; p != text && i < G_N_ELEMENTS(units); i++) {
    if (p[0] != units[i].unit || p[1] != '\0') continue;
    n *= units[i].seconds;
    if (n <= 0 || n > 366 * 86400) break;
    *ret_seconds = n;
    return TRUE;
  }
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "%s '%s' is not a duration: give a whole number and a unit, s, "
              "m, h or d (30m, 8h, 2d), from 1 s to 366 d",
              option, text);
  return FALSE;
}
