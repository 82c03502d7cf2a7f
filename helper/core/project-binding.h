/* SPDX-License-Identifier: MIT */
/* project-binding.h — the HubSpot CLI's project binding: the account a
 * directory is linked to by `hs account link` (.hs/settings.json) or a
 * .hsaccount file, and the profile of that account (docs/design.md, "The
 * HubSpot CLI's project binding"). */
#ifndef HS_PROJECT_BINDING_H
#define HS_PROJECT_BINDING_H

#include <glib.h>

/* The largest binding file read; the CLI's are a few dozen bytes. */
#define HS_BINDING_MAX_FILE 65536

/* The account .hs/settings.json names: its localDefaultAccount, else the
 * one account of `accounts` when there is exactly one.  *ret_hub_id is
 * NULL when it names none (transfer full); *ret_accounts (may be NULL)
 * gets every account listed, as a comma-separated string, for messages.
 * FALSE with HS_ERR_CONFIG when the text is not the CLI's JSON shape. */
gboolean hs_binding_parse_settings(const char *text, gsize len,
                                   char **ret_hub_id, char **ret_accounts,
                                   GError **error);

/* The account a .hsaccount file names, read as the CLI reads it
 * (parseInt: blanks, then digits).  NULL with HS_ERR_CONFIG otherwise
 * (transfer full). */
char *hs_binding_parse_hsaccount(const char *text, gsize len, GError **error);

typedef struct {
  char *hub_id; /* the account, digits */
  char *path;   /* the file that names it */
} HsBinding;

void hs_binding_free(HsBinding *binding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsBinding, hs_binding_free)

/* The binding that holds in `dir`, looking in it and its parents as the
 * CLI does: the nearest .hs/settings.json's account, else the nearest
 * .hsaccount's.  NULL without an error when there is none (transfer
 * full); HS_ERR_CONFIG for a file that cannot be read or names no
 * account. */
HsBinding *hs_binding_find(const char *dir, GError **error);

/* The one profile of the configured stores whose hub id is the binding's
 * (transfer full).  None, or several, is HS_ERR_NOT_FOUND / HS_ERR_USAGE
 * with a message that lists the candidates and how to choose. */
char *hs_binding_pick_profile(const HsBinding *binding, GError **error);

#endif
