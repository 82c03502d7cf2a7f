/* SPDX-License-Identifier: MIT */
/* rotation.h — rotating a static token (private-app, service-key) with an
 * overlap, as HubSpot's "rotate and expire later": the new token becomes
 * current, the old one stays as *previous* for HS_ROTATION_OVERLAP seconds
 * or until committed.  Pure functions on a record; storing it is the
 * caller's job (cmd-rotate.c).  Each change bumps record->generation. */
#ifndef HS_ROTATION_H
#define HS_ROTATION_H

#include <glib.h>

#include "core/record.h"

/* How long the previous token is kept: 7 days. */
#define HS_ROTATION_OVERLAP (7 * 86400)

/* Make `new_token` (transfer full: the record owns it afterwards, also on
 * error) current and keep the current one as previous until now + 7 days.
 * HS_ERR_USAGE when the record is not a static kind or the new token is
 * the current one. */
gboolean hs_rotation_begin(HsRecord *record, char *new_token, gint64 now,
                           GError **error);

/* Drop the previous token now.  HS_ERR_USAGE when there is none. */
gboolean hs_rotation_commit(HsRecord *record, GError **error);

/* Swap current and previous back (the previous keeps its deadline).
 * HS_ERR_USAGE when there is no previous. */
gboolean hs_rotation_rollback(HsRecord *record, GError **error);

/* Drop a previous token whose 7 days are over at `now`; TRUE when the
 * record changed (and so needs saving). */
gboolean hs_rotation_expire(HsRecord *record, gint64 now);

/* "ok", "due" or "overdue" for a token `age_days` old (transfer none). */
const char *hs_rotation_status(gint64 age_days);

#endif
