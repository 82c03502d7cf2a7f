/* SPDX-License-Identifier: MIT */
/* notify-server — a stand-in desktop notification server for the tests:
 * owns org.freedesktop.Notifications on the session bus, appends each
 * Notify call's app name, summary, body and urgency to LOG, answers with an
 * id, and writes READY once it owns the name.  Leaves after 120 s.
 *
 *   notify-server LOG READY */
#include "config.h"

#include <stdio.h>

#include <gio/gio.h>

static const char introspection[] =
    "<node><interface name='org.freedesktop.Notifications'>"
    "<method name='Notify'><arg type='s' direction='in'/>"
    "<arg type='u' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
    "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
    "<method name='GetServerInformation'><arg type='s' direction='out'/>"
    "<arg type='s' direction='out'/><arg type='s' direction='out'/>"
    "<arg type='s' direction='out'/></method>"
    "</interface></node>";

static const char *log_path, *ready_path;
static guint32 next_id = 1;

static void on_call(GDBusConnection *conn, const char *sender, const char *path,
                    const char *iface, const char *method, GVariant *params,
                    GDBusMethodInvocation *inv, gpointer data) {
  (void)conn, (void)sender, (void)path, (void)iface, (void)data;
  if (g_strcmp0(method, "Notify") == 0) {
    const char *app, *icon, *summary, *body;
    guint32 replaces;
    gint32 timeout;
    g_autoptr(GVariant) actions = NULL, hints = NULL;
    guint8 urgency = 1;
    FILE *f;

    g_variant_get(params, "(&su&s&s&s@as@a{sv}i)", &app, &replaces, &icon,
                  &summary, &body, &actions, &hints, &timeout);
    (void)g_variant_lookup(hints, "urgency", "y", &urgency);
    f = fopen(log_path, "ae");
    if (f != NULL) {
      fprintf(f, "app=%s\nsummary=%s\nurgency=%u\nbody=%s\n---\n", app, summary,
              urgency, body);
      fclose(f);
    }
    g_dbus_method_invocation_return_value(inv, g_variant_new("(u)", next_id++));
  } else {
    g_dbus_method_invocation_return_value(
        inv,
        g_variant_new("(ssss)", "notify-server", "hs-exec tests", "1", "1.2"));
  }
}

static gboolean quit(gpointer loop) {
  g_main_loop_quit(loop);
  return G_SOURCE_REMOVE;
}

static void on_acquired(GDBusConnection *conn, const char *name,
                        gpointer data) {
  (void)conn, (void)name, (void)data;
  g_file_set_contents(ready_path, "ready\n", -1, NULL);
}

static void on_lost(GDBusConnection *conn, const char *name, gpointer data) {
  (void)conn, (void)name;
  g_main_loop_quit(data);
}

int main(int argc, char **argv) {
  static const GDBusInterfaceVTable vtable = {on_call, NULL, NULL, {0}};
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GDBusConnection) conn = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);

  if (argc != 3) {
    fprintf(stderr, "usage: notify-server LOG READY\n");
    return 1;
  }
  log_path = argv[1];
  ready_path = argv[2];
  info = g_dbus_node_info_new_for_xml(introspection, &error);
  conn = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
  if (info == NULL || conn == NULL) {
    fprintf(stderr, "notify-server: %s\n", error->message);
    return 1;
  }
  g_dbus_connection_register_object(conn, "/org/freedesktop/Notifications",
                                    info->interfaces[0], &vtable, NULL, NULL,
                                    &error);
  g_bus_own_name_on_connection(conn, "org.freedesktop.Notifications",
                               G_BUS_NAME_OWNER_FLAGS_NONE, on_acquired,
                               on_lost, loop, NULL);
  g_timeout_add_seconds(120, quit, loop);
  g_main_loop_run(loop);
  return 0;
}
