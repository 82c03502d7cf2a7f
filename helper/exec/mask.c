/* SPDX-License-Identifier: MIT */
/* mask.c — replacing secrets in a byte stream. */
#include "config.h"

#include <string.h>

#include "exec/mask.h"
#include "core/secure.h"

struct HsMask {
  GPtrArray *secrets; /* char*, SECRET */
  gboolean first[256];
  GArray *digests; /* HsDigest: secrets known only by their digest */
  guint8 key[HS_DIGEST_KEY_LEN];
  GByteArray *held; /* a tail that may begin a secret: SECRET */
};

HsMask *hs_mask_new(const char *const *secrets) {
  HsMask *mask = g_new0(HsMask, 1);

  mask->secrets =
      g_ptr_array_new_with_free_func((GDestroyNotify)hs_secure_free);
  mask->held = g_byte_array_new();
  mask->digests = g_array_new(FALSE, FALSE, sizeof(HsDigest));
  for (const char *const *s = secrets; s && *s; s++) {
    if (**s == '\0') continue;
    g_ptr_array_add(mask->secrets, hs_secure_dup(*s));
    mask->first[(guchar) * *s] = TRUE;
  }
  return mask;
}

void hs_mask_add_digests(HsMask *mask, const HsDigest *digests,
                         const guint8 key[HS_DIGEST_KEY_LEN]) {
  for (const HsDigest *d = digests; d && d->len > 0; d++)
    g_array_append_val(mask->digests, *d);
  if (digests != NULL) memcpy(mask->key, key, HS_DIGEST_KEY_LEN);
}

void hs_mask_free(HsMask *mask) {
  if (mask == NULL) return;
  g_array_free(mask->digests, TRUE);
  explicit_bzero(mask->key, sizeof mask->key);
  g_ptr_array_free(mask->secrets, TRUE);
  if (mask->held->len > 0) explicit_bzero(mask->held->data, mask->held->len);
  g_byte_array_free(mask->held, TRUE);
  g_free(mask);
}

/* Scan `buf`; append the released part to `out` and return how many bytes
 * at the end must wait for more input (0 when `final`). */
static gsize scan(const HsMask *mask, const guint8 *buf, gsize n,
                  gboolean final, GByteArray *out) {
  gsize i = 0, plain = 0;

  while (i < n) {
    gsize best = 0;
    gboolean partial = FALSE;

    if (mask->first[buf[i]]) {
      for (guint k = 0; k < mask->secrets->len; k++) {
        const char *s = g_ptr_array_index(mask->secrets, k);
        gsize len = strlen(s), avail = n - i;

        if (avail >= len) {
          if (len > best && memcmp(buf + i, s, len) == 0) best = len;
        } else if (!final && memcmp(buf + i, s, avail) == 0) {
          partial = TRUE;
        }
      }
    }
    for (guint k = 0; k < mask->digests->len; k++) {
      const HsDigest *d = &g_array_index(mask->digests, HsDigest, k);
      gsize avail = n - i, run = 0;

      if (!hs_digest_has_byte(d, buf[i])) continue;
      if (avail >= d->len) {
        if (d->len > best && hs_digest_matches(d, mask->key, buf + i))
          best = d->len;
      } else if (!final) {
        /* Only its bytes up to the end: it may go on in the next feed. */
        while (run < avail && hs_digest_has_byte(d, buf[i + run])) run++;
        if (run == avail) partial = TRUE;
      }
    }
    if (partial || best > 0) {
      g_byte_array_append(out, buf + plain, (guint)(i - plain));
      if (partial) return n - i;
      g_byte_array_append(out, (const guint8 *)HS_MASK_REPLACEMENT,
                          sizeof HS_MASK_REPLACEMENT - 1);
      i += best;
      plain = i;
    } else {
      i++;
    }
  }
  g_byte_array_append(out, buf + plain, (guint)(n - plain));
  return 0;
}

static void run(HsMask *mask, const char *data, gsize len, gboolean final,
                GByteArray *out) {
  GByteArray *buf = mask->held;
  gsize keep;

  if (len > 0) g_byte_array_append(buf, (const guint8 *)data, (guint)len);
  if (buf->len == 0) return; /* an empty GByteArray has no data at all */
  keep = scan(mask, buf->data, buf->len, final, out);
  mask->held = g_byte_array_new();
  g_byte_array_append(mask->held, buf->data + buf->len - keep, (guint)keep);
  explicit_bzero(buf->data, buf->len);
  g_byte_array_free(buf, TRUE);
}

void hs_mask_feed(HsMask *mask, const char *data, gsize len, GByteArray *out) {
  run(mask, data, len, FALSE, out);
}

void hs_mask_flush(HsMask *mask, GByteArray *out) {
  run(mask, NULL, 0, TRUE, out);
}
