/* SPDX-License-Identifier: MIT */
/* delivery.c — how COMMAND gets its token and runs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "core/kind.h"
#include "core/record.h"
#include "core/secure.h"
#include "base/child-env.h"
#include "exec/delivery.h"
#include "exec/fifo.h"
#include "exec/proxy.h"
#include "exec/run.h"
#include "exec/sandbox.h"
#include "exec/supervise.h"
#include "hubspot/api.h"

extern char **environ;

struct HsDelivery {
  HsAccessSession *access;
  gboolean pass_through; /* COMMAND gets our environment as it is */
  gboolean stay_parent;  /* --file, --proxy, --mask */
  gboolean proxy_mode;
  int fd_to;          /* --fd N, or -1 */
  int token_fd;       /* --fd: the pipe's read end, or -1 */
  char **env;         /* COMMAND's; NULL when passing through */
  GPtrArray *secrets; /* --mask: NULL-terminated SECRETS, or NULL */
  HsFifo *fifo;
  HsProxy *proxy;
  char *placeholder;  /* --proxy: the token COMMAND holds instead */
  HsSandbox *sandbox; /* --proxy: COMMAND's seccomp filter */
};

static gboolean stays_parent(const HsDeliveryOptions *how) {
  return how->file || how->proxy || how->mask;
}

void hs_delivery_want(const HsDeliveryOptions *how, HsAccessWant *want) {
  /* --format reads the record's kind, --mask every secret in it; --proxy
   * refreshes for as long as COMMAND runs. */
  want->need_record = how->hubspot_cli || how->mask;
  want->keep_fresh = how->proxy;
  /* hs-exec outlives the lookup: the record's secrets stay out of it. */
  want->isolate = stays_parent(how);
}

/* Modes that deliver otherwise, or need the record, look it up again. */
gboolean hs_delivery_can_pass_through(const HsDeliveryOptions *how,
                                      const char *profile,
                                      const HsAccessWant *want) {
  const char *outer = getenv("HS_EXEC_PROFILE");
  const char *expires = getenv("HS_EXEC_EXPIRES_AT");
  static const char *const default_vars[] = {HS_DEFAULT_TOKEN_VAR, NULL};
  const char *const *vars = how->token_vars && how->token_vars[0]
                                ? (const char *const *)how->token_vars
                                : default_vars;

  if (outer == NULL || strcmp(outer, profile) != 0 || want->scopes ||
      how->hubspot_cli || how->fd != -1 || how->file || how->proxy ||
      how->mask || how->pristine)
    return FALSE;
  for (const char *const *v = vars; *v; v++) {
    const char *value = getenv(*v);
    if (value == NULL || *value == '\0') return FALSE;
  }
  if (expires != NULL && *expires != '\0') {
    g_autoptr(GDateTime) t = g_date_time_new_from_iso8601(expires, NULL);
    if (t == NULL ||
        g_date_time_to_unix(t) - g_get_real_time() / G_USEC_PER_SEC <=
            want->min_ttl)
      return FALSE;
  }
  return TRUE;
}

void hs_delivery_prepare_process(const HsDeliveryOptions *how) {
  if (stays_parent(how)) hs_supervise_block_signals();
  if (how->proxy) hs_supervise_ignore_sigpipe();
}

/* --format hubspot-cli: the HubSpot CLI's --use-env reads a personal access
 * key and the account id.  Other kinds have nothing it can use: an OAuth
 * refresh token handed to it would be spent and rotated behind our back. */
static gboolean hubspot_cli_vars(const HsAccessSession *access,
                                 const HsDeliveryOptions *how,
                                 const char *profile, GPtrArray *extra,
                                 GError **error) {
  const HsRecord *record = hs_access_record(access);
  const char *hub_id = hs_access_hub_id(access);

  /* --format skips the cache's fast path (hs_delivery_want), so the record
   * was read; say so plainly should that ever change. */
  if (record == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "--format hubspot-cli: profile %s could not be read from "
                "the stores; run 'hs-token doctor'",
                profile);
    return FALSE;
  }
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
  /* Inside a linked project the CLI takes .hs/settings.json's account
   * over HUBSPOT_ACCOUNT_ID (hubspot-local-dev-lib config/index.ts,
   * getConfigDefaultAccount), which must then be this profile's. */
  if (how->project_account != NULL &&
      strcmp(how->project_account, hub_id) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "--format hubspot-cli: %s links account %s, but profile %s "
                "is hub %s, which the HubSpot CLI would not use here; give "
                "a profile of hub %s, or no PROFILE to use the binding",
                how->project_file, how->project_account, record->profile,
                hub_id, how->project_account);
    return FALSE;
  }
  g_ptr_array_add(
      extra, g_strconcat("HUBSPOT_PERSONAL_ACCESS_KEY=", record->token, NULL));
  return TRUE;
}

/* --mask: every secret of the profile that COMMAND could print, kept out
 * of swap (NULL-terminated).  An isolated session has no client secret or
 * refresh token, only their digests (hs_access_secret_digests). */
static GPtrArray *mask_secrets(const HsAccessSession *access) {
  GPtrArray *secrets =
      g_ptr_array_new_with_free_func((GDestroyNotify)hs_secure_free);
  const HsRecord *record = hs_access_record(access);

  g_ptr_array_add(secrets, hs_secure_dup(hs_access_token(access)));
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
  return secrets;
}

/* --fd: a pipe holding the token and a newline, its write end closed; the
 * read end (returned) becomes descriptor N in COMMAND. */
static int token_pipe(const char *token, GError **error) {
  hs_autopipe p[2] = {-1, -1};
  gsize len = strlen(token);

  /* far below the pipe's capacity: never blocks */
  if (pipe2(p, O_CLOEXEC) != 0 || write(p[1], token, len) != (ssize_t)len ||
      write(p[1], "\n", 1) != 1) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "cannot make the pipe for --fd: %s", g_strerror(errno));
    return -1;
  }
  return hs_fd_steal(&p[0]); /* the write end closes on return */
}

/* Put `from` at descriptor `to`, inheritable, for execve in place. */
static gboolean install_fd(int from, int to, GError **error) {
  if (from == to ? fcntl(to, F_SETFD, 0) != 0 : dup2(from, to) < 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "cannot give COMMAND descriptor %d: %s", to, g_strerror(errno));
    return FALSE;
  }
  if (from != to) close(from);
  return TRUE;
}

/* The proxy's threads ask the session, which refreshes as needed. */
static char *proxy_token(gpointer access, const char *stale, GError **error) {
  return hs_access_current(access, stale, error);
}

/* --fd, --file or --proxy: what carries the token to COMMAND, and the
 * variable in `extra` that says where. */
static gboolean start_carrier(HsDelivery *d, const HsDeliveryOptions *how,
                              GPtrArray *extra, GError **error) {
  const char *token = hs_access_token(d->access);

  if (how->fd != -1) {
    d->token_fd = token_pipe(token, error);
    if (d->token_fd < 0) return FALSE;
    g_ptr_array_add(extra,
                    g_strdup_printf("HUBSPOT_ACCESS_TOKEN_FD=%d", how->fd));
  } else if (how->file) {
    d->fifo = hs_fifo_new(hs_secure_dup(token), error);
    if (d->fifo == NULL) return FALSE;
    g_ptr_array_add(extra, g_strconcat(HS_TOKEN_FILE_VAR, "=",
                                       hs_fifo_path(d->fifo), NULL));
  } else if (how->proxy) {
    const HsApi *api = hs_access_api(d->access);

    d->placeholder = hs_proxy_new_placeholder();
    d->proxy =
        hs_proxy_start(hs_api_base(api), hs_api_ca_file(api), d->placeholder,
                       NULL, proxy_token, d->access, error);
    if (d->proxy == NULL) return FALSE;
    g_ptr_array_add(extra,
                    g_strdup_printf("HUBSPOT_API_BASE=http://127.0.0.1:%u",
                                    hs_proxy_port(d->proxy)));
  }
  return TRUE;
}

HsDelivery *hs_delivery_new(const HsDeliveryOptions *how, const char *profile,
                            HsAccessSession *access, GError **error) {
  g_autoptr(HsDelivery) d = g_new0(HsDelivery, 1);
  g_autoptr(GPtrArray) extra =
      g_ptr_array_new_with_free_func((GDestroyNotify)hs_secure_free);
  gboolean in_env = how->fd == -1 && !how->file;

  d->access = access;
  d->pass_through = access == NULL;
  d->stay_parent = stays_parent(how);
  d->proxy_mode = how->proxy;
  d->fd_to = how->fd;
  d->token_fd = -1;
  if (d->pass_through) return g_steal_pointer(&d);

  if (how->hubspot_cli && !hubspot_cli_vars(access, how, profile, extra, error))
    return NULL;
  if (how->mask) d->secrets = mask_secrets(access);
  /* --proxy keeps the token out of COMMAND's reach only if COMMAND cannot
   * read the token cache in the kernel keyring either. */
  if (how->proxy && (d->sandbox = hs_sandbox_new_no_keyring(error)) == NULL)
    return NULL;
  if (!start_carrier(d, how, extra, error)) return NULL;
  g_ptr_array_add(extra, NULL);
  {
    HsChildEnv child = {
        .profile = profile,
        .token = how->proxy ? d->placeholder
                 : in_env   ? hs_access_token(access)
                            : NULL,
        .hub_id = hs_access_hub_id(access),
        .expires_at = how->proxy ? 0 : hs_access_expires_at(access),
        .token_vars = (const char *const *)how->token_vars,
        .keep_env = how->keep_env,
        .pristine = how->pristine,
        .no_session_bus = how->proxy,
        .extra = (const char *const *)extra->pdata,
    };
    d->env = hs_child_env_build((const char *const *)environ, &child);
  }
  if (d->env == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "out of memory for COMMAND's environment");
    return NULL;
  }
  return g_steal_pointer(&d);
}

int hs_delivery_run(HsDelivery *d, char *const *argv, GError **error) {
  int code;

  if (d->pass_through) {
    hs_supervise_restore_sigpipe();
    return hs_run_command(argv, environ, error);
  }
  if (!d->stay_parent) {
    /* The child gets its copy through execve (or the pipe); ours goes
     * now. */
    g_clear_pointer(&d->access, hs_access_close);
    if (d->token_fd >= 0) {
      if (!install_fd(d->token_fd, d->fd_to, error)) return -1;
      d->token_fd = -1; /* now COMMAND's descriptor N */
    }
    hs_supervise_restore_sigpipe();
    return hs_run_command(argv, d->env, error);
  }

  /* Staying as the parent: only the proxy still needs a token, and
   * COMMAND none of our connections. */
  if (!d->proxy_mode) hs_access_forget(d->access);
  hs_access_disconnect(d->access);
  code = hs_supervise_pending_signal();
  if (code != 0) return code + 128;
  {
    HsSupervise run = {
        .argv = argv,
        .envp = d->env,
        .fd_from = d->token_fd,
        .fd_to = d->fd_to,
        .mask = d->secrets ? (const char *const *)d->secrets->pdata : NULL,
        .sandbox = d->sandbox,
    };
    if (d->secrets != NULL)
      run.mask_digests = hs_access_secret_digests(d->access, &run.mask_key);
    return hs_supervise(&run, error);
  }
}

void hs_delivery_free(HsDelivery *d) {
  if (d == NULL) return;
  if (d->env != NULL) hs_child_env_free(d->env);
  hs_fd_close(&d->token_fd);
  g_clear_pointer(&d->fifo, hs_fifo_free);
  /* Before the session: the proxy's threads ask it for tokens. */
  g_clear_pointer(&d->proxy, hs_proxy_stop);
  g_clear_pointer(&d->access, hs_access_close);
  hs_secure_free(d->placeholder);
  hs_sandbox_free(d->sandbox);
  if (d->secrets != NULL) g_ptr_array_unref(d->secrets);
  g_free(d);
}
