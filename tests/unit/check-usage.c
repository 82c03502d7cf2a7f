/* SPDX-License-Identifier: MIT */
/* check-usage.c — the usage log: counts in the 7-day window, the last use
 * and its command name, malformed lines skipped quietly, the trim that
 * keeps each profile's last use, and no write through a symlink. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-common.h"
#include "base/usage-log.h"
#include "core/usage.h"

#define NOW 1760000000

static char *state_dir;

static char *read_log(void) {
  g_autofree char *path = hs_usage_log_path();
  char *text = NULL;

  if (!g_file_get_contents(path, &text, NULL, NULL)) return g_strdup("");
  return text;
}

static void append_raw(const char *text) {
  g_autofree char *path = hs_usage_log_path();
  FILE *f = fopen(path, "ae");

  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

static guint count_lines(const char *text) {
  guint n = 0;
  for (const char *p = text; *p; p++) n += *p == '\n';
  return n;
}

START_TEST(test_counts_and_last_use) {
  g_autoptr(GHashTable) t = NULL;
  g_autofree char *text = NULL;
  HsUsage *u;

  hs_usage_log_append("prod", "/usr/bin/node", NOW - 8 * 86400);
  hs_usage_log_append("prod", "curl", NOW - 3600);
  hs_usage_log_append("prod", "./sync.sh", NOW - 60);
  hs_usage_log_append("other", "true", NOW - 10);
  t = hs_usage_load(NOW);
  u = g_hash_table_lookup(t, "prod");
  ck_assert_ptr_nonnull(u);
  ck_assert_uint_eq(u->uses_in_window, 2);
  ck_assert_int_eq(u->last_time, NOW - 60);
  ck_assert_str_eq(u->last_command, "sync.sh");
  ck_assert_ptr_null(g_hash_table_lookup(t, "never"));
  text = read_log();
  /* The command's name only, never its path. */
  ck_assert_ptr_null(strstr(text, "/usr/bin"));
  ck_assert_uint_eq(count_lines(text), 4);
}
END_TEST

START_TEST(test_malformed_lines_skipped) {
  g_autoptr(GHashTable) t = NULL;
  HsUsage *u;

  append_raw(
      "not json\n{\"time\":\"soon\",\"profile\":\"prod\"}\n"
      "{\"time\":5,\"profile\":7}\n[1,2]\n\n");
  hs_usage_log_append("prod", "true", NOW - 1);
  t = hs_usage_load(NOW);
  ck_assert_uint_eq(g_hash_table_size(t), 1);
  u = g_hash_table_lookup(t, "prod");
  ck_assert_uint_eq(u->uses_in_window, 1);
}
END_TEST

START_TEST(test_trim_keeps_each_last) {
  g_autoptr(GHashTable) t = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = hs_usage_log_path();
  struct stat st;

  for (int i = 0; i < HS_USAGE_TRIM_AT + 10; i++)
    hs_usage_log_append(i % 2 ? "prod" : "gone", "old", NOW - 30 * 86400 + i);
  hs_usage_log_append("prod", "new", NOW - 5);
  t = hs_usage_load(NOW);
  text = read_log();
  /* gone's last, prod's recent one; prod's old lines are gone. */
  ck_assert_uint_eq(count_lines(text), 2);
  ck_assert_ptr_nonnull(strstr(text, "\"gone\""));
  ck_assert_ptr_nonnull(strstr(text, "\"new\""));
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_uint_eq(st.st_mode & 0777, 0600);
  /* The table was made before the trim and still has it all. */
  ck_assert_uint_eq(((HsUsage *)g_hash_table_lookup(t, "prod"))->uses_in_window,
                    1);
}
END_TEST

START_TEST(test_no_write_through_symlink) {
  g_autofree char *path = hs_usage_log_path();
  g_autofree char *target = g_build_filename(state_dir, "target", NULL);
  g_autofree char *text = NULL;

  ck_assert(g_file_set_contents(target, "", 0, NULL));
  ck_assert_int_eq(symlink(target, path), 0);
  hs_usage_log_append("prod", "true", NOW);
  ck_assert(g_file_get_contents(target, &text, NULL, NULL));
  ck_assert_str_eq(text, "");
}
END_TEST

/* One state directory for the run (GLib reads XDG_STATE_HOME once, and
 * under CK_FORK=no the tests share a process); each test starts with no
 * log in it. */
static void setup(void) {
  g_autofree char *path = hs_usage_log_path();
  g_autofree char *target = g_build_filename(state_dir, "target", NULL);

  (void)unlink(path);
  (void)unlink(target);
  g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

int main(void) {
  Suite *s = suite_create("usage");
  TCase *tc = tcase_create("usage");
  g_autofree char *dir = NULL, *cmd = NULL;
  int status;

  state_dir = g_dir_make_tmp("check-usage-XXXXXX", NULL);
  if (state_dir == NULL) return EXIT_FAILURE;
  g_setenv("XDG_STATE_HOME", state_dir, TRUE);
  dir = g_build_filename(state_dir, "hs-exec", NULL);
  if (g_mkdir_with_parents(dir, 0700) != 0) return EXIT_FAILURE;
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, test_counts_and_last_use);
  tcase_add_test(tc, test_malformed_lines_skipped);
  tcase_add_test(tc, test_trim_keeps_each_last);
  tcase_add_test(tc, test_no_write_through_symlink);
  suite_add_tcase(s, tc);
  status = hs_run_suite(s);
  cmd = g_strdup_printf("rm -rf '%s'", state_dir);
  if (system(cmd) != 0) status = EXIT_FAILURE;
  g_free(state_dir);
  return status;
}
