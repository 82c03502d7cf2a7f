/* SPDX-License-Identifier: MIT */
/* usage.c — the per-profile usage log. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "base/fd.h"
#include "base/state-dir.h"
#include "base/usage-log.h"
#include "core/usage.h"

static void usage_free(gpointer data) {
  HsUsage *u = data;
  g_free(u->last_command);
  g_free(u);
}

/* Our state directory; -1 when it cannot be opened (nothing to read). */
static int open_dir(void) { return hs_state_dir_open(false, NULL); }

/* All of `fd`, from where it stands (transfer full). */
static char *read_all(int fd) {
  GString *all = g_string_new(NULL);
  char buf[8192];
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    g_string_append_len(all, buf, (gsize)n);
  return g_string_free(all, FALSE);
}

typedef struct {
  gint64 time;
  char *profile, *command;
  char *text; /* the line as read */
} Line;

static void line_free(gpointer data) {
  Line *l = data;
  g_free(l->profile);
  g_free(l->command);
  g_free(l->text);
  g_free(l);
}

static Line *parse_line(JsonParser *parser, const char *text) {
  JsonNode *root;
  JsonObject *obj;
  Line *l;

  if (!json_parser_load_from_data(parser, text, -1, NULL) ||
      (root = json_parser_get_root(parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT(root))
    return NULL;
  obj = json_node_get_object(root);
  /* The _with_default getters take a member of the wrong type quietly. */
  l = g_new0(Line, 1);
  l->time = json_object_get_int_member_with_default(obj, "time", 0);
  l->profile = g_strdup(
      json_object_get_string_member_with_default(obj, "profile", NULL));
  l->command = g_strdup(
      json_object_get_string_member_with_default(obj, "command", NULL));
  l->text = g_strdup(text);
  if (l->profile == NULL || l->time <= 0) {
    line_free(l);
    return NULL;
  }
  return l;
}

/* A new file for the trimmed log in `dirfd` (transfer full); its name in
 * *ret_name (transfer full). */
static int make_temp(int dirfd, char **ret_name) {
  for (int tries = 0; tries < 10; tries++) {
    g_autofree char *name =
        g_strdup_printf(".usage.jsonl.%08x", g_random_int());
    int fd = openat(dirfd, name,
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
      *ret_name = g_steal_pointer(&name);
      return fd;
    }
    if (errno != EEXIST) return -1;
  }
  return -1;
}

/* Rewrite the log with the lines `keep` says, under an exclusive lock,
 * from a fresh read (runs may have appended since). */
static void trim(int dirfd, gint64 now, GHashTable *table) {
  g_autofree char *tmp = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_auto(GStrv) lines = NULL;
  /* `fd`, and the lock with it, is held until the new log is in place. */
  hs_autofd fd = -1;
  hs_autofd tfd = -1;

  fd = hs_usage_log_open_locked(dirfd, O_RDONLY, LOCK_EX);
  if (fd < 0) return;
  data = read_all(fd);
  lines = g_strsplit(data, "\n", -1);
  for (char **p = lines; *p; p++) {
    Line *l = **p ? parse_line(parser, *p) : NULL;
    HsUsage *u;
    if (l == NULL) continue;
    u = g_hash_table_lookup(table, l->profile);
    /* Keep the window, anything newer than we knew, each profile's last. */
    if (l->time > now - HS_USAGE_WINDOW || u == NULL || l->time >= u->last_time)
      g_string_append_printf(out, "%s\n", l->text);
    line_free(l);
  }
  tfd = make_temp(dirfd, &tmp);
  if (tfd < 0) return;
  /* Appenders hold the lock shared and check the inode after locking, so
   * none writes to the file that is being replaced. */
  if (write(tfd, out->str, out->len) != (ssize_t)out->len || fsync(tfd) != 0 ||
      renameat(dirfd, tmp, dirfd, HS_USAGE_LOG_NAME) != 0)
    (void)unlinkat(dirfd, tmp, 0);
}

GHashTable *hs_usage_load(gint64 now) {
  GHashTable *table =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, usage_free);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;
  hs_autofd dirfd = open_dir();
  guint stale = 0;

  if (dirfd < 0) return table;
  /* Closed, and so unlocked, before a trim takes the lock exclusively. */
  {
    hs_autofd fd = hs_usage_log_open_locked(dirfd, O_RDONLY, LOCK_SH);
    if (fd < 0) return table;
    data = read_all(fd);
  }
  lines = g_strsplit(data, "\n", -1);
  for (char **p = lines; *p; p++) {
    Line *l = **p ? parse_line(parser, *p) : NULL;
    HsUsage *u;
    if (l == NULL) continue;
    u = g_hash_table_lookup(table, l->profile);
    if (u == NULL) {
      u = g_new0(HsUsage, 1);
      g_hash_table_insert(table, g_strdup(l->profile), u);
    }
    if (l->time > now - HS_USAGE_WINDOW && l->time <= now)
      u->uses_in_window++;
    else if (l->time <= now - HS_USAGE_WINDOW)
      stale++;
    if (l->time >= u->last_time && l->time <= now) {
      u->last_time = l->time;
      g_free(u->last_command);
      u->last_command = g_strdup(l->command);
    }
    line_free(l);
  }
  if (stale >= HS_USAGE_TRIM_AT) trim(dirfd, now, table);
  return table;
}
