/* SPDX-License-Identifier: MIT */
/* hs-token audit: read the audit trail back, filtered. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "base/audit.h"
#include "cmd/new-profile.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "core/error.h"
#include "core/profile-name.h"
#include "cmd/commands.h"

/* ---- audit ---- */

gboolean hs_cmd_audit(int argc, char **argv, GError **error) {
  gboolean json = FALSE;
  g_autofree char *since = NULL;
  GOptionEntry entries[] = {
      {"since", 0, 0, G_OPTION_ARG_STRING, &since,
       "Only events at or after DATE (YYYY-MM-DD or RFC 3339)", "DATE"},
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON lines", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autofree char *path = hs_audit_path();
  g_autofree char *text = NULL, *since_iso = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local = NULL;
  const char *profile = NULL;

  if (!hs_options_parse("audit", "[PROFILE]", entries, -1, &argc, &argv, error))
    return FALSE;
  if (argc > 2) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "audit: give at most one PROFILE");
    return FALSE;
  }
  if (argc == 2) {
    profile = argv[1];
    if (!hs_profile_name_validate(profile, error)) return FALSE;
  }
  if (since != NULL) {
    /* Both forms compare as strings once made full RFC 3339 UTC. */
    g_autoptr(GDateTime) t = NULL;
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
    if (strlen(since) == 10) {
      g_autofree char *full = g_strconcat(since, "T00:00:00Z", NULL);
      t = g_date_time_new_from_iso8601(full, utc);
    } else {
      t = g_date_time_new_from_iso8601(since, utc);
    }
    if (t == NULL) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "audit: --since '%s' is not a date; use YYYY-MM-DD or "
                  "YYYY-MM-DDTHH:MM:SSZ",
                  since);
      return FALSE;
    }
    g_autoptr(GDateTime) t_utc = g_date_time_to_utc(t);
    since_iso = g_date_time_format(t_utc, "%Y-%m-%dT%H:%M:%SZ");
  }
  if (!g_file_get_contents(path, &text, NULL, &local)) {
    if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      if (!json) printf("No audit events yet (%s).\n", path);
      return TRUE;
    }
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "audit: %s",
                local->message);
    return FALSE;
  }
  lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonObject *o;
    const char *time, *who;

    if (**l == '\0' || !json_parser_load_from_data(parser, *l, -1, NULL) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
      continue;
    o = json_node_get_object(json_parser_get_root(parser));
    time = json_object_get_string_member_with_default(o, "time", "");
    who = json_object_get_string_member_with_default(o, "profile", "");
    if (profile != NULL && strcmp(who, profile) != 0) continue;
    if (since_iso != NULL && strcmp(time, since_iso) < 0) continue;
    if (json) {
      printf("%s\n", *l);
    } else {
      const char *cmd =
          json_object_get_string_member_with_default(o, "command", NULL);
      printf("%s  %-15s %-20s %-20s %s%s%s\n", time,
             json_object_get_string_member_with_default(o, "event", ""), who,
             json_object_get_string_member_with_default(o, "kind", "-"),
             json_object_get_string_member_with_default(o, "outcome", ""),
             cmd ? "  " : "", cmd ? cmd : "");
    }
  }
  return TRUE;
}
