/* SPDX-License-Identifier: MIT */
/* check-supervise.c — COMMAND as hs-exec's child: its exit status, 127 when
 * it is not found, 7 (HS_ERR_SYSTEM) when the system refuses a pipe or the
 * fork, and no descriptor left behind on any path. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check-common.h"
#include "core/error.h"
#include "exec/run.h"
#include "exec/supervise.h"

static gboolean fail_fork;

/* This program's fork(), hs_supervise's included: fails on demand, so that
 * the test needs no process limit (which root ignores); else libc's. */
pid_t fork(void) {
  static pid_t (*real_fork)(void);

  if (fail_fork) {
    errno = EAGAIN;
    return -1;
  }
  if (real_fork == NULL) real_fork = (pid_t(*)(void))dlsym(RTLD_NEXT, "fork");
  return real_fork();
}

static gboolean is_open(int fd) {
  return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

static int count_open(void) {
  int n = 0;

  for (int fd = 0; fd < 1024; fd++) n += is_open(fd);
  return n;
}

static const char *const secrets[] = {"not-a-real-token", NULL};

static int supervise(char **argv, GError **error) {
  HsSupervise run = {
      .argv = argv,
      .envp = (char *const *)environ,
      .fd_from = -1,
      .fd_to = -1,
      .mask = secrets, /* every pipe there is */
  };

  return hs_supervise(&run, error);
}

static void setup(void) { hs_supervise_block_signals(); }

START_TEST(test_exit_status) {
  char *argv[] = {"sh", "-c", "exit 3", NULL};
  GError *error = NULL;
  int before = count_open();

  ck_assert_int_eq(supervise(argv, &error), 3);
  ck_assert_ptr_null(error);
  ck_assert_int_eq(count_open(), before);
}
END_TEST

START_TEST(test_not_found) {
  char *argv[] = {"hs-no-such-command", NULL};
  GError *error = NULL;
  int before = count_open();

  ck_assert_int_eq(supervise(argv, &error), HS_EXIT_NOT_FOUND);
  hs_assert_error(error, HS_ERR_USAGE);
  ck_assert_int_eq(count_open(), before);
}
END_TEST

START_TEST(test_fork_fails) {
  char *argv[] = {"true", NULL};
  GError *error = NULL;
  int before = count_open();

  fail_fork = TRUE;
  ck_assert_int_eq(supervise(argv, &error), HS_ERR_SYSTEM);
  fail_fork = FALSE;
  ck_assert_ptr_nonnull(error);
  ck_assert_ptr_nonnull(strstr(error->message, "cannot start true"));
  ck_assert_int_eq(hs_error_exit_code(error), 7);
  hs_assert_error(error, HS_ERR_SYSTEM);
  /* The signalfd and the three pipes are closed again. */
  ck_assert_int_eq(count_open(), before);
}
END_TEST

START_TEST(test_pipe_fails) {
  char *argv[] = {"true", NULL};
  GError *error = NULL;
  struct rlimit saved, tight;
  int before = count_open(), limit = 0;

  /* Room for the signalfd and the status pipe, none for COMMAND's stdout
   * pipe: descriptors are numbered from the lowest free one. */
  for (int free_slots = 0; free_slots < 3; limit++)
    free_slots += !is_open(limit);
  ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &saved), 0);
  tight = saved;
  tight.rlim_cur = (rlim_t)limit;
  ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &tight), 0);
  ck_assert_int_eq(supervise(argv, &error), HS_ERR_SYSTEM);
  ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &saved), 0);
  ck_assert_ptr_nonnull(error);
  ck_assert_ptr_nonnull(
      strstr(error->message, "cannot set up COMMAND's pipes"));
  ck_assert_int_eq(hs_error_exit_code(error), 7);
  hs_assert_error(error, HS_ERR_SYSTEM);
  ck_assert_int_eq(count_open(), before);
}
END_TEST

int main(void) {
  Suite *s = suite_create("supervise");
  TCase *tc = tcase_create("supervise");

  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, test_exit_status);
  tcase_add_test(tc, test_not_found);
  tcase_add_test(tc, test_fork_fails);
  tcase_add_test(tc, test_pipe_fails);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
