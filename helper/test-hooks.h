/* SPDX-License-Identifier: MIT */
/* test-hooks.h — the test builds' switches, read from their environment.
 * Linked only into hs-exec-faults and hs-token-faults (built by `make
 * check`, never installed); the installed programs have none of this. */
#ifndef HS_TEST_HOOKS_H
#define HS_TEST_HOOKS_H

/* Read HS_EXEC_PLUGIN_DIR, HS_EXEC_FAKE_NOW, HS_EXEC_RETRY_BASE_MS,
 * HS_EXEC_HTTP_TIMEOUT_MS into core/hooks, and make the process die at the
 * fault point HS_EXEC_TEST_KILL_AT names (core/fault). */
void hs_test_hooks_from_environment(void);

#endif
