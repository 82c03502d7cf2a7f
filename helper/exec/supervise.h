/* SPDX-License-Identifier: MIT */
/* supervise.h — running COMMAND as a child when hs-exec must stay its
 * parent (--file, --proxy, --mask): signals forwarded, output relayed
 * through the mask filter, COMMAND's exit status returned as a shell would
 * report it. */
#ifndef HS_SUPERVISE_H
#define HS_SUPERVISE_H

#include <glib.h>

#include "core/digest.h"
#include "exec/sandbox.h"

/* Block the forwarded signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH,
 * SIGUSR1, SIGUSR2) and SIGCHLD in the calling thread, so that threads
 * started afterwards inherit the mask and hs_supervise() receives them.
 * Call early in main(), before any thread exists. */
void hs_supervise_block_signals(void);

/* Remember SIGPIPE's disposition at start: libraries (GDBus) and the proxy
 * ignore it in hs-exec, and COMMAND must get the one hs-exec was started
 * with, which hs_supervise() and hs_supervise_restore_sigpipe() restore. */
void hs_supervise_save_sigpipe(void);
void hs_supervise_restore_sigpipe(void);

/* Ignore SIGPIPE in hs-exec (a client or HubSpot closing a socket must not
 * kill the proxy). */
void hs_supervise_ignore_sigpipe(void);

/* Undo hs_supervise_block_signals() (before execve in place). */
void hs_supervise_unblock_signals(void);

/* The terminating signal already pending (e.g. ^C during the lookup), or
 * 0. */
int hs_supervise_pending_signal(void);

typedef struct {
  char *const *argv; /* COMMAND */
  char *const *envp;
  int fd_from, fd_to; /* dup2(fd_from, fd_to) in the child; -1: none */
  /* When not NULL, COMMAND's stdout and stderr go through pipes and every
   * occurrence of these SECRETS is replaced by "***". */
  const char *const *mask;
  /* With mask: more secrets known by their digest only (terminated by one
   * of len 0, or NULL), and the key they were made with. */
  const HsDigest *mask_digests;
  const guint8 *mask_key;
  /* When not NULL, installed in COMMAND's process before execve. */
  const HsSandbox *sandbox;
} HsSupervise;

/* Fork and exec COMMAND, forward signals sent to hs-exec by other
 * processes (the terminal's reach COMMAND by themselves) until COMMAND is
 * reaped, relay output, and return COMMAND's exit status, or 128+N when a
 * signal N killed it, or 128+N when SIGINT, SIGTERM, SIGHUP or SIGQUIT (N)
 * reached hs-exec after COMMAND's exit while something else still held its
 * output pipes (the run ends there).  When
 * COMMAND cannot be executed: 127 (not found) or 126, with *error set
 * (HS_ERR_USAGE).  When the system refuses the pipes, the fork or the
 * sandbox: HS_ERR_SYSTEM, with *error set to it. */
int hs_supervise(const HsSupervise *opts, GError **error);

#endif
