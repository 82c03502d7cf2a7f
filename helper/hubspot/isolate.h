/* SPDX-License-Identifier: MIT */
/* isolate.h — work on secrets done in a process of its own.  A helper is
 * forked while the caller holds no secret and runs no thread; for each
 * request it forks a worker, a pristine copy of itself, that does the work
 * (the store lookup, the refresh at HubSpot), sends the answer and exits.
 * What the work left in memory (libcurl's buffers, the form, the parsed
 * JSON, the store's replies) dies with the worker; the caller gets only
 * the answer (docs/design.md, "Where secrets live"). */
#ifndef HS_ISOLATE_H
#define HS_ISOLATE_H

#include <glib.h>

/* The work, in the worker: the answer to `request` (both "a{sv}"; the
 * answer may be floating). */
typedef GVariant *(*HsIsolateFunc)(GVariant *request);

typedef struct HsIsolate HsIsolate;

/* Fork the helper.  Call while the process runs a single thread.
 * (transfer full) NULL with HS_ERR_SYSTEM. */
HsIsolate *hs_isolate_start(HsIsolateFunc func, GError **error);

/* Have a worker answer `request` (floating references are sunk).  The
 * answer's memory is wiped when it is freed.  (transfer full) NULL with
 * HS_ERR_SYSTEM when the helper or the worker failed. */
GVariant *hs_isolate_call(HsIsolate *isolate, GVariant *request,
                          GError **error);

/* End the helper and wait for it.  NULL is fine. */
void hs_isolate_stop(HsIsolate *isolate);

#endif
