/* hs-exec — run COMMAND with a HubSpot profile's token in its environment.
 *
 *   hs-exec [OPTIONS] PROFILE -- COMMAND [ARG…]
 *
 * A thin main: parse options, look the profile up through the configured
 * stores, build COMMAND's environment, execve() in place. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access-token.h"
#include "audit.h"
#include "usage.h"
#include "child-env.h"
#include "hs-config.h"
#include "hs-error.h"
#include "profile-name.h"
#include "run-command.h"
#include "secure-mem.h"
#include "store.h"

extern char **environ;

#define USAGE "hs-exec [OPTIONS] PROFILE -- COMMAND [ARG…]"

typedef struct {
  char **env_names;
  char **scopes;
  gboolean keep_env;
  gboolean nested;
  gint min_ttl;
  gboolean version;
} Options;

static void options_clear(Options *opts) {
  g_strfreev(opts->env_names);
  g_strfreev(opts->scopes);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Options, options_clear)

static int fail(GError *error) {
  int code = hs_error_exit_code(error);
  fprintf(stderr, "hs-exec: %s\n", error->message);
  g_error_free(error);
  return code;
}

/* Split argv at the first "--": what comes before is ours, what follows is
 * COMMAND.  *ret_command is NULL when there is no "--". */
static int split_at_dashes(int argc, char **argv, char ***ret_command) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      *ret_command = argv + i + 1;
      return i;
    }
  }
  *ret_command = NULL;
  return argc;
}

static gboolean parse_options(int *argc, char ***argv, Options *opts,
                              GError **error) {
  GOptionEntry entries[] = {
      {"env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts->env_names,
       "Put the token in variable NAME instead of HUBSPOT_ACCESS_TOKEN "
       "(repeatable)",
       "NAME"},
      {"keep-env", 0, 0, G_OPTION_ARG_NONE, &opts->keep_env,
       "Keep inherited HUBSPOT_* variables", NULL},
      {"nested", 0, 0, G_OPTION_ARG_NONE, &opts->nested,
       "Allow running inside another hs-exec for a different profile", NULL},
      {"require-scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts->scopes,
       "Refuse to run unless the token's known scopes include SCOPE "
       "(repeatable)",
       "SCOPE"},
      {"min-ttl", 0, 0, G_OPTION_ARG_INT, &opts->min_ttl,
       "Refresh first if the token expires within SECONDS (default 300)",
       "SECONDS"},
      {"version", 0, 0, G_OPTION_ARG_NONE, &opts->version,
       "Print the version and exit", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("PROFILE -- COMMAND [ARG…]");
  g_autoptr(GError) local = NULL;

  g_option_context_set_summary(
      ctx,
      "Run COMMAND with the access token of HubSpot profile PROFILE in "
      "its environment.");
  g_option_context_set_description(
      ctx,
      "Exit status: COMMAND's; 126 not executable; 127 not found; 1 usage; "
      "2 no such profile;\n3 store unavailable; 4 HubSpot refused the "
      "credential; 5 HubSpot unreachable;\n6 configuration error.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, argc, argv, &local)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s; usage: %s",
                local->message, USAGE);
    return FALSE;
  }
  if (opts->min_ttl < 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--min-ttl must be 0 or more seconds");
    return FALSE;
  }
  return TRUE;
}

/* --require-scope: refuse when the recorded scopes lack one; when HubSpot
 * never told them (a profile added with --no-verify), say so and go on. */
static gboolean check_scopes(const HsRecord *record, char **wanted,
                             GError **error) {
  for (char **s = wanted; s && *s; s++) {
    if (record->scopes == NULL) {
      fprintf(stderr,
              "hs-exec: note: the scopes of profile %s are unknown, so "
              "--require-scope %s cannot be checked\n",
              record->profile, *s);
      return TRUE;
    }
    if (!hs_record_has_scope(record, *s)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                  "profile %s lacks the scope %s; grant it to the app in "
                  "HubSpot, then refresh the profile with 'hs-token add %s "
                  "--force'",
                  record->profile, *s, record->profile);
      return FALSE;
    }
  }
  return TRUE;
}

int main(int argc, char **argv) {
  g_auto(Options) opts = {.min_ttl = 300};
  g_autoptr(GError) error = NULL;
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(HsAccess) access = NULL;
  char **command, **env;
  const char *profile, *outer;
  int own_argc, code;

  hs_secure_process();
  own_argc = split_at_dashes(argc, argv, &command);
  if (!parse_options(&own_argc, &argv, &opts, &error))
    return fail(g_steal_pointer(&error));
  if (opts.version) {
    printf("hs-exec %s\n", PACKAGE_VERSION);
    return 0;
  }
  if (own_argc != 2 || command == NULL || command[0] == NULL) {
    const char *what = command == NULL ? "'--' before COMMAND is required"
                       : own_argc != 2 ? "give exactly one PROFILE before '--'"
                                       : "no COMMAND after '--'";
    g_set_error(&error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s; usage: %s", what,
                USAGE);
    return fail(g_steal_pointer(&error));
  }
  profile = argv[1];
  if (!hs_profile_name_validate(profile, &error))
    return fail(g_steal_pointer(&error));
  for (char **n = opts.env_names; n && *n; n++)
    if (!hs_env_name_validate(*n, &error)) return fail(g_steal_pointer(&error));

  outer = getenv("HS_EXEC_PROFILE");
  if (outer != NULL && *outer != '\0' && strcmp(outer, profile) != 0 &&
      !opts.nested) {
    g_set_error(&error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "already running under hs-exec for profile '%s'; pass "
                "--nested to run a command for '%s' inside it",
                outer, profile);
    return fail(g_steal_pointer(&error));
  }

  /* The fast path: a cached access token that outlives --min-ttl needs
   * neither the store nor HubSpot (only derived tokens of oauth and
   * personal-access-key profiles are ever cached; add and remove drop the
   * entry, so it does not outlive the profile). */
  if (opts.scopes == NULL) access = hs_access_from_cache(profile, opts.min_ttl);
  if (access == NULL) {
    config = hs_config_load(&error);
    if (config == NULL) return fail(g_steal_pointer(&error));
    stores = hs_stores_open(config, &error);
    if (stores == NULL) return fail(g_steal_pointer(&error));
    record = hs_stores_lookup(stores, profile, NULL, &error);
    if (record == NULL) return fail(g_steal_pointer(&error));
    if (!check_scopes(record, opts.scopes, &error))
      return fail(g_steal_pointer(&error));
    if (!hs_kind_is_static(record->kind)) {
      api = hs_api_new(hs_config_oauth_api(config), &error);
      if (api == NULL) return fail(g_steal_pointer(&error));
    }
    access = hs_access_obtain(stores, &record, api, opts.min_ttl, &error);
    if (access == NULL) return fail(g_steal_pointer(&error));
  }
  if (access->note != NULL)
    fprintf(stderr, "hs-exec: note: %s\n", access->note);

  {
    HsChildEnv child = {
        .profile = profile,
        .token = access->token,
        .hub_id = access->hub_id,
        .expires_at = access->expires_at,
        .token_vars = (const char *const *)opts.env_names,
        .keep_env = opts.keep_env,
    };
    env = hs_child_env_build((const char *const *)environ, &child);
  }
  g_clear_pointer(&access, hs_access_free);
  /* The child gets its copy through execve; ours goes now. */
  g_clear_pointer(&record, hs_record_free);
  g_clear_pointer(&stores, hs_stores_free);
  g_clear_pointer(&api, hs_api_free);
  hs_audit("exec", profile, NULL, "ok", command[0]);
  hs_usage_record(profile, command[0], g_get_real_time() / G_USEC_PER_SEC);
  code = hs_run_command(command, env, &error);
  hs_child_env_free(env);
  fprintf(stderr, "hs-exec: %s\n", error->message);
  return code;
}
