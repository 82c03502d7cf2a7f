/* SPDX-License-Identifier: MIT */
/* hs-token check: ask HubSpot whether each token still works, and
 * whether its rotation is due. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "base/audit.h"
#include "cmd/new-profile.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "core/config.h"
#include "core/error.h"
#include "hubspot/auth.h"
#include "core/kind.h"
#include "cmd/notify.h"
#include "core/profile-name.h"
#include "core/record.h"
#include "core/rotation.h"
#include "core/stores.h"
#include "cmd/commands.h"

/* ---- check ---- */

static void collect_record(const HsRecord *record, const char *store,
                           void *user_data) {
  GPtrArray *records = user_data;
  g_autofree char *json = NULL;
  gsize len = 0;

  (void)store;
  /* A copy through the document keeps ownership simple. */
  json = hs_record_to_json(record, &len);
  g_ptr_array_add(records, hs_record_from_json(json, (gssize)len, NULL));
  explicit_bzero(json, len);
}

/* --notify: one desktop notification for all the profiles that need
 * something, and a journal line for each.  No notification server (a
 * headless host, a timer without a session bus) is said on stderr, and
 * the check goes on: the journal has it. */
static void notify(GPtrArray *problems, gboolean critical) {
  g_autoptr(GError) why = NULL;
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < problems->len; i++) {
    const char *line = g_ptr_array_index(problems, i);
    g_autofree char *journal = g_strdup_printf("hs-token check: %s", line);
    hs_audit_journal(critical ? LOG_WARNING : LOG_NOTICE, journal);
    g_string_append_printf(body, "%s%s", i ? "\n" : "", line);
  }
  summary = g_strdup_printf("%u HubSpot token%s need%s attention",
                            problems->len, problems->len == 1 ? "" : "s",
                            problems->len == 1 ? "s" : "");
  if (!hs_notify_desktop(summary, body->str, critical, &why))
    fprintf(stderr,
            "hs-token: note: no desktop notification was shown (%s); the "
            "findings are in the journal\n",
            why->message);
}

/* check's exit codes are a monitoring plugin's (docs/design.md, "Exit
 * codes"), so that Nagios, Icinga or a systemd timer can read them. */
enum { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };

/* Whatever kept check from checking (a bad option, the config, a store,
 * a profile that does not exist) is UNKNOWN: it says nothing of a token. */
static gboolean cannot_check(GError **error) {
  if (error != NULL && *error != NULL) {
    (*error)->domain = HS_ERROR_DOMAIN;
    (*error)->code = CHECK_UNKNOWN;
  }
  return FALSE;
}

/* The more severe of two findings: CRITICAL, then UNKNOWN, then WARNING. */
static int worse(int a, int b) {
  static const int rank[] = {[CHECK_OK] = 0,
                             [CHECK_WARNING] = 1,
                             [CHECK_UNKNOWN] = 2,
                             [CHECK_CRITICAL] = 3};
  return rank[a] >= rank[b] ? a : b;
}

/* list --long's order, then what HubSpot said; nothing is left out when
 * the terminal is narrow, since every column is the check's finding. */
static const HsOutputColumn columns[] = {
    {"PROFILE", FALSE, 0}, {"KIND", FALSE, 0},     {"HUB", FALSE, 0},
    {"AGE", TRUE, 0},      {"ROTATION", FALSE, 0}, {"RESULT", FALSE, 0},
    {"DETAIL", FALSE, 0},
};

gboolean hs_cmd_check(int argc, char **argv, GError **error) {
  gboolean json = FALSE, notify_desktop = FALSE;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
      {"notify", 0, 0, G_OPTION_ARG_NONE, &notify_desktop,
       "Also send a desktop notification and a journal entry when something "
       "is due, overdue, invalid or unreachable",
       NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(GPtrArray) records =
      g_ptr_array_new_with_free_func((GDestroyNotify)hs_record_free);
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(GPtrArray) cells =
      g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  gint64 now = hs_options_now();
  int worst = CHECK_OK;

  if (!hs_options_parse("check", "[PROFILE…]", entries, -1, &argc, &argv,
                        error))
    return cannot_check(error);
  config = hs_config_load(error);
  if (config == NULL) return cannot_check(error);
  stores = hs_stores_open(config, error);
  if (stores == NULL) return cannot_check(error);
  api = hs_options_api_new(config, error);
  if (api == NULL) return cannot_check(error);
  if (argc > 1) {
    for (int i = 1; i < argc; i++) {
      HsRecord *r;
      if (!hs_profile_name_validate(argv[i], error)) return cannot_check(error);
      r = hs_stores_lookup(stores, argv[i], NULL, error);
      if (r == NULL) return cannot_check(error);
      g_ptr_array_add(records, r);
    }
  } else if (!hs_stores_list(stores, collect_record, records, NULL, error)) {
    return cannot_check(error);
  }
  json_builder_begin_array(b);
  for (guint i = 0; i < records->len; i++) {
    HsRecord *r = g_ptr_array_index(records, i);
    g_autoptr(GError) why = NULL;
    gint64 age;
    const char *rotation, *result;

    if (r == NULL) continue;
    age = hs_record_age_days(r, now);
    rotation = hs_rotation_status(age);
    if (hs_auth_check(api, r, &why)) {
      result = "ok";
    } else {
      result = why->code == HS_ERR_REFUSED ? "invalid" : "unreachable";
      hs_audit("check", r->profile, hs_kind_name(r->kind), result, NULL);
    }
    if (why != NULL)
      g_ptr_array_add(problems, g_strdup_printf("%s: %s (%s)", r->profile,
                                                result, why->message));
    else if (strcmp(rotation, "ok") != 0)
      g_ptr_array_add(
          problems,
          g_strdup_printf("%s: rotation %s (%" G_GINT64_FORMAT
                          " days old); rotate it with 'hs-token rotate %s'",
                          r->profile, rotation, age, r->profile));
    if (why != NULL)
      worst = worse(
          worst, why->code == HS_ERR_REFUSED ? CHECK_CRITICAL : CHECK_UNKNOWN);
    else if (strcmp(rotation, "overdue") == 0)
      worst = worse(worst, CHECK_CRITICAL);
    else if (strcmp(rotation, "ok") != 0)
      worst = worse(worst, CHECK_WARNING);
    if (json) {
      json_builder_begin_object(b);
      hs_output_add_member(b, "profile", r->profile);
      hs_output_add_member(b, "kind", hs_kind_name(r->kind));
      hs_output_add_hub_id(b, "hub_id", r->hub_id);
      hs_output_add_member(b, "result", result);
      hs_output_add_member(b, "rotation", rotation);
      json_builder_set_member_name(b, "age_days");
      json_builder_add_int_value(b, age);
      hs_output_add_member(b, "detail", why ? why->message : NULL);
      json_builder_end_object(b);
    } else {
      char **line = g_new0(char *, G_N_ELEMENTS(columns) + 1);
      line[0] = g_strdup(r->profile);
      line[1] = g_strdup(hs_kind_name(r->kind));
      line[2] = g_strdup(r->hub_id ? r->hub_id : "-");
      line[3] = g_strdup_printf("%" G_GINT64_FORMAT "d", age);
      line[4] = g_strdup(rotation);
      line[5] = g_strdup(result);
      line[6] = g_strdup(why ? why->message : "-");
      g_ptr_array_add(cells, line);
    }
  }
  json_builder_end_array(b);
  if (json)
    hs_output_print_json(b);
  else if (cells->len > 0)
    hs_output_table(columns, G_N_ELEMENTS(columns), cells, 0);
  fflush(stdout);
  if (notify_desktop && problems->len > 0)
    notify(problems, worst != CHECK_WARNING);
  if (worst == CHECK_CRITICAL)
    g_set_error(error, HS_ERROR_DOMAIN, worst,
                "check: a credential is invalid or its rotation is overdue; "
                "see above");
  else if (worst == CHECK_UNKNOWN)
    g_set_error(error, HS_ERROR_DOMAIN, worst,
                "check: a credential could not be checked; see above, and "
                "try again once HubSpot can be reached");
  else if (worst == CHECK_WARNING)
    g_set_error(error, HS_ERROR_DOMAIN, worst,
                "check: a rotation is due; rotate the token in HubSpot and "
                "store it with 'hs-token rotate PROFILE'");
  return worst == CHECK_OK;
}
