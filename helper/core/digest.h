/* SPDX-License-Identifier: MIT */
/* digest.h — recognising a secret without holding it: its length, the set
 * of bytes it is made of, and an HMAC-SHA-256 of it under a key of the run.
 * hs-exec --mask finds a client secret or refresh token in COMMAND's output
 * this way, so that no copy of them stays in a long-running hs-exec. */
#ifndef HS_DIGEST_H
#define HS_DIGEST_H

#include <glib.h>

#define HS_DIGEST_KEY_LEN 32
#define HS_DIGEST_MAC_LEN 32

typedef struct {
  gsize len;           /* of the secret; 0: no secret */
  guint64 alphabet[4]; /* a bit for each byte value it contains */
  guint8 mac[HS_DIGEST_MAC_LEN];
} HsDigest;

/* A fresh random key (getrandom). */
void hs_digest_new_key(guint8 ret_key[HS_DIGEST_KEY_LEN]);

/* The digest of `secret` (NUL-terminated, not empty) under `key`. */
void hs_digest_make(const guint8 key[HS_DIGEST_KEY_LEN], const char *secret,
                    HsDigest *ret_digest);

/* Whether byte `c` occurs in the secret. */
gboolean hs_digest_has_byte(const HsDigest *digest, guint8 c);

/* Whether the `digest->len` bytes at `data` are the secret. */
gboolean hs_digest_matches(const HsDigest *digest,
                           const guint8 key[HS_DIGEST_KEY_LEN],
                           const guint8 *data);

#endif
