/* SPDX-License-Identifier: MIT */
/* check-api.c — HubSpot's endpoints: where requests go, when they are
 * retried, and what an error answer says. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "core/error.h"
#include "hubspot/api.h"

static const struct {
  const char *url;
  const char *want; /* NULL: refused */
} bases[] = {
    {"https://api.hubapi.com", "https://api.hubapi.com"},
    {"https://api.hubapi.com/", "https://api.hubapi.com"},
    {"https://proxy.example:8443/hubspot/",
     "https://proxy.example:8443/hubspot"},
    {"https://127.0.0.1:8443/", "https://127.0.0.1:8443"},
    /* Never in the clear, not even to a loopback host. */
    {"http://127.0.0.1:8080", NULL},
    {"http://localhost:1", NULL},
    {"http://[::1]:8080", NULL},
    {"http://api.hubapi.com", NULL},
    {"http://10.0.0.1", NULL},
    {"http://127.0.0.1.evil.example", NULL},
    {"ftp://api.hubapi.com", NULL},
    {"api.hubapi.com", NULL},
    {"https://user:pw@api.hubapi.com", NULL},
    {"https://api.hubapi.com/?x=1", NULL},
    {"", NULL},
};

START_TEST(test_base_validate) {
  GError *error = NULL;
  char *got = hs_api_base_validate(bases[_i].url, &error);

  if (bases[_i].want == NULL) {
    ck_assert_msg(got == NULL, "'%s' accepted", bases[_i].url);
    hs_assert_error(error, HS_ERR_CONFIG);
  } else {
    ck_assert_msg(got != NULL, "'%s' refused: %s", bases[_i].url,
                  error ? error->message : "");
    ck_assert_str_eq(got, bases[_i].want);
  }
  g_free(got);
}
END_TEST

START_TEST(test_endpoint_families) {
  ck_assert_str_eq(hs_api_path(HS_EP_OAUTH_TOKEN, HS_OAUTH_API_2026_03),
                   "/oauth/2026-03/token");
  ck_assert_str_eq(hs_api_path(HS_EP_OAUTH_TOKEN, HS_OAUTH_API_V1),
                   "/oauth/v1/token");
  ck_assert_str_eq(hs_api_path(HS_EP_OAUTH_INTROSPECT, HS_OAUTH_API_2026_03),
                   "/oauth/2026-03/token/introspect");
  ck_assert_str_eq(hs_api_path(HS_EP_ACCOUNT_INFO, HS_OAUTH_API_V1),
                   "/account-info/v3/details");
  ck_assert_str_eq(hs_api_path(HS_EP_PAK_EXCHANGE, HS_OAUTH_API_2026_03),
                   "/localdevauth/v1/auth/refresh");
}
END_TEST

START_TEST(test_error_old_shape) {
  const char *body =
      "{\"status\":\"BAD_REFRESH_TOKEN\",\"message\":\"missing or invalid "
      "refresh token\",\"correlationId\":\"c-1\"}";
  HsApiError *e = hs_api_error_parse(body, strlen(body));
  char *text = hs_api_error_describe(e, 400);

  ck_assert_str_eq(e->status, "BAD_REFRESH_TOKEN");
  ck_assert_ptr_null(e->error);
  ck_assert_str_eq(text,
                   "missing or invalid refresh token (BAD_REFRESH_TOKEN, "
                   "correlation id c-1)");
  g_free(text);
  hs_api_error_free(e);
}
END_TEST

START_TEST(test_error_new_shape) {
  const char *body =
      "{\"status\":\"BAD_REFRESH_TOKEN\",\"message\":\"m\",\"error\":"
      "\"invalid_grant\",\"error_description\":\"refresh token revoked\","
      "\"correlationId\":\"c-2\"}";
  HsApiError *e = hs_api_error_parse(body, strlen(body));
  char *text = hs_api_error_describe(e, 400);

  ck_assert_str_eq(e->error, "invalid_grant");
  ck_assert_str_eq(text,
                   "refresh token revoked (BAD_REFRESH_TOKEN, correlation id "
                   "c-2)");
  g_free(text);
  hs_api_error_free(e);
}
END_TEST

START_TEST(test_error_rate_limit_and_garbage) {
  const char *body =
      "{\"status\":\"error\",\"message\":\"You have reached your daily "
      "limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}";
  HsApiError *e = hs_api_error_parse(body, strlen(body));
  char *text;

  ck_assert_str_eq(e->policy_name, "DAILY");
  hs_api_error_free(e);
  e = hs_api_error_parse("{not json", 9);
  ck_assert_ptr_null(e->message);
  text = hs_api_error_describe(e, 502);
  ck_assert_str_eq(text, "HTTP 502");
  g_free(text);
  hs_api_error_free(e);
  e = hs_api_error_parse(NULL, 0);
  ck_assert_ptr_null(e->status);
  hs_api_error_free(e);
}
END_TEST

START_TEST(test_retry_after) {
  gint64 now = 1445412480; /* Wed, 21 Oct 2015 07:28:00 GMT */

  ck_assert_int_eq(hs_api_retry_after_parse("7", now), 7);
  ck_assert_int_eq(hs_api_retry_after_parse("  0 ", now), 0);
  ck_assert_int_eq(
      hs_api_retry_after_parse("Wed, 21 Oct 2015 07:28:30 GMT", now), 30);
  ck_assert_int_eq(
      hs_api_retry_after_parse("Wed, 21 Oct 2015 07:00:00 GMT", now), 0);
  ck_assert_int_eq(hs_api_retry_after_parse(NULL, now), -1);
  ck_assert_int_eq(hs_api_retry_after_parse("", now), -1);
  ck_assert_int_eq(hs_api_retry_after_parse("-5", now), -1);
  ck_assert_int_eq(hs_api_retry_after_parse("5s", now), -1);
  ck_assert_int_eq(hs_api_retry_after_parse("soon", now), -1);
}
END_TEST

START_TEST(test_retry_delay) {
  /* 5xx, 429 and no answer are retried, with backoff */
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 500, -1, NULL, 1000, 0.0), 1000);
  ck_assert_int_eq(hs_api_retry_delay_ms(2, 503, -1, NULL, 1000, 0.0), 2000);
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 0, -1, NULL, 1000, 0.5), 1500);
  ck_assert_int_eq(
      hs_api_retry_delay_ms(1, 429, -1, "TEN_SECONDLY_ROLLING", 100, 0.0), 100);
  /* up to three tries in all */
  ck_assert_int_eq(hs_api_retry_delay_ms(3, 500, -1, NULL, 1000, 0.0), -1);
  /* Retry-After is honoured, and capped */
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 429, 2, NULL, 1000, 0.9), 2000);
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 429, 3600, NULL, 1000, 0.0),
                   HS_API_MAX_RETRY_DELAY_MS);
  /* a Retry-After too large to multiply (found by tests/fuzz) */
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 503, G_MAXINT64, NULL, 1000, 0.0),
                   HS_API_MAX_RETRY_DELAY_MS);
  /* never a DAILY 429, never another 4xx, never a success */
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 429, 5, "DAILY", 1000, 0.0), -1);
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 400, -1, NULL, 1000, 0.0), -1);
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 401, -1, NULL, 1000, 0.0), -1);
  ck_assert_int_eq(hs_api_retry_delay_ms(1, 200, -1, NULL, 1000, 0.0), -1);
}
END_TEST

/* A run that sends elsewhere than HubSpot, or trusts other CAs, says so. */
START_TEST(test_note) {
  GError *error = NULL;
  HsApi *api;
  char *note;

  api = hs_api_new(HS_OAUTH_API_2026_03, NULL, NULL, &error);
  ck_assert_ptr_nonnull(api);
  ck_assert_str_eq(hs_api_base(api), HS_API_DEFAULT_BASE);
  ck_assert_ptr_null(hs_api_note(api));
  hs_api_free(api);

  api = hs_api_new(HS_OAUTH_API_2026_03, "https://127.0.0.1:9/", "/ca.pem",
                   &error);
  ck_assert_ptr_nonnull(api);
  ck_assert_str_eq(hs_api_base(api), "https://127.0.0.1:9");
  note = hs_api_note(api);
  ck_assert_ptr_nonnull(note);
  ck_assert_msg(g_str_has_prefix(note, "HubSpot API at https://127.0.0.1:9,"),
                "%s", note);
  ck_assert_ptr_nonnull(strstr(note, "/ca.pem"));
  g_free(note);
  hs_api_free(api);

  api = hs_api_new(HS_OAUTH_API_2026_03, NULL, "/ca.pem", &error);
  note = hs_api_note(api);
  ck_assert_ptr_nonnull(note);
  ck_assert_ptr_nonnull(strstr(note, "/ca.pem"));
  g_free(note);
  hs_api_free(api);

  ck_assert_ptr_null(
      hs_api_new(HS_OAUTH_API_2026_03, "http://127.0.0.1:9", NULL, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
}
END_TEST

int main(void) {
  Suite *s = suite_create("api");
  TCase *tc = tcase_create("api");

  tcase_add_loop_test(tc, test_base_validate, 0, G_N_ELEMENTS(bases));
  tcase_add_test(tc, test_endpoint_families);
  tcase_add_test(tc, test_note);
  tcase_add_test(tc, test_error_old_shape);
  tcase_add_test(tc, test_error_new_shape);
  tcase_add_test(tc, test_error_rate_limit_and_garbage);
  tcase_add_test(tc, test_retry_after);
  tcase_add_test(tc, test_retry_delay);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
