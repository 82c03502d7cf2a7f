/* SPDX-License-Identifier: MIT */
/* check-delivery.c — what each delivery mode asks of the access token, and
 * when a nested hs-exec may pass its environment through. */
#include "config.h"

#include <stdlib.h>

#include "check-common.h"
#include "exec/delivery.h"

/* Nested inside hs-exec for "prod", its token in HUBSPOT_ACCESS_TOKEN. */
static void nested_in_prod(void) {
  setenv("HS_EXEC_PROFILE", "prod", 1);
  setenv("HUBSPOT_ACCESS_TOKEN", "T", 1);
  unsetenv("HS_EXEC_EXPIRES_AT");
  unsetenv("MY_TOKEN");
}

static void expires_in(gint64 seconds) {
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(
      g_get_real_time() / G_USEC_PER_SEC + seconds);
  g_autofree char *iso = g_date_time_format_iso8601(t);

  setenv("HS_EXEC_EXPIRES_AT", iso, 1);
}

START_TEST(test_want) {
  HsDeliveryOptions in_env = {.fd = -1};
  HsDeliveryOptions cli = {.fd = -1, .hubspot_cli = TRUE};
  HsDeliveryOptions mask = {.fd = 3, .mask = TRUE};
  HsDeliveryOptions proxy = {.fd = -1, .proxy = TRUE};
  HsAccessWant want = {.min_ttl = 300};

  hs_delivery_want(&in_env, &want);
  ck_assert(!want.need_record && !want.keep_fresh);
  ck_assert_int_eq(want.min_ttl, 300);
  hs_delivery_want(&cli, &want);
  ck_assert(want.need_record && !want.keep_fresh);
  hs_delivery_want(&mask, &want);
  ck_assert(want.need_record && !want.keep_fresh);
  hs_delivery_want(&proxy, &want);
  ck_assert(!want.need_record && want.keep_fresh);
}
END_TEST

START_TEST(test_pass_through_same_profile) {
  HsDeliveryOptions how = {.fd = -1};
  HsAccessWant want = {.min_ttl = 300};

  unsetenv("HS_EXEC_PROFILE");
  ck_assert(!hs_delivery_can_pass_through(&how, "prod", &want));
  nested_in_prod();
  ck_assert(hs_delivery_can_pass_through(&how, "prod", &want));
  ck_assert(!hs_delivery_can_pass_through(&how, "staging", &want));
  setenv("HUBSPOT_ACCESS_TOKEN", "", 1);
  ck_assert(!hs_delivery_can_pass_through(&how, "prod", &want));
}
END_TEST

START_TEST(test_pass_through_not_for_other_modes) {
  const HsDeliveryOptions modes[] = {
      {.fd = 3},
      {.fd = -1, .file = TRUE},
      {.fd = -1, .proxy = TRUE},
      {.fd = -1, .mask = TRUE},
      {.fd = -1, .hubspot_cli = TRUE},
      {.fd = -1, .pristine = TRUE},
  };
  const char *const scopes[] = {"crm.objects.contacts.read", NULL};
  HsDeliveryOptions in_env = {.fd = -1};
  HsAccessWant want = {.min_ttl = 300};
  HsAccessWant with_scopes = {.min_ttl = 300, .scopes = scopes};

  nested_in_prod();
  for (size_t i = 0; i < G_N_ELEMENTS(modes); i++)
    ck_assert_msg(!hs_delivery_can_pass_through(&modes[i], "prod", &want),
                  "mode %zu passed through", i);
  ck_assert(!hs_delivery_can_pass_through(&in_env, "prod", &with_scopes));
}
END_TEST

START_TEST(test_pass_through_every_variable) {
  char *names[] = {"MY_TOKEN", "HUBSPOT_ACCESS_TOKEN", NULL};
  HsDeliveryOptions how = {.fd = -1, .token_vars = names};
  HsAccessWant want = {.min_ttl = 300};

  nested_in_prod();
  ck_assert(!hs_delivery_can_pass_through(&how, "prod", &want));
  setenv("MY_TOKEN", "T", 1);
  ck_assert(hs_delivery_can_pass_through(&how, "prod", &want));
}
END_TEST

START_TEST(test_pass_through_expiry) {
  HsDeliveryOptions how = {.fd = -1};
  HsAccessWant want = {.min_ttl = 300};

  nested_in_prod();
  expires_in(3600);
  ck_assert(hs_delivery_can_pass_through(&how, "prod", &want));
  expires_in(200);
  ck_assert(!hs_delivery_can_pass_through(&how, "prod", &want));
  want.min_ttl = 100;
  ck_assert(hs_delivery_can_pass_through(&how, "prod", &want));
  setenv("HS_EXEC_EXPIRES_AT", "soon", 1);
  ck_assert(!hs_delivery_can_pass_through(&how, "prod", &want));
}
END_TEST

START_TEST(test_pass_through_delivery) {
  HsDeliveryOptions how = {.fd = -1};
  g_autoptr(GError) error = NULL;
  HsDelivery *delivery = hs_delivery_new(&how, "prod", NULL, &error);

  ck_assert_ptr_nonnull(delivery);
  ck_assert_ptr_null(error);
  hs_delivery_free(delivery);
}
END_TEST

int main(void) {
  Suite *s = suite_create("delivery");
  TCase *tc = tcase_create("core");

  tcase_add_test(tc, test_want);
  tcase_add_test(tc, test_pass_through_same_profile);
  tcase_add_test(tc, test_pass_through_not_for_other_modes);
  tcase_add_test(tc, test_pass_through_every_variable);
  tcase_add_test(tc, test_pass_through_expiry);
  tcase_add_test(tc, test_pass_through_delivery);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
