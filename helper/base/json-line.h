/* SPDX-License-Identifier: MIT */
/* json-line.h — one JSON object on one line, for the audit and usage logs
 * that the cached run of hs-exec appends to without json-glib (base/ is
 * the C library only).  Strings only and integers, written in the order
 * added; what reads the logs back uses json-glib.  A string's bytes that
 * are not UTF-8 become U+FFFD, so every line stays valid JSON. */
#ifndef HS_BASE_JSON_LINE_H
#define HS_BASE_JSON_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  char *text;
  size_t len, size;
  bool failed; /* out of memory: hs_json_line_end gives NULL */
} HsJsonLine;

/* An empty object: "{". */
void hs_json_line_begin(HsJsonLine *line);

/* Add "name":"value" (escaped); nothing when `value` is NULL. */
void hs_json_line_add_string(HsJsonLine *line, const char *name,
                             const char *value);

/* Add "name":value. */
void hs_json_line_add_int(HsJsonLine *line, const char *name, int64_t value);

/* The object, closed, with a newline when `newline` (transfer full:
 * free()), or NULL when out of memory. */
char *hs_json_line_end(HsJsonLine *line, bool newline);

#endif
