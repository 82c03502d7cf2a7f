/* SPDX-License-Identifier: MIT */
/* check-rotation.c — a static token's rotation: begin, commit, rollback,
 * the 7-day expiry, the record document carrying the previous token, and
 * when a rotation is due. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "core/error.h"
#include "core/record.h"
#include "core/rotation.h"
#include "core/secure.h"

#define OLD "pat-na1-11111111-2222-3333-4444-555555555555"
#define NEW "pat-na1-66666666-7777-8888-9999-000000000000"
#define T0 1700000000
#define NOW 1760000000

static HsRecord *static_record(void) {
  HsRecord *r = hs_record_new("prod", HS_KIND_PRIVATE_APP);

  r->token = g_strdup(OLD);
  r->created = T0;
  return r;
}

START_TEST(test_begin_keeps_previous) {
  g_autoptr(HsRecord) r = static_record();
  GError *error = NULL;

  ck_assert(hs_rotation_begin(r, g_strdup(NEW), NOW, &error));
  ck_assert_str_eq(r->token, NEW);
  ck_assert_str_eq(r->previous_token, OLD);
  ck_assert_int_eq(r->previous_until, NOW + 7 * 86400);
  ck_assert_int_eq(r->previous_since, T0);
  ck_assert_int_eq(r->rotated, NOW);
  ck_assert_int_eq(r->generation, 1);
  ck_assert_int_eq(hs_record_age_days(r, NOW + 86400), 1);
}
END_TEST

START_TEST(test_begin_refuses_same_and_oauth) {
  g_autoptr(HsRecord) r = static_record();
  g_autoptr(HsRecord) o = hs_record_new("app", HS_KIND_OAUTH);
  GError *error = NULL;

  ck_assert(!hs_rotation_begin(r, g_strdup(OLD), NOW, &error));
  hs_assert_error(error, HS_ERR_USAGE);
  ck_assert_ptr_null(r->previous_token);
  ck_assert_int_eq(r->generation, 0);
  ck_assert(!hs_rotation_begin(o, g_strdup(NEW), NOW, &error));
  hs_assert_error(error, HS_ERR_USAGE);
}
END_TEST

START_TEST(test_second_rotation_drops_oldest) {
  g_autoptr(HsRecord) r = static_record();
  GError *error = NULL;
  const char *third = "pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

  ck_assert(hs_rotation_begin(r, g_strdup(NEW), NOW, &error));
  ck_assert(hs_rotation_begin(r, g_strdup(third), NOW + 10, &error));
  ck_assert_str_eq(r->token, third);
  ck_assert_str_eq(r->previous_token, NEW);
  ck_assert_int_eq(r->previous_since, NOW);
  ck_assert_int_eq(r->generation, 2);
}
END_TEST

START_TEST(test_commit) {
  g_autoptr(HsRecord) r = static_record();
  GError *error = NULL;

  ck_assert(!hs_rotation_commit(r, &error));
  hs_assert_error(error, HS_ERR_USAGE);
  ck_assert(hs_rotation_begin(r, g_strdup(NEW), NOW, &error));
  ck_assert(hs_rotation_commit(r, &error));
  ck_assert_str_eq(r->token, NEW);
  ck_assert_ptr_null(r->previous_token);
  ck_assert_int_eq(r->previous_until, 0);
  ck_assert_int_eq(r->generation, 2);
}
END_TEST

START_TEST(test_rollback_swaps_back) {
  g_autoptr(HsRecord) r = static_record();
  GError *error = NULL;

  ck_assert(!hs_rotation_rollback(r, &error));
  hs_assert_error(error, HS_ERR_USAGE);
  ck_assert(hs_rotation_begin(r, g_strdup(NEW), NOW, &error));
  ck_assert(hs_rotation_rollback(r, &error));
  ck_assert_str_eq(r->token, OLD);
  ck_assert_str_eq(r->previous_token, NEW);
  /* The old token's age is its own again, not the rotation's. */
  ck_assert_int_eq(r->rotated, 0);
  ck_assert_int_eq(hs_record_age_days(r, NOW), (NOW - T0) / 86400);
  ck_assert_int_eq(r->previous_until, NOW + 7 * 86400);
  ck_assert_int_eq(r->generation, 2);
}
END_TEST

START_TEST(test_expiry_after_seven_days) {
  g_autoptr(HsRecord) r = static_record();
  GError *error = NULL;

  ck_assert(!hs_rotation_expire(r, NOW));
  ck_assert(hs_rotation_begin(r, g_strdup(NEW), NOW, &error));
  ck_assert(!hs_rotation_expire(r, NOW + 7 * 86400 - 1));
  ck_assert_str_eq(r->previous_token, OLD);
  ck_assert(hs_rotation_expire(r, NOW + 7 * 86400));
  ck_assert_ptr_null(r->previous_token);
  ck_assert_str_eq(r->token, NEW);
  ck_assert_int_eq(r->generation, 2);
}
END_TEST

START_TEST(test_document_round_trip) {
  g_autoptr(HsRecord) r = static_record();
  g_autoptr(HsRecord) back = NULL;
  GError *error = NULL;
  gsize len = 0;
  char *json;

  ck_assert(hs_rotation_begin(r, g_strdup(NEW), NOW, &error));
  json = hs_record_to_json(r, &len);
  back = hs_record_from_json(json, (gssize)len, &error);
  hs_secure_free(json);
  ck_assert_msg(back != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(back->token, NEW);
  ck_assert_str_eq(back->previous_token, OLD);
  ck_assert_int_eq(back->previous_until, NOW + 7 * 86400);
  ck_assert_int_eq(back->previous_since, T0);
  ck_assert_int_eq(back->generation, 1);
}
END_TEST

/* A token's age in days says whether its rotation is due. */
START_TEST(test_status) {
  ck_assert_str_eq(hs_rotation_status(10), "ok");
  ck_assert_str_eq(hs_rotation_status(179), "ok");
  ck_assert_str_eq(hs_rotation_status(180), "due");
  ck_assert_str_eq(hs_rotation_status(364), "due");
  ck_assert_str_eq(hs_rotation_status(365), "overdue");
}
END_TEST

int main(void) {
  Suite *s = suite_create("rotation");
  TCase *tc = tcase_create("rotation");

  tcase_add_test(tc, test_begin_keeps_previous);
  tcase_add_test(tc, test_begin_refuses_same_and_oauth);
  tcase_add_test(tc, test_second_rotation_drops_oldest);
  tcase_add_test(tc, test_commit);
  tcase_add_test(tc, test_rollback_swaps_back);
  tcase_add_test(tc, test_expiry_after_seven_days);
  tcase_add_test(tc, test_document_round_trip);
  tcase_add_test(tc, test_status);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
