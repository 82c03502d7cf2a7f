/* SPDX-License-Identifier: MIT */
/* check-journal.c — the journal's native protocol: plain fields as
 * NAME=value lines, a value with a newline in the binary form, and one
 * datagram to the socket (none there: FALSE, so the caller uses syslog). */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check-common.h"
#include "base/journal.h"

START_TEST(test_plain_fields) {
  const char *fields[] = {"MESSAGE=hello", "PRIORITY=6", "HS_EXEC_KIND=", NULL};
  size_t len = 0;
  g_autofree char *data = hs_journal_encode(fields, &len);
  const char *want = "MESSAGE=hello\nPRIORITY=6\nHS_EXEC_KIND=\n";

  ck_assert_uint_eq(len, strlen(want));
  ck_assert(memcmp(data, want, len) == 0);
}
END_TEST

START_TEST(test_value_with_newline) {
  const char *fields[] = {"MESSAGE=a\nb", NULL};
  size_t len = 0;
  g_autofree char *data = hs_journal_encode(fields, &len);
  static const char want[] = "MESSAGE\n\x03\0\0\0\0\0\0\0a\nb\n";

  ck_assert_uint_eq(len, sizeof want - 1);
  ck_assert(memcmp(data, want, len) == 0);
}
END_TEST

START_TEST(test_send_one_datagram) {
  g_autofree char *dir = g_dir_make_tmp("check-journal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "socket", NULL);
  const char *fields[] = {"MESSAGE=hs-exec audit: {}", "PRIORITY=6", NULL};
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  char buf[256];
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ssize_t n;

  ck_assert_int_ge(fd, 0);
  g_strlcpy(addr.sun_path, path, sizeof addr.sun_path);
  ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  ck_assert(hs_journal_send(path, fields));
  n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  ck_assert_int_eq(n,
                   (ssize_t)strlen("MESSAGE=hs-exec audit: {}\nPRIORITY=6\n"));
  ck_assert(memcmp(buf, "MESSAGE=hs-exec audit: {}\nPRIORITY=6\n", (size_t)n) ==
            0);
  close(fd);
  unlink(path);
  /* No journal listening: the caller is told, to log elsewhere. */
  ck_assert(!hs_journal_send(path, fields));
  rmdir(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("journal");
  TCase *tc = tcase_create("journal");

  tcase_add_test(tc, test_plain_fields);
  tcase_add_test(tc, test_value_with_newline);
  tcase_add_test(tc, test_send_one_datagram);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
