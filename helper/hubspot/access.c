/* SPDX-License-Identifier: MIT */
/* access.c — the bearer token to hand to a command, and the policy of one
 * run: when the cache will do, what needs the stores and HubSpot. */
#include "config.h"

#include <string.h>

#include "hubspot/access.h"
#include "core/audit.h"
#include "core/config.h"
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

/* The token a session that is kept fresh hands out has at least this many
 * seconds left; a refresh happens before it has less. */
#define KEEP_FRESH_MIN_TTL 60

struct HsAccessSession {
  /* hs_access_current() runs in the proxy's threads. */
  GMutex lock;
  HsConfig *config;
  HsStores *stores;
  HsRecord *record; /* NULL when the token came from the cache */
  HsApi *api;
  HsAccess *access;
  char *hub_id;
  HsAccessNoteFunc note;
  gpointer note_data;
};

static void session_note(HsAccessSession *session, const char *note) {
  if (session->note != NULL) session->note(note, session->note_data);
}

/* The wanted scopes: refused when the record lacks one; when HubSpot never
 * told them (a profile added with --no-verify), a note and on. */
static gboolean check_scopes(HsAccessSession *session,
                             const char *const *wanted, GError **error) {
  const HsRecord *record = session->record;

  for (const char *const *s = wanted; s && *s; s++) {
    if (record->scopes == NULL) {
      g_autofree char *note = g_strdup_printf(
          "the scopes of profile %s are unknown, so --require-scope %s "
          "cannot be checked",
          record->profile, *s);
      session_note(session, note);
      return TRUE;
    }
    if (!hs_record_has_scope(record, *s)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                  "profile %s lacks the scope %s; grant it to the app in "
                  "HubSpot, then refresh the profile with 'hs-token add %s "
                  "--force'",
                  record->profile, *s, record->profile);
      return FALSE;
    }
  }
  return TRUE;
}

/* Through the stores and, for the kinds that need it, HubSpot. */
static gboolean open_record(HsAccessSession *session, const char *profile,
                            const HsAccessWant *want, GError **error) {
  session->config = hs_config_load(error);
  if (session->config == NULL) return FALSE;
  session->stores = hs_stores_open(session->config, error);
  if (session->stores == NULL) return FALSE;
  session->record = hs_stores_lookup(session->stores, profile, NULL, error);
  if (session->record == NULL) return FALSE;
  if (!check_scopes(session, want->scopes, error)) return FALSE;
  if (!hs_kind_is_static(session->record->kind) || want->keep_fresh) {
    session->api = hs_api_new_for_config(session->config, error);
    if (session->api == NULL) return FALSE;
  }
  session->access = hs_access_obtain(session->stores, &session->record,
                                     session->api, want->min_ttl, error);
  return session->access != NULL;
}

HsAccessSession *hs_access_open(const char *profile, const HsAccessWant *want,
                                GError **error) {
  g_autoptr(HsAccessSession) session = g_new0(HsAccessSession, 1);
  HsAccess *access;

  g_mutex_init(&session->lock);
  session->note = want->note;
  session->note_data = want->note_data;
  /* The fast path: a cached access token that outlives min_ttl needs
   * neither the store nor HubSpot (only derived tokens of oauth and
   * personal-access-key profiles are ever cached; add and remove drop the
   * entry, so it does not outlive the profile).  Scopes and the record need
   * the store; keeping fresh the means to refresh. */
  if (want->scopes == NULL && !want->need_record && !want->keep_fresh)
    session->access = hs_access_from_cache(profile, want->min_ttl);
  if (session->access == NULL && !open_record(session, profile, want, error))
    return NULL;
  access = session->access;
  hs_secure_lock(access->token, strlen(access->token));
  if (access->note != NULL) session_note(session, access->note);
  session->hub_id = g_strdup(access->hub_id    ? access->hub_id
                             : session->record ? session->record->hub_id
                                               : NULL);
  return g_steal_pointer(&session);
}

void hs_access_forget(HsAccessSession *session) {
  g_mutex_lock(&session->lock);
  g_clear_pointer(&session->access, hs_access_free);
  g_clear_pointer(&session->record, hs_record_free);
  g_mutex_unlock(&session->lock);
}

void hs_access_disconnect(HsAccessSession *session) {
  g_mutex_lock(&session->lock);
  hs_api_disconnect(session->api);
  g_mutex_unlock(&session->lock);
}

void hs_access_close(HsAccessSession *session) {
  if (session == NULL) return;
  hs_access_forget(session);
  g_clear_pointer(&session->stores, hs_stores_free);
  g_clear_pointer(&session->api, hs_api_free);
  g_clear_pointer(&session->config, hs_config_free);
  g_free(session->hub_id);
  g_mutex_clear(&session->lock);
  g_free(session);
}

const char *hs_access_token(const HsAccessSession *session) {
  return session->access ? session->access->token : NULL;
}

gint64 hs_access_expires_at(const HsAccessSession *session) {
  return session->access ? session->access->expires_at : 0;
}

const char *hs_access_hub_id(const HsAccessSession *session) {
  return session->hub_id;
}

const HsRecord *hs_access_record(const HsAccessSession *session) {
  return session->record;
}

const HsApi *hs_access_api(const HsAccessSession *session) {
  return session->api;
}

char *hs_access_current(HsAccessSession *session, const char *stale,
                        GError **error) {
  HsAccess *current;
  gint64 now = now_s();
  char *token = NULL;
  gboolean refused;

  g_return_val_if_fail(session->stores != NULL, NULL);
  g_mutex_lock(&session->lock);
  current = session->access;
  /* HubSpot refused the current one: a refresh whatever its expiry says
   * (a static token has none, and stays as it is). */
  refused =
      stale != NULL && current != NULL && strcmp(stale, current->token) == 0;
  if (current == NULL || refused ||
      (current->expires_at != 0 &&
       current->expires_at - now <= KEEP_FRESH_MIN_TTL)) {
    HsAccess *fresh =
        hs_access_obtain(session->stores, &session->record, session->api,
                         refused ? G_MAXINT32 : KEEP_FRESH_MIN_TTL, error);
    if (fresh != NULL) {
      if (fresh->note != NULL) session_note(session, fresh->note);
      hs_secure_lock(fresh->token, strlen(fresh->token));
      hs_access_free(session->access);
      session->access = current = fresh;
    }
  }
  if (current != NULL &&
      (current->expires_at == 0 || current->expires_at > now))
    token = hs_secure_dup(current->token);
  else if (error != NULL && *error == NULL)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                "no valid access token for the profile");
  g_mutex_unlock(&session->lock);
  return token;
}
