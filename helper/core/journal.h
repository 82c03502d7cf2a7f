/* SPDX-License-Identifier: MIT */
/* journal.h — structured entries for the systemd journal, sent over its
 * native protocol to its socket: no libsystemd (and its compression and
 * crypto libraries) in every run for one datagram. */
#ifndef HS_CORE_JOURNAL_H
#define HS_CORE_JOURNAL_H

#include <glib.h>

#define HS_JOURNAL_SOCKET "/run/systemd/journal/socket"

/* One entry of the native protocol from `fields`, NULL-terminated
 * "NAME=value" strings (NAME: A-Z, 0-9 and '_', not starting with '_'):
 * "NAME=value\n" each, or, for a value holding a newline, NAME, '\n', its
 * length as 64-bit little endian, the value and '\n'.  (transfer full) */
GBytes *hs_journal_encode(const char *const *fields);

/* Send `fields` to the journal at `socket_path` (NULL: HS_JOURNAL_SOCKET).
 * FALSE when there is no journal or it did not take the entry; the caller
 * then logs elsewhere. */
gboolean hs_journal_send(const char *socket_path, const char *const *fields);

#endif
