/* SPDX-License-Identifier: MIT */
/* profile-name.h — what a profile may be called (hs-token(1)). */
#ifndef HS_PROFILE_NAME_H
#define HS_PROFILE_NAME_H

#include <glib.h>

#include "base/name-rules.h"

/* TRUE when `name` is a profile's (hs_name_rules_profile); otherwise FALSE
 * with an HS_ERR_USAGE error that says why. */
gboolean hs_profile_name_validate(const char *name, GError **error);

#endif
