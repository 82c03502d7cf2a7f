/* SPDX-License-Identifier: MIT */
/* check-http.c — the HTTP client's pure parts: header lines as libcurl
 * hands them over. */
#include "config.h"

#include "check-common.h"
#include "hubspot/http.h"

START_TEST(test_header_value) {
  const char line[] = "Retry-After:  7\r\nX";
  char *v = hs_http_header_value(line, sizeof line - 2, "retry-after:");

  ck_assert_str_eq(v, "7");
  g_free(v);
  ck_assert_ptr_null(hs_http_header_value(line, 6, "retry-after:"));
  ck_assert_ptr_null(hs_http_header_value("Date: x", 7, "retry-after:"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("http");
  TCase *tc = tcase_create("header");

  tcase_add_test(tc, test_header_value);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
