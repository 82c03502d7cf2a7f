/* SPDX-License-Identifier: MIT */
/* output.c — see output.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/output.h"
#include "hubspot/api.h"

char *hs_output_format_time(gint64 t) {
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0) return NULL;
  dt = g_date_time_new_from_unix_utc(t);
  return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

char *hs_output_format_minute(gint64 t) {
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0) return NULL;
  dt = g_date_time_new_from_unix_utc(t);
  return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%MZ") : NULL;
}

void hs_output_add_hub_id(JsonBuilder *b, const char *name,
                          const char *hub_id) {
  guint64 n;

  json_builder_set_member_name(b, name);
  if (hub_id == NULL)
    json_builder_add_null_value(b);
  else if (g_ascii_string_to_unsigned(hub_id, 10, 0, G_MAXINT64, &n, NULL))
    json_builder_add_int_value(b, (gint64)n);
  else
    json_builder_add_string_value(b, hub_id);
}

int hs_output_width(void) {
  const char *env = getenv("COLUMNS");
  struct winsize ws = {0};
  guint64 n;

  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
      ws.ws_col > 0)
    return ws.ws_col;
  if (env != NULL && g_ascii_string_to_unsigned(env, 10, 1, 10000, &n, NULL))
    return (int)n;
  return isatty(STDOUT_FILENO) ? 80 : 0;
}

/* The line is overwritten in place (CR, erase to the end of the line), so
 * that it never mixes with what stdout prints once the call is over. */
static void show_progress(const HsApiProgress *progress, gpointer user_data) {
  g_autofree char *line = hs_api_progress_describe(progress);

  (void)user_data;
  if (line != NULL)
    fprintf(stderr, "\r\033[Khs-token: %s%s", line,
            progress->step == HS_API_PROGRESS_RETRY ? "\n" : "");
  else
    fputs("\r\033[K", stderr);
  fflush(stderr);
}

void hs_output_progress_on_terminal(void) {
  if (isatty(STDERR_FILENO)) hs_api_set_progress(show_progress, NULL);
}

#define TABLE_GAP 2

void hs_output_table(const HsOutputColumn *columns, guint n, GPtrArray *rows,
                     int width) {
  g_autofree glong *widths = g_new0(glong, n);
  g_autofree gboolean *shown = g_new0(gboolean, n);
  glong total = 0;
  guint last = 0;

  for (guint c = 0; c < n; c++) {
    widths[c] = g_utf8_strlen(columns[c].header, -1);
    for (guint r = 0; r < rows->len; r++) {
      const char *const *row = g_ptr_array_index(rows, r);
      widths[c] = MAX(widths[c], g_utf8_strlen(row[c], -1));
    }
    shown[c] = TRUE;
    total += widths[c] + (c ? TABLE_GAP : 0);
  }
  /* Narrow: leave out whole columns, the least useful first. */
  for (int rank = 1; width > 0 && total > width; rank++) {
    gboolean any = FALSE;
    for (guint c = 0; c < n; c++) {
      if (columns[c].drop < rank) continue;
      any = TRUE;
      if (columns[c].drop == rank && shown[c] && total > width) {
        shown[c] = FALSE;
        total -= widths[c] + TABLE_GAP;
      }
    }
    if (!any) break;
  }
  for (guint c = 0; c < n; c++)
    if (shown[c]) last = c;
  for (guint r = 0; r <= rows->len; r++) {
    const char *const *row =
        r == 0 ? NULL : (const char *const *)g_ptr_array_index(rows, r - 1);
    g_autoptr(GString) line = g_string_new(NULL);

    for (guint c = 0; c < n; c++) {
      const char *cell = row ? row[c] : columns[c].header;
      glong pad = widths[c] - g_utf8_strlen(cell, -1);

      if (!shown[c]) continue;
      if (line->len > 0) g_string_append_printf(line, "%*s", TABLE_GAP, "");
      if (columns[c].right) g_string_append_printf(line, "%*s", (int)pad, "");
      g_string_append(line, cell);
      if (!columns[c].right && c != last)
        g_string_append_printf(line, "%*s", (int)pad, "");
    }
    printf("%s\n", line->str);
  }
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
