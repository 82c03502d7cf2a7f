/* SPDX-License-Identifier: MIT */
/* notify.h — a desktop notification through org.freedesktop.Notifications
 * on the session bus (GIO), for `hs-token check --notify`. */
#ifndef HS_NOTIFY_H
#define HS_NOTIFY_H

#include <glib.h>

/* Show `summary` and `body` (not copied) as from "hs-token", critical
 * urgency when `critical`.  FALSE with a message (G_IO_ERROR or
 * G_DBUS_ERROR domain) when there is no session bus or no notification
 * server on it; waits at most a few seconds. */
gboolean hs_notify_desktop(const char *summary, const char *body,
                           gboolean critical, GError **error);

#endif
