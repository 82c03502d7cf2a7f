/* SPDX-License-Identifier: MIT */
/* child-env.c — the environment COMMAND runs with. */
#include "config.h"

#include <string.h>

#include "exec/child-env.h"
#include "core/error.h"
#include "core/secure.h"

gboolean hs_child_env_name_validate(const char *name, GError **error) {
  if (name == NULL || *name == '\0' ||
      !(g_ascii_isalpha(*name) || *name == '_'))
    goto bad;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '_') goto bad;
  return TRUE;
bad:
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "'%s' is not a variable name; use letters, digits and '_', not "
              "starting with a digit",
              name ? name : "");
  return FALSE;
}

static gboolean has_name(const char *entry, const char *name) {
  size_t n = strlen(name);
  return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static gboolean is_pristine(const char *entry) {
  static const char *const keep[] = {HS_PRISTINE_VARS, NULL};

  for (const char *const *k = keep; *k; k++)
    if (has_name(entry, *k)) return TRUE;
  return FALSE;
}

static gboolean is_replaced(const char *entry, const HsChildEnv *opts,
                            const char *const *token_vars) {
  if (opts->pristine && !is_pristine(entry)) return TRUE;
  if (!opts->keep_env && g_str_has_prefix(entry, "HUBSPOT_")) return TRUE;
  if (opts->no_session_bus && has_name(entry, "DBUS_SESSION_BUS_ADDRESS"))
    return TRUE;
  if (has_name(entry, "HS_EXEC_PROFILE") ||
      has_name(entry, "HS_EXEC_EXPIRES_AT") ||
      has_name(entry, "HUBSPOT_PORTAL_ID") ||
      has_name(entry, "HUBSPOT_ACCOUNT_ID"))
    return TRUE;
  for (const char *const *v = token_vars; *v; v++)
    if (has_name(entry, *v)) return TRUE;
  for (const char *const *x = opts->extra; x && *x; x++) {
    const char *eq = strchr(*x, '=');
    if (eq != NULL && strncmp(entry, *x, (size_t)(eq - *x + 1)) == 0)
      return TRUE;
  }
  return FALSE;
}

char **hs_child_env_build(const char *const *parent, const HsChildEnv *opts) {
  static const char *const default_vars[] = {HS_DEFAULT_TOKEN_VAR, NULL};
  const char *const *token_vars = (opts->token_vars && opts->token_vars[0])
                                      ? opts->token_vars
                                      : default_vars;
  GPtrArray *env = g_ptr_array_new();

  for (const char *const *e = parent; e && *e; e++)
    if (!is_replaced(*e, opts, token_vars)) g_ptr_array_add(env, g_strdup(*e));
  for (const char *const *v = token_vars; *v && opts->token; v++)
    g_ptr_array_add(env, g_strconcat(*v, "=", opts->token, NULL));
  for (const char *const *x = opts->extra; x && *x; x++)
    g_ptr_array_add(env, g_strdup(*x));
  if (opts->hub_id != NULL) {
    g_ptr_array_add(env, g_strconcat("HUBSPOT_PORTAL_ID=", opts->hub_id, NULL));
    g_ptr_array_add(env,
                    g_strconcat("HUBSPOT_ACCOUNT_ID=", opts->hub_id, NULL));
  }
  g_ptr_array_add(env, g_strconcat("HS_EXEC_PROFILE=", opts->profile, NULL));
  if (opts->expires_at > 0) {
    g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(opts->expires_at);
    g_autofree char *iso = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
    g_ptr_array_add(env, g_strconcat("HS_EXEC_EXPIRES_AT=", iso, NULL));
  }
  g_ptr_array_add(env, NULL);
  return (char **)g_ptr_array_free(env, FALSE);
}

void hs_child_env_free(char **env) {
  if (env == NULL) return;
  /* Any entry may hold the token: wipe them all. */
  for (char **e = env; *e; e++) hs_secure_free(*e);
  g_free(env);
}
