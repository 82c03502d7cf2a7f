/* SPDX-License-Identifier: MIT */
/* hs-token rotate: a new token for a profile.
 *
 * Static kinds (private-app, service-key): the new token comes from stdin,
 * HubSpot must say it belongs to the profile's hub, then it becomes current
 * and the old one is kept as *previous* for 7 days (rotation.h), until
 * --commit drops it or --rollback swaps back.  oauth / personal-access-key:
 * a refresh now, through the single-flight path every hs-exec uses.
 *
 * Crash safety.  The record is one document, written by one store() call
 * that replaces it whole (the Secret Service plugin writes the new item
 * before pruning the old one and lookup takes the newest; the keyctl
 * plugin's add_key() swaps the payload atomically).  So at any instant the
 * store holds either the old record or the new one, never a mix or none:
 *   read new token → verify with HubSpot → begin (in memory) → save → audit
 * A kill before `save` leaves the old record (old token current, still
 * valid at HubSpot); a kill after it leaves the new one, which carries the
 * old token as previous.  Nothing is ever dropped before the record that
 * no longer needs it is stored: --commit and the 7-day expiry are a later,
 * separate write of a record that already holds the new token as current.
 * Every change bumps the record's `generation`, so which record survived a
 * crash can be read back (`hs-token show --json`).  Fault points (fault.h)
 * name each step for the test builds' kill tests. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubspot/access.h"
#include "base/audit.h"
#include "cmd/new-profile.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "core/fault.h"
#include "core/config.h"
#include "core/error.h"
#include "hubspot/auth.h"
#include "core/kind.h"
#include "core/profile-name.h"
#include "core/record.h"
#include "core/rotation.h"
#include "core/secret-input.h"
#include "core/secure.h"
#include "core/stores.h"
#include "hubspot/cache.h"
#include "cmd/commands.h"

static const char *outcome_of(const GError *error) {
  if (error == NULL) return "ok";
  switch (error->code) {
    case HS_ERR_REFUSED:
      return "refused";
    case HS_ERR_NETWORK:
      return "unreachable";
    case HS_ERR_UNAVAILABLE:
      return "store-unavailable";
    default:
      return "failed";
  }
}

/* Ask HubSpot about `token` as `record`'s kind: the grant, whose hub must
 * be the profile's. */
static gboolean verify_same_hub(HsApi *api, HsRecord *record, const char *token,
                                HsGrant **ret_grant, GError **error) {
  g_autoptr(HsRecord) probe = hs_record_new(record->profile, record->kind);
  g_autoptr(HsGrant) grant = NULL;
  g_autofree char *old_hub = g_strdup(record->hub_id);

  if (old_hub == NULL) {
    /* Added with --no-verify: learn the hub from the current token. */
    g_autoptr(HsGrant) old = hs_auth_obtain(api, record, NULL);
    if (old == NULL || old->hub_id == NULL) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                  "rotate: profile %s's hub is not recorded and its current "
                  "token cannot tell it, so the new token's hub cannot be "
                  "checked; nothing changed (replace the profile with "
                  "'hs-token add %s --force' instead)",
                  record->profile, record->profile);
      return FALSE;
    }
    old_hub = g_steal_pointer(&old->hub_id);
  }
  probe->token = hs_secure_dup(token);
  grant = hs_auth_obtain(api, probe, error);
  if (grant == NULL) {
    g_prefix_error(error,
                   "rotate: the new token was not accepted, nothing "
                   "changed: ");
    return FALSE;
  }
  if (grant->hub_id == NULL || strcmp(grant->hub_id, old_hub) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "rotate: the new token belongs to hub %s, not to profile %s's "
                "hub %s; nothing changed (check you copied the token of the "
                "right account)",
                grant->hub_id ? grant->hub_id : "unknown", record->profile,
                old_hub);
    return FALSE;
  }
  *ret_grant = g_steal_pointer(&grant);
  return TRUE;
}

static gboolean rotate_static(HsStores *stores, HsRecord *record,
                              const char *store, HsApi *api, gint64 now,
                              GError **error) {
  g_autoptr(HsGrant) grant = NULL;
  g_autofree char *prompt = g_strdup_printf(
      "New HubSpot %s for %s (input hidden): ", hs_kind_name(record->kind),
      record->profile);
  g_autofree char *until = NULL;
  char *token;

  token = hs_secret_read_token(STDIN_FILENO, record->kind, prompt, error);
  if (token == NULL) return FALSE;
  hs_fault_point("read");
  if (strcmp(token, record->token) == 0) {
    hs_secure_free(token);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "rotate: that is profile %s's current token; rotate it in "
                "HubSpot first and give the new one",
                record->profile);
    return FALSE;
  }
  if (!verify_same_hub(api, record, token, &grant, error)) {
    hs_secure_free(token);
    return FALSE;
  }
  hs_fault_point("verified");
  if (!hs_rotation_begin(record, token, now, error)) return FALSE;
  if (record->hub_id == NULL) record->hub_id = g_strdup(grant->hub_id);
  if (grant->hublet != NULL) {
    g_free(record->hublet);
    record->hublet = g_steal_pointer(&grant->hublet);
  }
  if (grant->scopes != NULL) {
    g_strfreev(record->scopes);
    record->scopes = g_steal_pointer(&grant->scopes);
  }
  record->verified = now;
  hs_fault_point("before-save");
  if (!hs_stores_save(stores, record, store, NULL, error)) {
    g_prefix_error(error, "rotate: nothing changed: ");
    return FALSE;
  }
  hs_fault_point("saved");
  until = hs_output_format_time(record->previous_until);
  printf(
      "Rotated profile %s: the new token is current (hub %s). The previous "
      "one stays available until %s;\n'hs-token rotate %s --commit' drops it "
      "now, 'hs-token rotate %s --rollback' goes back to it.\n",
      record->profile, record->hub_id, until, record->profile, record->profile);
  return TRUE;
}

/* Whether stdin holds more than blanks, piped or redirected: a rotation
 * that reads nothing must not drop a token given to it unnoticed.  A pipe
 * is looked at without waiting, so an idle one left open never blocks. */
static gboolean stdin_has_input(void) {
  struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
  struct stat st;
  char buf[256];
  ssize_t n;
  gboolean found = FALSE;

  if (isatty(STDIN_FILENO) || fstat(STDIN_FILENO, &st) != 0) return FALSE;
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
    return FALSE;
  if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN)) return FALSE;
  n = read(STDIN_FILENO, buf, sizeof buf);
  for (ssize_t i = 0; i < n && !found; i++) found = !g_ascii_isspace(buf[i]);
  explicit_bzero(buf, sizeof buf);
  return found;
}

static gboolean rotate_refresh(HsStores *stores, HsRecord **record, HsApi *api,
                               GError **error) {
  g_autoptr(HsAccess) access = NULL;
  g_autofree char *expires = NULL;
  char *old_refresh = hs_secure_dup((*record)->refresh_token);
  gboolean new_refresh;

  access = hs_access_refresh_now(stores, record, api, error);
  new_refresh = access != NULL && (*record)->refresh_token != NULL &&
                old_refresh != NULL &&
                strcmp(old_refresh, (*record)->refresh_token) != 0;
  hs_secure_free(old_refresh);
  if (access == NULL) return FALSE;
  expires = hs_output_format_time(access->expires_at);
  printf("Refreshed profile %s: a new access token, cached until %s%s.\n",
         (*record)->profile, expires ? expires : "unknown",
         new_refresh ? "; HubSpot issued a new refresh token, which is stored"
                     : "");
  if (access->note != NULL)
    fprintf(stderr, "hs-token: note: %s\n", access->note);
  return TRUE;
}

static gboolean commit_or_rollback(HsStores *stores, HsRecord *record,
                                   const char *store, gboolean rollback,
                                   GError **error) {
  gboolean ok = rollback ? hs_rotation_rollback(record, error)
                         : hs_rotation_commit(record, error);

  if (!ok) return FALSE;
  hs_fault_point("before-save");
  if (!hs_stores_save(stores, record, store, NULL, error)) {
    g_prefix_error(error, "rotate: nothing changed: ");
    return FALSE;
  }
  hs_fault_point("saved");
  if (rollback)
    printf(
        "Rolled profile %s back to its previous token; the rejected one is "
        "kept as previous until its 7 days are over ('--commit' drops it).\n",
        record->profile);
  else
    printf(
        "Committed the rotation of profile %s: the previous token is "
        "dropped. Deactivate it in HubSpot if you have not yet.\n",
        record->profile);
  return TRUE;
}

gboolean hs_cmd_rotate(int argc, char **argv, GError **error) {
  gboolean commit = FALSE, rollback = FALSE;
  GOptionEntry entries[] = {{"commit", 0, 0, G_OPTION_ARG_NONE, &commit,
                             "Drop the previous token now", NULL},
                            {"rollback", 0, 0, G_OPTION_ARG_NONE, &rollback,
                             "Make the previous token current again", NULL},
                            {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *store = NULL;
  const char *found_in = NULL, *event;
  gint64 now = hs_options_now();
  gboolean ok;

  if (!hs_options_parse("rotate", "PROFILE [--commit|--rollback]", entries, 1,
                        &argc, &argv, error))
    return FALSE;
  if (commit && rollback) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "rotate: give --commit or --rollback, not both");
    return FALSE;
  }
  if (!hs_profile_name_validate(argv[1], error)) return FALSE;
  config = hs_config_load(error);
  if (config == NULL) return FALSE;
  stores = hs_stores_open(config, error);
  if (stores == NULL) return FALSE;
  record = hs_stores_lookup(stores, argv[1], &found_in, error);
  if (record == NULL) return FALSE;
  store = g_strdup(found_in);
  if ((commit || rollback) && !hs_kind_is_static(record->kind)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "rotate: profile %s is a %s profile, which keeps no previous "
                "token; run 'hs-token rotate %s' to refresh it",
                record->profile, hs_kind_name(record->kind), record->profile);
    return FALSE;
  }
  (void)hs_new_profile_expire_previous(stores, record, store, now);

  if ((commit || rollback || !hs_kind_is_static(record->kind)) &&
      stdin_has_input()) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "rotate: %s reads nothing from standard input, and something "
                "was given there; nothing changed (to store a new %s, use "
                "'hs-token add %s --kind %s%s --force')",
                commit || rollback ? "--commit or --rollback"
                : record->kind == HS_KIND_OAUTH
                    ? "rotating an oauth profile (a refresh with the stored "
                      "refresh token)"
                    : "rotating a personal-access-key profile (a new access "
                      "token from the stored key)",
                record->kind == HS_KIND_OAUTH ? "refresh token or client secret"
                                              : "credential",
                record->profile, hs_kind_name(record->kind),
                record->kind == HS_KIND_OAUTH ? " --client-id ID" : "");
    return FALSE;
  }
  event = commit ? "rotate-commit" : rollback ? "rotate-rollback" : "rotate";
  if (commit || rollback) {
    ok = commit_or_rollback(stores, record, store, rollback, &local);
  } else {
    api = hs_options_api_new(config, error);
    if (api == NULL) return FALSE;
    ok = hs_kind_is_static(record->kind)
             ? rotate_static(stores, record, store, api, now, &local)
             : rotate_refresh(stores, &record, api, &local);
  }
  /* A refused or unreadable input is no rotation; HubSpot's and the
   * stores' answers are. */
  if (ok || local->code != HS_ERR_USAGE)
    hs_audit(event, record->profile, hs_kind_name(record->kind),
             outcome_of(local), NULL);
  if (!ok) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  fflush(stdout);
  return TRUE;
}
