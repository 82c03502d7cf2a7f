/* SPDX-License-Identifier: MIT */
/* output.h — how hs-token's commands print: times, JSON, and names that
 * came from the file system. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

/* RFC 3339 UTC ("2026-11-23T10:00:00Z"), or NULL for t <= 0. */
char *hs_output_format_time(gint64 t);

/* Pretty-print the builder's root on stdout. */
void hs_output_print_json(JsonBuilder *b);

/* A string member, or null for NULL. */
void hs_output_add_member(JsonBuilder *b, const char *name, const char *value);

/* `text` (a file name, say) safe to print on a terminal (transfer full):
 * control characters (C0, DEL, C1) and bytes that are not UTF-8 become
 * \xNN, and a backslash becomes \\, so that no escape sequence in a
 * name reaches the terminal and the result reads back unambiguously. */
char *hs_output_printable(const char *text);
