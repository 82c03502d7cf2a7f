/* SPDX-License-Identifier: MIT */
/* fifo.h — hs-exec --file: the token through a named pipe in a
 * private directory, readable once, never a regular file. */
#ifndef HS_TOKEN_FIFO_H
#define HS_TOKEN_FIFO_H

#include <glib.h>

#define HS_TOKEN_FILE_VAR "HUBSPOT_ACCESS_TOKEN_FILE"

typedef struct HsFifo HsFifo;

/* Make a 0700 directory under $XDG_RUNTIME_DIR holding a 0600 FIFO, and a
 * thread that writes `token` (taken over: SECRET, wiped once written) plus a
 * newline to the first reader, then removes the FIFO.  NULL with
 * HS_ERR_CONFIG when there is no usable $XDG_RUNTIME_DIR, HS_ERR_SYSTEM when
 * the FIFO cannot be made in it.  (transfer full) */
HsFifo *hs_fifo_new(char *token, GError **error);

/* The FIFO's path (transfer none). */
const char *hs_fifo_path(const HsFifo *fifo);

/* Stop the writer if nobody read the token, wipe it, and remove the FIFO and
 * its directory. */
void hs_fifo_free(HsFifo *fifo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsFifo, hs_fifo_free)

#endif
