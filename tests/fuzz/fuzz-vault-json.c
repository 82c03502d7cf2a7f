/* SPDX-License-Identifier: MIT */
/* fuzz-vault-json.c — the vault store's reading of Vault's answers
 * (plugin/vault/kv-json): the paths it looks up, each string decoded into
 * a small buffer, and a decoded string written back and read again. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "vault/kv-json.h"

static void decode_at(const char *v, const char *end) {
  char small[16], big[4096], again[4096];
  long n = kvj_string(v, end, small, sizeof small);

  FUZZ_ASSERT(n < (long)sizeof small);
  if (n >= 0) FUZZ_ASSERT(strlen(small) == (size_t)n);
  n = kvj_string(v, end, big, sizeof big);
  if (n < 0) return;
  FUZZ_ASSERT(strlen(big) == (size_t)n);
  {
    /* What the store writes, it reads back the same. */
    char enc[4096 * 6 + 8];
    size_t len = 0;
    if (kvj_append_string(enc, sizeof enc, &len, big, (size_t)n) != 0) return;
    FUZZ_ASSERT(len < sizeof enc && enc[len] == '\0');
    FUZZ_ASSERT(kvj_string(enc, enc + len, again, sizeof again) == n);
    FUZZ_ASSERT(memcmp(big, again, (size_t)n) == 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly `size` bytes, so that a read past the end is seen. */
  char *buf = g_malloc(size ? size : 1);
  const char *end = buf + size;
  static const char *const paths[][4] = {{"data", "data", "record", NULL},
                                         {"data", "data", "kind", NULL},
                                         {"data", "metadata", "version", NULL},
                                         {"auth", "client_token", NULL},
                                         {"data", "keys", NULL},
                                         {"errors", NULL}};

  memcpy(buf, data, size);
  for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
    const char *v = kvj_find(buf, end, paths[i]);
    if (v == NULL) continue;
    FUZZ_ASSERT(v >= buf && v <= end);
    decode_at(v, end);
    if (v < end && *v == '[') {
      /* A list's names, as the store walks them. */
      const char *p = kvj_ws(v + 1, end);
      while (p != NULL && p < end && *p == '"') {
        decode_at(p, end);
        p = kvj_ws(kvj_skip_string(p, end), end);
        if (p != NULL && p < end && *p == ',') p = kvj_ws(p + 1, end);
      }
    }
  }
  g_free(buf);
  return 0;
}
