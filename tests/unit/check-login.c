/* SPDX-License-Identifier: MIT */
/* check-login.c — the local half of the OAuth sign-in: the state, the
 * authorize host and URL, and reading HubSpot's redirect. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "core/error.h"
#include "core/secure.h"
#include "hubspot/login.h"

START_TEST(test_state) {
  g_autofree char *a = hs_login_new_state(NULL);
  g_autofree char *b = hs_login_new_state(NULL);

  ck_assert_uint_eq(strlen(a), 43); /* 32 bytes, base64url, no padding */
  ck_assert_str_ne(a, b);
  for (const char *p = a; *p; p++)
    ck_assert(g_ascii_isalnum(*p) || *p == '-' || *p == '_');
}
END_TEST

START_TEST(test_authorize_base) {
  g_autofree char *dflt = hs_login_authorize_base(NULL, NULL);
  g_autofree char *na1 = hs_login_authorize_base(NULL, "na1");
  g_autofree char *eu1 = hs_login_authorize_base(NULL, "eu1");
  g_autofree char *odd = hs_login_authorize_base(NULL, "eu1.evil.com/x");
  g_autofree char *conf = hs_login_authorize_base("https://127.0.0.1:9", "eu1");

  ck_assert_str_eq(dflt, "https://app.hubspot.com");
  ck_assert_str_eq(na1, "https://app.hubspot.com");
  ck_assert_str_eq(eu1, "https://app-eu1.hubspot.com");
  ck_assert_str_eq(odd, "https://app.hubspot.com");
  ck_assert_str_eq(conf, "https://127.0.0.1:9");
}
END_TEST

START_TEST(test_authorize_url) {
  const char *scopes[] = {"crm.objects.contacts.read", "oauth", NULL};
  g_autofree char *url =
      hs_login_authorize_url("https://app.hubspot.com", "id&1", scopes,
                             "http://localhost:8735/callback", "st");

  ck_assert_str_eq(url,
                   "https://app.hubspot.com/oauth/authorize?client_id=id%261"
                   "&scope=crm.objects.contacts.read%20oauth&redirect_uri="
                   "http%3A%2F%2Flocalhost%3A8735%2Fcallback&state=st");
}
END_TEST

START_TEST(test_callback) {
  GError *error = NULL;
  char *code = NULL;

  ck_assert_int_eq(
      hs_login_parse_callback("/favicon.ico", "/callback", "S", &code, &error),
      HS_LOGIN_OTHER);
  ck_assert_ptr_null(error);
  ck_assert_int_eq(hs_login_parse_callback("/callback?code=c%2B1&state=S",
                                           "/callback", "S", &code, &error),
                   HS_LOGIN_CODE);
  ck_assert_str_eq(code, "c+1");
  hs_secure_free(code);
  ck_assert_int_eq(hs_login_parse_callback("/callback?code=c&state=T",
                                           "/callback", "S", &code, &error),
                   HS_LOGIN_REJECTED);
  ck_assert_ptr_null(code);
  ck_assert_ptr_nonnull(strstr(error->message, "state"));
  hs_assert_error(error, HS_ERR_REFUSED);
  ck_assert_int_eq(hs_login_parse_callback("/callback?code=c", "/callback", "S",
                                           &code, &error),
                   HS_LOGIN_REJECTED);
  hs_assert_error(error, HS_ERR_REFUSED);
  ck_assert_int_eq(
      hs_login_parse_callback("/callback?error=access_denied&state=S",
                              "/callback", "S", &code, &error),
      HS_LOGIN_REJECTED);
  ck_assert_ptr_nonnull(strstr(error->message, "access_denied"));
  hs_assert_error(error, HS_ERR_REFUSED);
  ck_assert_int_eq(hs_login_parse_callback("/callback?state=S", "/callback",
                                           "S", &code, &error),
                   HS_LOGIN_REJECTED);
  hs_assert_error(error, HS_ERR_REFUSED);
  ck_assert_int_eq(
      hs_login_parse_callback("/callback?%zz", "/callback", "S", &code, &error),
      HS_LOGIN_REJECTED);
  hs_assert_error(error, HS_ERR_REFUSED);
}
END_TEST

START_TEST(test_listen_refuses) {
  GError *error = NULL;
  const char *bad[] = {"https://localhost:8735/cb", "http://example.com:8735/",
                       "http://localhost/cb", "http://localhost:8735/cb?x=1",
                       "not a uri"};

  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    ck_assert_ptr_null(hs_login_listen(bad[i], &error));
    hs_assert_error(error, HS_ERR_USAGE);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("login");
  TCase *tc = tcase_create("login");

  tcase_add_test(tc, test_state);
  tcase_add_test(tc, test_authorize_base);
  tcase_add_test(tc, test_authorize_url);
  tcase_add_test(tc, test_callback);
  tcase_add_test(tc, test_listen_refuses);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
