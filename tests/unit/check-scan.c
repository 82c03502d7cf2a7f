/* SPDX-License-Identifier: MIT */
/* check-scan.c — the plain-text credential scanner, as a table of
 * inputs and the hits they give (line:kind:token;…), and the staged-diff
 * reader. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "migrate/scan.h"

#define PAT "pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03"
#define PAT_EU "pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e"
#define PAK "CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ"
#define RT "na1-c2a9-4f1e-9b3c-0d8e-7a6b5c4d3e2f"

static const struct {
  const char *input, *want;
} table[] = {
    {PAT, "1:private-app:" PAT ";"},
    {"x\ny = \"" PAT_EU "\"\n", "2:private-app:" PAT_EU ";"},
    {"a " PAT " b " PAT_EU "\n",
     "1:private-app:" PAT ";1:private-app:" PAT_EU ";"},
    {"HUBSPOT_ACCESS_TOKEN=" PAT "\n", "1:private-app:" PAT ";"},
    {"export HUBSPOT_CLIENT_SECRET='0123456789abcdef0123'\n",
     "1:HUBSPOT_CLIENT_SECRET:0123456789abcdef0123;"},
    {"HUBSPOT_API_KEY: 0f0e0d0c-aaaa-bbbb-cccc-000000000001\n",
     "1:HUBSPOT_API_KEY:0f0e0d0c-aaaa-bbbb-cccc-000000000001;"},
    {"  personalAccessKey: " PAK "\n", "1:personal-access-key:" PAK ";"},
    {"key " PAK "\n", "1:personal-access-key:" PAK ";"},
    {"refresh " RT "\n", "1:oauth-refresh-token:" RT ";"},
    {"\r\n\r\nA=" PAT "\r\n", "3:private-app:" PAT ";"},
    /* placeholders and look-alikes are not hits */
    {"HUBSPOT_ACCESS_TOKEN=\n", ""},
    {"HUBSPOT_ACCESS_TOKEN=${HUBSPOT_TOKEN}\n", ""},
    {"HUBSPOT_ACCESS_TOKEN=<your-token-here>\n", ""},
    {"HUBSPOT_ACCESS_TOKEN=changeme\n", ""},
    {"pat-na1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\n", ""},
    {"pat-na1-0e3c9a71\n", ""},
    {"xpat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03\n", ""},
    {"CiRzb21lIHJhbmRvbSBiYXNlNjQgdGV4dCB0aGF0IGlzIGxvbmcgZW5vdWdo\n", ""},
    {"uuid 0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03\n", ""},
    {"", ""},
};

typedef struct {
  GString *out;
  const char *buf;
} Ctx;

static void collect_ctx(const HsScanHit *hit, void *user_data) {
  Ctx *c = user_data;
  g_string_append_printf(c->out, "%u:%s:%.*s;", hit->line, hit->kind,
                         (int)hit->len, c->buf + hit->start);
}

START_TEST(test_table) {
  GString *out = g_string_new(NULL);
  Ctx c = {out, table[_i].input};
  guint n = hs_scan_text(table[_i].input, strlen(table[_i].input), 1,
                         collect_ctx, &c);

  ck_assert_msg(strcmp(out->str, table[_i].want) == 0, "case %d: got %s", _i,
                out->str);
  ck_assert_int_eq(n, *table[_i].want ? 1 + (strstr(table[_i].want, ";1:") ||
                                             strstr(table[_i].want, ";2:"))
                                      : 0);
  g_string_free(out, TRUE);
}
END_TEST

/* The buffer need not end in NUL: a token cut by the length is not seen. */
START_TEST(test_length_bound) {
  ck_assert_int_eq(hs_scan_text(PAT, 20, 1, NULL, NULL), 0);
  ck_assert_int_eq(hs_scan_text(PAT "\n", strlen(PAT), 1, NULL, NULL), 1);
}
END_TEST

static void collect_diff(const char *path, const HsScanHit *hit,
                         const char *text, void *user_data) {
  g_string_append_printf(user_data, "%s:%u:%s:%.*s;", path, hit->line,
                         hit->kind, (int)hit->len, text + hit->start);
}

/* Only added lines count, at their line in the new file. */
START_TEST(test_diff) {
  static const char diff[] =
      "diff --git a/app/.env b/app/.env\n"
      "index 0000000..1111111 100644\n"
      "--- a/app/.env\n"
      "+++ b/app/.env\n"
      "@@ -1,0 +2,2 @@\n"
      "+HUBSPOT_ACCESS_TOKEN=" PAT
      "\n"
      "+++ not a header: " PAT_EU
      "\n"
      "@@ -10 +12 @@\n"
      "-old " RT
      "\n"
      "+new line\n"
      "diff --git a/gone b/gone\n"
      "deleted file mode 100644\n"
      "--- a/gone\n"
      "+++ /dev/null\n"
      "@@ -1 +0,0 @@\n"
      "-" PAT
      "\n"
      "diff --git a/img.png b/img.png\n"
      "Binary files a/img.png and b/img.png differ\n"
      "diff --git a/c d.yml b/c d.yml\n"
      "--- a/c d.yml\t\n"
      "+++ b/c d.yml\t\n"
      "@@ -3 +3 @@\n"
      "+k: " PAK;
  GString *out = g_string_new(NULL);
  guint n = hs_scan_diff(diff, strlen(diff), collect_diff, out);

  ck_assert_str_eq(out->str, "app/.env:2:private-app:" PAT
                             ";app/.env:3:private-app:" PAT_EU
                             ";c d.yml:3:personal-access-key:" PAK ";");
  ck_assert_int_eq(n, 3);
  g_string_free(out, TRUE);
}
END_TEST

/* Files need not be UTF-8: a Latin-1 byte near a credential crashed GLib's
 * JIT, which runs unchecked on UTF-8 patterns (found by
 * tests/fuzz/fuzz-token-scan).  Tokens are ASCII and are still found. */
START_TEST(test_not_utf8) {
  static const char latin1[] =
      "caf\xe9=1\nHUBSPOT_ACCESS_TOKEN=" PAT "\n# r\xe9sum\xe9 " PAK "\x93\n";
  /* minimised from the fuzzer's input: segfaulted before */
  static const char crash[] = "\x93QB TRACSYCiR55/nd raVVVU.=o-omn\n";
  GString *out = g_string_new(NULL);
  Ctx c = {out, latin1};

  ck_assert_int_eq(hs_scan_text(latin1, strlen(latin1), 1, collect_ctx, &c), 2);
  ck_assert_str_eq(out->str,
                   "2:private-app:" PAT ";3:personal-access-key:" PAK ";");
  ck_assert_int_eq(hs_scan_text(crash, strlen(crash), 1, NULL, NULL), 0);
  g_string_free(out, TRUE);
}
END_TEST

START_TEST(test_mask) {
  g_autofree char *m = hs_scan_mask(PAT, strlen(PAT));
  g_autofree char *shorter = hs_scan_mask("abc", 3);

  ck_assert_str_eq(m, "pat-na1-…");
  ck_assert_str_eq(shorter, "abc…");
}
END_TEST

int main(void) {
  Suite *s = suite_create("scan");
  TCase *tc = tcase_create("scan");

  tcase_add_loop_test(tc, test_table, 0, G_N_ELEMENTS(table));
  tcase_add_test(tc, test_length_bound);
  tcase_add_test(tc, test_diff);
  tcase_add_test(tc, test_not_utf8);
  tcase_add_test(tc, test_mask);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
