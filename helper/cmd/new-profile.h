/* SPDX-License-Identifier: MIT */
/* new-profile.h — the steps add, import and rotate share around writing a
 * new credential: may the profile be written, does HubSpot accept the
 * credential, storing it, and dropping a previous token whose 7 days are
 * over. */
#pragma once

#include <glib.h>
#include "core/record.h"
#include "core/stores.h"
#include "hubspot/api.h"

/* Ask HubSpot whether a new credential works (hs_auth_obtain) and record
 * what it says in `record`: hub id, hublet, scopes, a rotated refresh token,
 * the verified time; caches the access token.  A hub id already in `record`
 * that HubSpot contradicts is HS_ERR_REFUSED, the message prefixed with
 * `command` and naming `hub_source` ("--hub-id", "the file"). */
gboolean hs_new_profile_verify(HsApi *api, HsRecord *record,
                               const char *command, const char *hub_source,
                               GError **error);

/* Before writing `profile`: FALSE with HS_ERR_USAGE ("CMD: profile P already
 * exists; HINT") when it exists and !force, or with a store's error other
 * than "not found" / "unavailable".  An unavailable store is not fatal (a
 * headless host may list a Secret Service it never has): its message is
 * returned in *ret_unavailable (transfer full; NULL when none). */
gboolean hs_new_profile_may_write(HsStores *stores, const char *profile,
                                  gboolean force, const char *cmd,
                                  const char *hint, char **ret_unavailable,
                                  GError **error);

/* Store a new profile's `record` in `store` (NULL: the first available),
 * then make the token cache and the audit log say so: a token cached under
 * its name is dropped unless verification just cached this record's, and
 * `command` is audited "ok" when HubSpot accepted the record (its `verified`
 * time is set, see hs_new_profile_verify), else "ok-unverified".  The store
 * is named in *ret_saved_in (transfer none).  FALSE with the store's error,
 * before anything is dropped or audited. */
gboolean hs_new_profile_store(HsStores *stores, const HsRecord *record,
                              const char *store, const char *command,
                              const char **ret_saved_in, GError **error);

/* The other profiles (any name but record->profile) whose stored
 * long-lived secret equals `record`'s: the token, or an oauth profile's
 * refresh token.  The stores' records are loaded for this alone and each
 * secret is compared in time that depends on its length only; stores that
 * cannot be listed are skipped.  (transfer full) sorted, NULL-terminated,
 * empty when none. */
char **hs_new_profile_sharing(HsStores *stores, const HsRecord *record);

/* hs_new_profile_sharing() as a note on stderr for a profile just stored
 * (what rotating or revoking one does to the others), or nothing. */
void hs_new_profile_note_sharing(HsStores *stores, const HsRecord *record);

/* Drop `record`'s previous token if its 7 days are over at `now`, and save
 * that (to `store`), audited as rotate-expire; TRUE when it was due.  A
 * failed save is only a warning: readers ignore an expired previous. */
gboolean hs_new_profile_expire_previous(HsStores *stores, HsRecord *record,
                                        const char *store, gint64 now);
