/* SPDX-License-Identifier: MIT */
/* profile-name.h — what a profile may be called (hs-token(1)). */
#ifndef HS_PROFILE_NAME_H
#define HS_PROFILE_NAME_H

#include <glib.h>

#define HS_PROFILE_NAME_MAX 64

/* TRUE when `name` is 1-64 of [A-Za-z0-9._-] not starting with '.' or '-';
 * otherwise FALSE with an HS_ERR_USAGE error that says why. */
gboolean hs_profile_name_validate(const char *name, GError **error);

#endif
