/* check-loader.c — the plugin loader refuses what it must (DESIGN.md §6):
 * another ABI major, a missing symbol, a short table, a missing function,
 * a missing, symlinked, group- or world-writable file. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-common.h"
#include "core/error.h"
#include "core/plugin.h"

static char *plugin_dir;

/* Copy test plugin `name` from the build tree into the private plugin
 * directory with `mode`. */
static void install_plugin(const char *name, const char *as, mode_t mode) {
  g_autofree char *src_file = g_strconcat(name, ".so", NULL);
  g_autofree char *dst_file = g_strconcat(as, ".so", NULL);
  g_autofree char *src =
      g_build_filename(getenv("TEST_PLUGIN_DIR"), src_file, NULL);
  g_autofree char *dst = g_build_filename(plugin_dir, dst_file, NULL);
  g_autofree char *data = NULL;
  gsize len;

  ck_assert_msg(g_file_get_contents(src, &data, &len, NULL), "no %s", src);
  ck_assert(g_file_set_contents(dst, data, (gssize)len, NULL));
  ck_assert_int_eq(chmod(dst, mode), 0);
}

static void setup(void) {
  ck_assert_ptr_nonnull(getenv("TEST_PLUGIN_DIR"));
  plugin_dir = g_dir_make_tmp("hs-loader-XXXXXX", NULL);
  ck_assert_ptr_nonnull(plugin_dir);
  setenv("HS_EXEC_PLUGIN_DIR", plugin_dir, 1);
}

static void teardown(void) {
  g_autoptr(GDir) dir = g_dir_open(plugin_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name(dir)) != NULL) {
    g_autofree char *path = g_build_filename(plugin_dir, name, NULL);
    g_unlink(path);
  }
  g_rmdir(plugin_dir);
  g_free(plugin_dir);
}

/* Load `name` and expect refusal with `code` and `words` in the message. */
static void expect_refused(const char *name, int code, const char *words) {
  GError *error = NULL;
  HsPlugin *plugin = hs_plugin_load(name, &error);

  ck_assert_msg(plugin == NULL, "%s was loaded", name);
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(strstr(error->message, words) != NULL,
                "message '%s' lacks '%s'", error->message, words);
  hs_assert_error(error, code);
}

START_TEST(test_good) {
  GError *error = NULL;
  HsPlugin *plugin;

  install_plugin("good", "good", 0755);
  plugin = hs_plugin_load("good", &error);
  ck_assert_msg(plugin != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(plugin->vt.name, "test");
  ck_assert(hs_plugin_open(plugin, &error));
  hs_plugin_free(plugin);
}
END_TEST

START_TEST(test_newer_minor_accepted) {
  GError *error = NULL;
  HsPlugin *plugin;

  install_plugin("newer-minor", "newer", 0755);
  plugin = hs_plugin_load("newer", &error);
  ck_assert_msg(plugin != NULL, "%s", error ? error->message : "");
  ck_assert_ptr_nonnull(plugin->vt.list);
  hs_plugin_free(plugin);
}
END_TEST

START_TEST(test_wrong_major) {
  install_plugin("wrong-major", "major", 0755);
  expect_refused("major", HS_ERR_UNAVAILABLE, "ABI 2.0");
}
END_TEST

START_TEST(test_no_symbol) {
  install_plugin("no-symbol", "nosym", 0755);
  expect_refused("nosym", HS_ERR_UNAVAILABLE, "does not export hs_plugin_v1");
}
END_TEST

START_TEST(test_short_struct) {
  install_plugin("short-struct", "short", 0755);
  expect_refused("short", HS_ERR_UNAVAILABLE, "shorter than ABI 1.0");
}
END_TEST

START_TEST(test_null_function) {
  install_plugin("null-function", "nullfn", 0755);
  expect_refused("nullfn", HS_ERR_UNAVAILABLE, "lacks one of");
}
END_TEST

START_TEST(test_missing_file) {
  expect_refused("absent", HS_ERR_CONFIG, "does not exist");
}
END_TEST

START_TEST(test_world_writable) {
  install_plugin("good", "loose", 0757);
  expect_refused("loose", HS_ERR_UNAVAILABLE, "writable by group or others");
}
END_TEST

START_TEST(test_group_writable) {
  install_plugin("good", "loose", 0775);
  expect_refused("loose", HS_ERR_UNAVAILABLE, "writable by group or others");
}
END_TEST

START_TEST(test_symlink) {
  g_autofree char *target = g_build_filename(plugin_dir, "good.so", NULL);
  g_autofree char *link = g_build_filename(plugin_dir, "linked.so", NULL);

  install_plugin("good", "good", 0755);
  ck_assert_int_eq(symlink(target, link), 0);
  expect_refused("linked", HS_ERR_UNAVAILABLE, "symbolic link");
}
END_TEST

START_TEST(test_not_a_plugin) {
  g_autofree char *path = g_build_filename(plugin_dir, "junk.so", NULL);

  ck_assert(g_file_set_contents(path, "not an ELF file", -1, NULL));
  ck_assert_int_eq(chmod(path, 0644), 0);
  expect_refused("junk", HS_ERR_UNAVAILABLE, "cannot be loaded");
}
END_TEST

START_TEST(test_name_with_slash) {
  expect_refused("../good", HS_ERR_CONFIG, "is not a store name");
}
END_TEST

START_TEST(test_absolute_path) {
  GError *error = NULL;
  g_autofree char *path = g_build_filename(plugin_dir, "good.so", NULL);
  HsPlugin *plugin;

  install_plugin("good", "good", 0755);
  plugin = hs_plugin_load(path, &error);
  ck_assert_msg(plugin != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(plugin->path, path);
  hs_plugin_free(plugin);
}
END_TEST

/* Two plugins loaded one after the other in one process are two plugins,
 * even though each was opened through a /proc/self/fd path. */
START_TEST(test_two_plugins_stay_distinct) {
  GError *error = NULL;
  HsPlugin *a, *b;

  install_plugin("good", "first", 0755);
  install_plugin("newer-minor", "second", 0755);
  a = hs_plugin_load("first", &error);
  ck_assert_msg(a != NULL, "%s", error ? error->message : "");
  b = hs_plugin_load("second", &error);
  ck_assert_msg(b != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq(a->vt.abi_version, HS_PLUGIN_ABI_VERSION);
  ck_assert_uint_eq(b->vt.abi_version, HS_PLUGIN_ABI_VERSION + 1);
  hs_plugin_free(a);
  hs_plugin_free(b);
}
END_TEST

int main(void) {
  Suite *s = suite_create("plugin");
  TCase *tc = tcase_create("load");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_good);
  tcase_add_test(tc, test_newer_minor_accepted);
  tcase_add_test(tc, test_wrong_major);
  tcase_add_test(tc, test_no_symbol);
  tcase_add_test(tc, test_short_struct);
  tcase_add_test(tc, test_null_function);
  tcase_add_test(tc, test_missing_file);
  tcase_add_test(tc, test_world_writable);
  tcase_add_test(tc, test_group_writable);
  tcase_add_test(tc, test_symlink);
  tcase_add_test(tc, test_not_a_plugin);
  tcase_add_test(tc, test_name_with_slash);
  tcase_add_test(tc, test_absolute_path);
  tcase_add_test(tc, test_two_plugins_stay_distinct);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
