/* SPDX-License-Identifier: MIT */
/* check-kind.c — the credential kinds: their names, and the hublet a
 * private-app token names. */
#include "config.h"

#include "check-common.h"
#include "core/error.h"
#include "core/kind.h"

#define PAT "pat-na1-11111111-2222-3333-4444-555555555555"

START_TEST(test_hublet) {
  char *h = hs_kind_hublet_from_token(HS_KIND_PRIVATE_APP, PAT);
  ck_assert_str_eq(h, "na1");
  g_free(h);
  h = hs_kind_hublet_from_token(HS_KIND_PRIVATE_APP,
                                "pat-eu1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  ck_assert_str_eq(h, "eu1");
  g_free(h);
  ck_assert_ptr_null(hs_kind_hublet_from_token(HS_KIND_SERVICE_KEY, PAT));
  ck_assert_ptr_null(hs_kind_hublet_from_token(HS_KIND_PRIVATE_APP, "pat-x"));
}
END_TEST

/* base64 of 0x0a 0x24 "na1-b7f1-c2d3-9a8e-4c6b-8d5f1e2a3b4c" 0x10: the
 * shape of HubSpot's CLI key (not a real one). */
#define PAK "CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ"

START_TEST(test_guess) {
  HsKind kind = HS_KIND_API_KEY;

  ck_assert(hs_kind_guess(PAT, &kind));
  ck_assert_int_eq(kind, HS_KIND_PRIVATE_APP);
  ck_assert(hs_kind_guess(PAK, &kind));
  ck_assert_int_eq(kind, HS_KIND_PERSONAL_ACCESS_KEY);
  /* Another hublet, and the URL-safe alphabet in the tail. */
  ck_assert(hs_kind_guess(
      "CiRldTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGM_", &kind));
  ck_assert_int_eq(kind, HS_KIND_PERSONAL_ACCESS_KEY);
  /* Shapes that say nothing. */
  ck_assert(!hs_kind_guess("svc-key.opaque-0123456789", &kind));
  ck_assert(!hs_kind_guess("CiRuYTEt", &kind)); /* too short */
  ck_assert(!hs_kind_guess(
      "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2w=", &kind));
  ck_assert(!hs_kind_guess("pat-x-1234", &kind));
  ck_assert(!hs_kind_guess("", &kind));
  ck_assert(!hs_kind_guess(NULL, &kind));
}
END_TEST

/* A token of one kind given as another gets that kind's name in the
 * advice, not a guess at a third. */
START_TEST(test_mismatch_advice) {
  GError *error = NULL;

  ck_assert(!hs_kind_check_token(HS_KIND_PRIVATE_APP, PAK, &error));
  hs_assert_error(error, HS_ERR_USAGE);
  ck_assert(!hs_kind_check_token(HS_KIND_PRIVATE_APP, PAK, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "--kind personal-access-key"));
  ck_assert_ptr_null(strstr(error->message, "service-key"));
  ck_assert_ptr_null(strstr(error->message, PAK));
  g_clear_error(&error);
  ck_assert(
      !hs_kind_check_token(HS_KIND_PRIVATE_APP, "svc-key.opaque-0123", &error));
  ck_assert_ptr_nonnull(strstr(error->message, "--kind service-key"));
  g_clear_error(&error);
  ck_assert(!hs_kind_check_token(HS_KIND_PERSONAL_ACCESS_KEY, PAT, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "--kind private-app"));
  ck_assert_ptr_null(strstr(error->message, PAT));
  g_clear_error(&error);
  ck_assert(hs_kind_check_token(HS_KIND_PERSONAL_ACCESS_KEY, PAK, &error));
  ck_assert(hs_kind_check_token(HS_KIND_SERVICE_KEY, PAT, &error));
}
END_TEST

START_TEST(test_names) {
  GError *error = NULL;
  HsKind kind;

  ck_assert(hs_kind_from_name("private-app", &kind, &error));
  ck_assert_int_eq(kind, HS_KIND_PRIVATE_APP);
  ck_assert(hs_kind_from_name("personal-access-key", &kind, &error));
  ck_assert_str_eq(hs_kind_name(kind), "personal-access-key");
  ck_assert(!hs_kind_from_name("password", &kind, &error));
  hs_assert_error(error, HS_ERR_USAGE);
  ck_assert(!hs_kind_from_name("private_app", &kind, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "did you mean 'private-app'?"));
  hs_assert_error(error, HS_ERR_USAGE);
  ck_assert(!hs_kind_from_name(NULL, &kind, &error));
  hs_assert_error(error, HS_ERR_USAGE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("kind");
  TCase *tc = tcase_create("kind");

  tcase_add_test(tc, test_hublet);
  tcase_add_test(tc, test_names);
  tcase_add_test(tc, test_guess);
  tcase_add_test(tc, test_mismatch_advice);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
