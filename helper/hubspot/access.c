/* access.c — the bearer token to hand to a command. */
#include "config.h"

#include <string.h>

#include "hubspot/access.h"
#include "core/audit.h"
#include "core/fault.h"
#include "core/error.h"
#include "hubspot/auth.h"
#include "hubspot/refresh-lock.h"
#include "core/secure.h"
#include "hubspot/cache.h"

void hs_access_free(HsAccess *access) {
  if (access == NULL) return;
  hs_secure_free(access->token);
  g_free(access->hub_id);
  g_free(access->note);
  g_free(access);
}

static gint64 now_s(void) { return g_get_real_time() / G_USEC_PER_SEC; }

static HsAccess *from_cached(HsCachedToken *cached) {
  HsAccess *access = g_new0(HsAccess, 1);

  access->token = g_steal_pointer(&cached->access_token);
  access->expires_at = cached->expires_at;
  access->hub_id = g_steal_pointer(&cached->hub_id);
  access->from_cache = TRUE;
  return access;
}

/* Refresh at HubSpot; cache the result; save a rotated refresh token.  With
 * the lock held. */
static HsAccess *refresh_locked(HsStores *stores, HsRecord **record, HsApi *api,
                                GError **error) {
  g_autoptr(HsGrant) grant = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autoptr(HsRecord) latest = NULL;
  HsAccess *access;
  const char *store = NULL;

  /* Another process may have stored a newer refresh token meanwhile. */
  latest = hs_stores_lookup(stores, (*record)->profile, &store, error);
  if (latest == NULL) return NULL;
  hs_record_free(*record);
  *record = g_steal_pointer(&latest);

  grant = hs_auth_obtain(api, *record, error);
  hs_audit("refresh", (*record)->profile, hs_kind_name((*record)->kind),
           grant != NULL                      ? "ok"
           : (*error)->code == HS_ERR_REFUSED ? "refused"
                                              : "unreachable",
           NULL);
  if (grant == NULL) return NULL;
  hs_fault_point("refreshed");
  access = g_new0(HsAccess, 1);
  access->token = g_steal_pointer(&grant->access_token);
  access->expires_at = grant->expires_at;
  access->hub_id = g_strdup(grant->hub_id ? grant->hub_id : (*record)->hub_id);
  access->requests = grant->tries;
  (void)hs_cache_put((*record)->profile, access->token, access->expires_at,
                     access->hub_id, now_s());
  hs_fault_point("cached");

  if ((*record)->kind == HS_KIND_OAUTH && grant->refresh_token != NULL &&
      strcmp(grant->refresh_token, (*record)->refresh_token) != 0) {
    /* HubSpot rotated the refresh token: the old one may stop working, so
     * the new one must be kept before anything else happens. */
    hs_secure_free((*record)->refresh_token);
    (*record)->refresh_token = g_steal_pointer(&grant->refresh_token);
    if (!hs_stores_save(stores, *record, store, NULL, &save_error))
      access->note = g_strdup_printf(
          "HubSpot issued a new refresh token for profile %s but it could not "
          "be saved (%s); the next refresh may fail",
          (*record)->profile, save_error->message);
    hs_fault_point("saved");
  }
  if ((*record)->hub_id == NULL && grant->hub_id != NULL)
    (*record)->hub_id = g_strdup(grant->hub_id);
  return access;
}

HsAccess *hs_access_obtain(HsStores *stores, HsRecord **record, HsApi *api,
                           gint64 min_ttl, GError **error) {
  g_autoptr(HsCachedToken) cached = NULL;
  g_autoptr(GError) local = NULL;
  HsAccess *access;
  int lock;

  if (hs_kind_is_static((*record)->kind)) {
    access = g_new0(HsAccess, 1);
    access->token = hs_secure_dup((*record)->token);
    access->hub_id = g_strdup((*record)->hub_id);
    return access;
  }
  cached = hs_cache_get((*record)->profile, now_s());
  if (cached != NULL && cached->expires_at - now_s() > min_ttl)
    return from_cached(cached);
  lock = hs_refresh_lock((*record)->profile, HS_REFRESH_LOCK_TIMEOUT_MS, error);
  if (lock < 0) return NULL;
  /* Whoever held the lock before us has probably just refreshed. */
  g_clear_pointer(&cached, hs_cache_token_free);
  cached = hs_cache_get((*record)->profile, now_s());
  if (cached != NULL && cached->expires_at - now_s() > min_ttl) {
    hs_refresh_unlock(lock);
    return from_cached(cached);
  }
  access = refresh_locked(stores, record, api, &local);
  hs_refresh_unlock(lock);
  if (access != NULL) return access;
  if (local->code == HS_ERR_NETWORK && cached != NULL &&
      cached->expires_at > now_s()) {
    access = from_cached(cached);
    access->note = g_strdup_printf(
        "HubSpot could not be reached (%s); using the cached token of profile "
        "%s, which expires in %" G_GINT64_FORMAT " s",
        local->message, (*record)->profile, access->expires_at - now_s());
    return access;
  }
  g_propagate_error(error, g_steal_pointer(&local));
  return NULL;
}

HsAccess *hs_access_refresh_now(HsStores *stores, HsRecord **record, HsApi *api,
                                GError **error) {
  HsAccess *access;
  int lock;

  if (hs_kind_is_static((*record)->kind)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "profile %s holds a static token, which HubSpot cannot "
                "refresh",
                (*record)->profile);
    return NULL;
  }
  /* The same lock as every hs-exec's refresh: they wait for this one and
   * then take its result from the cache. */
  lock = hs_refresh_lock((*record)->profile, HS_REFRESH_LOCK_TIMEOUT_MS, error);
  if (lock < 0) return NULL;
  access = refresh_locked(stores, record, api, error);
  hs_refresh_unlock(lock);
  return access;
}

HsAccess *hs_access_from_cache(const char *profile, gint64 min_ttl) {
  g_autoptr(HsCachedToken) cached = hs_cache_get(profile, now_s());

  if (cached == NULL || cached->expires_at - now_s() <= min_ttl) return NULL;
  return from_cached(cached);
}
