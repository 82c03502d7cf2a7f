/* SPDX-License-Identifier: MIT */
/* journal.c — the journal's native protocol (systemd's
 * docs/JOURNAL_NATIVE_PROTOCOL.md), enough for the audit's small entries. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "core/fd.h"
#include "core/journal.h"

GBytes *hs_journal_encode(const char *const *fields) {
  GByteArray *out = g_byte_array_new();

  for (const char *const *f = fields; f && *f; f++) {
    const char *eq = strchr(*f, '=');
    const char *value;
    guint64 len_le;

    if (eq == NULL) continue;
    value = eq + 1;
    if (strchr(value, '\n') == NULL) {
      g_byte_array_append(out, (const guint8 *)*f, (guint)strlen(*f));
    } else {
      len_le = GUINT64_TO_LE((guint64)strlen(value));
      g_byte_array_append(out, (const guint8 *)*f, (guint)(eq - *f));
      g_byte_array_append(out, (const guint8 *)"\n", 1);
      g_byte_array_append(out, (const guint8 *)&len_le, sizeof len_le);
      g_byte_array_append(out, (const guint8 *)value, (guint)strlen(value));
    }
    g_byte_array_append(out, (const guint8 *)"\n", 1);
  }
  return g_byte_array_free_to_bytes(out);
}

gboolean hs_journal_send(const char *socket_path, const char *const *fields) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  g_autoptr(GBytes) entry = hs_journal_encode(fields);
  gsize len = 0;
  const void *data = g_bytes_get_data(entry, &len);
  hs_autofd fd = -1;
  ssize_t n;

  if (socket_path == NULL) socket_path = HS_JOURNAL_SOCKET;
  if (strlen(socket_path) >= sizeof addr.sun_path) return FALSE;
  strcpy(addr.sun_path, socket_path);
  fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return FALSE;
  do
    n = sendto(fd, data, len, MSG_NOSIGNAL, (struct sockaddr *)&addr,
               sizeof addr);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t)len;
}
