/* SPDX-License-Identifier: MIT */
/* hs-token — manage hs-exec's HubSpot profiles.
 *
 * A thin main: the command table and every command live in cmd/; this file
 * sets the process up, answers --help and --version, dispatches, and maps
 * the GError to an exit code (docs/design.md, "Exit codes"). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/output.h"
#include "core/error.h"
#include "core/secure.h"

#ifdef HS_TEST_HOOKS
#include "test-hooks.h"
#endif

int main(int argc, char **argv) {
  g_autoptr(GError) error = NULL;

  hs_secure_process();
  g_set_prgname("hs-token");
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
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    hs_cmd_usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("hs-token %s\n", PACKAGE_VERSION);
    return 0;
  }
  hs_output_progress_on_terminal();
  if (hs_cmd_dispatch(argc - 1, argv + 1, &error)) return 0;
  fprintf(stderr, "hs-token: %s\n", error->message);
  return hs_error_exit_code(error);
}
