/* SPDX-License-Identifier: MIT */
/* output.h — how hs-token's commands print: times, JSON, tables that fit
 * the terminal, and names that came from the file system. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

/* RFC 3339 UTC ("2026-11-23T10:00:00Z"), or NULL for t <= 0. */
char *hs_output_format_time(gint64 t);

/* The same to the minute, for tables ("2026-11-23T10:00Z"), or NULL for
 * t <= 0. */
char *hs_output_format_minute(gint64 t);

/* Pretty-print the builder's root on stdout. */
void hs_output_print_json(JsonBuilder *b);

/* A string member, or null for NULL. */
void hs_output_add_member(JsonBuilder *b, const char *name, const char *value);

/* A hub id member: a number, as HubSpot sends it (a string if it is not
 * all digits, null for NULL). */
void hs_output_add_hub_id(JsonBuilder *b, const char *name, const char *hub_id);

/* How many columns a table on stdout may use: on a terminal its width
 * (TIOCGWINSZ), else $COLUMNS, else 80; off a terminal $COLUMNS if set,
 * else 0, no limit, so that a pipe or a file always gets every column. */
int hs_output_width(void);

typedef struct {
  const char *header; /* one word, so that awk's $N finds the column */
  gboolean right;     /* right-aligned (numbers) */
  int drop;           /* 0: always shown; else left out when the table is
                         too wide, rank 1 first */
} HsOutputColumn;

/* Print `rows` (each an array of `n` strings, transfer none) under the
 * headers to stdout: each column as wide as its widest cell, two spaces
 * apart, the last one unpadded.  While the table is wider than `width`
 * (0: no limit), the columns with a drop rank are left out, the lowest rank
 * first; a cell is never cut. */
void hs_output_table(const HsOutputColumn *columns, guint n, GPtrArray *rows,
                     int width);

/* When stderr is a terminal, show what a call to HubSpot is doing on one
 * line there ("hs-token: checking the token with HubSpot…"), erased when it
 * ends; a retry leaves its line.  Off a terminal, nothing. */
void hs_output_progress_on_terminal(void);

/* `text` (a file name, say) safe to print on a terminal (transfer full):
 * control characters (C0, DEL, C1) and bytes that are not UTF-8 become
 * \xNN, and a backslash becomes \\, so that no escape sequence in a
 * name reaches the terminal and the result reads back unambiguously. */
char *hs_output_printable(const char *text);
