/* SPDX-License-Identifier: MIT */
/* rotation.c — a static token's rotation with an overlap. */
#include "config.h"

#include <string.h>

#include "core/error.h"
#include "core/kind.h"
#include "core/rotation.h"
#include "core/secure.h"

static void drop_previous(HsRecord *record) {
  g_clear_pointer(&record->previous_token, hs_secure_free);
  record->previous_until = 0;
  record->previous_since = 0;
}

gboolean hs_rotation_begin(HsRecord *record, char *new_token, gint64 now,
                           GError **error) {
  if (!hs_kind_is_static(record->kind) || record->token == NULL) {
    hs_secure_free(new_token);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "rotate: profile %s is a %s profile, which has no previous "
                "token to keep",
                record->profile, hs_kind_name(record->kind));
    return FALSE;
  }
  if (strcmp(new_token, record->token) == 0) {
    hs_secure_free(new_token);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "rotate: that is profile %s's current token; rotate it in "
                "HubSpot first and give the new one",
                record->profile);
    return FALSE;
  }
  /* A rotation during the overlap of the last one: the oldest goes. */
  drop_previous(record);
  record->previous_token = record->token;
  record->previous_since =
      record->rotated != 0 ? record->rotated : record->created;
  record->previous_until = now + HS_ROTATION_OVERLAP;
  record->token = new_token;
  record->rotated = now;
  record->generation++;
  return TRUE;
}

gboolean hs_rotation_commit(HsRecord *record, GError **error) {
  if (record->previous_token == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "rotate --commit: profile %s has no previous token to drop; "
                "nothing to commit",
                record->profile);
    return FALSE;
  }
  drop_previous(record);
  record->generation++;
  return TRUE;
}

gboolean hs_rotation_rollback(HsRecord *record, GError **error) {
  char *token;
  gint64 since;

  if (record->previous_token == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "rotate --rollback: profile %s has no previous token to go "
                "back to (it was committed or its 7 days are over)",
                record->profile);
    return FALSE;
  }
  token = record->token;
  record->token = record->previous_token;
  record->previous_token = token;
  since = record->previous_since;
  record->previous_since = record->rotated;
  /* The rolled-back token was issued at `since`: its age is the age. */
  record->rotated = since == record->created ? 0 : since;
  record->generation++;
  return TRUE;
}

gboolean hs_rotation_expire(HsRecord *record, gint64 now) {
  if (record->previous_token == NULL || now < record->previous_until)
    return FALSE;
  drop_previous(record);
  record->generation++;
  return TRUE;
}

const char *hs_rotation_status(gint64 age_days) {
  if (age_days >= HS_ROTATION_OVERDUE_DAYS) return "overdue";
  if (age_days >= HS_ROTATION_DUE_DAYS) return "due";
  return "ok";
}
