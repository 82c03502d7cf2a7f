/* hs-exec — run COMMAND with a HubSpot profile's token in its environment.
 *
 *   hs-exec [OPTIONS] PROFILE -- COMMAND [ARG…]
 *
 * A thin main: parse options, look the profile up through the configured
 * stores, build COMMAND's environment, deliver the token the way asked
 * (environment, --fd pipe, --file FIFO, --proxy), then execve() in place,
 * or stay as COMMAND's parent when a mode needs it (--file, --proxy,
 * --mask). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hubspot/access.h"
#include "core/audit.h"
#include "core/usage.h"
#include "exec/child-env.h"
#include "core/config.h"
#include "core/error.h"
#include "core/profile-name.h"
#include "exec/proxy.h"
#include "exec/run.h"
#include "core/secure.h"
#include "core/stores.h"
#include "exec/supervise.h"
#include "exec/fifo.h"

extern char **environ;

#define USAGE "hs-exec [OPTIONS] PROFILE -- COMMAND [ARG…]"

typedef struct {
  char **env_names;
  char **scopes;
  gboolean keep_env;
  gboolean nested;
  gint min_ttl;
  gboolean version;
  gboolean pristine;
  char *format;
  gint fd; /* -1: none */
  gboolean file;
  gboolean proxy;
  gboolean mask;
} Options;

static void options_clear(Options *opts) {
  g_strfreev(opts->env_names);
  g_strfreev(opts->scopes);
  g_free(opts->format);
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
      {"pristine", 0, 0, G_OPTION_ARG_NONE, &opts->pristine,
       "Run COMMAND with only PATH, HOME, USER, LANG, TERM and the "
       "injected variables",
       NULL},
      {"format", 0, 0, G_OPTION_ARG_STRING, &opts->format,
       "hubspot-cli: also set what the HubSpot CLI reads with --use-env",
       "FORMAT"},
      {"fd", 0, 0, G_OPTION_ARG_INT, &opts->fd,
       "Give the token on a pipe at descriptor N (3 or more) instead of the "
       "environment",
       "N"},
      {"file", 0, 0, G_OPTION_ARG_NONE, &opts->file,
       "Give the token through a FIFO readable once, its path in "
       "HUBSPOT_ACCESS_TOKEN_FILE",
       NULL},
      {"proxy", 0, 0, G_OPTION_ARG_NONE, &opts->proxy,
       "Give COMMAND a placeholder token and a loopback proxy to HubSpot "
       "that adds the real one, refreshed as needed",
       NULL},
      {"mask", 0, 0, G_OPTION_ARG_NONE, &opts->mask,
       "Replace the profile's secrets in COMMAND's output with ***", NULL},
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
  if (opts->format != NULL && strcmp(opts->format, "hubspot-cli") != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "unknown --format '%s'; the only format is hubspot-cli",
                opts->format);
    return FALSE;
  }
  if (opts->fd != -1 && (opts->fd < 3 || opts->fd > 1023)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--fd must be between 3 and 1023 (0, 1 and 2 are COMMAND's "
                "stdin, stdout and stderr)");
    return FALSE;
  }
  if (opts->proxy && (opts->fd != -1 || opts->file)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--proxy gives COMMAND a placeholder, not a token, so it "
                "cannot be combined with --fd or --file; choose one");
    return FALSE;
  }
  if (opts->fd != -1 && opts->file) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--fd and --file are two ways to deliver the same token; "
                "choose one");
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

/* Nested inside hs-exec for the same profile, with the token already in
 * every variable we would set and lasting long enough: nothing to look up.
 * Modes that deliver otherwise, or need the record, look it up again. */
static gboolean can_pass_through(const Options *opts, const char *profile) {
  const char *outer = getenv("HS_EXEC_PROFILE");
  const char *expires = getenv("HS_EXEC_EXPIRES_AT");
  static const char *const default_vars[] = {HS_DEFAULT_TOKEN_VAR, NULL};
  const char *const *vars = opts->env_names && opts->env_names[0]
                                ? (const char *const *)opts->env_names
                                : default_vars;

  if (outer == NULL || strcmp(outer, profile) != 0 || opts->scopes ||
      opts->format || opts->fd != -1 || opts->file || opts->proxy ||
      opts->mask || opts->pristine)
    return FALSE;
  for (const char *const *v = vars; *v; v++) {
    const char *value = getenv(*v);
    if (value == NULL || *value == '\0') return FALSE;
  }
  if (expires != NULL && *expires != '\0') {
    g_autoptr(GDateTime) t = g_date_time_new_from_iso8601(expires, NULL);
    if (t == NULL ||
        g_date_time_to_unix(t) - g_get_real_time() / G_USEC_PER_SEC <=
            opts->min_ttl)
      return FALSE;
  }
  return TRUE;
}

/* --format hubspot-cli: the HubSpot CLI's --use-env reads a personal access
 * key and the account id.  Other kinds have nothing it can use: an OAuth
 * refresh token handed to it would be spent and rotated behind our back. */
static gboolean hubspot_cli_vars(const HsRecord *record, const char *hub_id,
                                 GPtrArray *extra, GError **error) {
  if (record->kind != HS_KIND_PERSONAL_ACCESS_KEY) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--format hubspot-cli needs a personal-access-key profile, "
                "and %s is %s; add the HubSpot CLI's key with 'hs-token add "
                "NAME --kind personal-access-key'",
                record->profile, hs_kind_name(record->kind));
    return FALSE;
  }
  if (hub_id == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "--format hubspot-cli needs the account id of %s, which is "
                "not known yet; run 'hs-token check %s' to record it",
                record->profile, record->profile);
    return FALSE;
  }
  g_ptr_array_add(
      extra, g_strconcat("HUBSPOT_PERSONAL_ACCESS_KEY=", record->token, NULL));
  return TRUE;
}

/* The current token for the proxy, refreshed through the single-flight
 * path when it has less than PROXY_MIN_TTL seconds left. */
#define PROXY_MIN_TTL 60

typedef struct {
  GMutex lock;
  HsStores *stores;
  HsRecord **record;
  HsApi *api;
  HsAccess *access;
} ProxyTokens;

static char *proxy_token(gpointer user_data, const char *stale,
                         GError **error) {
  ProxyTokens *t = user_data;
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  char *token = NULL;
  gboolean refused;

  g_mutex_lock(&t->lock);
  /* HubSpot refused the current one: a refresh whatever its expiry says
   * (a static token has none, and stays as it is). */
  refused = stale != NULL && t->access != NULL &&
            strcmp(stale, t->access->token) == 0;
  if (t->access == NULL || refused ||
      (t->access->expires_at != 0 &&
       t->access->expires_at - now <= PROXY_MIN_TTL)) {
    HsAccess *fresh =
        hs_access_obtain(t->stores, t->record, t->api,
                         refused ? G_MAXINT32 : PROXY_MIN_TTL, error);
    if (fresh != NULL) {
      if (fresh->note != NULL)
        fprintf(stderr, "hs-exec: note: %s\n", fresh->note);
      hs_secure_lock(fresh->token, strlen(fresh->token));
      g_clear_pointer(&t->access, hs_access_free);
      t->access = fresh;
    }
  }
  if (t->access != NULL &&
      (t->access->expires_at == 0 || t->access->expires_at > now))
    token = hs_secure_dup(t->access->token);
  else if (error != NULL && *error == NULL)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                "no valid access token for the profile");
  g_mutex_unlock(&t->lock);
  return token;
}

/* --fd: a pipe holding the token and a newline, its write end closed; the
 * read end (returned) becomes descriptor N in COMMAND. */
static int token_pipe(const char *token, GError **error) {
  int p[2];
  gsize len = strlen(token);

  if (pipe2(p, O_CLOEXEC) != 0) goto fail;
  /* far below the pipe's capacity: never blocks */
  if (write(p[1], token, len) != (ssize_t)len || write(p[1], "\n", 1) != 1) {
    close(p[0]);
    close(p[1]);
    goto fail;
  }
  close(p[1]);
  return p[0];
fail:
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "cannot make the pipe for --fd: %s", g_strerror(errno));
  return -1;
}

/* Put `from` at descriptor `to`, inheritable, for execve in place. */
static gboolean install_fd(int from, int to, GError **error) {
  if (from == to ? fcntl(to, F_SETFD, 0) != 0 : dup2(from, to) < 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "cannot give COMMAND descriptor %d: %s", to, g_strerror(errno));
    return FALSE;
  }
  if (from != to) close(from);
  return TRUE;
}

/* An exec is audited and counted in the usage log, whatever the mode. */
static void note_exec(const char *profile, const char *command) {
  hs_audit("exec", profile, NULL, "ok", command);
  hs_usage_record(profile, command, g_get_real_time() / G_USEC_PER_SEC);
}

int main(int argc, char **argv) {
  g_auto(Options) opts = {.min_ttl = 300, .fd = -1};
  g_autoptr(GError) error = NULL;
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(HsAccess) access = NULL;
  g_autoptr(GPtrArray) extra =
      g_ptr_array_new_with_free_func((GDestroyNotify)hs_secure_free);
  g_autoptr(GPtrArray) secrets =
      g_ptr_array_new_with_free_func((GDestroyNotify)hs_secure_free);
  g_autoptr(HsFifo) fifo = NULL;
  HsProxy *proxy = NULL;
  ProxyTokens tokens = {0};
  hs_autosecret placeholder = NULL;
  char **command, **env;
  const char *profile, *outer, *hub_id;
  int own_argc, code, token_fd = -1;
  gboolean stay_parent;

  hs_secure_process();
  g_set_prgname("hs-exec");
  hs_supervise_save_sigpipe();
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
    if (!hs_child_env_name_validate(*n, &error))
      return fail(g_steal_pointer(&error));

  outer = getenv("HS_EXEC_PROFILE");
  if (outer != NULL && *outer != '\0' && strcmp(outer, profile) != 0 &&
      !opts.nested) {
    g_set_error(&error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "already running under hs-exec for profile '%s'; pass "
                "--nested to run a command for '%s' inside it",
                outer, profile);
    return fail(g_steal_pointer(&error));
  }
  if (can_pass_through(&opts, profile)) {
    note_exec(profile, command[0]);
    hs_supervise_restore_sigpipe();
    code = hs_run_command(command, environ, &error);
    fprintf(stderr, "hs-exec: %s\n", error->message);
    return code;
  }
  /* Before any thread exists (the Secret Service's D-Bus has one), so that
   * every thread leaves the forwarded signals to the signalfd. */
  stay_parent = opts.file || opts.proxy || opts.mask;
  if (stay_parent) hs_supervise_block_signals();
  if (opts.proxy) hs_supervise_ignore_sigpipe();

  /* The fast path: a cached access token that outlives --min-ttl needs
   * neither the store nor HubSpot (only derived tokens of oauth and
   * personal-access-key profiles are ever cached; add and remove drop the
   * entry, so it does not outlive the profile).  --require-scope, --format
   * and --mask need the record; --proxy the means to refresh. */
  if (opts.scopes == NULL && opts.format == NULL && !opts.mask && !opts.proxy)
    access = hs_access_from_cache(profile, opts.min_ttl);
  if (access == NULL) {
    config = hs_config_load(&error);
    if (config == NULL) return fail(g_steal_pointer(&error));
    stores = hs_stores_open(config, &error);
    if (stores == NULL) return fail(g_steal_pointer(&error));
    record = hs_stores_lookup(stores, profile, NULL, &error);
    if (record == NULL) return fail(g_steal_pointer(&error));
    if (!check_scopes(record, opts.scopes, &error))
      return fail(g_steal_pointer(&error));
    if (!hs_kind_is_static(record->kind) || opts.proxy) {
      api = hs_api_new_for_config(config, &error);
      if (api == NULL) return fail(g_steal_pointer(&error));
    }
    access = hs_access_obtain(stores, &record, api, opts.min_ttl, &error);
    if (access == NULL) return fail(g_steal_pointer(&error));
  }
  hs_secure_lock(access->token, strlen(access->token));
  if (access->note != NULL)
    fprintf(stderr, "hs-exec: note: %s\n", access->note);
  hub_id = access->hub_id ? access->hub_id : record ? record->hub_id : NULL;

  if (opts.format != NULL) {
    /* --format skips the cache's fast path, so the record was read; say
     * so plainly should that ever change. */
    if (record == NULL) {
      g_set_error(&error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                  "--format hubspot-cli: profile %s could not be read from "
                  "the stores; run 'hs-token doctor'",
                  profile);
      return fail(g_steal_pointer(&error));
    }
    if (!hubspot_cli_vars(record, hub_id, extra, &error))
      return fail(g_steal_pointer(&error));
  }
  if (opts.mask) {
    g_ptr_array_add(secrets, hs_secure_dup(access->token));
    if (record != NULL) {
      if (record->token) g_ptr_array_add(secrets, hs_secure_dup(record->token));
      if (record->client_secret)
        g_ptr_array_add(secrets, hs_secure_dup(record->client_secret));
      if (record->refresh_token)
        g_ptr_array_add(secrets, hs_secure_dup(record->refresh_token));
    }
    for (guint i = 0; i < secrets->len; i++)
      hs_secure_lock(secrets->pdata[i], strlen(secrets->pdata[i]));
    g_ptr_array_add(secrets, NULL);
  }
  if (opts.fd != -1) {
    token_fd = token_pipe(access->token, &error);
    if (token_fd < 0) return fail(g_steal_pointer(&error));
    g_ptr_array_add(extra,
                    g_strdup_printf("HUBSPOT_ACCESS_TOKEN_FD=%d", opts.fd));
  } else if (opts.file) {
    fifo = hs_fifo_new(hs_secure_dup(access->token), &error);
    if (fifo == NULL) return fail(g_steal_pointer(&error));
    g_ptr_array_add(
        extra, g_strconcat(HS_TOKEN_FILE_VAR, "=", hs_fifo_path(fifo), NULL));
  } else if (opts.proxy) {
    placeholder = hs_proxy_new_placeholder();
    g_mutex_init(&tokens.lock);
    tokens.stores = stores;
    tokens.record = &record;
    tokens.api = api;
    tokens.access = g_steal_pointer(&access);
    proxy = hs_proxy_start(hs_api_base(api), hs_api_ca_file(api), placeholder,
                           proxy_token, &tokens, &error);
    if (proxy == NULL) {
      g_clear_pointer(&tokens.access, hs_access_free);
      return fail(g_steal_pointer(&error));
    }
    g_ptr_array_add(extra,
                    g_strdup_printf("HUBSPOT_API_BASE=http://127.0.0.1:%u",
                                    hs_proxy_port(proxy)));
  }
  g_ptr_array_add(extra, NULL);

  {
    gboolean in_env = opts.fd == -1 && !opts.file;
    HsChildEnv child = {
        .profile = profile,
        .token = opts.proxy ? placeholder
                 : in_env   ? access->token
                            : NULL,
        .hub_id = hub_id,
        .expires_at = opts.proxy ? 0 : access->expires_at,
        .token_vars = (const char *const *)opts.env_names,
        .keep_env = opts.keep_env,
        .pristine = opts.pristine,
        .extra = (const char *const *)extra->pdata,
    };
    env = hs_child_env_build((const char *const *)environ, &child);
  }
  note_exec(profile, command[0]);

  if (!stay_parent) {
    /* The child gets its copy through execve (or the pipe); ours goes
     * now. */
    g_clear_pointer(&access, hs_access_free);
    g_clear_pointer(&record, hs_record_free);
    g_clear_pointer(&stores, hs_stores_free);
    g_clear_pointer(&api, hs_api_free);
    if (token_fd >= 0 && !install_fd(token_fd, opts.fd, &error)) {
      hs_child_env_free(env);
      return fail(g_steal_pointer(&error));
    }
    hs_supervise_restore_sigpipe();
    code = hs_run_command(command, env, &error);
    hs_child_env_free(env);
    fprintf(stderr, "hs-exec: %s\n", error->message);
    return code;
  }

  /* Staying as the parent: only the proxy still needs a token. */
  if (!opts.proxy) {
    g_clear_pointer(&access, hs_access_free);
    g_clear_pointer(&record, hs_record_free);
  }
  code = hs_supervise_pending_signal();
  if (code != 0) {
    code += 128;
  } else {
    HsSupervise run = {
        .argv = command,
        .envp = env,
        .fd_from = token_fd,
        .fd_to = opts.fd,
        .mask = opts.mask ? (const char *const *)secrets->pdata : NULL,
    };
    code = hs_supervise(&run, &error);
    if (error != NULL) fprintf(stderr, "hs-exec: %s\n", error->message);
  }
  hs_child_env_free(env);
  if (token_fd >= 0) close(token_fd);
  g_clear_pointer(&fifo, hs_fifo_free);
  if (proxy != NULL) {
    hs_proxy_stop(proxy);
    g_clear_pointer(&tokens.access, hs_access_free);
    g_mutex_clear(&tokens.lock);
  }
  return code;
}
