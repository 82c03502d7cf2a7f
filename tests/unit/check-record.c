/* SPDX-License-Identifier: MIT */
/* check-record.c — the profile record: its JSON round trip, its refusals and
 * its age. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "core/error.h"
#include "core/record.h"
#include "core/secure.h"

#define PAT "pat-na1-11111111-2222-3333-4444-555555555555"

START_TEST(test_round_trip) {
  HsRecord *in = hs_record_new("prod", HS_KIND_PRIVATE_APP), *out;
  GError *error = NULL;
  gsize len = 0;
  char *json;

  in->hub_id = g_strdup("12345678");
  in->hublet = g_strdup("na1");
  in->created = 1700000000;
  in->rotated = 1710000000;
  in->store_until = 1720000000;
  in->token = g_strdup(PAT);
  json = hs_record_to_json(in, &len);
  ck_assert_uint_eq(len, strlen(json));
  out = hs_record_from_json(json, (gssize)len, &error);
  ck_assert_msg(out != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(out->profile, "prod");
  ck_assert_int_eq(out->kind, HS_KIND_PRIVATE_APP);
  ck_assert_str_eq(out->hub_id, "12345678");
  ck_assert_str_eq(out->hublet, "na1");
  ck_assert_ptr_null(out->client_id);
  ck_assert_int_eq(out->created, 1700000000);
  ck_assert_int_eq(out->rotated, 1710000000);
  ck_assert_int_eq(out->store_until, 1720000000);
  ck_assert_str_eq(out->token, PAT);
  hs_secure_free(json);
  hs_record_free(in);
  hs_record_free(out);
}
END_TEST

START_TEST(test_oauth_round_trip) {
  HsRecord *in = hs_record_new("app", HS_KIND_OAUTH), *out;
  GError *error = NULL;
  const char *scopes[] = {"oauth", "crm.objects.contacts.read", NULL};
  char *json;

  in->client_id = g_strdup("cid");
  in->client_secret = g_strdup("csecret");
  in->refresh_token = g_strdup("rtoken");
  in->scopes = g_strdupv((char **)scopes);
  in->verified = 1700000001;
  json = hs_record_to_json(in, NULL);
  out = hs_record_from_json(json, -1, &error);
  ck_assert_msg(out != NULL, "%s", error ? error->message : "");
  ck_assert_ptr_null(out->token);
  ck_assert_str_eq(out->client_id, "cid");
  ck_assert_str_eq(out->client_secret, "csecret");
  ck_assert_str_eq(out->refresh_token, "rtoken");
  ck_assert_int_eq(out->verified, 1700000001);
  ck_assert(hs_record_has_scope(out, "crm.objects.contacts.read"));
  ck_assert(!hs_record_has_scope(out, "crm.objects.deals.write"));
  hs_secure_free(json);
  hs_record_free(in);
  hs_record_free(out);
}
END_TEST

START_TEST(test_optional_fields_absent) {
  HsRecord *in = hs_record_new("s", HS_KIND_SERVICE_KEY), *out;
  GError *error = NULL;
  char *json;

  in->token = g_strdup("opaque.token");
  json = hs_record_to_json(in, NULL);
  ck_assert_ptr_null(strstr(json, "hub_id"));
  out = hs_record_from_json(json, -1, &error);
  ck_assert_ptr_nonnull(out);
  ck_assert_ptr_null(out->hub_id);
  ck_assert_int_eq(out->rotated, 0);
  hs_secure_free(json);
  hs_record_free(in);
  hs_record_free(out);
}
END_TEST

/* Damaged or foreign documents are refused as "store unavailable" (3), and
 * the message never quotes the document, which holds secrets. */
static const char *const bad_docs[] = {
    "",
    "not json SECRET",
    "[\"SECRET\"]",
    "{\"version\":2,\"profile\":\"p\",\"kind\":\"private-app\",\"token\":"
    "\"SECRET\"}",
    "{\"profile\":\"p\",\"kind\":\"private-app\",\"token\":\"SECRET\"}",
    "{\"version\":1,\"kind\":\"private-app\",\"token\":\"SECRET\"}",
    "{\"version\":1,\"profile\":\"p\",\"kind\":\"nope\",\"token\":\"SECRET\"}",
    "{\"version\":1,\"profile\":\"p\",\"kind\":\"private-app\"}",
    "{\"version\":1,\"profile\":\"p\",\"kind\":\"oauth\",\"client_id\":"
    "\"c\",\"refresh_token\":\"SECRET\"}",
    "{\"version\":1,\"profile\":\"p\",\"kind\":\"private-app\",\"token\":7}",
    "{\"version\":1,\"profile\":\"../x\",\"kind\":\"private-app\",\"token\":"
    "\"SECRET\"}",
    "{\"version\":1,\"profile\":\"p\",\"kind\":\"private-app\",\"token\":"
    "\"SECRET\"",
};

START_TEST(test_bad_docs) {
  GError *error = NULL;
  HsRecord *r = hs_record_from_json(bad_docs[_i], -1, &error);

  ck_assert_msg(r == NULL, "document %d accepted", _i);
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(strstr(error->message, "SECRET") == NULL,
                "message quotes the document: %s", error->message);
  hs_assert_error(error, HS_ERR_UNAVAILABLE);
}
END_TEST

START_TEST(test_age_days) {
  HsRecord *r = hs_record_new("p", HS_KIND_PRIVATE_APP);
  gint64 day = 86400, now = 1800000000;

  r->created = now - 10 * day;
  ck_assert_int_eq(hs_record_age_days(r, now), 10);
  r->rotated = now - 2 * day; /* a rotation resets the age */
  ck_assert_int_eq(hs_record_age_days(r, now), 2);
  r->rotated = now + day; /* a clock step backwards is not a negative age */
  ck_assert_int_eq(hs_record_age_days(r, now), 0);
  hs_record_free(r);
}
END_TEST

/* add --hub-id and import share this rule. */
START_TEST(test_valid_hub_id) {
  ck_assert(hs_record_valid_hub_id("1"));
  ck_assert(hs_record_valid_hub_id("12345678901234567890"));
  ck_assert(!hs_record_valid_hub_id("123456789012345678901"));
  ck_assert(!hs_record_valid_hub_id(""));
  ck_assert(!hs_record_valid_hub_id(NULL));
  ck_assert(!hs_record_valid_hub_id("12a"));
  ck_assert(!hs_record_valid_hub_id("-1"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("record");
  TCase *tc = tcase_create("json");

  tcase_add_test(tc, test_round_trip);
  tcase_add_test(tc, test_oauth_round_trip);
  tcase_add_test(tc, test_optional_fields_absent);
  tcase_add_loop_test(tc, test_bad_docs, 0, G_N_ELEMENTS(bad_docs));
  tcase_add_test(tc, test_age_days);
  tcase_add_test(tc, test_valid_hub_id);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
