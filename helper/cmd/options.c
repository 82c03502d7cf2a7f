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

/* Where --list-options prints, or NULL when commands run. */
static FILE *list_out;

void hs_options_list_to(FILE *out) { list_out = out; }

/* One line per option for the completions: "--NAME" ("--NAME=" when it takes
 * a value), a tab, "-C" or nothing, a tab, the help text.  Hidden options
 * are not offered. */
static void list_entries(const GOptionEntry *entries) {
  for (const GOptionEntry *e = entries; e->long_name != NULL; e++) {
    char short_name[3] = "";
    if (e->flags & G_OPTION_FLAG_HIDDEN) continue;
    if (e->short_name)
      g_snprintf(short_name, sizeof short_name, "-%c", e->short_name);
    fprintf(list_out, "--%s%s\t%s\t%s\n", e->long_name,
            e->arg == G_OPTION_ARG_NONE ? "" : "=", short_name,
            e->description ? e->description : "");
  }
  fprintf(list_out, "--help\t-h\tShow the options and exit\n");
}

gboolean hs_options_parse(const char *name, const char *args,
                          GOptionEntry *entries, int nargs, int *argc,
                          char ***argv, GError **error) {
  g_autoptr(GOptionContext) ctx = g_option_context_new(args);
  g_autoptr(GError) local = NULL;
  g_autofree char *prgname = g_strdup(g_get_prgname());
  g_autofree char *usage_name = g_strdup_printf("hs-token %s", name);
  gboolean parsed;

  if (list_out != NULL) {
    list_entries(entries);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s: options listed",
                name);
    return FALSE;
  }
  g_option_context_set_summary(ctx, hs_cmd_summary(name));
  g_option_context_set_description(ctx, hs_cmd_description(name));
  g_option_context_add_main_entries(ctx, entries, NULL);
  /* GOption's usage line is "PRGNAME [OPTION…] ARGS": with the command in
   * the program's name it reads "hs-token add [OPTION…] PROFILE", which is
   * what we accept (options go after the command). */
  g_set_prgname(usage_name);
  parsed = g_option_context_parse(ctx, argc, argv, &local);
  g_set_prgname(prgname);
  if (!parsed) {
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
