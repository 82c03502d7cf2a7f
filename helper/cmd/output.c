/* SPDX-License-Identifier: MIT */
/* output.c — see output.h. */
#include "config.h"

#include <stdio.h>

#include "cmd/output.h"

char *hs_output_format_time(gint64 t) {
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0) return NULL;
  dt = g_date_time_new_from_unix_utc(t);
  return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

void hs_output_print_json(JsonBuilder *b) {
  g_autoptr(JsonGenerator) gen = json_generator_new();
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *text = NULL;

  json_generator_set_pretty(gen, TRUE);
  json_generator_set_root(gen, root);
  text = json_generator_to_data(gen, NULL);
  printf("%s\n", text);
}

void hs_output_add_member(JsonBuilder *b, const char *name, const char *value) {
  json_builder_set_member_name(b, name);
  if (value != NULL)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}
