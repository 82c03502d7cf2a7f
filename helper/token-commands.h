/* hs-token's commands, one per function, each in a cmd-*.c module.
 *
 * Each takes the argv that starts at its own name, parses its options with
 * hs_cli_parse(), prints its results, and returns FALSE with a GError whose
 * code is the exit code (DESIGN.md §4). */
#pragma once

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
