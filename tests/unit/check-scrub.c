/* SPDX-License-Identifier: MIT */
/* check-scrub.c — replacing byte ranges of a file's text: overlapping
 * ranges refused, an empty text with no ranges, and what the scanner still
 * finds after a scrub, on the original's lines. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "core/error.h"
#include "migrate/scrub.h"

#define PAT1 "pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03"
#define PAT2 "pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e"
#define PAK "CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ"

/* Apply `ranges` to `text`, then the lines the scanner still flags, as
 * "1,4" (transfer full). */
static char *leftovers(const char *text, HsScrubRange *ranges, gsize n) {
  GError *error = NULL;
  gsize out_len = 0;
  g_autofree char *out =
      hs_scrub_apply(text, strlen(text), ranges, n, &out_len, &error);
  g_autoptr(GArray) lines = NULL;
  GString *s = g_string_new(NULL);

  ck_assert_ptr_nonnull(out);
  lines = hs_scrub_leftover_lines(text, strlen(text), ranges, n, out, out_len);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf(s, "%s%u", i ? "," : "",
                           g_array_index(lines, guint, i));
  return g_string_free(s, FALSE);
}

static gsize offset_of(const char *text, const char *needle) {
  const char *p = strstr(text, needle);
  ck_assert_ptr_nonnull(p);
  return (gsize)(p - text);
}

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

/* The finding: a commented-out token stayed, and `hs-token scan` flagged it
 * right after the scrub. */
START_TEST(test_leftover_comment_found) {
  const char *text = "# HUBSPOT_ACCESS_TOKEN=" PAT2
                     "\nHUBSPOT_ACCESS_TOKEN=" PAT1 "\nDEBUG=1\n";
  gsize at = offset_of(text, "HUBSPOT_ACCESS_TOKEN=" PAT1);
  HsScrubRange r[] = {{at, at + strlen("HUBSPOT_ACCESS_TOKEN=" PAT1),
                       "# HUBSPOT_ACCESS_TOKEN moved to the keyring"}};
  g_autofree char *lines = leftovers(text, r, 1);

  ck_assert_str_eq(lines, "1");
}
END_TEST

START_TEST(test_clean_scrub_has_none) {
  const char *text = "X=1\nHUBSPOT_ACCESS_TOKEN=" PAT1 "\n";
  gsize at = offset_of(text, PAT1);
  HsScrubRange r[] = {{at, at + strlen(PAT1), "''"}};
  g_autofree char *lines = leftovers(text, r, 1);

  ck_assert_str_eq(lines, "");
}
END_TEST

/* A value over three lines became one comment line: the leftover is
 * reported on the line the user sees in the (unchanged) file. */
START_TEST(test_lines_of_the_original) {
  const char *text =
      "A=1\nHUBSPOT_SERVICE_KEY=\"abc\ndef\nghi\"\nB=2\n"
      "OTHER=" PAT2 " " PAT2 "\n";
  gsize at = offset_of(text, "HUBSPOT_SERVICE_KEY");
  gsize end = offset_of(text, "\nB=2");
  HsScrubRange r[] = {{at, end, "# moved"}};
  g_autofree char *lines = leftovers(text, r, 1);

  ck_assert_str_eq(lines, "6");
}
END_TEST

/* YAML with a key given twice: the parser took one, the other stays. */
START_TEST(test_yaml_duplicate_key) {
  const char *text = "accounts:\n  - name: cli\n    personalAccessKey: " PAK
                     "\n    personalAccessKey: " PAK "\n";
  gsize at = offset_of(text, PAK);
  HsScrubRange r[] = {{at, at + strlen(PAK), "'' # moved to the keyring"}};
  g_autofree char *lines = leftovers(text, r, 1);

  ck_assert_str_eq(lines, "4");
}
END_TEST

int main(void) {
  Suite *s = suite_create("scrub");
  TCase *tc = tcase_create("apply");

  tcase_add_test(tc, test_overlap_refused);
  tcase_add_test(tc, test_empty_null);
  tcase_add_test(tc, test_leftover_comment_found);
  tcase_add_test(tc, test_clean_scrub_has_none);
  tcase_add_test(tc, test_lines_of_the_original);
  tcase_add_test(tc, test_yaml_duplicate_key);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
