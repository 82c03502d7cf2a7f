/* SPDX-License-Identifier: MIT */
/* hs-exec-main.c — hs-exec, every run but the cached one: what hs-exec.c,
 * the front end, loads (hs-exec-main.so) when its cached run does not
 * apply.  Run COMMAND with a HubSpot profile's token in its environment.
 *
 *   hs-exec [OPTIONS] PROFILE [-- COMMAND [ARG…]]
 *   hs-exec [OPTIONS] -- COMMAND [ARG…]    (the HubSpot CLI project's
 *                                          profile, core/project-binding.h)
 *
 * A thin main: parse the options, get the profile's access token (an
 * access session, hubspot/access.h), hand it to COMMAND the way asked and
 * run it (exec/delivery.h), and map an error to its exit code. */
#include "config.h"

#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/audit.h"
#include "core/error.h"
#include "core/profile-name.h"
#include "core/project-binding.h"
#include "core/secure.h"
#include "base/usage-log.h"
#include "base/cache-entry.h"
#include "base/child-env.h"
#include "base/process.h"
#include "exec/delivery.h"
#include "hs-exec-main.h"
#include "exec/supervise.h"
#include "hubspot/access.h"

#ifdef HS_TEST_HOOKS
#include "test-hooks.h"
#endif

#define USAGE "hs-exec [OPTIONS] [PROFILE] [-- COMMAND [ARG…]]"

typedef struct {
  HsDeliveryOptions how;
  char **scopes;
  gboolean allow_unknown_scopes;
  gint min_ttl;
  char *format;
  gboolean nested;
  gboolean version;
  gboolean list_options; /* hidden: for the shell completions */
  /* Set by parse_args() */
  const char *profile;
  char **command;
  char *shell[2];      /* COMMAND when none is given: the user's shell */
  char *bound_profile; /* the profile the project binding chose */
  HsBinding *binding;  /* in the working directory, or NULL */
  HsAccessWant want;
} Options;

static void options_clear(Options *opts) {
  g_strfreev(opts->how.token_vars);
  g_strfreev(opts->scopes);
  g_free(opts->format);
  g_free(opts->bound_profile);
  hs_binding_free(opts->binding);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Options, options_clear)

/* Notes of the access session (an offline fallback, unknown scopes). */
static void print_note(const char *note, gpointer user_data) {
  (void)user_data;
  fprintf(stderr, "hs-exec: note: %s\n", note);
}

/* On a terminal, a retry says so: a refresh that waits seconds for HubSpot
 * is not a hang.  Whole lines only, with no cursor movement: under
 * --proxy a refresh can happen while COMMAND writes to the same terminal. */
static void show_retry(const HsApiProgress *progress, gpointer user_data) {
  g_autofree char *line = NULL;

  (void)user_data;
  if (progress->step != HS_API_PROGRESS_RETRY) return;
  line = hs_api_progress_describe(progress);
  fprintf(stderr, "hs-exec: %s\n", line);
}

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

/* --list-options: what --help offers, one line each, "--NAME" or
 * "--NAME=", a tab, the short name (none), a tab, the help text; the shell
 * completions read it, so that they cannot drift from the program. */
static void list_options(const GOptionEntry *entries) {
  for (const GOptionEntry *e = entries; e->long_name != NULL; e++) {
    if (e->flags & G_OPTION_FLAG_HIDDEN) continue;
    printf("--%s%s\t\t%s\n", e->long_name,
           e->arg == G_OPTION_ARG_NONE ? "" : "=", e->description);
  }
  printf("--help\t-h\tShow the options and exit\n");
}

static gboolean parse_options(int *argc, char ***argv, Options *opts,
                              GError **error) {
  GOptionEntry entries[] = {
      {"env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts->how.token_vars,
       "Put the token in variable NAME instead of HUBSPOT_ACCESS_TOKEN "
       "(repeatable)",
       "NAME"},
      {"keep-env", 0, 0, G_OPTION_ARG_NONE, &opts->how.keep_env,
       "Keep inherited HUBSPOT_* variables", NULL},
      {"nested", 0, 0, G_OPTION_ARG_NONE, &opts->nested,
       "Allow running inside another hs-exec for a different profile", NULL},
      {"require-scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts->scopes,
       "Refuse to run unless the token's known scopes include SCOPE "
       "(repeatable)",
       "SCOPE"},
      {"allow-unknown-scopes", 0, 0, G_OPTION_ARG_NONE,
       &opts->allow_unknown_scopes,
       "Run with only a note when the profile's scopes are unknown (added "
       "with --no-verify) instead of refusing --require-scope",
       NULL},
      {"min-ttl", 0, 0, G_OPTION_ARG_INT, &opts->min_ttl,
       "Refresh first if the token expires within SECONDS (default 300)",
       "SECONDS"},
      {"pristine", 0, 0, G_OPTION_ARG_NONE, &opts->how.pristine,
       "Run COMMAND with only PATH, HOME, USER, LANG, TERM and the "
       "injected variables",
       NULL},
      {"format", 0, 0, G_OPTION_ARG_STRING, &opts->format,
       "hubspot-cli: also set what the HubSpot CLI reads with --use-env",
       "FORMAT"},
      {"fd", 0, 0, G_OPTION_ARG_INT, &opts->how.fd,
       "Give the token on a pipe at descriptor N (3 or more) instead of the "
       "environment",
       "N"},
      {"file", 0, 0, G_OPTION_ARG_NONE, &opts->how.file,
       "Give the token through a FIFO readable once, its path in "
       "HUBSPOT_ACCESS_TOKEN_FILE",
       NULL},
      {"proxy", 0, 0, G_OPTION_ARG_NONE, &opts->how.proxy,
       "Give COMMAND a placeholder token and a loopback proxy to HubSpot "
       "that adds the real one, refreshed as needed",
       NULL},
      {"mask", 0, 0, G_OPTION_ARG_NONE, &opts->how.mask,
       "Replace the profile's secrets in COMMAND's output with ***", NULL},
      {"version", 0, 0, G_OPTION_ARG_NONE, &opts->version,
       "Print the version and exit", NULL},
      {"list-options", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE,
       &opts->list_options, "The options, for the shell completions", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("[PROFILE] [-- COMMAND [ARG…]]");
  g_autoptr(GError) local = NULL;

  g_option_context_set_summary(
      ctx,
      "Run COMMAND with the access token of HubSpot profile PROFILE in "
      "its environment;\nwithout COMMAND, start $SHELL with it.  Without "
      "PROFILE, the profile of the account\nthe HubSpot CLI project in the "
      "working directory or a parent is linked to\n(.hs/settings.json, "
      ".hsaccount).");
  g_option_context_set_description(
      ctx,
      "Exit status: COMMAND's; 126 not executable; 127 not found; 1 usage; "
      "2 no such profile;\n3 store unavailable; 4 HubSpot refused the "
      "credential; 5 HubSpot unreachable;\n6 configuration error; 7 the "
      "system refused (a pipe, a process, a descriptor,\na FIFO, a lock, a "
      "socket).");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, argc, argv, &local)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s; usage: %s",
                local->message, USAGE);
    return FALSE;
  }
  if (opts->list_options) {
    list_options(entries);
    return TRUE;
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
  if (opts->how.fd != -1 && (opts->how.fd < 3 || opts->how.fd > 1023)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--fd must be between 3 and 1023 (0, 1 and 2 are COMMAND's "
                "stdin, stdout and stderr)");
    return FALSE;
  }
  if (opts->how.proxy && (opts->how.fd != -1 || opts->how.file)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--proxy gives COMMAND a placeholder, not a token, so it "
                "cannot be combined with --fd or --file; choose one");
    return FALSE;
  }
  if (opts->how.proxy && opts->format != NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--format hubspot-cli hands COMMAND the personal access key, "
                "which --proxy exists to keep from it; choose one");
    return FALSE;
  }
  if (opts->how.fd != -1 && opts->how.file) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--fd and --file are two ways to deliver the same token; "
                "choose one");
    return FALSE;
  }
  return TRUE;
}

/* The user's shell, as aws-vault exec starts it: $SHELL, else the passwd
 * entry's, else /bin/sh (transfer none). */
static const char *user_shell(void) {
  const char *shell = getenv("SHELL");
  struct passwd *pw;

  if (shell != NULL && *shell == '/') return shell;
  pw = getpwuid(getuid());
  if (pw != NULL && pw->pw_shell != NULL && *pw->pw_shell == '/')
    return pw->pw_shell;
  return "/bin/sh";
}

/* The arguments: options, one PROFILE, then "--" and COMMAND, or nothing
 * for the user's shell; the access session's wants follow from them. */

/* The binding of the working directory, when the profile comes from it or
 * --format hubspot-cli must agree with it; sets opts->binding (NULL when
 * there is none). */
static gboolean find_binding(Options *opts, GError **error) {
  g_autofree char *cwd = g_get_current_dir();
  GError *local = NULL;

  opts->binding = hs_binding_find(cwd, &local);
  if (local != NULL) {
    g_propagate_error(error, local);
    return FALSE;
  }
  return TRUE;
}

/* No PROFILE before "--": the one of the project's account, said on
 * stderr. */
static gboolean use_binding(Options *opts, GError **error) {
  if (!find_binding(opts, error)) return FALSE;
  if (opts->binding == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "no PROFILE given, and no HubSpot CLI project (.hs/"
                "settings.json or .hsaccount) here or in a parent names an "
                "account; give a PROFILE; usage: %s",
                USAGE);
    return FALSE;
  }
  opts->bound_profile = hs_binding_pick_profile(opts->binding, error);
  if (opts->bound_profile == NULL) return FALSE;
  fprintf(stderr, "hs-exec: using profile %s, of account %s that %s links\n",
          opts->bound_profile, opts->binding->hub_id, opts->binding->path);
  opts->profile = opts->bound_profile;
  return TRUE;
}

/* The arguments: options, PROFILE (or none: the project binding's), "--",
 * COMMAND; the access session's wants follow from them. */
static gboolean parse_args(int argc, char **argv, Options *opts,
                           GError **error) {
  int own_argc = split_at_dashes(argc, argv, &opts->command);
  const char *outer;

  if (!parse_options(&own_argc, &argv, opts, error)) return FALSE;
  if (opts->version || opts->list_options) return TRUE;
  if (opts->command == NULL && own_argc == 2) {
    /* No "--": a shell, never the words after PROFILE, which would run a
     * command the user may have meant as an option of ours. */
    opts->shell[0] = (char *)user_shell();
    opts->command = opts->shell;
  }
  if (own_argc == 1 && opts->command != NULL && opts->command[0] != NULL) {
    if (!use_binding(opts, error)) return FALSE;
  } else if (own_argc != 2 || opts->command == NULL ||
             opts->command[0] == NULL) {
    const char *what = opts->command == NULL ? "'--' before COMMAND is required"
                       : own_argc != 2 ? "give at most one PROFILE before '--'"
                                       : "no COMMAND after '--'";
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s; usage: %s", what,
                USAGE);
    return FALSE;
  } else {
    opts->profile = argv[1];
    if (opts->format != NULL && !find_binding(opts, error)) return FALSE;
  }
  if (opts->binding != NULL) {
    opts->how.project_account = opts->binding->hub_id;
    opts->how.project_file = opts->binding->path;
  }
  if (!hs_profile_name_validate(opts->profile, error)) return FALSE;
  for (char **n = opts->how.token_vars; n && *n; n++)
    if (!hs_name_rules_env_var(*n)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "'%s' is not a variable name; use letters, digits and '_', "
                  "not starting with a digit",
                  *n);
      return FALSE;
    }
  outer = getenv("HS_EXEC_PROFILE");
  if (outer != NULL && *outer != '\0' && strcmp(outer, opts->profile) != 0 &&
      !opts->nested) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "already running under hs-exec for profile '%s'; pass "
                "--nested to run a command for '%s' inside it",
                outer, opts->profile);
    return FALSE;
  }
  opts->how.hubspot_cli = opts->format != NULL;
  opts->want.min_ttl = opts->min_ttl;
  opts->want.scopes = (const char *const *)opts->scopes;
  opts->want.allow_unknown_scopes = opts->allow_unknown_scopes;
  opts->want.note = print_note;
  hs_delivery_want(&opts->how, &opts->want);
  return TRUE;
}

/* An exec is audited and counted in the usage log, whatever the mode.
 * `event` is "exec" after a lookup, "exec-inherited" when COMMAND got the
 * token an outer hs-exec left in the environment: no store was asked, so
 * the line must not read as one that handed it out. */
static void note_exec(const char *event, const char *profile,
                      const char *command) {
  hs_audit(event, profile, NULL, "ok", command);
  hs_usage_log_append(profile, command, g_get_real_time() / G_USEC_PER_SEC);
}

int hs_exec_main(int argc, char **argv) {
  g_auto(Options) opts = {.min_ttl = HS_CACHE_ENTRY_MIN_TTL, .how.fd = -1};
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDelivery) delivery = NULL;
  const char *event = "exec";
  int code;

  /* GLib's --help is UTF-8 ("[ARG…]"): converted to the user's charset, not
   * to '?'.  Numbers keep the C format whatever the locale. */
  setlocale(LC_ALL, "");
  setlocale(LC_NUMERIC, "C");
  hs_secure_process();
  g_set_prgname("hs-exec");
  hs_process_set_name("hs-exec");
  if (!hs_secure_unprivileged(&error)) return fail(g_steal_pointer(&error));
#ifdef HS_TEST_HOOKS
  /* hs-exec-faults only: never in the installed program. */
  hs_test_hooks_from_environment();
#endif
  hs_supervise_save_sigpipe();
  if (isatty(STDERR_FILENO)) hs_api_set_progress(show_retry, NULL);
  if (!parse_args(argc, argv, &opts, &error))
    return fail(g_steal_pointer(&error));
  if (opts.version) {
    printf("hs-exec %s\n", PACKAGE_VERSION);
    return 0;
  }
  if (opts.list_options) return 0;

  if (hs_delivery_can_pass_through(&opts.how, opts.profile, &opts.want)) {
    /* The token is in our environment already: nothing to look up. */
    delivery = hs_delivery_new(&opts.how, opts.profile, NULL, &error);
    event = "exec-inherited";
  } else {
    HsAccessSession *access;

    /* Before any thread exists (the Secret Service's D-Bus has one), so
     * that every thread leaves the forwarded signals to the signalfd. */
    hs_delivery_prepare_process(&opts.how);
    access = hs_access_open(opts.profile, &opts.want, &error);
    if (access == NULL) return fail(g_steal_pointer(&error));
    delivery = hs_delivery_new(&opts.how, opts.profile, access, &error);
    if (delivery == NULL) return fail(g_steal_pointer(&error));
  }
  note_exec(event, opts.profile, opts.command[0]);

  code = hs_delivery_run(delivery, opts.command, &error);
  if (code < 0) return fail(g_steal_pointer(&error));
  if (error != NULL) fprintf(stderr, "hs-exec: %s\n", error->message);
  return code;
}
