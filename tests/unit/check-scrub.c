/* SPDX-License-Identifier: MIT */
/* check-scrub.c — replacing byte ranges of a file's text: overlapping
 * ranges refused, an empty text with no ranges. */
#include "config.h"

#include "check-common.h"
#include "core/error.h"
#include "migrate/scrub.h"

START_TEST(test_overlap_refused) {
  HsScrubRange r[] = {{0, 4, "x"}, {2, 6, "y"}};
  GError *error = NULL;
  gsize len;

  ck_assert_ptr_null(hs_scrub_apply("abcdefgh", 8, r, 2, &len, &error));
  hs_assert_error(error, HS_ERR_USAGE);
}
END_TEST

/* qsort and memcpy were given NULL for no ranges (found by
 * tests/fuzz/fuzz-cli-yaml and fuzz-dotenv). */
START_TEST(test_empty_null) {
  GError *error = NULL;
  gsize len = 1;
  char *out = hs_scrub_apply(NULL, 0, NULL, 0, &len, &error);

  ck_assert_ptr_nonnull(out);
  ck_assert_str_eq(out, "");
  ck_assert_uint_eq(len, 0);
  g_free(out);
}
END_TEST

int main(void) {
  Suite *s = suite_create("scrub");
  TCase *tc = tcase_create("apply");

  tcase_add_test(tc, test_overlap_refused);
  tcase_add_test(tc, test_empty_null);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
