/* SPDX-License-Identifier: MIT */
/* check-fd.c — descriptors closed on every path: hs_autofd and hs_autopipe
 * close at the end of their scope, hs_fd_steal hands a descriptor over,
 * and hs_fd_close keeps errno. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "check-common.h"
#include "base/fd.h"

static gboolean is_open(int fd) {
  return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

START_TEST(test_close) {
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), kept;

  ck_assert_int_ge(fd, 0);
  kept = fd;
  errno = ENOSPC;
  hs_fd_close(&fd);
  ck_assert_int_eq(fd, -1);
  ck_assert_int_eq(errno, ENOSPC);
  ck_assert(!is_open(kept));
  /* Again, and on "none": nothing happens. */
  errno = ENOSPC;
  hs_fd_close(&fd);
  ck_assert_int_eq(fd, -1);
  ck_assert_int_eq(errno, ENOSPC);
}
END_TEST

START_TEST(test_autofd_closes_at_scope_end) {
  int seen;

  {
    hs_autofd fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    seen = fd;
    ck_assert(is_open(seen));
  }
  ck_assert(!is_open(seen));
  {
    hs_autofd none = -1;
    (void)none;
  }
}
END_TEST

START_TEST(test_steal_keeps_it_open) {
  int kept;

  {
    hs_autofd fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    kept = hs_fd_steal(&fd);
    ck_assert_int_eq(fd, -1);
  }
  ck_assert(is_open(kept));
  close(kept);
}
END_TEST

START_TEST(test_autopipe_closes_both_ends) {
  int ends[2];

  {
    hs_autopipe p[2] = {-1, -1};
    ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
    ends[0] = p[0];
    ends[1] = p[1];
  }
  ck_assert(!is_open(ends[0]));
  ck_assert(!is_open(ends[1]));
  {
    /* One end handed over, the other closed. */
    hs_autopipe p[2] = {-1, -1};
    ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
    ends[0] = hs_fd_steal(&p[0]);
    ends[1] = p[1];
  }
  ck_assert(is_open(ends[0]));
  ck_assert(!is_open(ends[1]));
  close(ends[0]);
}
END_TEST

int main(void) {
  Suite *s = suite_create("fd");
  TCase *tc = tcase_create("fd");

  tcase_add_test(tc, test_close);
  tcase_add_test(tc, test_autofd_closes_at_scope_end);
  tcase_add_test(tc, test_steal_keeps_it_open);
  tcase_add_test(tc, test_autopipe_closes_both_ends);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
