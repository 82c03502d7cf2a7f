/* SPDX-License-Identifier: MIT */
/* fuzz-dotenv.c — .env files (KEY=VALUE, export, quotes and escapes that
 * may span lines, inline comments, CRLF), and the line ranges `hs-token
 * import --scrub` cuts out: with every assignment replaced by a comment the
 * file must still parse, to no entries. */
#include "config.h"

#include <string.h>

#include "migrate/dotenv.h"
#include "fuzz-common.h"
#include "core/error.h"
#include "migrate/scrub.h"
#include "core/secure.h"

static gboolean valid_key(const char *key) {
  if (!g_ascii_isalpha(key[0]) && key[0] != '_') return FALSE;
  for (const char *p = key; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("_.-", *p)) return FALSE;
  return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly `size` bytes, so that ASan sees any overread. */
  char *buf = g_memdup2(data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDotenv) env = hs_dotenv_parse(buf, size, &error);
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(HsDotenv) again = NULL;
  char *clean;
  gsize clean_len = 0;

  if (env == NULL) {
    FUZZ_CHECK_ERROR(error);
    FUZZ_ASSERT(error->code == HS_ERR_USAGE);
    g_free(buf);
    return 0;
  }
  ranges = g_array_new(FALSE, FALSE, sizeof(HsScrubRange));
  for (gsize i = 0; i < env->n_entries; i++) {
    const HsDotenvEntry *e = &env->entries[i];
    HsScrubRange r = {e->line_start, e->line_end, "# scrubbed"};

    FUZZ_ASSERT(valid_key(e->key) && e->value != NULL);
    FUZZ_ASSERT(e->line >= 1 && e->line_start <= e->line_end);
    FUZZ_ASSERT(e->line_end <= size);
    FUZZ_ASSERT(e->line_start == 0 || buf[e->line_start - 1] == '\n');
    FUZZ_ASSERT(e->line_end == size || buf[e->line_end] == '\n' ||
                buf[e->line_end] == '\r');
    if (i > 0) {
      FUZZ_ASSERT(e->line > env->entries[i - 1].line);
      FUZZ_ASSERT(e->line_start > env->entries[i - 1].line_end);
    }
    FUZZ_ASSERT(hs_dotenv_get(env, e->key) != NULL);
    g_array_append_val(ranges, r);
  }
  clean = hs_scrub_apply(buf, size, (HsScrubRange *)(void *)ranges->data,
                         ranges->len, &clean_len, &error);
  FUZZ_ASSERT(clean != NULL);
  again = hs_dotenv_parse(clean, clean_len, &error);
  FUZZ_ASSERT(again != NULL && again->n_entries == 0);
  hs_secure_free_len(clean, clean_len + 1);
  g_free(buf);
  return 0;
}
