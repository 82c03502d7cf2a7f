/* SPDX-License-Identifier: MIT */
/* output.h — how hs-token's commands print: times and JSON. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

/* RFC 3339 UTC ("2026-11-23T10:00:00Z"), or NULL for t <= 0. */
char *hs_output_format_time(gint64 t);

/* Pretty-print the builder's root on stdout. */
void hs_output_print_json(JsonBuilder *b);

/* A string member, or null for NULL. */
void hs_output_add_member(JsonBuilder *b, const char *name, const char *value);
