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

#include "core/fd.h"
#include "core/safe-dir.h"
#include "core/usage.h"

char *hs_usage_path(void) {
  return g_build_filename(g_get_user_state_dir(), "hs-exec", "usage.jsonl",
                          NULL);
}

static void usage_free(gpointer data) {
  HsUsage *u = data;
  g_free(u->last_command);
  g_free(u);
}

#define LOG_NAME "usage.jsonl"

/* Our state directory, walked without following another user's links
 * (core/safe-dir.h); -1 when it cannot be. */
static int open_dir(gboolean create) {
  g_autofree char *path = hs_usage_path();
  g_autofree char *dir = g_path_get_dirname(path);

  return hs_safe_dir_open(dir, create, NULL);
}

/* Open the log in `dirfd`, our own regular file, locked with `op`; and
 * still the file there once locked (a trim renames a new one into place). */
static int open_locked(int dirfd, int flags, int op) {
  for (int tries = 0; tries < 5; tries++) {
    struct stat st, now;
    hs_autofd fd = hs_safe_dir_open_file(dirfd, LOG_NAME, flags, NULL);

    if (fd < 0) return -1;
    if (flock(fd, op) != 0 || fstat(fd, &st) != 0) return -1;
    if (fstatat(dirfd, LOG_NAME, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
        now.st_ino == st.st_ino && now.st_dev == st.st_dev)
      return hs_fd_steal(&fd);
  }
  return -1;
}

/* All of `fd`, from where it stands (transfer full). */
static char *read_all(int fd) {
  GString *all = g_string_new(NULL);
  char buf[8192];
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    g_string_append_len(all, buf, (gsize)n);
  return g_string_free(all, FALSE);
}

void hs_usage_record(const char *profile, const char *command, gint64 now) {
  g_autofree char *base = g_path_get_basename(command);
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) gen = json_generator_new();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL, *with_nl = NULL;
  hs_autofd dirfd = -1;
  hs_autofd fd = -1;

  json_builder_begin_object(b);
  json_builder_set_member_name(b, "time");
  json_builder_add_int_value(b, now);
  json_builder_set_member_name(b, "profile");
  json_builder_add_string_value(b, profile);
  json_builder_set_member_name(b, "command");
  json_builder_add_string_value(b, base);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  line = json_generator_to_data(gen, NULL);
  with_nl = g_strconcat(line, "\n", NULL);

  dirfd = open_dir(TRUE);
  if (dirfd < 0) return;
  fd = open_locked(dirfd, O_WRONLY | O_APPEND | O_CREAT, LOCK_SH);
  if (fd < 0) return;
  /* One write() of one whole line: concurrent runs never interleave. */
  (void)!write(fd, with_nl, strlen(with_nl));
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

  fd = open_locked(dirfd, O_RDONLY, LOCK_EX);
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
      renameat(dirfd, tmp, dirfd, LOG_NAME) != 0)
    (void)unlinkat(dirfd, tmp, 0);
}

GHashTable *hs_usage_load(gint64 now) {
  GHashTable *table =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, usage_free);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;
  hs_autofd dirfd = open_dir(FALSE);
  guint stale = 0;

  if (dirfd < 0) return table;
  /* Closed, and so unlocked, before a trim takes the lock exclusively. */
  {
    hs_autofd fd = open_locked(dirfd, O_RDONLY, LOCK_SH);
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
