/* SPDX-License-Identifier: MIT */
/* name-rules.h — what a profile and an environment variable may be called
 * (hs-token(1), hs-exec(1) --env), with the C library only: the cached run
 * of hs-exec checks its PROFILE before it reads the kernel keyring, and the
 * helper's GError checks (core/profile-name.h) say the same. */
#ifndef HS_BASE_NAME_RULES_H
#define HS_BASE_NAME_RULES_H

#include <stdbool.h>
#include <stddef.h>

#define HS_PROFILE_NAME_MAX 64

/* true when `name` is 1-64 of [A-Za-z0-9._-] not starting with '.' or '-';
 * otherwise false, with what is wrong and how to name it instead in `why`
 * (`size` bytes, may be 0). */
bool hs_name_rules_profile(const char *name, char *why, size_t size);

/* true when `name` can be an environment variable's: letters, digits and
 * '_', not starting with a digit. */
bool hs_name_rules_env_var(const char *name);

#endif
