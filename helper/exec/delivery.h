/* SPDX-License-Identifier: MIT */
/* delivery.h — how COMMAND gets its token and runs (docs/design.md, "One
 * hs-exec run"): in its environment, on a pipe (--fd), through a FIFO
 * (--file) or behind a loopback proxy (--proxy), with the HubSpot CLI's
 * variables (--format hubspot-cli) and its output masked (--mask); then
 * COMMAND replaces hs-exec, or runs as its child when a mode needs a
 * parent (--file, --proxy, --mask). */
#ifndef HS_DELIVERY_H
#define HS_DELIVERY_H

#include <glib.h>

#include "hubspot/access.h"

typedef struct {
  char **token_vars;    /* --env: where the token goes; NULL: the default */
  gboolean keep_env;    /* --keep-env */
  gboolean pristine;    /* --pristine */
  gboolean hubspot_cli; /* --format hubspot-cli */
  int fd;               /* --fd N; -1: none */
  gboolean file;        /* --file */
  gboolean proxy;       /* --proxy */
  gboolean mask;        /* --mask */
  /* The account the HubSpot CLI's project binding names in the working
   * directory (core/project-binding.h), or NULL: --format hubspot-cli
   * refuses a profile of another hub, which the CLI would not use. */
  const char *project_account;
  const char *project_file; /* the binding's file, for the message */
} HsDeliveryOptions;

/* What `how` needs of the access token besides what `want` already says:
 * the record for --format and --mask, a token kept fresh for --proxy. */
void hs_delivery_want(const HsDeliveryOptions *how, HsAccessWant *want);

/* TRUE when nested inside hs-exec for the same profile with the token
 * already in every variable `how` would set and lasting beyond
 * want->min_ttl, and nothing else asked: COMMAND can have our environment
 * as it is, with nothing to look up. */
gboolean hs_delivery_can_pass_through(const HsDeliveryOptions *how,
                                      const char *profile,
                                      const HsAccessWant *want);

/* Ready the process for `how`, before any thread exists: the modes that
 * keep hs-exec as COMMAND's parent block the signals it forwards, so that
 * every thread leaves them to it; --proxy ignores SIGPIPE. */
void hs_delivery_prepare_process(const HsDeliveryOptions *how);

typedef struct HsDelivery HsDelivery;

/* COMMAND's environment and whatever carries the token to it: the pipe,
 * the FIFO or the proxy, as `how` says.  `access` is taken over (transfer
 * full); NULL passes our environment through unchanged (see
 * hs_delivery_can_pass_through).  (transfer full) NULL with HS_ERR_USAGE
 * (a kind the HubSpot CLI cannot use), HS_ERR_CONFIG (no account id) or
 * HS_ERR_UNAVAILABLE (no record) for --format hubspot-cli, HS_ERR_SYSTEM
 * when the pipe cannot be made, or the error of hs_fifo_new or
 * hs_proxy_start. */
HsDelivery *hs_delivery_new(const HsDeliveryOptions *how, const char *profile,
                            HsAccessSession *access, GError **error);

/* Run COMMAND (`argv`): in place when hs-exec need not stay, dropping our
 * copy of the token first; else as our child (hs_supervise).  Returns
 * COMMAND's exit status, 128+N when signal N ended it or came before it
 * started, 126 or 127 with *error when it could not be executed, or -1 with
 * *error (HS_ERR_SYSTEM) when the token's descriptor could not be given to
 * it. */
int hs_delivery_run(HsDelivery *delivery, char *const *argv, GError **error);

/* Stop the proxy, remove the FIFO, wipe and free.  NULL is fine. */
void hs_delivery_free(HsDelivery *delivery);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsDelivery, hs_delivery_free)

#endif
