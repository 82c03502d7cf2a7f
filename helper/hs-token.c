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
#include "core/error.h"
#include "core/fault.h"
#include "core/secure.h"

#ifdef HS_TEST_HOOKS
#include <signal.h>
#include <stdlib.h>

/* The test variant (hs-token-faults) dies at the step named by
 * HS_EXEC_TEST_KILL_AT, as a SIGKILL would take it. */
static void kill_at(const char *step) {
  const char *want = secure_getenv("HS_EXEC_TEST_KILL_AT");

  if (want != NULL && strcmp(want, step) == 0) raise(SIGKILL);
}
#endif

int main(int argc, char **argv) {
  g_autoptr(GError) error = NULL;

  hs_secure_process();
  g_set_prgname("hs-token");
  if (!hs_secure_check_ids(&error)) {
    fprintf(stderr, "hs-token: %s\n", error->message);
    return hs_error_exit_code(error);
  }
#ifdef HS_TEST_HOOKS
  hs_fault_install(kill_at);
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
  if (hs_cmd_dispatch(argc - 1, argv + 1, &error)) return 0;
  fprintf(stderr, "hs-token: %s\n", error->message);
  return hs_error_exit_code(error);
}
