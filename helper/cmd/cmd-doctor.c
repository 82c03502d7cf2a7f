/* SPDX-License-Identifier: MIT */
/* hs-token doctor: print what hs_doctor_run() found, with each fix. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "cmd/new-profile.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/doctor.h"
#include "core/error.h"
#include "cmd/commands.h"

/* ---- doctor ---- */

gboolean hs_cmd_doctor(int argc, char **argv, GError **error) {
  gboolean json = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(GPtrArray) checks = NULL;
  int code;

  if (!hs_options_parse("doctor", "", entries, 0, &argc, &argv, error))
    return FALSE;
  checks = hs_doctor_run();
  if (json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < checks->len; i++) {
      HsCheck *c = g_ptr_array_index(checks, i);
      json_builder_begin_object(b);
      hs_output_add_member(b, "area", c->area);
      json_builder_set_member_name(b, "ok");
      json_builder_add_boolean_value(b, c->ok);
      hs_output_add_member(b, "detail", c->detail);
      hs_output_add_member(b, "fix", c->fix);
      json_builder_end_object(b);
    }
    json_builder_end_array(b);
    hs_output_print_json(b);
  } else {
    for (guint i = 0; i < checks->len; i++) {
      HsCheck *c = g_ptr_array_index(checks, i);
      printf("%-8s %-7s %s\n", c->area, c->ok ? "ok" : "PROBLEM", c->detail);
      if (c->fix != NULL) printf("%-8s %-7s fix: %s\n", "", "", c->fix);
    }
  }
  fflush(stdout);
  code = hs_doctor_exit_code(checks);
  if (code != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, code,
                "doctor found a problem; each is shown above with its fix");
    return FALSE;
  }
  return TRUE;
}
