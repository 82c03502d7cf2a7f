/* SPDX-License-Identifier: MIT */
/* fuzz-cache-entry.c — a cached token's payload as the front end of hs-exec
 * reads it from the kernel keyring (base/cache-entry): any process of the
 * user can put a key there.  What decodes has a token and an expiry, and
 * encodes back to a payload that decodes to the same fields; what does
 * not leaves the entry empty. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/cache-entry.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  HsCacheEntry entry, back;
  size_t len = 0;
  char *again;

  if (!hs_cache_entry_decode((const char *)data, size, &entry)) {
    FUZZ_ASSERT(entry.access_token == NULL && entry.hub_id == NULL);
    return 0;
  }
  FUZZ_ASSERT(entry.access_token != NULL && entry.access_token[0] != '\0');
  FUZZ_ASSERT(entry.expires_at > 0);
  again = hs_cache_entry_encode(entry.access_token, entry.expires_at,
                                entry.hub_id, &len);
  FUZZ_ASSERT(again != NULL);
  FUZZ_ASSERT(hs_cache_entry_decode(again, len, &back));
  FUZZ_ASSERT(strcmp(back.access_token, entry.access_token) == 0);
  FUZZ_ASSERT(back.expires_at == entry.expires_at);
  FUZZ_ASSERT((back.hub_id == NULL) == (entry.hub_id == NULL));
  FUZZ_ASSERT(back.hub_id == NULL || strcmp(back.hub_id, entry.hub_id) == 0);
  free(again);
  hs_cache_entry_clear(&back);
  hs_cache_entry_clear(&entry);
  return 0;
}
