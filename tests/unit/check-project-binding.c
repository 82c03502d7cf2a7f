/* SPDX-License-Identifier: MIT */
/* check-project-binding.c — reading the HubSpot CLI's .hs/settings.json and
 * .hsaccount, and finding them from a directory up. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "check-common.h"
#include "core/error.h"
#include "core/project-binding.h"

static char *settings(const char *text, char **ret_all, GError **error) {
  char *hub = NULL;

  if (!hs_binding_parse_settings(text, strlen(text), &hub, ret_all, error))
    ck_assert_ptr_null(hub);
  return hub;
}

START_TEST(test_settings) {
  GError *error = NULL;
  g_autofree char *all = NULL;
  char *hub;

  /* As writeHsSettingsFile() writes it (JSON.stringify(…, null, 2)). */
  hub = settings(
      "{\n  \"accounts\": [\n    111,\n    222\n  ],\n"
      "  \"localDefaultAccount\": 222\n}",
      &all, &error);
  ck_assert_str_eq(hub, "222");
  ck_assert_str_eq(all, "111, 222");
  g_free(hub);
  hub = settings("{\"accounts\": [333]}", NULL, &error);
  ck_assert_str_eq(hub, "333");
  g_free(hub);
  ck_assert_ptr_null(settings("{\"accounts\": [1, 2]}", NULL, &error));
  ck_assert_ptr_null(error);
  ck_assert_ptr_null(settings("{\"accounts\": []}", NULL, &error));
  ck_assert_ptr_null(settings("{}", NULL, &error));
  ck_assert_ptr_null(error);
  ck_assert_ptr_null(settings("[111]", NULL, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
  ck_assert_ptr_null(settings("{not json", NULL, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
}
END_TEST

START_TEST(test_hsaccount) {
  GError *error = NULL;
  char *hub;

  hub = hs_binding_parse_hsaccount("  12345\n", 8, &error);
  ck_assert_str_eq(hub, "12345");
  g_free(hub);
  hub = hs_binding_parse_hsaccount("987abc", 6, &error); /* parseInt */
  ck_assert_str_eq(hub, "987");
  g_free(hub);
  ck_assert_ptr_null(hs_binding_parse_hsaccount("abc", 3, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
  ck_assert_ptr_null(hs_binding_parse_hsaccount("", 0, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
  ck_assert_ptr_null(hs_binding_parse_hsaccount("-5", 2, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
}
END_TEST

static void write_file(const char *dir, const char *name, const char *text) {
  g_autofree char *path = g_build_filename(dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname(path);

  ck_assert_int_eq(g_mkdir_with_parents(parent, 0700), 0);
  ck_assert(g_file_set_contents(path, text, -1, NULL));
}

START_TEST(test_find) {
  g_autofree char *root = g_dir_make_tmp("binding-XXXXXX", NULL);
  g_autofree char *deep = g_build_filename(root, "a", "b", NULL);
  g_autofree char *a = g_build_filename(root, "a", NULL);
  GError *error = NULL;
  HsBinding *b;

  ck_assert_int_eq(g_mkdir_with_parents(deep, 0700), 0);
  write_file(root, ".hs/settings.json", "{\"accounts\": [1, 2]}");
  write_file(a, ".hsaccount", "2");
  b = hs_binding_find(deep, &error);
  ck_assert_ptr_nonnull(b);
  ck_assert_str_eq(b->hub_id, "2");
  ck_assert(g_str_has_suffix(b->path, "/a/.hsaccount"));
  hs_binding_free(b);
  write_file(root, ".hs/settings.json",
             "{\"accounts\": [1, 2], \"localDefaultAccount\": 1}");
  b = hs_binding_find(deep, &error);
  ck_assert_str_eq(b->hub_id, "1");
  ck_assert(g_str_has_suffix(b->path, "/.hs/settings.json"));
  hs_binding_free(b);
  write_file(root, ".hs/settings.json", "garbage");
  ck_assert_ptr_null(hs_binding_find(deep, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
}
END_TEST

int main(void) {
  Suite *s = suite_create("project-binding");
  TCase *tc = tcase_create("project-binding");

  tcase_add_test(tc, test_settings);
  tcase_add_test(tc, test_hsaccount);
  tcase_add_test(tc, test_find);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
