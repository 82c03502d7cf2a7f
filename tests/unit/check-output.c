/* SPDX-License-Identifier: MIT */
/* check-output.c — names from the file system made safe for a terminal:
 * control characters (C0, DEL, C1) and bytes that are not UTF-8 as \xNN, a
 * backslash doubled, printable UTF-8 kept. */
#include "config.h"

#include "check-common.h"
#include "cmd/output.h"

static void expect(const char *in, const char *want) {
  g_autofree char *got = hs_output_printable(in);
  ck_assert_str_eq(got, want);
}

START_TEST(test_plain_and_utf8_kept) {
  expect("", "");
  expect("./config/.env", "./config/.env");
  expect("caf\xc3\xa9/\xe2\x82\xac.env", "caf\xc3\xa9/\xe2\x82\xac.env");
}
END_TEST

START_TEST(test_controls_escaped) {
  expect("a\x1b]0;x\x07z", "a\\x1B]0;x\\x07z");
  expect("tab\there\nnl\x7f", "tab\\x09here\\x0Anl\\x7F");
  /* U+009B, the 8-bit CSI, in UTF-8. */
  expect("c1\xc2\x9b[2J", "c1\\xC2\\x9B[2J");
  expect("back\\slash", "back\\\\slash");
}
END_TEST

START_TEST(test_invalid_utf8_escaped) {
  expect("latin1-\xe9.env", "latin1-\\xE9.env");
  expect("cut\xe2\x82", "cut\\xE2\\x82");
  expect("\x9b", "\\x9B");
}
END_TEST

int main(void) {
  Suite *s = suite_create("output");
  TCase *tc = tcase_create("printable");

  tcase_add_test(tc, test_plain_and_utf8_kept);
  tcase_add_test(tc, test_controls_escaped);
  tcase_add_test(tc, test_invalid_utf8_escaped);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
