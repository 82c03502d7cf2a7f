/* SPDX-License-Identifier: MIT */
/* kind.h — the kinds of credential a profile holds (docs/design.md, "Profiles
 * and kinds") and the shape of each kind's token. */
#ifndef HS_KIND_H
#define HS_KIND_H

#include <glib.h>

typedef enum {
  HS_KIND_PRIVATE_APP,
  HS_KIND_SERVICE_KEY,
  HS_KIND_OAUTH,
  HS_KIND_PERSONAL_ACCESS_KEY,
  HS_KIND_API_KEY,
} HsKind;

/* The kind's name as written in options and records (transfer none). */
const char *hs_kind_name(HsKind kind);

/* Parse a kind name; FALSE with HS_ERR_USAGE listing the kinds otherwise. */
gboolean hs_kind_from_name(const char *name, HsKind *ret_kind, GError **error);

/* TRUE when the kind is a static bearer token used as it is (private-app,
 * service-key), as opposed to one exchanged for short-lived access tokens. */
gboolean hs_kind_is_static(HsKind kind);

/* Check that `token` has the shape of a `kind` token.  The error (HS_ERR_USAGE)
 * names the problem and never contains the token. */
gboolean hs_kind_check_token(HsKind kind, const char *token, GError **error);

/* The kind a token's shape points at, if it points at one: private-app for
 * pat-<hublet>-… (a service key may have that shape too: HubSpot does not
 * document theirs), personal-access-key for the base64 text of HubSpot's CLI
 * key (it encodes <hublet>-<UUID>).  FALSE when the shape says nothing.
 * Pure; nothing of the token is kept. */
gboolean hs_kind_guess(const char *token, HsKind *ret_kind);

/* The hublet ("na1", "eu1", ...) embedded in a private-app token, or NULL
 * (transfer full). */
char *hs_kind_hublet_from_token(HsKind kind, const char *token);

#endif
