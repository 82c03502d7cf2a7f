/* SPDX-License-Identifier: MIT */
/* commands.h — hs-token's commands and their table.
 *
 * Each command takes the argv that starts at its own name, parses its
 * options with hs_options_parse(), prints its results, and returns FALSE
 * with a GError whose code is the exit code (docs/design.md, "Exit codes").
 * The commands live in cmd-*.c; the table, its lookup and the usage text in
 * commands.c. */
#pragma once

#include <stdio.h>

#include <glib.h>

gboolean hs_cmd_add(int argc, char **argv, GError **error);
gboolean hs_cmd_list(int argc, char **argv, GError **error);
gboolean hs_cmd_show(int argc, char **argv, GError **error);
gboolean hs_cmd_rotate(int argc, char **argv, GError **error);
gboolean hs_cmd_remove(int argc, char **argv, GError **error);
gboolean hs_cmd_check(int argc, char **argv, GError **error);
gboolean hs_cmd_audit(int argc, char **argv, GError **error);
gboolean hs_cmd_doctor(int argc, char **argv, GError **error);
gboolean hs_cmd_import(int argc, char **argv, GError **error);
gboolean hs_cmd_scan(int argc, char **argv, GError **error);
gboolean hs_cmd_unit(int argc, char **argv, GError **error);
gboolean hs_cmd_token(int argc, char **argv, GError **error);
gboolean hs_cmd_share(int argc, char **argv, GError **error);

/* The one-line summary of command `name`, or "" for no such command. */
const char *hs_cmd_summary(const char *name);

/* The text COMMAND --help prints after its options, or NULL. */
const char *hs_cmd_description(const char *name);

/* Print the command list and the exit codes to `out`. */
void hs_cmd_usage(FILE *out);

/* For the shell completions (hs-token --list-commands): one line per
 * command, "NAME<TAB>ARGS<TAB>SUMMARY". */
void hs_cmd_list_commands(FILE *out);

/* For the shell completions (hs-token --list-options=NAME): command
 * NAME's options as hs_options_parse() lists them, without running it.
 * FALSE with HS_ERR_USAGE for an unknown command. */
gboolean hs_cmd_list_options(const char *name, FILE *out, GError **error);

/* Run the command argv[0] with its arguments; FALSE with HS_ERR_USAGE for
 * an unknown command, else whatever the command returns. */
gboolean hs_cmd_dispatch(int argc, char **argv, GError **error);
