/* access.h — the bearer token to hand to a command: a static token
 * as stored, or a cached access token while it lasts, or a fresh one from
 * HubSpot — one refresh per profile at a time across processes. */
#ifndef HS_ACCESS_TOKEN_H
#define HS_ACCESS_TOKEN_H

#include <glib.h>

#include "hubspot/api.h"
#include "core/record.h"
#include "core/stores.h"

typedef struct {
  char *token;       /* SECRET */
  gint64 expires_at; /* unix seconds; 0 when it does not expire */
  char *hub_id;      /* or NULL */
  gboolean from_cache;
  int requests; /* requests sent to HubSpot */
  char *note;   /* a warning for stderr (offline fallback), or NULL */
} HsAccess;

void hs_access_free(HsAccess *access);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsAccess, hs_access_free)

/* A token for `*record` valid for more than `min_ttl` seconds if at all
 * possible.  For oauth and personal-access-key profiles: the cached one if it
 * lasts long enough; otherwise, under the profile's refresh lock, the cache
 * again (another process may just have refreshed), then the record re-read
 * from the stores and a refresh at HubSpot, whose result is cached and whose
 * new refresh token, if any, is saved (and *record replaced).  When HubSpot
 * cannot be reached but the cached token is still valid, that one is used
 * with a note.  `api` may be NULL for static kinds.  (transfer full) */
HsAccess *hs_access_obtain(HsStores *stores, HsRecord **record, HsApi *api,
                           gint64 min_ttl, GError **error);

/* Refresh now whatever the cache holds (`hs-token rotate` of an oauth or
 * personal-access-key profile), under the same lock and with the same
 * caching and saving of a new refresh token as hs_access_obtain; no offline
 * fallback.  HS_ERR_USAGE for a static kind.  (transfer full) */
HsAccess *hs_access_refresh_now(HsStores *stores, HsRecord **record, HsApi *api,
                                GError **error);

/* The cached access token of `profile` if it outlives `min_ttl` seconds,
 * else NULL; touches neither a store nor HubSpot.  (transfer full) */
HsAccess *hs_access_from_cache(const char *profile, gint64 min_ttl);

#endif
