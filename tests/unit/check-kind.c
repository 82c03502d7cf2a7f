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
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
