/* SPDX-License-Identifier: MIT */
/* access.h — the bearer token to hand to a command: a static token
 * as stored, or a cached access token while it lasts, or a fresh one from
 * HubSpot — one refresh per profile at a time across processes; and the
 * session of one run, which decides which of these it needs. */
#ifndef HS_ACCESS_TOKEN_H
#define HS_ACCESS_TOKEN_H

#include <glib.h>

#include "core/digest.h"
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

/* A note for the user (an offline fallback, scopes that cannot be checked);
 * the program decides how to show it.  May be called from any thread. */
typedef void (*HsAccessNoteFunc)(const char *note, gpointer user_data);

/* What one run asks of a profile's access token (docs/design.md, "One
 * hs-exec run"). */
typedef struct {
  gint64 min_ttl;            /* refresh first if it expires within this */
  const char *const *scopes; /* the record must have these; NULL: any */
  /* Scopes the record does not know pass `scopes` with a note; otherwise
   * they fail it (HS_ERR_REFUSED): a check that cannot check refuses. */
  gboolean allow_unknown_scopes;
  gboolean need_record; /* the record itself, not only a token */
  /* hs_access_current() is asked again while COMMAND runs, and
   * hs_access_api() says where HubSpot is, whatever the kind. */
  gboolean keep_fresh;
  /* Every lookup and refresh in a short-lived process of its own, so that
   * the record's client secret and refresh token never enter this one
   * (for a process that outlives the open: hs-exec --file, --mask,
   * --proxy).  hs_access_open() must then be called while the process
   * runs one thread. */
  gboolean isolate;
  HsAccessNoteFunc note; /* or NULL */
  gpointer note_data;
} HsAccessWant;

/* A profile's access token with what it took to get it: the configuration,
 * the stores, the record and the API client. */
typedef struct HsAccessSession HsAccessSession;

/* The access token of `profile` as `want` asks.  A cached token that
 * outlives min_ttl is used without a store or HubSpot when nothing more is
 * asked (no scopes, no record, not kept fresh); otherwise the record is read
 * through the configured stores, its scopes checked, an API client made for
 * the kinds HubSpot refreshes (for every kind when keep_fresh), and the
 * token obtained with hs_access_obtain().  (transfer full) NULL with the
 * error of whichever step failed; HS_ERR_REFUSED when the record lacks one
 * of the scopes, or does not know its scopes (only a note with
 * allow_unknown_scopes). */
HsAccessSession *hs_access_open(const char *profile, const HsAccessWant *want,
                                GError **error);

/* Wipe the token and the record now (COMMAND has its copy); the stores and
 * the API client stay until hs_access_close(). */
void hs_access_forget(HsAccessSession *session);

/* Close the connection to HubSpot the API client keeps (before COMMAND is
 * forked: libcurl's sockets and socketpair are its until then). */
void hs_access_disconnect(HsAccessSession *session);

/* Wipe and free everything the session holds.  NULL is fine. */
void hs_access_close(HsAccessSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsAccessSession, hs_access_close)

/* The token obtained at open (transfer none: SECRET), NULL after
 * hs_access_forget(); and when it expires (unix seconds, 0: never).  Not
 * while another thread may call hs_access_current(). */
const char *hs_access_token(const HsAccessSession *session);
gint64 hs_access_expires_at(const HsAccessSession *session);

/* The account id HubSpot or the record gave at open, or NULL (transfer
 * none). */
const char *hs_access_hub_id(const HsAccessSession *session);

/* The profile's record (transfer none), or NULL when the token came from the
 * cache, and after hs_access_forget(). */
const HsRecord *hs_access_record(const HsAccessSession *session);

/* The API client (transfer none), or NULL for a static kind unless
 * keep_fresh, and when the token came from the cache. */
const HsApi *hs_access_api(const HsAccessSession *session);

/* Isolated: what stands for the record's client secret and refresh token
 * (terminated by a digest of len 0; transfer none) and the key they were
 * made with (*ret_key, transfer none).  NULL when not isolated. */
const HsDigest *hs_access_secret_digests(const HsAccessSession *session,
                                         const guint8 **ret_key);

/* The current token of a session opened with keep_fresh, refreshed first
 * when it has less than a minute left, or whatever its expiry when `stale`
 * (or NULL) is the token HubSpot just refused.  Safe from many threads.
 * (transfer full: SECRET, free with hs_secure_free) NULL with the refresh's
 * error, or HS_ERR_NETWORK when no valid token is left. */
char *hs_access_current(HsAccessSession *session, const char *stale,
                        GError **error);

#endif
