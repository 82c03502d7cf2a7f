/* SPDX-License-Identifier: MIT */
/* check-auth.c — HubSpot's answers about a credential: an OAuth refresh,
 * a personal access key's exchange, introspection, the account's details
 * and its hublet. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "core/error.h"
#include "hubspot/auth.h"

START_TEST(test_parse_oauth) {
  const char *body =
      "{\"access_token\":\"AT\",\"refresh_token\":\"RT2\",\"expires_in\":1800,"
      "\"token_type\":\"bearer\",\"hub_id\":42,\"scopes\":[\"oauth\",\"crm."
      "objects.contacts.read\"]}";
  GError *error = NULL;
  HsGrant *g = hs_auth_parse_oauth(body, strlen(body), 1000, &error);

  ck_assert_ptr_nonnull(g);
  ck_assert_str_eq(g->access_token, "AT");
  ck_assert_str_eq(g->refresh_token, "RT2");
  ck_assert_int_eq(g->expires_at, 2800);
  ck_assert_str_eq(g->hub_id, "42");
  ck_assert_uint_eq(g_strv_length(g->scopes), 2);
  hs_auth_grant_free(g);

  /* no hub_id nor scopes (before 2025-08): unknown, not an error */
  body = "{\"access_token\":\"AT\",\"expires_in\":\"60\"}";
  g = hs_auth_parse_oauth(body, strlen(body), 1000, &error);
  ck_assert_ptr_nonnull(g);
  ck_assert_int_eq(g->expires_at, 1060);
  ck_assert_ptr_null(g->hub_id);
  ck_assert_ptr_null(g->scopes);
  hs_auth_grant_free(g);

  body = "{\"access_token\":\"AT\"}";
  ck_assert_ptr_null(hs_auth_parse_oauth(body, strlen(body), 1000, &error));
  hs_assert_error(error, HS_ERR_NETWORK);
  ck_assert_ptr_null(hs_auth_parse_oauth("{not json", 9, 1000, &error));
  hs_assert_error(error, HS_ERR_NETWORK);
}
END_TEST

START_TEST(test_parse_pak) {
  const char *body =
      "{\"oauthAccessToken\":\"AT\",\"expiresAtMillis\":1700000123456,"
      "\"hubId\":777,\"userId\":5,\"scopeGroups\":[\"crm.objects.contacts."
      "read\"],\"encodedOAuthRefreshToken\":\"PAK\"}";
  GError *error = NULL;
  HsGrant *g = hs_auth_parse_pak(body, strlen(body), 1700000000, &error);

  ck_assert_ptr_nonnull(g);
  ck_assert_str_eq(g->access_token, "AT");
  ck_assert_int_eq(g->expires_at, 1700000123);
  ck_assert_str_eq(g->hub_id, "777");
  ck_assert_ptr_null(g->refresh_token);
  hs_auth_grant_free(g);
  body = "{\"oauthAccessToken\":\"AT\"}";
  ck_assert_ptr_null(hs_auth_parse_pak(body, strlen(body), 1700000000, &error));
  hs_assert_error(error, HS_ERR_NETWORK);
}
END_TEST

/* An expiry whose time left does not fit the token cache's 32-bit kernel
 * timeout wrapped it round: at exactly 2^32 s left, to 0, "never
 * expires".  Past ten years an expiry is refused, as expires_in is. */
START_TEST(test_parse_pak_far_expiry) {
  const gint64 now = 1700000000;
  const gint64 lefts[] = {G_GINT64_CONSTANT(4294967296),
                          G_GINT64_CONSTANT(4294967296) + 60,
                          HS_AUTH_MAX_LIFETIME + 1};
  GError *error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS(lefts); i++) {
    g_autofree char *body = g_strdup_printf(
        "{\"oauthAccessToken\":\"AT\",\"expiresAtMillis\":%" G_GINT64_FORMAT
        "}",
        (now + lefts[i]) * 1000);
    HsGrant *g = hs_auth_parse_pak(body, strlen(body), now, &error);
    ck_assert_msg(g == NULL, "%" G_GINT64_FORMAT " s left was taken", lefts[i]);
    hs_assert_error(error, HS_ERR_NETWORK);
  }
  {
    g_autofree char *body = g_strdup_printf(
        "{\"oauthAccessToken\":\"AT\",\"expiresAtMillis\":%" G_GINT64_FORMAT
        "}",
        (now + HS_AUTH_MAX_LIFETIME) * 1000);
    HsGrant *g = hs_auth_parse_pak(body, strlen(body), now, &error);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(g->expires_at - now, HS_AUTH_MAX_LIFETIME);
    ck_assert_int_lt(g->expires_at - now, G_MAXUINT32);
    hs_auth_grant_free(g);
  }
}
END_TEST

/* Numbers no gint64 holds are refused, not converted (found by
 * tests/fuzz/fuzz-hubspot-json: undefined behaviour before). */
START_TEST(test_parse_huge_numbers) {
  const char *pak = "{\"oauthAccessToken\":\"AT\",\"expiresAtMillis\":1e40}";
  const char *oauth =
      "{\"access_token\":\"AT\",\"expires_in\":"
      "9223372036854775807}";
  GError *error = NULL;

  ck_assert_ptr_null(hs_auth_parse_pak(pak, strlen(pak), 1700000000, &error));
  hs_assert_error(error, HS_ERR_NETWORK);
  ck_assert_ptr_null(
      hs_auth_parse_oauth(oauth, strlen(oauth), 1700000000, &error));
  hs_assert_error(error, HS_ERR_NETWORK);
}
END_TEST

START_TEST(test_introspect) {
  GError *error = NULL;
  gboolean active = TRUE;

  ck_assert(hs_auth_parse_introspect("{\"active\":true}", 15, &active, NULL));
  ck_assert(active);
  ck_assert(
      hs_auth_parse_introspect("{\"active\":\"yes\"}", 16, &active, NULL));
  ck_assert(!active);
  ck_assert(!hs_auth_parse_introspect("[true]", 6, &active, &error));
  hs_assert_error(error, HS_ERR_NETWORK);
}
END_TEST

START_TEST(test_account_info_and_hublet) {
  const char *body =
      "{\"portalId\":12345678,\"accountType\":\"STANDARD\",\"uiDomain\":"
      "\"app-eu1.hubspot.com\",\"dataHostingLocation\":\"eu1\"}";
  GError *error = NULL;
  HsGrant *g = hs_auth_parse_account_info(body, strlen(body), &error);
  char *h;

  ck_assert_str_eq(g->hub_id, "12345678");
  ck_assert_str_eq(g->hublet, "eu1");
  hs_auth_grant_free(g);
  body = "{\"accountType\":\"STANDARD\"}";
  ck_assert_ptr_null(hs_auth_parse_account_info(body, strlen(body), &error));
  hs_assert_error(error, HS_ERR_NETWORK);

  h = hs_auth_hublet(NULL, "app.hubspot.com");
  ck_assert_str_eq(h, "na1");
  g_free(h);
  h = hs_auth_hublet(NULL, "app-ap1.hubspot.com");
  ck_assert_str_eq(h, "ap1");
  g_free(h);
  h = hs_auth_hublet("NA2", "app-eu1.hubspot.com");
  ck_assert_str_eq(h, "na2");
  g_free(h);
  ck_assert_ptr_null(hs_auth_hublet(NULL, "example.com"));
  ck_assert_ptr_null(hs_auth_hublet(NULL, NULL));
}
END_TEST

int main(void) {
  Suite *s = suite_create("auth");
  TCase *tc = tcase_create("parse");

  tcase_add_test(tc, test_parse_oauth);
  tcase_add_test(tc, test_parse_pak);
  tcase_add_test(tc, test_parse_pak_far_expiry);
  tcase_add_test(tc, test_parse_huge_numbers);
  tcase_add_test(tc, test_introspect);
  tcase_add_test(tc, test_account_info_and_hublet);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
