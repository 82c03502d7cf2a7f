/* SPDX-License-Identifier: MIT */
/* access.c — the bearer token to hand to a command, and the policy of one
 * run: when the cache will do, what needs the stores and HubSpot. */
#include "config.h"

#include <string.h>

#include "hubspot/access.h"
#include "base/audit.h"
#include "core/config.h"
#include "core/fault.h"
#include "core/error.h"
#include "hubspot/auth.h"
#include "hubspot/isolate.h"
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
  HsStores *stores; /* NULL when isolated */
  /* NULL when the token came from the cache; isolated, the record without
   * its client secret, refresh token and previous token. */
  HsRecord *record;
  HsApi *api;
  HsAccess *access;
  char *hub_id;
  HsAccessNoteFunc note;
  gpointer note_data;
  /* Isolated (want->isolate): the helper process that does every lookup
   * and refresh, the profile to ask it about, and what stands for the
   * secrets this process never holds. */
  HsIsolate *isolate;
  char *profile;
  GArray *digests; /* HsDigest, terminated by one of len 0 */
  guint8 digest_key[HS_DIGEST_KEY_LEN];
};

static void session_note(HsAccessSession *session, const char *note) {
  if (session->note != NULL) session->note(note, session->note_data);
}

/* The wanted scopes: refused when the record lacks one, or when HubSpot
 * never told them (a profile added with --no-verify) unless the run allows
 * that, when a note says what went unchecked. */
static gboolean check_scopes(HsAccessSession *session,
                             const char *const *wanted, gboolean allow_unknown,
                             GError **error) {
  const HsRecord *record = session->record;

  for (const char *const *s = wanted; s && *s; s++) {
    if (record->scopes == NULL && allow_unknown) {
      g_autofree char *note = g_strdup_printf(
          "the scopes of profile %s are unknown, so --require-scope %s "
          "cannot be checked",
          record->profile, *s);
      session_note(session, note);
      return TRUE;
    }
    if (record->scopes == NULL) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                  "the scopes of profile %s are unknown, so --require-scope "
                  "%s cannot be checked; record them with 'hs-token add %s "
                  "--force' (verified with HubSpot), or pass "
                  "--allow-unknown-scopes to run anyway",
                  record->profile, *s, record->profile);
      return FALSE;
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
  if (!check_scopes(session, want->scopes, want->allow_unknown_scopes, error))
    return FALSE;
  if (!hs_kind_is_static(session->record->kind) || want->keep_fresh) {
    g_autofree char *note = NULL;

    session->api = hs_api_new_for_config(session->config, error);
    if (session->api == NULL) return FALSE;
    /* Said on every run that talks to HubSpot elsewhere than at HubSpot. */
    note = hs_api_note(session->api);
    if (note != NULL) session_note(session, note);
  }
  session->access = hs_access_obtain(session->stores, &session->record,
                                     session->api, want->min_ttl, error);
  return session->access != NULL;
}

static HsAccessSession *open_isolated(const char *profile,
                                      const HsAccessWant *want, GError **error);

HsAccessSession *hs_access_open(const char *profile, const HsAccessWant *want,
                                GError **error) {
  g_autoptr(HsAccessSession) session = NULL;
  HsAccess *access;

  if (want->isolate) return open_isolated(profile, want, error);
  session = g_new0(HsAccessSession, 1);
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
  /* Nothing is asked of it after this. */
  g_clear_pointer(&session->isolate, hs_isolate_stop);
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
  g_free(session->profile);
  if (session->digests != NULL) g_array_free(session->digests, TRUE);
  explicit_bzero(session->digest_key, sizeof session->digest_key);
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

/* ---- isolated sessions: every secret of the record stays in a worker ---- */

static void put_error(GVariantDict *d, const GError *error) {
  g_variant_dict_insert(d, "error-code", "i",
                        (gint32)hs_error_exit_code(error));
  g_variant_dict_insert(d, "error-message", "s", error->message);
}

static gboolean take_error(GVariant *answer, GError **error) {
  gint32 code;
  const char *message;

  if (!g_variant_lookup(answer, "error-code", "i", &code)) return FALSE;
  if (!g_variant_lookup(answer, "error-message", "&s", &message))
    message = "the token could not be obtained";
  g_set_error_literal(error, HS_ERROR_DOMAIN, code, message);
  return TRUE;
}

static void put_string(GVariantDict *d, const char *key, const char *value) {
  if (value != NULL) g_variant_dict_insert(d, key, "s", value);
}

/* (transfer full) of the string at `key`, or NULL; SECRET when `secret`. */
static char *take_string(GVariant *answer, const char *key) {
  const char *value;

  return g_variant_lookup(answer, key, "&s", &value) ? g_strdup(value) : NULL;
}

static void put_access(GVariantDict *d, const HsAccess *access) {
  put_string(d, "token", access->token);
  g_variant_dict_insert(d, "expires-at", "x", access->expires_at);
  put_string(d, "hub-id", access->hub_id);
  g_variant_dict_insert(d, "from-cache", "b", access->from_cache);
  g_variant_dict_insert(d, "requests", "i", (gint32)access->requests);
  put_string(d, "note", access->note);
}

static HsAccess *take_access(GVariant *answer) {
  HsAccess *access = g_new0(HsAccess, 1);
  const char *token = NULL;
  gint32 requests = 0;

  /* Straight from the message, which is wiped when freed. */
  if (g_variant_lookup(answer, "token", "&s", &token))
    access->token = hs_secure_dup(token);
  (void)g_variant_lookup(answer, "expires-at", "x", &access->expires_at);
  access->hub_id = take_string(answer, "hub-id");
  (void)g_variant_lookup(answer, "from-cache", "b", &access->from_cache);
  (void)g_variant_lookup(answer, "requests", "i", &requests);
  access->requests = requests;
  access->note = take_string(answer, "note");
  if (access->token == NULL) g_clear_pointer(&access, hs_access_free);
  return access;
}

static void collect_note(const char *note, gpointer user_data) {
  g_ptr_array_add(user_data, g_strdup(note));
}

/* In the worker: open the session as a process that keeps no secret for
 * long would not, and answer with what the caller may hold. */
static GVariant *answer_open(GVariant *request) {
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsAccessSession) session = NULL;
  g_autofree char *profile = NULL;
  g_auto(GStrv) scopes = NULL;
  HsAccessWant want = {0};
  GVariantDict d;
  gsize key_len = 0;
  g_autoptr(GVariant) key = NULL;

  g_variant_dict_init(&d, NULL);
  (void)g_variant_lookup(request, "profile", "s", &profile);
  (void)g_variant_lookup(request, "min-ttl", "x", &want.min_ttl);
  if (g_variant_lookup(request, "scopes", "^as", &scopes))
    want.scopes = (const char *const *)scopes;
  (void)g_variant_lookup(request, "allow-unknown-scopes", "b",
                         &want.allow_unknown_scopes);
  (void)g_variant_lookup(request, "need-record", "b", &want.need_record);
  (void)g_variant_lookup(request, "keep-fresh", "b", &want.keep_fresh);
  key =
      g_variant_lookup_value(request, "digest-key", G_VARIANT_TYPE_BYTESTRING);
  want.note = collect_note;
  want.note_data = notes;
  session = profile ? hs_access_open(profile, &want, &error) : NULL;
  if (session == NULL) {
    if (error == NULL)
      g_set_error(&error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "no profile");
    put_error(&d, error);
    return g_variant_dict_end(&d);
  }
  g_ptr_array_add(notes, NULL);
  g_variant_dict_insert(&d, "notes", "^as", notes->pdata);
  /* Its note went out through collect_note already. */
  g_clear_pointer(&session->access->note, g_free);
  put_access(&d, session->access);
  put_string(&d, "session-hub-id", session->hub_id);
  if (session->record != NULL) {
    const HsRecord *r = session->record;
    const guint8 *k = key ? g_variant_get_fixed_array(key, &key_len, 1) : NULL;
    GVariantBuilder digests;

    put_string(&d, "profile", r->profile);
    g_variant_dict_insert(&d, "kind", "i", (gint32)r->kind);
    put_string(&d, "record-hub-id", r->hub_id);
    put_string(&d, "hublet", r->hublet);
    put_string(&d, "client-id", r->client_id);
    if (r->scopes != NULL)
      g_variant_dict_insert(&d, "scopes", "^as", r->scopes);
    /* The static token is the access token itself, or the personal access
     * key --format hubspot-cli hands over: the caller holds it anyway. */
    put_string(&d, "record-token", r->token);
    g_variant_builder_init(&digests, G_VARIANT_TYPE("aay"));
    for (int i = 0; i < 2 && k != NULL && key_len == HS_DIGEST_KEY_LEN; i++) {
      const char *secret = i == 0 ? r->client_secret : r->refresh_token;
      HsDigest digest;
      if (secret == NULL || *secret == '\0') continue;
      hs_digest_make(k, secret, &digest);
      g_variant_builder_add_value(
          &digests, g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, &digest,
                                              sizeof digest, 1));
    }
    g_variant_dict_insert_value(&d, "digests", g_variant_builder_end(&digests));
  }
  return g_variant_dict_end(&d);
}

/* In the worker: what hs_access_current() needs done, from the stores. */
static GVariant *answer_current(GVariant *request) {
  g_autoptr(GError) error = NULL;
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(HsAccess) access = NULL;
  g_autofree char *profile = NULL;
  gint64 min_ttl = 0;
  GVariantDict d;

  g_variant_dict_init(&d, NULL);
  (void)g_variant_lookup(request, "profile", "s", &profile);
  (void)g_variant_lookup(request, "min-ttl", "x", &min_ttl);
  if ((config = hs_config_load(&error)) != NULL &&
      (stores = hs_stores_open(config, &error)) != NULL &&
      (record = hs_stores_lookup(stores, profile, NULL, &error)) != NULL &&
      (api = hs_api_new_for_config(config, &error)) != NULL)
    access = hs_access_obtain(stores, &record, api, min_ttl, &error);
  if (access == NULL)
    put_error(&d, error);
  else
    put_access(&d, access);
  return g_variant_dict_end(&d);
}

static GVariant *answer(GVariant *request) {
  const char *op = "";

  (void)g_variant_lookup(request, "op", "&s", &op);
  return g_str_equal(op, "current") ? answer_current(request)
                                    : answer_open(request);
}

static HsAccess *obtain_isolated(HsAccessSession *session, gint64 min_ttl,
                                 GError **error) {
  g_autoptr(GVariant) reply = NULL;
  GVariantDict d;
  HsAccess *access;

  g_variant_dict_init(&d, NULL);
  g_variant_dict_insert(&d, "op", "s", "current");
  g_variant_dict_insert(&d, "profile", "s", session->profile);
  g_variant_dict_insert(&d, "min-ttl", "x", min_ttl);
  reply = hs_isolate_call(session->isolate, g_variant_dict_end(&d), error);
  if (reply == NULL || take_error(reply, error)) return NULL;
  access = take_access(reply);
  if (access == NULL)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "the process that refreshes the token sent no token");
  return access;
}

/* The record without its secrets, from an answer of answer_open(). */
static HsRecord *take_record(GVariant *answer) {
  g_autofree char *profile = take_string(answer, "profile");
  gint32 kind = 0;
  HsRecord *record;
  const char *token = NULL;

  if (profile == NULL || !g_variant_lookup(answer, "kind", "i", &kind))
    return NULL;
  record = hs_record_new(profile, (HsKind)kind);
  record->hub_id = take_string(answer, "record-hub-id");
  record->hublet = take_string(answer, "hublet");
  record->client_id = take_string(answer, "client-id");
  (void)g_variant_lookup(answer, "scopes", "^as", &record->scopes);
  if (g_variant_lookup(answer, "record-token", "&s", &token))
    record->token = hs_secure_dup(token);
  return record;
}

static HsAccessSession *open_isolated(const char *profile,
                                      const HsAccessWant *want,
                                      GError **error) {
  g_autoptr(HsAccessSession) session = g_new0(HsAccessSession, 1);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) digests = NULL;
  g_autofree const char **notes = NULL;
  HsDigest none = {0};
  GVariantDict d;

  g_mutex_init(&session->lock);
  session->note = want->note;
  session->note_data = want->note_data;
  session->profile = g_strdup(profile);
  session->digests = g_array_new(FALSE, FALSE, sizeof(HsDigest));
  hs_digest_new_key(session->digest_key);
  /* First, while this process holds no secret and runs no thread. */
  session->isolate = hs_isolate_start(answer, error);
  if (session->isolate == NULL) return NULL;
  if (want->keep_fresh) {
    /* Where the proxy sends requests; the worker has its own client. */
    session->config = hs_config_load(error);
    if (session->config == NULL) return NULL;
    session->api = hs_api_new_for_config(session->config, error);
    if (session->api == NULL) return NULL;
  }
  g_variant_dict_init(&d, NULL);
  g_variant_dict_insert(&d, "op", "s", "open");
  g_variant_dict_insert(&d, "profile", "s", profile);
  g_variant_dict_insert(&d, "min-ttl", "x", want->min_ttl);
  if (want->scopes != NULL)
    g_variant_dict_insert(&d, "scopes", "^as", want->scopes);
  g_variant_dict_insert(&d, "allow-unknown-scopes", "b",
                        want->allow_unknown_scopes);
  g_variant_dict_insert(&d, "need-record", "b", want->need_record);
  g_variant_dict_insert(&d, "keep-fresh", "b", want->keep_fresh);
  g_variant_dict_insert_value(
      &d, "digest-key",
      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, session->digest_key,
                                HS_DIGEST_KEY_LEN, 1));
  reply = hs_isolate_call(session->isolate, g_variant_dict_end(&d), error);
  if (reply == NULL || take_error(reply, error)) return NULL;
  session->access = take_access(reply);
  if (session->access == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "the process that looks up the token sent no token");
    return NULL;
  }
  session->record = take_record(reply);
  session->hub_id = take_string(reply, "session-hub-id");
  digests = g_variant_lookup_value(reply, "digests", G_VARIANT_TYPE("aay"));
  for (gsize i = 0; digests && i < g_variant_n_children(digests); i++) {
    g_autoptr(GVariant) one = g_variant_get_child_value(digests, i);
    gsize len = 0;
    const void *data = g_variant_get_fixed_array(one, &len, 1);
    HsDigest digest;
    if (len != sizeof digest) continue;
    memcpy(&digest, data, sizeof digest);
    g_array_append_val(session->digests, digest);
  }
  g_array_append_val(session->digests, none);
  hs_secure_lock(session->access->token, strlen(session->access->token));
  if (g_variant_lookup(reply, "notes", "^a&s", &notes))
    for (const char **n = notes; *n; n++) session_note(session, *n);
  return g_steal_pointer(&session);
}

const HsDigest *hs_access_secret_digests(const HsAccessSession *session,
                                         const guint8 **ret_key) {
  *ret_key = session->digest_key;
  return session->digests ? (const HsDigest *)session->digests->data : NULL;
}

char *hs_access_current(HsAccessSession *session, const char *stale,
                        GError **error) {
  HsAccess *current;
  gint64 now = now_s();
  char *token = NULL;
  gboolean refused;

  g_return_val_if_fail(session->stores != NULL || session->isolate != NULL,
                       NULL);
  g_mutex_lock(&session->lock);
  current = session->access;
  /* HubSpot refused the current one: a refresh whatever its expiry says
   * (a static token has none, and stays as it is). */
  refused =
      stale != NULL && current != NULL && strcmp(stale, current->token) == 0;
  if (current == NULL || refused ||
      (current->expires_at != 0 &&
       current->expires_at - now <= KEEP_FRESH_MIN_TTL)) {
    gint64 min_ttl = refused ? G_MAXINT32 : KEEP_FRESH_MIN_TTL;
    HsAccess *fresh = session->isolate != NULL
                          ? obtain_isolated(session, min_ttl, error)
                          : hs_access_obtain(session->stores, &session->record,
                                             session->api, min_ttl, error);
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
