/* SPDX-License-Identifier: MIT */
/* hs-token — manage hs-exec's HubSpot profiles.
 *
 * A thin main: the command table and every command live in cmd/; this file
 * sets the process up, answers --help and --version (and, for the shell
 * completions, --list-commands and --list-options), dispatches, and maps
 * the GError to an exit code (docs/design.md, "Exit codes"). */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "base/process.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "base/process.h"
#include "core/error.h"
#include "core/secure.h"

#ifdef HS_TEST_HOOKS
#include "test-hooks.h"
#endif

/* The options hs-token takes before a command: --help, --version, and for
 * the shell completions the hidden --list-commands and --list-options.
 * TRUE when argv[1] was one of them, with *ret_code the exit status. */
static gboolean global_option(const char *arg, int *ret_code) {
  g_autoptr(GError) error = NULL;

  *ret_code = 0;
  if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
    hs_cmd_usage(stdout);
  } else if (strcmp(arg, "--version") == 0) {
    printf("hs-token %s\n", PACKAGE_VERSION);
  } else if (strcmp(arg, "--list-commands") == 0) {
    hs_cmd_list_commands(stdout);
  } else if (strcmp(arg, "--list-options") == 0) {
    printf(
        "--help\t-h\tShow the commands and exit\n"
        "--version\t\tPrint the version and exit\n");
  } else if (g_str_has_prefix(arg, "--list-options=")) {
    if (!hs_cmd_list_options(arg + strlen("--list-options="), stdout, &error)) {
      fprintf(stderr, "hs-token: %s\n", error->message);
      *ret_code = hs_error_exit_code(error);
    }
  } else if (arg[0] == '-' && arg[1] != '\0') {
    fprintf(stderr,
            "hs-token: unknown option '%s'; options go after the command: "
            "hs-token COMMAND [OPTION…] (see 'hs-token --help')\n",
            arg);
    *ret_code = HS_ERR_USAGE;
  } else {
    return FALSE;
  }
  return TRUE;
}

int main(int argc, char **argv) {
  g_autoptr(GError) error = NULL;
  int code;

  /* GLib's --help is UTF-8 ("[OPTION…]"): converted to the user's charset,
   * not to '?'.  Numbers keep the C format whatever the locale. */
  setlocale(LC_ALL, "");
  setlocale(LC_NUMERIC, "C");
  hs_secure_process();
  g_set_prgname("hs-token");
  hs_process_set_name("hs-token");
  if (!hs_secure_unprivileged(&error)) {
    fprintf(stderr, "hs-token: %s\n", error->message);
    return hs_error_exit_code(error);
  }
#ifdef HS_TEST_HOOKS
  /* hs-token-faults only: never in the installed program. */
  hs_test_hooks_from_environment();
#endif
  if (argc < 2) {
    hs_cmd_usage(stderr);
    fprintf(stderr, "hs-token: no command given; see 'hs-token --help'\n");
    return HS_ERR_USAGE;
  }
  if (global_option(argv[1], &code)) return code;
  hs_output_progress_on_terminal();
  if (hs_cmd_dispatch(argc - 1, argv + 1, &error)) return 0;
  fprintf(stderr, "hs-token: %s\n", error->message);
  return hs_error_exit_code(error);
}
