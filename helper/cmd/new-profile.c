/* SPDX-License-Identifier: MIT */
/* new-profile.c — see new-profile.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd/new-profile.h"
#include "base/audit.h"
#include "core/error.h"
#include "core/kind.h"
#include "core/rotation.h"
#include "core/secure.h"
#include "hubspot/auth.h"
#include "hubspot/cache.h"

gboolean hs_new_profile_verify(HsApi *api, HsRecord *record,
                               const char *command, const char *hub_source,
                               GError **error) {
  g_autoptr(HsGrant) grant = hs_auth_obtain(api, record, error);

  if (grant == NULL) return FALSE;
  if (record->hub_id != NULL && grant->hub_id != NULL &&
      strcmp(record->hub_id, grant->hub_id) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "%s: the credential belongs to hub %s, not hub %s as %s "
                "says; nothing was stored",
                command, grant->hub_id, record->hub_id, hub_source);
    return FALSE;
  }
  if (grant->hub_id != NULL) {
    g_free(record->hub_id);
    record->hub_id = g_steal_pointer(&grant->hub_id);
  }
  if (grant->hublet != NULL) {
    g_free(record->hublet);
    record->hublet = g_steal_pointer(&grant->hublet);
  }
  if (record->kind == HS_KIND_SERVICE_KEY && grant->app_id != 0) {
    /* The kind decides what hs-token may ask HubSpot about the token later
     * (its scopes): HubSpot's word beats the option's. */
    fprintf(stderr,
            "hs-token: note: HubSpot reports this token as legacy private "
            "app %" G_GINT64_FORMAT
            "'s, not a service key; profile %s is "
            "stored as --kind private-app\n",
            grant->app_id, record->profile);
    record->kind = HS_KIND_PRIVATE_APP;
    if (record->hublet == NULL)
      record->hublet = hs_kind_hublet_from_token(record->kind, record->token);
  }
  if (grant->scopes != NULL) {
    g_strfreev(record->scopes);
    record->scopes = g_steal_pointer(&grant->scopes);
  }
  if (grant->refresh_token != NULL && record->kind == HS_KIND_OAUTH) {
    hs_secure_free(record->refresh_token);
    record->refresh_token = g_steal_pointer(&grant->refresh_token);
  }
  record->verified = g_get_real_time() / G_USEC_PER_SEC;
  if (grant->expires_at != 0)
    (void)hs_cache_put(record->profile, grant->access_token, grant->expires_at,
                       record->hub_id, record->verified);
  return TRUE;
}

gboolean hs_new_profile_may_write(HsStores *stores, const char *profile,
                                  gboolean force, const char *cmd,
                                  const char *hint, char **ret_unavailable,
                                  GError **error) {
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(HsRecord) existing =
      hs_stores_lookup(stores, profile, NULL, &lookup_error);

  if (ret_unavailable != NULL) *ret_unavailable = NULL;
  if (existing != NULL) {
    if (force) return TRUE;
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "%s: profile %s already exists; %s", cmd, profile, hint);
    return FALSE;
  }
  if (lookup_error->code == HS_ERR_UNAVAILABLE) {
    if (ret_unavailable != NULL)
      *ret_unavailable = g_strdup(lookup_error->message);
    return TRUE;
  }
  if (lookup_error->code != HS_ERR_NOT_FOUND) {
    g_propagate_error(error, g_steal_pointer(&lookup_error));
    return FALSE;
  }
  return TRUE;
}

gboolean hs_new_profile_store(HsStores *stores, const HsRecord *record,
                              const char *store, const char *command,
                              const char **ret_saved_in, GError **error) {
  gboolean verified = record->verified != 0;

  if (!hs_stores_save(stores, record, store, ret_saved_in, error)) return FALSE;
  /* A token cached for a profile of this name before (--force) is not this
   * profile's: verification cached a fresh one, or there is none. */
  if (!verified || hs_kind_is_static(record->kind))
    hs_cache_drop(record->profile);
  hs_audit(command, record->profile, hs_kind_name(record->kind),
           verified ? "ok" : "ok-unverified", NULL);
  return TRUE;
}

gboolean hs_new_profile_expire_previous(HsStores *stores, HsRecord *record,
                                        const char *store, gint64 now) {
  g_autoptr(GError) error = NULL;

  if (!hs_rotation_expire(record, now)) return FALSE;
  if (!hs_stores_save(stores, record, store, NULL, &error)) {
    fprintf(stderr,
            "hs-token: warning: the previous token of profile %s is past its "
            "7 days but could not be dropped (%s); it is ignored\n",
            record->profile, error->message);
    return TRUE;
  }
  hs_audit("rotate-expire", record->profile, hs_kind_name(record->kind), "ok",
           NULL);
  return TRUE;
}

/* What a profile holds for long; what rotation or revocation ends. */
static const char *long_lived_secret(const HsRecord *record) {
  return record->kind == HS_KIND_OAUTH ? record->refresh_token : record->token;
}

/* Equal secrets, without an early exit that would time the first
 * difference. */
static gboolean secret_equal(const char *a, const char *b) {
  size_t len;
  unsigned char diff = 0;

  if (a == NULL || b == NULL || (len = strlen(a)) != strlen(b)) return FALSE;
  for (size_t i = 0; i < len; i++) diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
}

typedef struct {
  const HsRecord *record;
  GPtrArray *names;
} Sharing;

static void collect_sharing(const HsRecord *other, const char *store,
                            void *user_data) {
  Sharing *sharing = user_data;

  (void)store;
  if (strcmp(other->profile, sharing->record->profile) == 0) return;
  if (!secret_equal(long_lived_secret(sharing->record),
                    long_lived_secret(other)))
    return;
  for (guint i = 0; i < sharing->names->len; i++)
    if (strcmp(g_ptr_array_index(sharing->names, i), other->profile) == 0)
      return; /* in two stores */
  g_ptr_array_add(sharing->names, g_strdup(other->profile));
}

static gint compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **hs_new_profile_sharing(HsStores *stores, const HsRecord *record) {
  g_autoptr(GPtrArray) warnings = NULL;
  Sharing sharing = {record, g_ptr_array_new()};

  if (long_lived_secret(record) != NULL)
    (void)hs_stores_list(stores, collect_sharing, &sharing, &warnings, NULL);
  g_ptr_array_sort(sharing.names, compare_names);
  g_ptr_array_add(sharing.names, NULL);
  return (char **)g_ptr_array_free(sharing.names, FALSE);
}

void hs_new_profile_note_sharing(HsStores *stores, const HsRecord *record) {
  g_auto(GStrv) others = hs_new_profile_sharing(stores, record);
  g_autofree char *list = NULL;

  if (others[0] == NULL) return;
  list = g_strjoinv(", ", others);
  fprintf(stderr,
          "hs-token: note: profile%s %s already hold%s this %s; rotating or "
          "revoking it for one ends it for all\n",
          others[1] ? "s" : "", list, others[1] ? "" : "s",
          record->kind == HS_KIND_OAUTH ? "refresh token" : "credential");
}
