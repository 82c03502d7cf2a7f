/* SPDX-License-Identifier: MIT */
/* dropin.h — the systemd drop-in that runs a service through hs-exec with
 * its profile loaded as an encrypted credential (`hs-token unit`). */
#pragma once

#include <glib.h>

/* The commands of the ExecStart= lines in the [Service] section of a unit
 * file's text, as systemd takes them: a line ending in '\' continues on the
 * next, and an empty ExecStart= drops the ones before it.  (transfer full)
 * a NULL-terminated list, empty when there is none. */
char **hs_dropin_exec_starts(const char *unit_text);

typedef struct {
  const char *profile;
  const char *unit;     /* "myapp.service" */
  const char *cred_dir; /* the systemd-creds store's dir */
  const char *hs_exec;  /* the installed hs-exec, an absolute path */
  /* The unit's own ExecStart= commands, or NULL (or empty) when they are
   * not known: the drop-in then has a placeholder the user must edit. */
  const char *const *commands;
  /* A kind whose access tokens hs-exec caches in the kernel keyring and
   * refreshes under a lock (OAuth, personal access keys): the drop-in adds
   * a runtime directory for the lock (no KeyringMode=: the cache reaches the
   * user keyring from a private session keyring). */
  gboolean keyring_cache;
} HsDropin;

/* Whether `command` (an ExecStart= value) can be run through hs-exec as it
 * is: FALSE for one with the '@' prefix, which names its own argv[0]. */
gboolean hs_dropin_command_wrappable(const char *command);

/* The drop-in's text, comments included (transfer full).  Each known
 * command becomes "ExecStart=PREFIX HS_EXEC PROFILE -- COMMAND", its
 * systemd prefix characters (-, :, +, !) kept in front. */
char *hs_dropin_render(const HsDropin *dropin);
