/* SPDX-License-Identifier: MIT */
/* cache.h — derived access tokens cached in the Linux kernel keyring,
 * each with a kernel timeout equal to its expiry.  Only derived, short-lived
 * access tokens go here; never a refresh token, client secret or key. */
#ifndef HS_TOKEN_CACHE_H
#define HS_TOKEN_CACHE_H

#include <glib.h>

typedef struct {
  char *access_token; /* SECRET */
  gint64 expires_at;  /* unix seconds */
  char *hub_id;       /* or NULL */
} HsCachedToken;

void hs_cache_token_free(HsCachedToken *cached);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsCachedToken, hs_cache_token_free)

/* The cached token of `profile` that is still valid at `now`, or NULL when
 * there is none, it expired, or the kernel keyring cannot be used (as in a
 * container whose seccomp profile blocks keyctl): "no cache" is never an
 * error.  (transfer full) */
HsCachedToken *hs_cache_get(const char *profile, gint64 now);

/* Cache `token` for `profile` until `expires_at`.  FALSE when the keyring
 * cannot be used; the caller goes on without a cache. */
gboolean hs_cache_put(const char *profile, const char *token, gint64 expires_at,
                      const char *hub_id, gint64 now);

/* Whether the kernel keyring can hold, return and drop a key now; FALSE with
 * the reason (errno text) in *ret_why (transfer full). */
gboolean hs_cache_probe(char **ret_why);

/* Forget `profile`'s cached token, if any. */
void hs_cache_drop(const char *profile);

#endif
