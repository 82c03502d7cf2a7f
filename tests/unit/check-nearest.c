/* SPDX-License-Identifier: MIT */
/* check-nearest.c — "did you mean": the distance and the threshold. */
#include "config.h"

#include "check-common.h"
#include "core/nearest.h"

static const char *const commands[] = {"add",    "list",  "show",  "rotate",
                                       "remove", "check", "audit", "doctor",
                                       "import", "scan"};

START_TEST(test_distance) {
  ck_assert_uint_eq(hs_nearest_distance("prod", "prod"), 0);
  ck_assert_uint_eq(hs_nearest_distance("prdo", "prod"), 1); /* a swap */
  ck_assert_uint_eq(hs_nearest_distance("prd", "prod"), 1);
  ck_assert_uint_eq(hs_nearest_distance("prrod", "prod"), 1);
  ck_assert_uint_eq(hs_nearest_distance("brod", "prod"), 1);
  ck_assert_uint_eq(hs_nearest_distance("private_app", "private-app"), 0);
  ck_assert_uint_eq(hs_nearest_distance("Private-App", "private-app"), 0);
  ck_assert_uint_eq(hs_nearest_distance("", "abc"), 3);
  ck_assert_uint_eq(hs_nearest_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(test_match) {
  const char *const profiles[] = {"prod", "staging", "sandbox.eu-1"};
  const char *const kinds[] = {"private-app", "service-key", "oauth",
                               "personal-access-key", "api-key"};

  ck_assert_str_eq(hs_nearest_match("prdo", profiles, 3), "prod");
  ck_assert_str_eq(hs_nearest_match("stagign", profiles, 3), "staging");
  ck_assert_str_eq(hs_nearest_match("sandbox-eu1", profiles, 3),
                   "sandbox.eu-1");
  ck_assert_str_eq(hs_nearest_match("private_app", kinds, 5), "private-app");
  ck_assert_str_eq(hs_nearest_match("oath", kinds, 5), "oauth");
  ck_assert_str_eq(hs_nearest_match("lsit", commands, 10), "list");
  ck_assert_str_eq(hs_nearest_match("chekc", commands, 10), "check");
  ck_assert_str_eq(hs_nearest_match("rmeove", commands, 10), "remove");
  /* Too far, or nothing but noise: no suggestion. */
  ck_assert_ptr_null(hs_nearest_match("password", kinds, 5));
  ck_assert_ptr_null(hs_nearest_match("deploy", commands, 10));
  ck_assert_ptr_null(hs_nearest_match("x", commands, 10));
  ck_assert_ptr_null(hs_nearest_match("", commands, 10));
  ck_assert_ptr_null(hs_nearest_match(NULL, commands, 10));
  /* The word itself is not a suggestion. */
  ck_assert_ptr_null(hs_nearest_match("prod", profiles, 1));
  ck_assert_ptr_null(hs_nearest_match("prod", profiles, 0));
}
END_TEST

START_TEST(test_ties_and_length) {
  const char *const two[] = {"prod1", "prod2"};
  char longer[100];

  /* Ties go to the first candidate. */
  ck_assert_str_eq(hs_nearest_match("prod", two, 2), "prod1");
  memset(longer, 'a', sizeof longer - 1);
  longer[sizeof longer - 1] = '\0';
  ck_assert_uint_eq(hs_nearest_distance(longer, "a"), G_MAXUINT);
  ck_assert_ptr_null(hs_nearest_match(longer, two, 2));
}
END_TEST

int main(void) {
  Suite *s = suite_create("nearest");
  TCase *tc = tcase_create("nearest");

  tcase_add_test(tc, test_distance);
  tcase_add_test(tc, test_match);
  tcase_add_test(tc, test_ties_and_length);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
