/* SPDX-License-Identifier: MIT */
/* mask.h — a streaming filter that replaces every occurrence of any
 * of a set of secrets with "***" (hs-exec --mask).
 *
 * Output is produced as soon as it cannot be the start of a secret; a tail
 * that might be one is held back until the next feed decides it, so a
 * secret split across two writes is still caught.  At a tie the longest
 * secret wins. */
#ifndef HS_MASK_FILTER_H
#define HS_MASK_FILTER_H

#include <glib.h>

#include "core/digest.h"

#define HS_MASK_REPLACEMENT "***"

typedef struct HsMask HsMask;

/* A filter for the non-empty strings of `secrets` (NULL-terminated; copied,
 * and wiped on free).  (transfer full) */
HsMask *hs_mask_new(const char *const *secrets);

/* Also replace the secrets `digests` stand for (terminated by one of len
 * 0; copied), made under `key`.  A tail made only of the bytes such a
 * secret contains is held back until the next feed or the end. */
void hs_mask_add_digests(HsMask *mask, const HsDigest *digests,
                         const guint8 key[HS_DIGEST_KEY_LEN]);

/* Wipe and free the filter, its secrets and whatever it held back. */
void hs_mask_free(HsMask *mask);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsMask, hs_mask_free)

/* Filter `len` bytes of `data`, appending what can be released to `out`. */
void hs_mask_feed(HsMask *mask, const char *data, gsize len, GByteArray *out);

/* End of stream: release what was held back (masked) to `out`. */
void hs_mask_flush(HsMask *mask, GByteArray *out);

#endif
