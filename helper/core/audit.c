/* SPDX-License-Identifier: MIT */
/* audit.c — the local audit trail. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "core/audit.h"
#include "core/fd.h"
#include "core/journal.h"
#include "core/safe-dir.h"

char *hs_audit_path(void) {
  return g_build_filename(g_get_user_state_dir(), "hs-exec", "audit.jsonl",
                          NULL);
}

static void add(JsonBuilder *b, const char *name, const char *value) {
  if (value == NULL) return;
  json_builder_set_member_name(b, name);
  json_builder_add_string_value(b, value);
}

static char *make_line(const char *event, const char *profile, const char *kind,
                       const char *outcome, const char *command) {
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) gen = json_generator_new();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *time = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *base = command ? g_path_get_basename(command) : NULL;

  json_builder_begin_object(b);
  add(b, "time", time);
  json_builder_set_member_name(b, "uid");
  json_builder_add_int_value(b, getuid());
  add(b, "event", event);
  add(b, "profile", profile);
  add(b, "kind", kind);
  add(b, "outcome", outcome);
  add(b, "command", base);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  return json_generator_to_data(gen, NULL);
}

/* Open the log for appending: our directory 0700, the file 0600 and ours,
 * never through a link another user planted (core/safe-dir.h). */
static int open_log(GError **error) {
  g_autofree char *path = hs_audit_path();
  g_autofree char *dir = g_path_get_dirname(path);
  hs_autofd dirfd = -1;
  hs_autofd fd = -1;
  struct stat st;

  dirfd = hs_safe_dir_open(dir, TRUE, error);
  if (dirfd < 0) return -1;
  fd = hs_safe_dir_open_file(dirfd, "audit.jsonl",
                             O_WRONLY | O_APPEND | O_CREAT, error);
  if (fd < 0) return -1;
  if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) (void)fchmod(fd, 0600);
  return hs_fd_steal(&fd);
}

void hs_audit(const char *event, const char *profile, const char *kind,
              const char *outcome, const char *command) {
  static gboolean warned = FALSE;
  g_autofree char *line = make_line(event, profile, kind, outcome, command);
  g_autofree char *with_nl = g_strconcat(line, "\n", NULL);
  size_t len = strlen(with_nl);
  g_autoptr(GError) error = NULL;
  const char *why = NULL;
  hs_autofd fd = open_log(&error);

  /* One write() of one whole line: O_APPEND keeps concurrent writers'
   * lines whole. */
  if (fd >= 0) {
    ssize_t n = write(fd, with_nl, len);
    if (n != (ssize_t)len) why = n < 0 ? g_strerror(errno) : "short write";
  }
  if (error != NULL) why = error->message;
  if (why != NULL && !warned) {
    g_autofree char *path = hs_audit_path();
    /* Both mains set the program name, so the warning says who wrote. */
    fprintf(stderr, "%s: warning: cannot write the audit log %s: %s\n",
            g_get_prgname() ? g_get_prgname() : "hs-exec", path, why);
    warned = TRUE;
  }
  {
    /* Structured fields, so `journalctl HS_EXEC_EVENT=rotate` finds them. */
    g_autofree char *f_message =
        g_strconcat("MESSAGE=hs-exec audit: ", line, NULL);
    g_autofree char *f_priority = g_strdup_printf("PRIORITY=%d", LOG_INFO);
    g_autofree char *f_facility =
        g_strdup_printf("SYSLOG_FACILITY=%d", LOG_AUTHPRIV >> 3);
    g_autofree char *f_event = g_strconcat("HS_EXEC_EVENT=", event, NULL);
    g_autofree char *f_profile =
        g_strconcat("HS_EXEC_PROFILE=", profile ? profile : "", NULL);
    g_autofree char *f_kind =
        g_strconcat("HS_EXEC_KIND=", kind ? kind : "", NULL);
    g_autofree char *f_outcome =
        g_strconcat("HS_EXEC_OUTCOME=", outcome ? outcome : "", NULL);
    const char *fields[] = {
        f_message, f_priority, f_facility, "SYSLOG_IDENTIFIER=hs-exec",
        f_event,   f_profile,  f_kind,     f_outcome,
        NULL};

    if (hs_journal_send(NULL, fields)) return;
  }
  syslog(LOG_AUTHPRIV | LOG_INFO, "%s", line);
}

void hs_audit_journal(int priority, const char *message) {
  g_autofree char *f_message = g_strconcat("MESSAGE=", message, NULL);
  g_autofree char *f_priority = g_strdup_printf("PRIORITY=%d", priority);
  const char *fields[] = {f_message, f_priority, "SYSLOG_IDENTIFIER=hs-token",
                          NULL};

  if (hs_journal_send(NULL, fields)) return;
  syslog(LOG_USER | priority, "%s", message);
}
