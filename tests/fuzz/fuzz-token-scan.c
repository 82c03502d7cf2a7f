/* SPDX-License-Identifier: MIT */
/* fuzz-token-scan.c — finding credentials in text (hs-token scan, the
 * pre-commit hook): a buffer scanned whole and as a unified diff.  Every
 * hit must lie inside what was scanned, in order. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "migrate/scan.h"

typedef struct {
  gsize len, next_start;
  guint first_line, line;
} Scan;

static void on_hit(const HsScanHit *hit, void *user_data) {
  Scan *s = user_data;

  FUZZ_ASSERT(hit->kind != NULL && hit->len > 0);
  FUZZ_ASSERT(hit->start <= s->len && hit->len <= s->len - hit->start);
  FUZZ_ASSERT(hit->start >= s->next_start);
  FUZZ_ASSERT(hit->line >= s->line);
  s->next_start = hit->start + hit->len;
  s->line = hit->line;
}

static void on_diff_hit(const char *path, const HsScanHit *hit,
                        const char *text, void *user_data) {
  g_autofree char *mask = NULL;

  FUZZ_ASSERT(path != NULL && text != NULL && hit->kind != NULL);
  FUZZ_ASSERT(hit->start + hit->len <= strlen(text));
  mask = hs_scan_mask(text + hit->start, hit->len);
  FUZZ_ASSERT(mask != NULL);
  (*(guint *)user_data)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly `size` bytes, so that ASan sees any overread. */
  char *buf = g_memdup2(data, size);
  Scan s = {size, 0, 7, 7};
  guint diff_hits = 0;

  FUZZ_ASSERT(hs_scan_text(buf, size, 7, on_hit, &s) ==
              hs_scan_text(buf, size, 7, NULL, NULL));
  FUZZ_ASSERT(hs_scan_diff(buf, size, on_diff_hit, &diff_hits) == diff_hits);
  g_free(buf);
  return 0;
}
