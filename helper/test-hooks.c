/* SPDX-License-Identifier: MIT */
/* test-hooks.c — the test builds' switches (test-hooks.h).  The end-to-end
 * tests need a build-tree plugin directory, a clock days ahead, and short
 * backoffs and timeouts (a hang must not cost 3 x 15 s); only a variable
 * of the environment reaches a program run by a script, so the test builds,
 * and only they, read these. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/fault.h"
#include "core/hooks.h"
#include "test-hooks.h"

/* Dies at the step HS_EXEC_TEST_KILL_AT names, as a SIGKILL would take it. */
static void kill_at(const char *step) {
  const char *want = getenv("HS_EXEC_TEST_KILL_AT");

  if (want != NULL && strcmp(want, step) == 0) raise(SIGKILL);
}

/* A number from `name`, or `fallback` when unset or not a number. */
static gint64 number(const char *name, gint64 fallback) {
  const char *value = getenv(name);

  if (value == NULL || !g_ascii_isdigit(*value)) return fallback;
  return g_ascii_strtoll(value, NULL, 10);
}

void hs_test_hooks_from_environment(void) {
  const char *dir = getenv("HS_EXEC_PLUGIN_DIR");
  HsHooks hooks = {
      .plugin_dir = dir != NULL && *dir != '\0' ? dir : NULL,
      .fake_now = number("HS_EXEC_FAKE_NOW", 0),
      .retry_base_ms = number("HS_EXEC_RETRY_BASE_MS", -1),
      .http_timeout_ms = (long)number("HS_EXEC_HTTP_TIMEOUT_MS", 0),
  };

  hs_hooks_set(&hooks);
  hs_fault_install(kill_at);
}
