/* SPDX-License-Identifier: MIT */
/* output.c — see output.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

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

char *hs_output_printable(const char *text) {
  GString *out = g_string_new(NULL);
  const char *p = text, *end = text + strlen(text);

  while (p < end) {
    gunichar c = g_utf8_get_char_validated(p, end - p);
    const char *next;

    if (c == (gunichar)-1 || c == (gunichar)-2) {
      g_string_append_printf(out, "\\x%02X", (guchar)*p++);
      continue;
    }
    next = g_utf8_next_char(p);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
      for (; p < next; p++) g_string_append_printf(out, "\\x%02X", (guchar)*p);
    else if (c == '\\')
      g_string_append(out, "\\\\");
    else
      g_string_append_len(out, p, next - p);
    p = next;
  }
  return g_string_free(out, FALSE);
}
