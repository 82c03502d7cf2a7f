/* SPDX-License-Identifier: MIT */
/* notify.c — desktop notifications over D-Bus. */
#include "config.h"

#include <gio/gio.h>

#include "cmd/notify.h"

/* A notification server that does not answer in this time is as good as
 * none: check runs from a timer and must not hang. */
#define NOTIFY_TIMEOUT_MS 5000

gboolean hs_notify_desktop(const char *summary, const char *body,
                           gboolean critical, GError **error) {
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariantBuilder hints;

  bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, error);
  if (bus == NULL) return FALSE;
  g_variant_builder_init(&hints, G_VARIANT_TYPE("a{sv}"));
  g_variant_builder_add(&hints, "{sv}", "urgency",
                        g_variant_new_byte(critical ? 2 : 1));
  g_variant_builder_add(&hints, "{sv}", "desktop-entry",
                        g_variant_new_string("hs-token"));
  reply = g_dbus_connection_call_sync(
      bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
      "org.freedesktop.Notifications", "Notify",
      g_variant_new("(susssasa{sv}i)", "hs-token", 0u, "dialog-password",
                    summary, body, NULL, &hints, -1),
      G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, NOTIFY_TIMEOUT_MS,
      NULL, error);
  return reply != NULL;
}
