/* SPDX-License-Identifier: MIT */
/* check-common.h — the main() every Check test program shares. */
#ifndef HS_CHECK_COMMON_H
#define HS_CHECK_COMMON_H

#include <check.h>
#include <glib.h>
#include <stdlib.h>

/* Run `suite` (Check forks each test) and return the exit status. */
static inline int hs_run_suite(Suite *suite) {
  SRunner *runner = srunner_create(suite);
  int failed;

  srunner_run_all(runner, CK_ENV);
  failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Assert that `error` is set in our domain with `code`, then clear it. */
#define hs_assert_error(error, want_code)                \
  do {                                                   \
    ck_assert_msg((error) != NULL, "expected an error"); \
    ck_assert_int_eq((error)->domain, HS_ERROR_DOMAIN);  \
    ck_assert_int_eq((error)->code, (want_code));        \
    g_clear_error(&(error));                             \
  } while (0)

#endif
