/* SPDX-License-Identifier: MIT */
/* child-env.h — the environment COMMAND runs with (hs-exec(1)); the C
 * library only, for the cached run as for every other. */
#ifndef HS_BASE_CHILD_ENV_H
#define HS_BASE_CHILD_ENV_H

#include <stdbool.h>
#include <stdint.h>

#define HS_DEFAULT_TOKEN_VAR "HUBSPOT_ACCESS_TOKEN"

typedef struct {
  const char *profile;
  const char *token;             /* SECRET; NULL: set no token variable */
  const char *hub_id;            /* or NULL */
  int64_t expires_at;            /* unix seconds, 0 when it does not expire */
  const char *const *token_vars; /* names to set the token in; NULL: default */
  bool keep_env;                 /* keep inherited HUBSPOT_* variables */
  bool pristine; /* inherit only PATH, HOME, USER, LANG and TERM */
  /* Leave out DBUS_SESSION_BUS_ADDRESS (--proxy: the Secret Service holds
   * the profiles). */
  bool no_session_bus;
  /* More "NAME=VALUE" entries to set (may hold SECRETS), or NULL; they
   * replace inherited variables of the same name. */
  const char *const *extra;
} HsChildEnv;

/* The variables --pristine keeps from the parent's environment. */
#define HS_PRISTINE_VARS "PATH", "HOME", "USER", "LANG", "TERM"

/* `parent` (a NULL-terminated environ) minus every HUBSPOT_* variable unless
 * keep_env, minus our own HS_EXEC_* and the token variables, plus the
 * injected ones.  (transfer full: free with hs_child_env_free, which wipes
 * the token's entries; NULL when out of memory) */
char **hs_child_env_build(const char *const *parent, const HsChildEnv *opts);

/* Wipe and free an environment made by hs_child_env_build. */
void hs_child_env_free(char **env);

#endif
