/* SPDX-License-Identifier: MIT */
/* check-profile-name.c — the profile-name rule of hs-token(1). */
#include "config.h"

#include "check-common.h"
#include "core/error.h"
#include "core/profile-name.h"

static const struct {
  const char *name;
  gboolean valid;
} table[] = {
    {"prod", TRUE},
    {"sandbox-2", TRUE},
    {"a", TRUE},
    {"A.b_c-9", TRUE},
    {"_hidden", TRUE},
    {"0", TRUE},
    {"1234567890123456789012345678901234567890123456789012345678901234", TRUE},
    {"12345678901234567890123456789012345678901234567890123456789012345",
     FALSE},
    {"", FALSE},
    {".prod", FALSE},
    {"-prod", FALSE},
    {"prod/eu", FALSE},
    {"prod eu", FALSE},
    {"prød", FALSE},
    {"prod\n", FALSE},
    {"../etc", FALSE},
    {"a:b", FALSE},
    {"a=b", FALSE},
};

START_TEST(test_table) {
  GError *error = NULL;
  gboolean got = hs_profile_name_validate(table[_i].name, &error);

  ck_assert_msg(got == table[_i].valid, "'%s': expected %s", table[_i].name,
                table[_i].valid ? "valid" : "invalid");
  if (table[_i].valid)
    ck_assert_ptr_null(error);
  else
    hs_assert_error(error, HS_ERR_USAGE);
}
END_TEST

START_TEST(test_null) {
  GError *error = NULL;
  ck_assert(!hs_profile_name_validate(NULL, &error));
  hs_assert_error(error, HS_ERR_USAGE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("profile-name");
  TCase *tc = tcase_create("validate");

  tcase_add_loop_test(tc, test_table, 0, G_N_ELEMENTS(table));
  tcase_add_test(tc, test_null);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
