/* SPDX-License-Identifier: MIT */
/* journal.c — the journal's native protocol (systemd's
 * docs/JOURNAL_NATIVE_PROTOCOL.md), enough for the audit's small entries. */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "base/fd.h"
#include "base/journal.h"

char *hs_journal_encode(const char *const *fields, size_t *ret_len) {
  size_t size = 0, at = 0;
  char *out;

  /* Room for the longer, binary form of every field. */
  for (const char *const *f = fields; f && *f; f++)
    size += strlen(*f) + 1 + sizeof(uint64_t) + 1;
  out = malloc(size + 1);
  if (out == NULL) return NULL;
  for (const char *const *f = fields; f && *f; f++) {
    const char *eq = strchr(*f, '=');
    const char *value;
    uint64_t len_le;
    size_t n;

    if (eq == NULL) continue;
    value = eq + 1;
    n = strlen(value);
    if (strchr(value, '\n') == NULL) {
      memcpy(out + at, *f, (size_t)(eq - *f) + 1 + n);
      at += (size_t)(eq - *f) + 1 + n;
    } else {
      len_le = htole64((uint64_t)n);
      memcpy(out + at, *f, (size_t)(eq - *f));
      at += (size_t)(eq - *f);
      out[at++] = '\n';
      memcpy(out + at, &len_le, sizeof len_le);
      at += sizeof len_le;
      memcpy(out + at, value, n);
      at += n;
    }
    out[at++] = '\n';
  }
  *ret_len = at;
  return out;
}

bool hs_journal_send(const char *socket_path, const char *const *fields) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  size_t len = 0;
  char *entry;
  hs_autofd fd = -1;
  ssize_t n;

  if (socket_path == NULL) socket_path = HS_JOURNAL_SOCKET;
  if (strlen(socket_path) >= sizeof addr.sun_path) return false;
  strcpy(addr.sun_path, socket_path);
  fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  entry = hs_journal_encode(fields, &len);
  if (entry == NULL) return false;
  do
    n = sendto(fd, entry, len, MSG_NOSIGNAL, (struct sockaddr *)&addr,
               sizeof addr);
  while (n < 0 && errno == EINTR);
  free(entry);
  return n == (ssize_t)len;
}
