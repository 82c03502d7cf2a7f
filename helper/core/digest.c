/* SPDX-License-Identifier: MIT */
/* digest.c — recognising a secret without holding it. */
#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "core/digest.h"

void hs_digest_new_key(guint8 ret_key[HS_DIGEST_KEY_LEN]) {
  gsize got = 0;

  while (got < HS_DIGEST_KEY_LEN) {
    ssize_t n = getrandom(ret_key + got, HS_DIGEST_KEY_LEN - got, 0);
    if (n > 0) got += (gsize)n;
  }
}

static void mac(const guint8 key[HS_DIGEST_KEY_LEN], const guint8 *data,
                gsize len, guint8 ret_mac[HS_DIGEST_MAC_LEN]) {
  GHmac *hmac = g_hmac_new(G_CHECKSUM_SHA256, key, HS_DIGEST_KEY_LEN);
  gsize out = HS_DIGEST_MAC_LEN;

  g_hmac_update(hmac, data, (gssize)len);
  g_hmac_get_digest(hmac, ret_mac, &out);
  g_hmac_unref(hmac);
}

void hs_digest_make(const guint8 key[HS_DIGEST_KEY_LEN], const char *secret,
                    HsDigest *ret_digest) {
  memset(ret_digest, 0, sizeof *ret_digest);
  ret_digest->len = strlen(secret);
  for (const guint8 *p = (const guint8 *)secret; *p; p++)
    ret_digest->alphabet[*p >> 6] |= G_GUINT64_CONSTANT(1) << (*p & 63);
  mac(key, (const guint8 *)secret, ret_digest->len, ret_digest->mac);
}

gboolean hs_digest_has_byte(const HsDigest *digest, guint8 c) {
  return (digest->alphabet[c >> 6] >> (c & 63)) & 1;
}

gboolean hs_digest_matches(const HsDigest *digest,
                           const guint8 key[HS_DIGEST_KEY_LEN],
                           const guint8 *data) {
  guint8 m[HS_DIGEST_MAC_LEN];
  gboolean same;

  for (gsize i = 0; i < digest->len; i++)
    if (!hs_digest_has_byte(digest, data[i])) return FALSE;
  mac(key, data, digest->len, m);
  same = memcmp(m, digest->mac, sizeof m) == 0;
  explicit_bzero(m, sizeof m);
  return same;
}
