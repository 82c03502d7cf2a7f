/* SPDX-License-Identifier: MIT */
/* check-cli-config.c — the HubSpot CLI config parser: accounts of each
 * auth type, legacy keys, and secret ranges that scrub.c can blank out. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "migrate/cli-config.h"
#include "core/error.h"
#include "migrate/scrub.h"
#include "core/secure.h"

#define PAK1 "CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ"
#define PAK2 "CiRldTEtMDAwMC0xMTExLTIyMjItMzMzMzQ0NDQ1NTU1NjY2NhAB"

static const char config_yml[] =
    "defaultAccount: prod\n"
    "accounts:\n"
    "  - name: prod\n"
    "    accountId: 123\n"
    "    authType: personalaccesskey\n"
    "    personalAccessKey: " PAK1
    "\n"
    "    auth:\n"
    "      tokenInfo:\n"
    "        accessToken: CKx-cached-access\n"
    "        expiresAt: '2026-11-23T10:00:00.000Z'\n"
    "  - name: eu-dev # a comment\n"
    "    accountId: 456\n"
    "    authType: personalaccesskey\n"
    "    personalAccessKey: \"" PAK2
    "\"\n"
    "  - name: app\n"
    "    accountId: 789\n"
    "    authType: oauth2\n"
    "    auth:\n"
    "      clientId: cid-1\n"
    "      clientSecret: 'cs-secret-1'\n"
    "      scopes: [crm.objects.contacts.read]\n"
    "      tokenInfo:\n"
    "        refreshToken: rt-initial-1\n"
    "        accessToken: CKx-app-access\n"
    "  - name: app2\n"
    "    accountId: 790\n"
    "    authType: oauth2\n"
    "    auth: {clientId: cid-2, clientSecret: cs-2, tokenInfo: {refreshToken: "
    "rt-2}}\n"
    "  - name: legacy\n"
    "    accountId: 1\n"
    "    authType: apikey\n"
    "    apiKey: 0f0e0d0c-aaaa-bbbb-cccc-000000000001\n"
    "  - name: legacy2\n"
    "    accountId: 2\n"
    "    authType: apikey\n"
    "    apiKey: |\n"
    "      block-scalar-key\n"
    "  - name: 'café'\n"
    "    accountId: 3\n"
    "    authType: personalaccesskey\n"
    "    personalAccessKey: " PAK1 "\n";

static HsCliAccount *account(HsCliConfig *c, guint i) {
  return g_ptr_array_index(c->accounts, i);
}

static const HsYamlRange *range_of(HsCliAccount *a, const char *field) {
  for (guint i = 0; i < a->ranges->len; i++) {
    const HsYamlRange *r = &g_array_index(a->ranges, HsYamlRange, i);
    if (strcmp(r->field, field) == 0) return r;
  }
  return NULL;
}

static const struct {
  guint index;
  const char *name, *account_id, *auth_type, *pak, *client_id, *secret,
      *refresh, *api_key;
} accounts[] = {
    {0, "prod", "123", "personalaccesskey", PAK1, NULL, NULL, NULL, NULL},
    {1, "eu-dev", "456", "personalaccesskey", PAK2, NULL, NULL, NULL, NULL},
    {2, "app", "789", "oauth2", NULL, "cid-1", "cs-secret-1", "rt-initial-1",
     NULL},
    {3, "app2", "790", "oauth2", NULL, "cid-2", "cs-2", "rt-2", NULL},
    {4, "legacy", "1", "apikey", NULL, NULL, NULL, NULL,
     "0f0e0d0c-aaaa-bbbb-cccc-000000000001"},
    {5, "legacy2", "2", "apikey", NULL, NULL, NULL, NULL, "block-scalar-key\n"},
    {6, "café", "3", "personalaccesskey", PAK1, NULL, NULL, NULL, NULL},
};

START_TEST(test_accounts) {
  g_autoptr(GError) error = NULL;
  g_autoptr(HsCliConfig) c =
      hs_cli_config_parse(config_yml, strlen(config_yml), &error);
  HsCliAccount *a;

  ck_assert_msg(c != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq(c->accounts->len, 7);
  ck_assert_str_eq(c->default_account, "prod");
  a = account(c, accounts[_i].index);
  ck_assert_str_eq(a->name, accounts[_i].name);
  ck_assert_str_eq(a->account_id, accounts[_i].account_id);
  ck_assert_str_eq(a->auth_type, accounts[_i].auth_type);
  ck_assert_pstr_eq(a->personal_access_key, accounts[_i].pak);
  ck_assert_pstr_eq(a->client_id, accounts[_i].client_id);
  ck_assert_pstr_eq(a->client_secret, accounts[_i].secret);
  ck_assert_pstr_eq(a->refresh_token, accounts[_i].refresh);
  ck_assert_pstr_eq(a->api_key, accounts[_i].api_key);
}
END_TEST

/* Ranges cover exactly the scalar as written (quotes included), in bytes
 * even after multi-byte characters. */
START_TEST(test_ranges) {
  g_autoptr(HsCliConfig) c =
      hs_cli_config_parse(config_yml, strlen(config_yml), NULL);
  const HsYamlRange *r;

  r = range_of(account(c, 0), "personalAccessKey");
  ck_assert_int_eq(r->end - r->start, strlen(PAK1));
  ck_assert(memcmp(config_yml + r->start, PAK1, strlen(PAK1)) == 0);
  ck_assert(r->one_line);
  r = range_of(account(c, 0), "auth.tokenInfo.accessToken");
  ck_assert(memcmp(config_yml + r->start, "CKx-cached-access", 17) == 0);
  r = range_of(account(c, 1), "personalAccessKey");
  ck_assert_int_eq(config_yml[r->start], '"');
  ck_assert_int_eq(config_yml[r->end - 1], '"');
  r = range_of(account(c, 2), "auth.clientSecret");
  ck_assert(memcmp(config_yml + r->start, "'cs-secret-1'", 13) == 0);
  ck_assert_ptr_nonnull(range_of(account(c, 2), "auth.tokenInfo.refreshToken"));
  ck_assert(!range_of(account(c, 3), "auth.clientSecret")->one_line); /* {} */
  ck_assert(!range_of(account(c, 5), "apiKey")->one_line);            /* | */
  r = range_of(account(c, 6), "personalAccessKey");
  ck_assert(memcmp(config_yml + r->start, PAK1, strlen(PAK1)) == 0);
  ck_assert_int_eq(config_yml[r->end], '\n');
}
END_TEST

static const struct {
  const char *input;
  const char *first_name; /* NULL: refused */
  guint n;
} docs[] = {
    /* legacy hubspot.config.yml */
    {"defaultPortal: old\nportals:\n  - name: old\n    portalId: 5\n"
     "    authType: personalaccesskey\n    personalAccessKey: " PAK1 "\n",
     "old", 1},
    {"accounts: []\n", NULL, 0}, /* no accounts: parsed, empty */
    {"accounts:\n  - 1\n  - name: x\n", "x", 1}, /* non-mappings skipped */
    {"httpTimeout: 3\n", NULL, G_MAXUINT},       /* no accounts key */
    {"accounts: [\n", NULL, G_MAXUINT},          /* not YAML */
    {"", NULL, G_MAXUINT},                       /* empty */
    {"\xef\xbb\xbf"
     "accounts: []\n",
     NULL, G_MAXUINT},                       /* BOM */
    {"accounts: \xff\n", NULL, G_MAXUINT},   /* not UTF-8 */
    {"a: &x [*x]\naccounts: []\n", NULL, 0}, /* alias: not followed */
};

START_TEST(test_docs) {
  GError *error = NULL;
  HsCliConfig *c =
      hs_cli_config_parse(docs[_i].input, strlen(docs[_i].input), &error);

  if (docs[_i].n == G_MAXUINT) {
    ck_assert_msg(c == NULL, "case %d accepted", _i);
    hs_assert_error(error, HS_ERR_USAGE);
    return;
  }
  ck_assert_msg(c != NULL, "case %d: %s", _i, error ? error->message : "");
  ck_assert_int_eq(c->accounts->len, docs[_i].n);
  if (docs[_i].first_name)
    ck_assert_str_eq(account(c, 0)->name, docs[_i].first_name);
  hs_cli_config_free(c);
}
END_TEST

/* Deep nesting is refused, not a stack overflow. */
START_TEST(test_depth_bound) {
  GString *s = g_string_new("accounts: ");
  GError *error = NULL;

  for (int i = 0; i < 10000; i++) g_string_append_c(s, '[');
  ck_assert_ptr_null(hs_cli_config_parse(s->str, s->len, &error));
  hs_assert_error(error, HS_ERR_USAGE);
  g_string_free(s, TRUE);
}
END_TEST

/* Scrubbing the secret ranges leaves every other byte, and the result is
 * still a config with the same accounts and no secrets. */
START_TEST(test_scrub_round_trip) {
  g_autoptr(HsCliConfig) c =
      hs_cli_config_parse(config_yml, strlen(config_yml), NULL);
  g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(HsScrubRange));
  g_autoptr(HsCliConfig) after = NULL;
  g_autoptr(GError) error = NULL;
  GString *want = g_string_new(NULL);
  gsize at = 0, len = 0;
  char *out;

  for (guint i = 0; i < 3; i++) {
    HsCliAccount *a = account(c, i);
    for (guint r = 0; r < a->ranges->len; r++) {
      const HsYamlRange *y = &g_array_index(a->ranges, HsYamlRange, r);
      HsScrubRange s = {y->start, y->end, "'' # moved"};
      g_array_append_val(ranges, s);
    }
  }
  out = hs_scrub_apply(config_yml, strlen(config_yml),
                       (HsScrubRange *)(void *)ranges->data, ranges->len, &len,
                       &error);
  ck_assert_ptr_nonnull(out);
  /* The expected text, built from the (now sorted) ranges. */
  for (guint i = 0; i < ranges->len; i++) {
    HsScrubRange *s = &g_array_index(ranges, HsScrubRange, i);
    g_string_append_len(want, config_yml + at, s->start - at);
    g_string_append(want, s->replacement);
    at = s->end;
  }
  g_string_append(want, config_yml + at);
  ck_assert_str_eq(out, want->str);
  ck_assert_ptr_null(strstr(out, "cs-secret-1"));
  ck_assert_ptr_null(strstr(out, "CKx-cached-access"));
  after = hs_cli_config_parse(out, len, &error);
  ck_assert_ptr_nonnull(after);
  ck_assert_int_eq(after->accounts->len, 7);
  ck_assert_ptr_null(account(after, 0)->personal_access_key);
  ck_assert_ptr_null(account(after, 2)->client_secret);
  ck_assert_str_eq(account(after, 2)->client_id, "cid-1");
  ck_assert_str_eq(account(after, 3)->client_secret, "cs-2");
  hs_secure_free_len(out, len + 1);
  g_string_free(want, TRUE);
}
END_TEST

/* An empty buffer may be NULL: libyaml asserted on it (found by
 * tests/fuzz/fuzz-cli-yaml). */
START_TEST(test_empty_null) {
  GError *error = NULL;

  ck_assert_ptr_null(hs_cli_config_parse(NULL, 0, &error));
  hs_assert_error(error, HS_ERR_USAGE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cli-config");
  TCase *tc = tcase_create("parse");

  tcase_add_loop_test(tc, test_accounts, 0, G_N_ELEMENTS(accounts));
  tcase_add_test(tc, test_ranges);
  tcase_add_loop_test(tc, test_docs, 0, G_N_ELEMENTS(docs));
  tcase_add_test(tc, test_depth_bound);
  tcase_add_test(tc, test_scrub_round_trip);
  tcase_add_test(tc, test_empty_null);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
