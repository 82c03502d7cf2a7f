/* SPDX-License-Identifier: MIT */
/* scrub.h — rewriting a file without its secrets: replace byte ranges, then
 * swap the new content in atomically with the original's mode and owner. */
#ifndef HS_SCRUB_H
#define HS_SCRUB_H

#include <glib.h>

typedef struct {
  gsize start, end;        /* [start, end) in the original, in bytes */
  const char *replacement; /* what goes there instead (borrowed) */
} HsScrubRange;

/* The buffer with each range replaced, every other byte as it was.  Ranges
 * may come in any order; overlapping or out-of-bounds ranges are a bug
 * (HS_ERR_USAGE).  Returns NUL-terminated content (transfer full: free with
 * hs_secure_free_len(…, *ret_len + 1), as it may still hold other text of
 * the file) and its length. */
char *hs_scrub_apply(const char *buf, gsize len, HsScrubRange *ranges,
                     gsize n_ranges, gsize *ret_len, GError **error);

/* What a scrub missed: after hs_scrub_apply() replaced `ranges` of `buf`
 * (`len` bytes) to give `out`, the lines of `buf` (guint, 1-based,
 * ascending, each once; transfer full) where the scanner (migrate/scan.h)
 * still finds a credential in `out`: a commented-out value, a key given
 * twice, a token in some other field.  An empty array when it finds none.
 * Pure: the ranges as hs_scrub_apply() left them (sorted). */
GArray *hs_scrub_leftover_lines(const char *buf, gsize len,
                                const HsScrubRange *ranges, gsize n_ranges,
                                const char *out, gsize out_len);

/* Can `path` be replaced: a regular file, not a link, with one name, in a
 * directory writable for a new file?  Checked
 * before anything is stored, so that a scrub that cannot work fails first.
 * FALSE with HS_ERR_USAGE saying what to do. */
gboolean hs_scrub_check_writable(const char *path, GError **error);

/* Replace the regular file `path`, which must still hold exactly `expect`
 * (`expect_len` bytes), by `content`: a temporary file in the same directory
 * (O_CREAT|O_EXCL|O_CLOEXEC), the original's mode and owner, fsync, rename
 * over `path`, fsync of the directory.  On any failure `path` is untouched
 * and the temporary file removed; HS_ERR_USAGE says what failed. */
gboolean hs_scrub_replace_file(const char *path, const char *expect,
                               gsize expect_len, const char *content, gsize len,
                               GError **error);

#endif
