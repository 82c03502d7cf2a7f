/* SPDX-License-Identifier: MIT */
/* scrub.c — byte-range replacement and an atomic, owner- and
 * mode-preserving file swap. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/secure.h"
#include "migrate/scan.h"
#include "migrate/scrub.h"

static int compare_ranges(gconstpointer a, gconstpointer b) {
  const HsScrubRange *ra = a, *rb = b;
  return ra->start < rb->start ? -1 : ra->start > rb->start;
}

char *hs_scrub_apply(const char *buf, gsize len, HsScrubRange *ranges,
                     gsize n_ranges, gsize *ret_len, GError **error) {
  gsize out_len = len, at = 0, n = 0;
  char *out;

  /* qsort and memcpy take no NULL, even for 0 elements (an empty file). */
  if (n_ranges > 1) qsort(ranges, n_ranges, sizeof *ranges, compare_ranges);
  for (gsize i = 0; i < n_ranges; i++) {
    if (ranges[i].start > ranges[i].end || ranges[i].end > len ||
        (i > 0 && ranges[i].start < ranges[i - 1].end)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "internal error: overlapping ranges to scrub; the file was "
                  "left as it was, please report this");
      return NULL;
    }
    out_len = out_len - (ranges[i].end - ranges[i].start) +
              strlen(ranges[i].replacement);
  }
  out = g_malloc(out_len + 1);
  for (gsize i = 0; i < n_ranges; i++) {
    gsize r = strlen(ranges[i].replacement);
    memcpy(out + n, buf + at, ranges[i].start - at);
    n += ranges[i].start - at;
    memcpy(out + n, ranges[i].replacement, r);
    n += r;
    at = ranges[i].end;
  }
  if (len > at) memcpy(out + n, buf + at, len - at);
  n += len - at;
  out[n] = '\0';
  *ret_len = n;
  return out;
}

static void collect_start(const HsScanHit *hit, void *user_data) {
  g_array_append_val((GArray *)user_data, hit->start);
}

/* Where byte `at` of the scrubbed text came from in the original. */
static gsize original_offset(const HsScrubRange *ranges, gsize n_ranges,
                             gsize at) {
  gint64 shift = 0; /* out offset minus original offset, so far */

  for (gsize i = 0; i < n_ranges; i++) {
    gsize r = strlen(ranges[i].replacement);
    gint64 out_start = (gint64)ranges[i].start + shift;

    if ((gint64)at < out_start) break;
    if ((gint64)at < out_start + (gint64)r) return ranges[i].start;
    shift += (gint64)r - (gint64)(ranges[i].end - ranges[i].start);
  }
  return (gsize)((gint64)at - shift);
}

GArray *hs_scrub_leftover_lines(const char *buf, gsize len,
                                const HsScrubRange *ranges, gsize n_ranges,
                                const char *out, gsize out_len) {
  g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(gsize));
  GArray *lines = g_array_new(FALSE, FALSE, sizeof(guint));
  gsize counted = 0;
  guint line = 1;

  hs_scan_text(out, out_len, 1, collect_start, starts);
  /* Hits come in order, and so do their places in the original. */
  for (guint h = 0; h < starts->len; h++) {
    gsize at =
        original_offset(ranges, n_ranges, g_array_index(starts, gsize, h));
    for (; counted < at && counted < len; counted++)
      if (buf[counted] == '\n') line++;
    if (lines->len == 0 || g_array_index(lines, guint, lines->len - 1) != line)
      g_array_append_val(lines, line);
  }
  return lines;
}

gboolean hs_scrub_check_writable(const char *path, GError **error) {
  g_autofree char *dir = g_path_get_dirname(path);
  struct stat st;

  if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "cannot scrub %s: it is not a regular file with one name (a "
                "symbolic or hard link would keep the secrets elsewhere); "
                "nothing was imported; give the file itself, or import "
                "without --scrub",
                path);
    return FALSE;
  }
  if (access(dir, W_OK) != 0) {
    int e = errno;
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "cannot scrub %s: its directory %s is not writable (%s); "
                "nothing was imported; import without --scrub, or make the "
                "directory writable",
                path, dir, g_strerror(e));
    return FALSE;
  }
  return TRUE;
}

static gboolean write_all(int fd, const char *p, gsize len) {
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return FALSE;
    p += w;
    len -= (gsize)w;
  }
  return TRUE;
}

/* Does the file at `fd` hold exactly `expect`? */
static gboolean same_content(int fd, const char *expect, gsize len) {
  char chunk[8192];
  gsize at = 0;
  ssize_t r;
  gboolean same = TRUE;

  while ((r = read(fd, chunk, sizeof chunk)) != 0) {
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 || at + (gsize)r > len ||
        memcmp(chunk, expect + at, (gsize)r) != 0) {
      same = FALSE;
      break;
    }
    at += (gsize)r;
  }
  explicit_bzero(chunk, sizeof chunk);
  return same && at == len;
}

gboolean hs_scrub_replace_file(const char *path, const char *expect,
                               gsize expect_len, const char *content, gsize len,
                               GError **error) {
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  g_autofree char *tmp = NULL;
  const char *failed = NULL;
  struct stat st;
  int fd = -1, orig = -1, dfd = -1, e = 0;
  gboolean ok = FALSE;

  orig = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (orig < 0 || fstat(orig, &st) != 0) {
    failed = "open";
    e = errno;
    goto out;
  }
  if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "cannot scrub %s: it is not a regular file with one name "
                "(a hard link would keep the secrets); remove the values by "
                "hand",
                path);
    goto done;
  }
  if (!same_content(orig, expect, expect_len)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "cannot scrub %s: it changed while it was being imported; it "
                "was left as it is; run the import again",
                path);
    goto done;
  }
  for (int i = 0; i < 100 && fd < 0; i++) {
    g_free(tmp);
    tmp = g_strdup_printf("%s/.%s.hs-scrub-%08x", dir, base, g_random_int());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    failed = "create a temporary file beside";
    e = errno;
    g_clear_pointer(&tmp, g_free);
    goto out;
  }
  if (fchown(fd, st.st_uid, st.st_gid) != 0) {
    failed = "keep the owner of";
    e = errno;
    goto out;
  }
  if (fchmod(fd, st.st_mode & 07777) != 0) {
    failed = "keep the mode of";
    e = errno;
    goto out;
  }
  if (!write_all(fd, content, len) || fsync(fd) != 0) {
    failed = "write";
    e = errno;
    goto out;
  }
  if (rename(tmp, path) != 0) {
    failed = "replace";
    e = errno;
    goto out;
  }
  g_clear_pointer(&tmp, g_free);
  dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) (void)fsync(dfd);
  ok = TRUE;
out:
  if (failed != NULL)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "cannot %s %s (%s); it was left as it is; fix that and "
                "import again with --scrub --force, or remove the values by "
                "hand",
                failed, path, g_strerror(e));
done:
  if (tmp != NULL) unlink(tmp);
  if (fd >= 0) close(fd);
  if (orig >= 0) close(orig);
  if (dfd >= 0) close(dfd);
  return ok;
}
