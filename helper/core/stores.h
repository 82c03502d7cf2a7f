/* SPDX-License-Identifier: MIT */
/* stores.h — the configured, ordered stores as one: lookup with NSS-style
 * actions, save, remove from all, list across all. */
#ifndef HS_STORE_H
#define HS_STORE_H

#include <glib.h>

#include "core/config.h"
#include "core/record.h"

typedef struct HsStores HsStores;

/* Load and open every configured store.  A store whose plugin is refused or
 * cannot open is kept as unavailable, with its reason; an unknown store name
 * is a configuration error (HS_ERR_CONFIG).  The stores keep a reference to
 * what they need of `config`, which may be freed afterwards.
 * (transfer full) */
HsStores *hs_stores_open(const HsConfig *config, GError **error);

void hs_stores_free(HsStores *stores);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsStores, hs_stores_free)

/* The record of `profile` from the first store that has it, and that store's
 * name in *ret_store (transfer none, may be NULL).  HS_ERR_NOT_FOUND when every
 * store answered "not found"; HS_ERR_UNAVAILABLE naming each store and why
 * when a store that might hold it could not be asked.  (transfer full) */
HsRecord *hs_stores_lookup(HsStores *stores, const char *profile,
                           const char **ret_store, GError **error);

/* Save `record` to the store named `store` (NULL: the first available one).
 * The store's name is set in *ret_store (transfer none, may be NULL).  A
 * record with store_until goes through the store's store_until hook; a
 * store without one is HS_ERR_USAGE. */
gboolean hs_stores_save(HsStores *stores, const HsRecord *record,
                        const char *store, const char **ret_store,
                        GError **error);

/* Whether hs_stores_save(…, store, …) has a store to try: the one named
 * `store`, or any when NULL, opened without error (and, `with_lifetime`,
 * able to forget a profile by itself: a record with store_until).  FALSE
 * with HS_ERR_USAGE for a store not configured or one that cannot keep a
 * lifetime, HS_ERR_UNAVAILABLE naming each store and why otherwise.  (Lets
 * a caller fail before reading a secret.) */
gboolean hs_stores_can_save(HsStores *stores, const char *store,
                            gboolean with_lifetime, GError **error);

typedef enum {
  HS_STORE_AVAILABLE,
  HS_STORE_LOCKED, /* it answers, but the user must unlock it */
  HS_STORE_UNAVAILABLE
} HsStoreState;

/* How one configured store is doing, for `hs-token doctor`.  The strings
 * are borrowed for the callback. */
typedef struct {
  const char *name; /* as configured */
  const char *path; /* the plugin file, or NULL when not available */
  HsStoreState state;
  const char *why;  /* why not available (or why listing failed) */
  const char *fix;  /* what to do about it, as the store says; or NULL */
  const char *note; /* worth knowing while it is available, or NULL */
  int profiles;     /* profiles it holds, -1 when unknown */
} HsStoreStatus;

typedef void (*HsStoreStatusFn)(const HsStoreStatus *status, void *user_data);

/* Call `fn` once per configured store, in order.  The state is the store's
 * own answer where its plugin can give one (ABI 1.1 probe); otherwise a
 * store is available when it opened and its profiles can be listed. */
void hs_stores_status(HsStores *stores, HsStoreStatusFn fn, void *user_data);

/* Remove `profile` from every store.  HS_ERR_NOT_FOUND when none had it. */
gboolean hs_stores_remove(HsStores *stores, const char *profile,
                          GError **error);

/* One listed profile: its record (secrets loaded) and the store holding it,
 * both borrowed for the call. */
typedef void (*HsStoresListFn)(const HsRecord *record, const char *store,
                               void *user_data);

/* Call `fn` for each profile of each available store.  Stores that are
 * unavailable are described in *ret_warnings (transfer full, char*
 * messages); when no store is available at all, HS_ERR_UNAVAILABLE. */
gboolean hs_stores_list(HsStores *stores, HsStoresListFn fn, void *user_data,
                        GPtrArray **ret_warnings, GError **error);

/* One listed profile as its store's attributes give it, without its
 * secret; every string borrowed for the call. */
typedef struct {
  const char *profile; /* a valid profile name */
  HsKind kind;
  const char *hub_id; /* or NULL */
  const char *store;
} HsStoresEntry;

typedef void (*HsStoresEntryFn)(const HsStoresEntry *entry, void *user_data);

/* hs_stores_list without the secrets: each store is asked for its
 * attributes only (list() without HS_LIST_SECRETS), so that nothing is
 * decrypted to print metadata.  An entry whose attributes are not valid is
 * skipped with a warning. */
gboolean hs_stores_list_entries(HsStores *stores, HsStoresEntryFn fn,
                                void *user_data, GPtrArray **ret_warnings,
                                GError **error);

#endif
