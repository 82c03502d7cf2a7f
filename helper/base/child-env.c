/* SPDX-License-Identifier: MIT */
/* child-env.c — the environment COMMAND runs with. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/child-env.h"

static bool has_name(const char *entry, const char *name) {
  size_t n = strlen(name);
  return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static bool is_pristine(const char *entry) {
  static const char *const keep[] = {HS_PRISTINE_VARS, NULL};

  for (const char *const *k = keep; *k; k++)
    if (has_name(entry, *k)) return true;
  return false;
}

static bool is_replaced(const char *entry, const HsChildEnv *opts,
                        const char *const *token_vars) {
  if (opts->pristine && !is_pristine(entry)) return true;
  if (!opts->keep_env && strncmp(entry, "HUBSPOT_", 8) == 0) return true;
  if (opts->no_session_bus && has_name(entry, "DBUS_SESSION_BUS_ADDRESS"))
    return true;
  if (has_name(entry, "HS_EXEC_PROFILE") ||
      has_name(entry, "HS_EXEC_EXPIRES_AT") ||
      has_name(entry, "HUBSPOT_PORTAL_ID") ||
      has_name(entry, "HUBSPOT_ACCOUNT_ID"))
    return true;
  for (const char *const *v = token_vars; *v; v++)
    if (has_name(entry, *v)) return true;
  for (const char *const *x = opts->extra; x && *x; x++) {
    const char *eq = strchr(*x, '=');
    if (eq != NULL && strncmp(entry, *x, (size_t)(eq - *x + 1)) == 0)
      return true;
  }
  return false;
}

/* NAME=VALUE, malloc'd. */
static char *entry(const char *name, const char *value) {
  char *e = NULL;
  return asprintf(&e, "%s=%s", name, value) < 0 ? NULL : e;
}

/* Append `e` (taken) to `env` at *n; a failed allocation makes *ok false,
 * and leaves no hole. */
static void add(char **env, size_t *n, char *e, bool *ok) {
  if (e == NULL)
    *ok = false;
  else
    env[(*n)++] = e;
}

static size_t count(const char *const *v) {
  size_t n = 0;
  while (v && v[n]) n++;
  return n;
}

char **hs_child_env_build(const char *const *parent, const HsChildEnv *opts) {
  static const char *const default_vars[] = {HS_DEFAULT_TOKEN_VAR, NULL};
  const char *const *token_vars = (opts->token_vars && opts->token_vars[0])
                                      ? opts->token_vars
                                      : default_vars;
  /* Every entry below, and the NULL. */
  size_t max = count(parent) + count(token_vars) + count(opts->extra) + 5;
  char **env = calloc(max, sizeof *env);
  size_t n = 0;
  bool ok = true;

  if (env == NULL) return NULL;
  for (const char *const *e = parent; e && *e; e++)
    if (!is_replaced(*e, opts, token_vars)) add(env, &n, strdup(*e), &ok);
  for (const char *const *v = token_vars; *v && opts->token; v++)
    add(env, &n, entry(*v, opts->token), &ok);
  for (const char *const *x = opts->extra; x && *x; x++)
    add(env, &n, strdup(*x), &ok);
  if (opts->hub_id != NULL) {
    add(env, &n, entry("HUBSPOT_PORTAL_ID", opts->hub_id), &ok);
    add(env, &n, entry("HUBSPOT_ACCOUNT_ID", opts->hub_id), &ok);
  }
  add(env, &n, entry("HS_EXEC_PROFILE", opts->profile), &ok);
  if (opts->expires_at > 0) {
    time_t t = (time_t)opts->expires_at;
    struct tm tm;
    char iso[64];

    if (gmtime_r(&t, &tm) == NULL ||
        strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
      ok = false;
    else
      add(env, &n, entry("HS_EXEC_EXPIRES_AT", iso), &ok);
  }
  if (!ok) {
    hs_child_env_free(env);
    return NULL;
  }
  return env;
}

void hs_child_env_free(char **env) {
  if (env == NULL) return;
  /* Any entry may hold the token: wipe them all. */
  for (char **e = env; *e; e++) {
    explicit_bzero(*e, strlen(*e));
    free(*e);
  }
  free(env);
}
