/* SPDX-License-Identifier: MIT */
/* journal.h — one entry for the systemd journal, in its native protocol
 * (systemd's docs/JOURNAL_NATIVE_PROTOCOL.md): a datagram of FIELD=value
 * lines to its socket, without libsystemd.  The C library only, as all of
 * base/: the cached run of hs-exec writes its audit entry with it. */
#ifndef HS_BASE_JOURNAL_H
#define HS_BASE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#define HS_JOURNAL_SOCKET "/run/systemd/journal/socket"

/* `fields` ("NAME=value", NULL-terminated) as one entry: plain lines, or
 * the binary form for a value with a newline.  Malloc'd, its length in
 * *ret_len; NULL when out of memory. */
char *hs_journal_encode(const char *const *fields, size_t *ret_len);

/* Send `fields` as one entry to `socket_path` (NULL: HS_JOURNAL_SOCKET).
 * false when no journal took it (none running, a full socket): the
 * caller logs elsewhere. */
bool hs_journal_send(const char *socket_path, const char *const *fields);

#endif
