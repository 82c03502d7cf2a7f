/* SPDX-License-Identifier: MIT */
/* check-safe-dir.c — the state directory walked without trusting links:
 * missing directories made 0700, our own links followed, a link or a
 * directory of another user refused with a message naming it, and the
 * audit and usage logs never created through a link planted in
 * $XDG_STATE_HOME (the case of root running with a user's HOME). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-common.h"
#include "base/audit.h"
#include "base/fd.h"
#include "base/safe-dir.h"
#include "base/usage-log.h"
#include "core/usage.h"

/* Who owns the "other user's" files; the tests that plant them need root. */
#define OTHER_UID 65534

static char *top;       /* the test's scratch directory */
static char *state_dir; /* XDG_STATE_HOME, under top */

static char *in_top(const char *name) {
  return g_build_filename(top, name, NULL);
}

static gboolean is_empty_dir(const char *path) {
  g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
  return dir != NULL && g_dir_read_name(dir) == NULL;
}

START_TEST(test_makes_missing_dirs_0700) {
  g_autofree char *path = g_build_filename(top, "a", "b", "c", NULL);
  HsSafeDirError error = {0};
  hs_autofd fd = hs_safe_dir_open(path, true, &error);
  struct stat st;

  ck_assert_msg(fd >= 0, "%s", error.message);
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert(S_ISDIR(st.st_mode));
  ck_assert_uint_eq(st.st_mode & 0777, 0700);
  /* The descriptor is that directory, close-on-exec. */
  ck_assert_int_eq(mkdirat(fd, "d", 0700), 0);
  ck_assert(g_file_test(path, G_FILE_TEST_IS_DIR));
  ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
}
END_TEST

START_TEST(test_missing_without_create) {
  g_autofree char *path = g_build_filename(top, "nothing", "here", NULL);
  HsSafeDirError error = {0};

  ck_assert_int_eq(hs_safe_dir_open(path, false, &error), -1);
  ck_assert_ptr_nonnull(strstr(error.message, "\"nothing\""));
  ck_assert_str_ne(error.message, "");
  ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST(test_relative_path_refused) {
  HsSafeDirError error = {0};

  ck_assert_int_eq(hs_safe_dir_open("state/hs-exec", true, &error), -1);
  ck_assert_str_ne(error.message, "");
}
END_TEST

START_TEST(test_own_links_followed) {
  g_autofree char *real = in_top("real");
  g_autofree char *link = in_top("link");
  g_autofree char *rel = in_top("rel");
  g_autofree char *via = g_build_filename(link, "sub", NULL);
  g_autofree char *via_rel = g_build_filename(rel, "sub2", NULL);
  HsSafeDirError error = {0};
  hs_autofd fd = -1, fd2 = -1;

  ck_assert_int_eq(mkdir(real, 0700), 0);
  ck_assert_int_eq(symlink(real, link), 0);
  ck_assert_int_eq(symlink("./real/../real", rel), 0);
  fd = hs_safe_dir_open(via, true, &error);
  ck_assert_msg(fd >= 0, "%s", error.message);
  fd2 = hs_safe_dir_open(via_rel, true, &error);
  ck_assert_msg(fd2 >= 0, "%s", error.message);
  ck_assert(g_file_test(real, G_FILE_TEST_IS_DIR));
  g_free(real);
  real = g_build_filename(top, "real", "sub2", NULL);
  ck_assert(g_file_test(real, G_FILE_TEST_IS_DIR));
}
END_TEST

START_TEST(test_link_loop_refused) {
  g_autofree char *a = in_top("loop-a");
  g_autofree char *b = in_top("loop-b");
  g_autofree char *path = g_build_filename(a, "x", NULL);
  HsSafeDirError error = {0};

  ck_assert_int_eq(symlink(b, a), 0);
  ck_assert_int_eq(symlink(a, b), 0);
  ck_assert_int_eq(hs_safe_dir_open(path, true, &error), -1);
  ck_assert_str_ne(error.message, "");
}
END_TEST

START_TEST(test_file_link_refused) {
  g_autofree char *target = in_top("target-file");
  g_autofree char *link = in_top("file-link");
  HsSafeDirError error = {0};
  hs_autofd dirfd = hs_safe_dir_open(top, false, &error);
  struct stat st;

  ck_assert_int_ge(dirfd, 0);
  ck_assert(g_file_set_contents(target, "", 0, NULL));
  ck_assert_int_eq(symlink(target, link), 0);
  ck_assert_int_eq(hs_safe_dir_open_file(dirfd, "file-link",
                                         O_WRONLY | O_APPEND | O_CREAT, &error),
                   -1);
  ck_assert_ptr_nonnull(strstr(error.message, "symbolic link"));
  ck_assert_str_ne(error.message, "");
  ck_assert_int_eq(stat(target, &st), 0);
  ck_assert_int_eq(st.st_size, 0);
  /* A missing file without O_CREAT is "nothing yet", not trouble. */
  ck_assert_int_eq(hs_safe_dir_open_file(dirfd, "absent", O_RDONLY, &error),
                   -1);
  ck_assert_int_eq(error.err, ENOENT);
}
END_TEST

/* Root runs with a user's HOME; the user has made the state directory a
 * link to a directory of root's choosing. */
START_TEST(test_planted_link_in_state_dir) {
  g_autofree char *target = in_top("victim");
  g_autofree char *planted = g_build_filename(state_dir, "hs-exec", NULL);
  g_autofree char *err_path = in_top("stderr");
  g_autofree char *err_text = NULL;
  HsSafeDirError error = {0};
  g_autoptr(GHashTable) usage = NULL;
  hs_autofd saved = dup(STDERR_FILENO);
  hs_autofd err_fd = open(err_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

  ck_assert_int_eq(mkdir(target, 0755), 0);
  /* The state directory is ours here, so the link's owner is what is
   * refused (a directory of the user's is: test_other_users_dir_refused). */
  ck_assert_int_eq(mkdir(state_dir, 0755), 0);
  ck_assert_int_eq(symlink(target, planted), 0);
  ck_assert_int_eq(lchown(planted, OTHER_UID, OTHER_UID), 0);

  ck_assert_int_ge(err_fd, 0);
  ck_assert_int_ge(dup2(err_fd, STDERR_FILENO), 0);
  hs_audit("exec", "prod", "private-app", "ok", "true");
  hs_usage_log_append("prod", "true", 1760000000);
  usage = hs_usage_load(1760000000);
  ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);

  ck_assert_msg(is_empty_dir(target), "a log was created through the link");
  ck_assert_uint_eq(g_hash_table_size(usage), 0);
  ck_assert(g_file_get_contents(err_path, &err_text, NULL, NULL));
  ck_assert_msg(strstr(err_text, "warning: cannot write the audit log") &&
                    strstr(err_text, "another user"),
                "stderr: %s", err_text);
  ck_assert_int_eq(hs_safe_dir_open(planted, true, &error), -1);
  ck_assert_ptr_nonnull(strstr(error.message, "\"hs-exec\""));
  ck_assert_str_ne(error.message, "");
}
END_TEST

START_TEST(test_other_users_dir_refused) {
  g_autofree char *theirs = in_top("theirs");
  g_autofree char *path = g_build_filename(theirs, "hs-exec", NULL);
  HsSafeDirError error = {0};

  ck_assert_int_eq(mkdir(theirs, 0777), 0);
  ck_assert_int_eq(chown(theirs, OTHER_UID, OTHER_UID), 0);
  ck_assert_int_eq(hs_safe_dir_open(path, true, &error), -1);
  ck_assert_ptr_nonnull(strstr(error.message, "\"theirs\""));
  ck_assert_str_ne(error.message, "");
  ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
}
END_TEST

/* Each test starts with an empty scratch directory. */
static void setup(void) {
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'/*", top);

  if (system(cmd) != 0) ck_abort_msg("cannot empty %s", top);
  g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

int main(void) {
  Suite *s = suite_create("safe-dir");
  TCase *tc = tcase_create("safe-dir");
  g_autofree char *cmd = NULL;
  g_autofree char *real = NULL;
  int status;

  real = g_dir_make_tmp("check-safe-dir-XXXXXX", NULL);
  if (real == NULL) return EXIT_FAILURE;
  /* The walk checks owners from "/": resolve the temporary directory's
   * own links (a TMPDIR under a link) once. */
  top = realpath(real, NULL);
  if (top == NULL) return EXIT_FAILURE;
  state_dir = g_build_filename(top, "state", NULL);
  /* GLib reads XDG_STATE_HOME once: every test uses this one. */
  g_setenv("XDG_STATE_HOME", state_dir, TRUE);
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, test_makes_missing_dirs_0700);
  tcase_add_test(tc, test_missing_without_create);
  tcase_add_test(tc, test_relative_path_refused);
  tcase_add_test(tc, test_own_links_followed);
  tcase_add_test(tc, test_link_loop_refused);
  tcase_add_test(tc, test_file_link_refused);
  /* Files of another user can only be made by root. */
  if (geteuid() == 0) {
    tcase_add_test(tc, test_planted_link_in_state_dir);
    tcase_add_test(tc, test_other_users_dir_refused);
  } else {
    fprintf(stderr, "note: not root: the planted-link tests are skipped\n");
  }
  suite_add_tcase(s, tc);
  status = hs_run_suite(s);
  cmd = g_strdup_printf("rm -rf '%s'", top);
  if (system(cmd) != 0) status = EXIT_FAILURE;
  free(top);
  return status;
}
