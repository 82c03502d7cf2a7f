/* SPDX-License-Identifier: MIT */
/* audit.c — the local audit trail. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "base/audit.h"
#include "base/command.h"
#include "base/fd.h"
#include "base/journal.h"
#include "base/json-line.h"
#include "base/process.h"
#include "base/safe-dir.h"
#include "base/state-dir.h"

#define LOG_NAME "audit.jsonl"

char *hs_audit_path(void) { return hs_state_dir_path(LOG_NAME); }

/* The event as one JSON object (transfer full), or NULL. */
static char *make_line(const char *event, const char *profile, const char *kind,
                       const char *outcome, const char *command) {
  HsJsonLine line;
  time_t now = time(NULL);
  struct tm tm;
  char when[64] = "";
  char name[256];

  if (gmtime_r(&now, &tm) != NULL)
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  hs_json_line_begin(&line);
  hs_json_line_add_string(&line, "time", when);
  hs_json_line_add_int(&line, "uid", getuid());
  hs_json_line_add_string(&line, "event", event);
  hs_json_line_add_string(&line, "profile", profile);
  hs_json_line_add_string(&line, "kind", kind);
  hs_json_line_add_string(&line, "outcome", outcome);
  if (command != NULL) {
    hs_command_name(command, name, sizeof name);
    hs_json_line_add_string(&line, "command", name);
  }
  return hs_json_line_end(&line, false);
}

/* Open the log for appending: our directory 0700, the file 0600 and ours,
 * never through a link another user planted (base/safe-dir.h). */
static int open_log(HsSafeDirError *error) {
  hs_autofd dirfd = -1;
  hs_autofd fd = -1;
  struct stat st;

  dirfd = hs_state_dir_open(true, error);
  if (dirfd < 0) return -1;
  fd = hs_safe_dir_open_file(dirfd, LOG_NAME, O_WRONLY | O_APPEND | O_CREAT,
                             error);
  if (fd < 0) return -1;
  if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) (void)fchmod(fd, 0600);
  return hs_fd_steal(&fd);
}

/* Write `line` and a newline to the log; false with why in `error`. */
static bool write_log(const char *line, HsSafeDirError *error) {
  size_t len = strlen(line);
  char *with_nl = malloc(len + 2);
  hs_autofd fd = -1;
  ssize_t n;

  if (with_nl == NULL) {
    snprintf(error->message, sizeof error->message, "out of memory");
    return false;
  }
  memcpy(with_nl, line, len);
  memcpy(with_nl + len, "\n", 2);
  fd = open_log(error);
  /* One write() of one whole line: O_APPEND keeps concurrent writers'
   * lines whole. */
  n = fd < 0 ? -1 : write(fd, with_nl, len + 1);
  free(with_nl);
  if (fd >= 0 && n != (ssize_t)len + 1)
    snprintf(error->message, sizeof error->message, "%s",
             n < 0 ? strerror(errno) : "short write");
  return n == (ssize_t)len + 1;
}

/* "NAME=value" (transfer full), or NULL. */
static char *field(const char *name, const char *value) {
  char *f = NULL;
  return asprintf(&f, "%s=%s", name, value ? value : "") < 0 ? NULL : f;
}

void hs_audit(const char *event, const char *profile, const char *kind,
              const char *outcome, const char *command) {
  static bool warned = false;
  char *line = make_line(event, profile, kind, outcome, command);
  HsSafeDirError error = {0};
  char *message = NULL, *f_event, *f_profile, *f_kind, *f_outcome;
  char f_priority[32], f_facility[32];

  if (line == NULL) return;
  if (!write_log(line, &error) && !warned) {
    char *path = hs_audit_path();
    /* Both mains set the program name, so the warning says who wrote. */
    fprintf(stderr, "%s: warning: cannot write the audit log %s: %s\n",
            hs_process_name(), path ? path : LOG_NAME, error.message);
    free(path);
    warned = true;
  }
  /* Structured fields, so `journalctl HS_EXEC_EVENT=rotate` finds them. */
  snprintf(f_priority, sizeof f_priority, "PRIORITY=%d", LOG_INFO);
  snprintf(f_facility, sizeof f_facility, "SYSLOG_FACILITY=%d",
           LOG_AUTHPRIV >> 3);
  if (asprintf(&message, "MESSAGE=hs-exec audit: %s", line) < 0) message = NULL;
  f_event = field("HS_EXEC_EVENT", event);
  f_profile = field("HS_EXEC_PROFILE", profile);
  f_kind = field("HS_EXEC_KIND", kind);
  f_outcome = field("HS_EXEC_OUTCOME", outcome);
  {
    const char *fields[] = {
        message, f_priority, f_facility, "SYSLOG_IDENTIFIER=hs-exec",
        f_event, f_profile,  f_kind,     f_outcome,
        NULL};
    bool all = message && f_event && f_profile && f_kind && f_outcome;

    if (!all || !hs_journal_send(NULL, fields))
      syslog(LOG_AUTHPRIV | LOG_INFO, "%s", line);
  }
  free(message);
  free(f_event);
  free(f_profile);
  free(f_kind);
  free(f_outcome);
  free(line);
}

void hs_audit_journal(int priority, const char *message) {
  char *f_message = field("MESSAGE", message);
  char f_priority[32];
  const char *fields[] = {f_message, f_priority, "SYSLOG_IDENTIFIER=hs-token",
                          NULL};

  snprintf(f_priority, sizeof f_priority, "PRIORITY=%d", priority);
  if (f_message == NULL || !hs_journal_send(NULL, fields))
    syslog(LOG_USER | priority, "%s", message);
  free(f_message);
}
