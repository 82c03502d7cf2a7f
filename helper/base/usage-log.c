/* SPDX-License-Identifier: MIT */
/* usage-log.c — one line per run in the usage log. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/command.h"
#include "base/fd.h"
#include "base/json-line.h"
#include "base/safe-dir.h"
#include "base/state-dir.h"
#include "base/usage-log.h"

char *hs_usage_log_path(void) { return hs_state_dir_path(HS_USAGE_LOG_NAME); }

int hs_usage_log_open_locked(int dirfd, int flags, int op) {
  for (int tries = 0; tries < 5; tries++) {
    struct stat st, now;
    hs_autofd fd = hs_safe_dir_open_file(dirfd, HS_USAGE_LOG_NAME, flags, NULL);

    if (fd < 0) return -1;
    if (flock(fd, op) != 0 || fstat(fd, &st) != 0) return -1;
    if (fstatat(dirfd, HS_USAGE_LOG_NAME, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
        now.st_ino == st.st_ino && now.st_dev == st.st_dev)
      return hs_fd_steal(&fd);
  }
  return -1;
}

void hs_usage_log_append(const char *profile, const char *command,
                         int64_t now) {
  HsJsonLine line;
  char name[256];
  char *text;
  hs_autofd dirfd = -1;
  hs_autofd fd = -1;

  hs_command_name(command, name, sizeof name);
  hs_json_line_begin(&line);
  hs_json_line_add_int(&line, "time", now);
  hs_json_line_add_string(&line, "profile", profile);
  hs_json_line_add_string(&line, "command", name);
  text = hs_json_line_end(&line, true);
  if (text == NULL) return;
  dirfd = hs_state_dir_open(true, NULL);
  if (dirfd >= 0)
    fd =
        hs_usage_log_open_locked(dirfd, O_WRONLY | O_APPEND | O_CREAT, LOCK_SH);
  /* One write() of one whole line: concurrent runs never interleave. */
  if (fd >= 0) (void)!write(fd, text, strlen(text));
  free(text);
}
