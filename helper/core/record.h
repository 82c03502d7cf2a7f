/* SPDX-License-Identifier: MIT */
/* record.h — a profile's record: everything hs-exec knows about one profile,
 * kept as a small JSON document that is the secret value in a store. */
#ifndef HS_RECORD_H
#define HS_RECORD_H

#include <glib.h>

#include "core/kind.h"

/* Bumped when the document changes incompatibly; stored as the `version`
 * attribute too, so an old reader can tell a record it cannot read. */
#define HS_RECORD_VERSION 1

/* Days after which a static token is due, then overdue, for rotation. */
#define HS_ROTATION_DUE_DAYS 180
#define HS_ROTATION_OVERDUE_DAYS 365

typedef struct {
  char *profile;
  HsKind kind;
  char *hub_id;        /* decimal, or NULL when unknown */
  char *hublet;        /* "na1", "eu1", ..., or NULL */
  char *client_id;     /* oauth only; not secret */
  char **scopes;       /* as HubSpot reported them, or NULL when unknown */
  gint64 created;      /* unix seconds */
  gint64 rotated;      /* unix seconds of the last rotation, 0 if never */
  gint64 verified;     /* unix seconds HubSpot last accepted it, 0 if never */
  char *token;         /* SECRET: the token or key; NULL for oauth */
  char *client_secret; /* SECRET: oauth only */
  char *refresh_token; /* SECRET: oauth only */
  /* Rotation of a static token (rotation.h): the token it replaced, kept
   * working until `previous_until`, and when that one was issued. */
  char *previous_token;  /* SECRET, or NULL */
  gint64 previous_until; /* unix seconds; 0 when there is no previous */
  gint64 previous_since; /* its created/rotated time, restored on rollback */
  /* Bumped by every change that rotate makes, so a reader can tell which
   * of two records is the newer one (crash safety, see cmd-rotate.c). */
  gint64 generation;
  /* When the store forgets the profile by itself (`hs-token add --ttl`),
   * unix seconds; 0 for never.  Kept here so that every later save (a
   * rotated refresh token) gives the store the same lifetime. */
  gint64 store_until;
} HsRecord;

HsRecord *hs_record_new(const char *profile, HsKind kind);

/* Free the record, wiping every secret field.  NULL is fine. */
void hs_record_free(HsRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsRecord, hs_record_free)

/* The record as a JSON document (transfer full: free with hs_secure_free),
 * its length in *ret_len. */
char *hs_record_to_json(const HsRecord *record, gsize *ret_len);

/* Parse a document made by hs_record_to_json (transfer full), or NULL with
 * HS_ERR_UNAVAILABLE saying the stored record is damaged or too new.  The
 * error never quotes the document. */
HsRecord *hs_record_from_json(const char *json, gssize len, GError **error);

/* TRUE when the record holds what its kind needs: the token, or for oauth
 * the client id, client secret and refresh token. */
gboolean hs_record_has_secrets(const HsRecord *record);

/* TRUE when the recorded scopes include `scope` (FALSE when unknown). */
gboolean hs_record_has_scope(const HsRecord *record, const char *scope);

/* Whole days since the last rotation (or creation) at `now`. */
gint64 hs_record_age_days(const HsRecord *record, gint64 now);

/* A HubSpot account (hub) id: 1–20 decimal digits. */
gboolean hs_record_valid_hub_id(const char *s);

#endif
