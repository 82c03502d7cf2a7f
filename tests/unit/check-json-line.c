/* SPDX-License-Identifier: MIT */
/* check-json-line.c — the audit and usage lines without json-glib: members
 * in order, strings escaped so that json-glib reads back exactly what was
 * written, bytes that are not UTF-8 as U+FFFD, NULL strings left out; and
 * the command name the logs keep. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "base/command.h"
#include "base/json-line.h"
#include "check-common.h"

START_TEST(test_members_in_order) {
  HsJsonLine line;
  char *text;

  hs_json_line_begin(&line);
  hs_json_line_add_int(&line, "time", 1760000000);
  hs_json_line_add_string(&line, "profile", "prod");
  hs_json_line_add_string(&line, "kind", NULL);
  hs_json_line_add_int(&line, "uid", -1);
  text = hs_json_line_end(&line, true);
  ck_assert_str_eq(text,
                   "{\"time\":1760000000,\"profile\":\"prod\",\"uid\":-1}\n");
  free(text);
  hs_json_line_begin(&line);
  text = hs_json_line_end(&line, false);
  ck_assert_str_eq(text, "{}");
  free(text);
}
END_TEST

/* What json-glib reads back of the string `value` written as a member. */
static char *read_back(const char *value) {
  g_autoptr(JsonParser) parser = json_parser_new();
  HsJsonLine line;
  char *text, *got = NULL;

  hs_json_line_begin(&line);
  hs_json_line_add_string(&line, "v", value);
  text = hs_json_line_end(&line, false);
  if (json_parser_load_from_data(parser, text, -1, NULL))
    got = g_strdup(json_object_get_string_member(
        json_node_get_object(json_parser_get_root(parser)), "v"));
  free(text);
  return got;
}

START_TEST(test_escaped) {
  static const char *const same[] = {"plain",
                                     "quote\" and \\ backslash",
                                     "tab\tnewline\ncr\rbell\a",
                                     "\x1f\x7f",
                                     "UTF-8: é ✓ 𝄞",
                                     "</script>",
                                     NULL};

  for (const char *const *v = same; *v; v++) {
    g_autofree char *got = read_back(*v);
    ck_assert_msg(got != NULL && strcmp(got, *v) == 0, "%s", *v);
  }
}
END_TEST

START_TEST(test_not_utf8) {
  g_autofree char *lone = read_back(
      "a\xff"
      "b");
  g_autofree char *overlong = read_back("\xc0\xaf");
  g_autofree char *surrogate = read_back("\xed\xa0\x80");
  g_autofree char *cut = read_back("x\xe2\x9c");

  ck_assert_str_eq(lone,
                   "a\xef\xbf\xbd"
                   "b");
  ck_assert_str_eq(overlong, "\xef\xbf\xbd\xef\xbf\xbd");
  ck_assert_str_eq(surrogate, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  ck_assert_str_eq(cut, "x\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

START_TEST(test_command_name) {
  static const char *const cases[][2] = {{"/usr/bin/node", "node"},
                                         {"./sync.sh", "sync.sh"},
                                         {"curl", "curl"},
                                         {"dir/", "dir"},
                                         {"/", "/"},
                                         {"", "."},
                                         {"a//b//", "b"}};
  char out[64];

  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *glib = g_path_get_basename(cases[i][0]);

    hs_command_name(cases[i][0], out, sizeof out);
    ck_assert_str_eq(out, cases[i][1]);
    ck_assert_str_eq(out, glib); /* as the logs' readers always had it */
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("json-line");
  TCase *tc = tcase_create("json-line");

  tcase_add_test(tc, test_members_in_order);
  tcase_add_test(tc, test_escaped);
  tcase_add_test(tc, test_not_utf8);
  tcase_add_test(tc, test_command_name);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
