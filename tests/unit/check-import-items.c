/* SPDX-License-Identifier: MIT */
/* check-import-items.c — what import takes from a .env file and a HubSpot
 * CLI config: kinds by variable name and by shape, one item per distinct
 * value, ranked names, hub ids, the refusals, the notes for skipped
 * accounts, and the scrubbed text. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "core/error.h"
#include "core/secure.h"
#include "migrate/cli-config.h"
#include "migrate/dotenv.h"
#include "migrate/import-items.h"

#define PAT "pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03"
#define PAT_EU "pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e"
#define PAK "CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ"

/* profile:kind:hub_id:hublet@source; for each item, in order. */
static char *describe(GPtrArray *items) {
  GString *s = g_string_new(NULL);

  for (guint i = 0; i < items->len; i++) {
    const HsImportItem *item = g_ptr_array_index(items, i);
    const HsRecord *r = item->record;
    g_string_append_printf(s, "%s:%s:%s:%s@%s;", r->profile,
                           hs_kind_name(r->kind), r->hub_id ? r->hub_id : "-",
                           r->hublet ? r->hublet : "-", item->source);
  }
  return g_string_free(s, FALSE);
}

static GPtrArray *from_env(const char *text, const char *profile,
                           GError **error) {
  g_autoptr(HsDotenv) env = hs_dotenv_parse(text, strlen(text), error);

  ck_assert_msg(env != NULL, "%s", *error ? (*error)->message : "");
  return hs_import_items_from_dotenv(env, profile, "app.env", error);
}

static const struct {
  const char *input;
  const char *want; /* describe(), or NULL: refused with HS_ERR_USAGE */
} env_table[] = {
    /* A private-app token: its hublet, the hub id beside it. */
    {"HUBSPOT_ACCESS_TOKEN=" PAT "\nHUBSPOT_ACCOUNT_ID=123\n",
     "prod:private-app:123:na1@HUBSPOT_ACCESS_TOKEN (line 1);"},
    /* The same name without pat-: a service key; the legacy hub id key. */
    {"HUBSPOT_PORTAL_ID=9\nHUBSPOT_ACCESS_TOKEN=svc-key-1\n",
     "prod:service-key:9:-@HUBSPOT_ACCESS_TOKEN (line 2);"},
    /* A hub id that is not one is left out. */
    {"HUBSPOT_ACCESS_TOKEN=" PAT "\nHUBSPOT_ACCOUNT_ID=12ab\n",
     "prod:private-app:-:na1@HUBSPOT_ACCESS_TOKEN (line 1);"},
    /* Any variable holding a private-app token, by its shape; the same
     * value under two names is one item. */
    {"MY_TOKEN=" PAT "\nHUBSPOT_PRIVATE_APP_TOKEN=" PAT "\n",
     "prod:private-app:-:na1@MY_TOKEN (line 1);"},
    /* Ranked: static tokens, then the personal access key, OAuth, the API
     * key; a second of a kind is PROFILE-KIND, a third PROFILE-KIND-2. */
    {"HUBSPOT_API_KEY=0f0e0d0c-aaaa\n"
     "HUBSPOT_CLIENT_ID=cid-1\n"
     "HUBSPOT_CLIENT_SECRET=cs-1\n"
     "HUBSPOT_REFRESH_TOKEN=rt-1\n"
     "HUBSPOT_PERSONAL_ACCESS_KEY=" PAK "\n"
     "HUBSPOT_ACCESS_TOKEN=" PAT "\n"
     "OTHER=" PAT_EU "\n"
     "THIRD=pat-na1-11111111-2222-3333-4444-555555555555\n",
     "prod:private-app:-:na1@HUBSPOT_ACCESS_TOKEN (line 6);"
     "prod-private-app:private-app:-:eu1@OTHER (line 7);"
     "prod-private-app-2:private-app:-:na1@THIRD (line 8);"
     "prod-personal-access-key:personal-access-key:-:-@"
     "HUBSPOT_PERSONAL_ACCESS_KEY (line 5);"
     "prod-oauth:oauth:-:-@HUBSPOT_CLIENT_SECRET and HUBSPOT_REFRESH_TOKEN "
     "(lines 3, 4);"
     "prod-api-key:api-key:-:-@HUBSPOT_API_KEY (line 1);"},
    /* A key set twice: the last value counts; an empty value is none. */
    {"HUBSPOT_SERVICE_KEY=old\nHUBSPOT_SERVICE_KEY=new\nHUBSPOT_API_KEY=\n",
     "prod:service-key:-:-@HUBSPOT_SERVICE_KEY (line 2);"},
    {"HUBSPOT_ACCESS_TOKEN=pat-na1-short\n", NULL}, /* pat- but cut short */
    {"HUBSPOT_PERSONAL_ACCESS_KEY=a*b\n", NULL},    /* not a key's alphabet */
    {"HUBSPOT_CLIENT_ID=c\nHUBSPOT_CLIENT_SECRET=s\n", NULL}, /* no token */
    {"HUBSPOT_REFRESH_TOKEN=r\n", NULL},          /* OAuth, half of it */
    {"DEBUG=1\nHUBSPOT_CLIENT_ID=cid-1\n", NULL}, /* nothing to import */
    {"", NULL},
};

START_TEST(test_env_table) {
  GError *error = NULL;
  g_autoptr(GPtrArray) items = from_env(env_table[_i].input, "prod", &error);

  if (env_table[_i].want == NULL) {
    ck_assert_msg(items == NULL, "case %d accepted", _i);
    hs_assert_error(error, HS_ERR_USAGE);
  } else {
    g_autofree char *got = NULL;
    ck_assert_msg(items != NULL, "case %d: %s", _i,
                  error ? error->message : "");
    got = describe(items);
    ck_assert_msg(strcmp(got, env_table[_i].want) == 0, "case %d: got %s", _i,
                  got);
  }
}
END_TEST

/* The secrets land in the record; the time it was made is set. */
START_TEST(test_env_secrets) {
  GError *error = NULL;
  g_autoptr(GPtrArray) items = from_env(
      "HUBSPOT_CLIENT_ID=cid-1\nHUBSPOT_CLIENT_SECRET='cs 1'\n"
      "HUBSPOT_REFRESH_TOKEN=\"rt-1\"\n",
      "app", &error);
  const HsRecord *r;

  ck_assert_msg(items != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq(items->len, 1);
  r = ((HsImportItem *)g_ptr_array_index(items, 0))->record;
  ck_assert_int_eq(r->kind, HS_KIND_OAUTH);
  ck_assert_str_eq(r->client_id, "cid-1");
  ck_assert_str_eq(r->client_secret, "cs 1");
  ck_assert_str_eq(r->refresh_token, "rt-1");
  ck_assert_ptr_null(r->token);
  ck_assert_int_gt(r->created, 0);
  ck_assert(hs_record_has_secrets(r));
}
END_TEST

/* The refusals say what to do, and which variable (never its value). */
START_TEST(test_env_refusals) {
  GError *error = NULL;
  GPtrArray *items = from_env("HUBSPOT_ACCESS_TOKEN=" PAT "\n", NULL, &error);

  ck_assert_ptr_null(items);
  ck_assert_ptr_nonnull(strstr(error->message, "give --profile NAME"));
  ck_assert_ptr_nonnull(strstr(error->message, "app.env"));
  hs_assert_error(error, HS_ERR_USAGE);

  items = from_env("HUBSPOT_CLIENT_SECRET=s\nHUBSPOT_REFRESH_TOKEN=r\n", "p",
                   &error);
  ck_assert_ptr_null(items);
  ck_assert_ptr_nonnull(strstr(error->message, "no HUBSPOT_CLIENT_ID"));
  hs_assert_error(error, HS_ERR_USAGE);

  items = from_env("X=1\nHUBSPOT_ACCESS_TOKEN=pat-na1-short\n", "p", &error);
  ck_assert_ptr_null(items);
  ck_assert_ptr_nonnull(
      strstr(error->message, "HUBSPOT_ACCESS_TOKEN on line 2"));
  ck_assert_ptr_null(strstr(error->message, "pat-na1-short"));
  hs_assert_error(error, HS_ERR_USAGE);

  items = from_env("DEBUG=1\n", "p", &error);
  ck_assert_ptr_null(items);
  ck_assert_ptr_nonnull(strstr(error->message, "no HubSpot credentials"));
  hs_assert_error(error, HS_ERR_USAGE);
}
END_TEST

/* The scrub replaces every imported line, an earlier value of a key with
 * its own note, and leaves every other byte. */
START_TEST(test_env_scrub) {
  static const char text[] =
      "# settings\r\n"
      "HUBSPOT_ACCESS_TOKEN=" PAT_EU
      "\r\n"
      "DEBUG=1\n"
      "export HUBSPOT_ACCESS_TOKEN=\"" PAT
      "\" # prod\n"
      "HUBSPOT_CLIENT_ID=cid-1\n"
      "HUBSPOT_CLIENT_SECRET=cs-1\n"
      "HUBSPOT_REFRESH_TOKEN=rt-1";
  static const char want[] =
      "# settings\r\n"
      "# HUBSPOT_ACCESS_TOKEN (an earlier value, overridden below) removed "
      "by hs-token import\r\n"
      "DEBUG=1\n"
      "# HUBSPOT_ACCESS_TOKEN moved to the keyring: hs-exec prod -- …\n"
      "HUBSPOT_CLIENT_ID=cid-1\n"
      "# HUBSPOT_CLIENT_SECRET moved to the keyring: hs-exec prod-oauth -- …\n"
      "# HUBSPOT_REFRESH_TOKEN moved to the keyring: hs-exec prod-oauth -- …";
  GError *error = NULL;
  g_autoptr(GPtrArray) items = from_env(text, "prod", &error);
  gsize len = 0;
  guint n = 0;
  char *out;

  ck_assert_msg(items != NULL, "%s", error ? error->message : "");
  out =
      hs_import_items_scrub(text, strlen(text), items, NULL, &len, &n, &error);
  ck_assert_msg(out != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(out, want);
  ck_assert_uint_eq(len, strlen(want));
  ck_assert_uint_eq(n, 4);
  hs_secure_free_len(out, len + 1);
}
END_TEST

/* ---- the HubSpot CLI's config ---- */

static const char config_yml[] =
    "defaultAccount: prod\n"
    "accounts:\n"
    "  - name: prod\n" /* 3 */
    "    accountId: 123\n"
    "    authType: personalaccesskey\n"
    "    personalAccessKey: " PAK
    "\n"
    "    auth:\n"
    "      tokenInfo:\n"
    "        accessToken: CKx-cached-access\n"
    "  - name: app\n" /* 10 */
    "    accountId: 789\n"
    "    authType: oauth2\n"
    "    auth:\n"
    "      clientId: cid-1\n"
    "      clientSecret: 'cs-secret-1'\n"
    "      tokenInfo:\n"
    "        refreshToken: rt-initial-1\n"
    "  - name: dev\n" /* 18 */
    "    accountId: 5\n"
    "    authType: developer\n"
    "  - name: half\n" /* 21 */
    "    authType: personalaccesskey\n"
    "  - name: legacy\n" /* 23 */
    "    portalId: not-a-hub\n"
    "    apiKey: |-\n"
    "      block-scalar-key\n";

static GPtrArray *from_yml(const char *text, const char *account,
                           const char *profile, gboolean scrub,
                           GPtrArray *notes, GError **error) {
  g_autoptr(HsCliConfig) c = hs_cli_config_parse(text, strlen(text), error);

  ck_assert_msg(c != NULL, "%s", *error ? (*error)->message : "");
  return hs_import_items_from_cli_config(c, account, profile, scrub,
                                         "hubspot.config.yml", notes, error);
}

/* Each account with a secret is an item named after it; the others are
 * notes; authType-less old configs go by what the account holds. */
START_TEST(test_yml_accounts) {
  GError *error = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) items =
      from_yml(config_yml, NULL, NULL, FALSE, notes, &error);
  g_autofree char *got = NULL;
  const HsRecord *r;

  ck_assert_msg(items != NULL, "%s", error ? error->message : "");
  got = describe(items);
  ck_assert_str_eq(got,
                   "prod:personal-access-key:123:-@account 'prod' (line 3);"
                   "app:oauth:789:-@account 'app' (line 10);"
                   "legacy:api-key:-:-@account 'legacy' (line 23);");
  r = ((HsImportItem *)g_ptr_array_index(items, 0))->record;
  ck_assert_str_eq(r->token, PAK);
  r = ((HsImportItem *)g_ptr_array_index(items, 1))->record;
  ck_assert_str_eq(r->client_id, "cid-1");
  ck_assert_str_eq(r->client_secret, "cs-secret-1");
  ck_assert_str_eq(r->refresh_token, "rt-initial-1");
  r = ((HsImportItem *)g_ptr_array_index(items, 2))->record;
  ck_assert_str_eq(r->token, "block-scalar-key");
  ck_assert_uint_eq(notes->len, 2);
  ck_assert_str_eq(g_ptr_array_index(notes, 0),
                   "account 'dev' (line 18) has authType 'developer', which "
                   "holds nothing to import; skipped");
  ck_assert_str_eq(g_ptr_array_index(notes, 1),
                   "account 'half' (line 21) is personal-access-key but "
                   "lacks its secret (run 'hs auth' for it first); skipped");
}
END_TEST

/* --account picks one, --profile renames it; the refusals. */
START_TEST(test_yml_choices) {
  GError *error = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) items =
      from_yml(config_yml, "app", "crm", FALSE, notes, &error);
  g_autofree char *got = NULL;

  ck_assert_msg(items != NULL, "%s", error ? error->message : "");
  got = describe(items);
  ck_assert_str_eq(got, "crm:oauth:789:-@account 'app' (line 10);");
  ck_assert_uint_eq(notes->len, 0);

  /* No such account, or one with nothing to import. */
  ck_assert_ptr_null(from_yml(config_yml, "nope", NULL, FALSE, notes, &error));
  hs_assert_error(error, HS_ERR_NOT_FOUND);
  ck_assert_ptr_null(from_yml(config_yml, "dev", NULL, FALSE, notes, &error));
  hs_assert_error(error, HS_ERR_NOT_FOUND);
  ck_assert_uint_eq(notes->len, 1); /* and it says why */
  /* One --profile for several accounts. */
  ck_assert_ptr_null(from_yml(config_yml, NULL, "crm", FALSE, notes, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "has 3 accounts"));
  hs_assert_error(error, HS_ERR_USAGE);
  /* The block scalar cannot be cut out of the file. */
  ck_assert_ptr_null(from_yml(config_yml, NULL, NULL, TRUE, notes, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "cannot scrub apiKey"));
  hs_assert_error(error, HS_ERR_USAGE);
}
END_TEST

static const struct {
  const char *input;
  int code; /* the error's */
  const char *says;
} yml_refused[] = {
    {"accounts:\n  - name: a\n    personalAccessKey: " PAK "\n"
     "  - name: a\n    apiKey: k\n",
     HS_ERR_USAGE, "two accounts are named 'a'"},
    {"accounts:\n  - name: 'a b'\n    personalAccessKey: " PAK "\n",
     HS_ERR_USAGE, "cannot be a profile name"},
    {"accounts:\n  - accountId: 1\n    personalAccessKey: " PAK "\n",
     HS_ERR_USAGE, "it has no name"},
    {"accounts:\n  - name: a\n    personalAccessKey: 'a*b'\n", HS_ERR_USAGE,
     "account 'a' (line 2)"},
    {"accounts:\n  - name: a\n    authType: oauth2\n", HS_ERR_USAGE,
     "no HubSpot credentials in hubspot.config.yml"},
};

START_TEST(test_yml_refused) {
  GError *error = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);

  ck_assert_ptr_null(
      from_yml(yml_refused[_i].input, NULL, NULL, FALSE, notes, &error));
  ck_assert_msg(error != NULL, "case %d accepted", _i);
  ck_assert_msg(strstr(error->message, yml_refused[_i].says) != NULL,
                "case %d: %s", _i, error->message);
  hs_assert_error(error, yml_refused[_i].code);
}
END_TEST

/* The scrub takes the imported secrets and the CLI's cached access token,
 * each replaced by an empty scalar and a note; nothing else changes. */
START_TEST(test_yml_scrub) {
  static const char text[] =
      "accounts:\n"
      "  - name: prod\n"
      "    personalAccessKey: \"" PAK
      "\" # key\n"
      "    auth:\n"
      "      tokenInfo:\n"
      "        accessToken: CKx-cached\n"
      "  - name: app\n"
      "    auth:\n"
      "      clientId: cid-1\n"
      "      clientSecret: cs-1\n"
      "      tokenInfo:\n"
      "        refreshToken: rt-1\n";
  static const char want[] =
      "accounts:\n"
      "  - name: prod\n"
      "    personalAccessKey: '' # moved to the keyring: hs-exec prod -- … "
      "# key\n"
      "    auth:\n"
      "      tokenInfo:\n"
      "        accessToken: '' # cached token removed: hs-exec prod -- … "
      "gets fresh ones\n"
      "  - name: app\n"
      "    auth:\n"
      "      clientId: cid-1\n"
      "      clientSecret: '' # moved to the keyring: hs-exec app -- …\n"
      "      tokenInfo:\n"
      "        refreshToken: '' # moved to the keyring: hs-exec app -- …\n";
  GError *error = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) items = from_yml(text, NULL, NULL, TRUE, notes, &error);
  gsize len = 0;
  guint n = 0;
  char *out;

  ck_assert_msg(items != NULL, "%s", error ? error->message : "");
  out =
      hs_import_items_scrub(text, strlen(text), items, NULL, &len, &n, &error);
  ck_assert_msg(out != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(out, want);
  ck_assert_uint_eq(n, 4);
  hs_secure_free_len(out, len + 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("import-items");
  TCase *env = tcase_create("dotenv");
  TCase *yml = tcase_create("cli-config");

  tcase_add_loop_test(env, test_env_table, 0, G_N_ELEMENTS(env_table));
  tcase_add_test(env, test_env_secrets);
  tcase_add_test(env, test_env_refusals);
  tcase_add_test(env, test_env_scrub);
  suite_add_tcase(s, env);
  tcase_add_test(yml, test_yml_accounts);
  tcase_add_test(yml, test_yml_choices);
  tcase_add_loop_test(yml, test_yml_refused, 0, G_N_ELEMENTS(yml_refused));
  tcase_add_test(yml, test_yml_scrub);
  suite_add_tcase(s, yml);
  return hs_run_suite(s);
}
