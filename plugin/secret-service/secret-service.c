/* SPDX-License-Identifier: MIT */
/* secret-service.c — store plugin for the freedesktop Secret Service
 * (GNOME Keyring, KWallet, KeePassXC) through libsecret.
 *
 * Each profile is one item of schema com.hubspot.hs-exec.Profile in the
 * default collection.  Its attributes (profile, kind, hub_id, version) are
 * the non-secret metadata Seahorse shows; its secret value is the host's
 * profile record.  Like git's libsecret credential helper, nothing secret is
 * ever put in an attribute or the label.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The D-Bus path functions (lookup's happy path, secret-paths.h): in
 * libsecret since 0.7, behind this define because it calls them subject to
 * change. */
#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>

#include "hs-plugin.h"

#define ATTR_PROFILE "profile"
#define ATTR_KIND "kind"
#define ATTR_HUB_ID "hub_id"
#define ATTR_VERSION "version"

/* What the user should do, for probe(). */
#define FIX_NO_SERVICE                                                    \
  "run inside a desktop session, or start one with dbus-run-session and " \
  "gnome-keyring-daemon --unlock; on a headless host use "                \
  "order=secret-service keyctl"
#define FIX_NOT_STARTED                                                        \
  "find in the session's log (journalctl --user) why org.freedesktop.secrets " \
  "does not start or answer, and restart it or log in again; on a host "       \
  "without a desktop use order=keyctl"
#define FIX_LOCKED                                                           \
  "unlock the login keyring (Seahorse, or log in again); on a host without " \
  "a desktop, gnome-keyring-daemon --unlock reads the password on standard " \
  "input"

static const SecretSchema profile_schema = {
    .name = "com.hubspot.hs-exec.Profile",
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
        {ATTR_PROFILE, SECRET_SCHEMA_ATTRIBUTE_STRING},
        {ATTR_KIND, SECRET_SCHEMA_ATTRIBUTE_STRING},
        {ATTR_HUB_ID, SECRET_SCHEMA_ATTRIBUTE_STRING},
        {ATTR_VERSION, SECRET_SCHEMA_ATTRIBUTE_INTEGER},
        {NULL, 0},
    }};

static void set_msg(char *msg, size_t msg_size, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void set_msg(char *msg, size_t msg_size, const char *fmt, ...) {
  va_list ap;

  if (msg == NULL || msg_size == 0) return;
  va_start(ap, fmt);
  vsnprintf(msg, msg_size, fmt, ap);
  va_end(ap);
}

/* Whether `error` says the keyring is locked and stays so (the unlock
 * prompt could not be shown, or was dismissed). */
static gboolean is_locked(const GError *error) {
  return g_error_matches(error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
         g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Map a libsecret/GDBus error to a status and a message that says what to do.
 * Errors that mean "the service or keyring cannot be used now" are
 * HS_UNAVAIL so that a configured fallback store can take over. */
static hs_status status_from_error(const GError *error, const char *what,
                                   char *msg, size_t msg_size) {
  if (is_locked(error)) {
    set_msg(msg, msg_size,
            "%s: the keyring is locked and was not unlocked (%s); unlock it "
            "in your desktop session or with Seahorse, then try again",
            what, error->message);
    return HS_UNAVAIL;
  }
  if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR) {
    set_msg(msg, msg_size,
            "%s: the Secret Service did not answer (%s); start a desktop "
            "session or gnome-keyring-daemon",
            what, error->message);
    return HS_UNAVAIL;
  }
  set_msg(msg, msg_size, "%s: %s", what, error->message);
  return HS_ERROR;
}

/* How long the Secret Service may take to start and answer.  A desktop's
 * keyring answers in well under a second; without a bound, GDBus waits 25 s
 * for a service that hangs while starting, on every run. */
#define ANSWER_TIMEOUT_MS 5000
#define SECRETS_BUS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define SECRETS_INTERFACE "org.freedesktop.Secret.Service"
#define BUS_DAEMON_NAME "org.freedesktop.DBus"

/* The handle: the session bus, and the service once it has answered. */
typedef struct {
  GDBusConnection *bus;
  SecretService *service; /* a QuietService, NULL until first_call() */
} Handle;

static void set_no_answer(char *msg, size_t msg_size) {
  set_msg(msg, msg_size,
          "the Secret Service (%s) did not answer within %d s; it hangs "
          "while starting, or is stuck: restart it (or log in again), see "
          "why in the session's log (journalctl --user)",
          SECRETS_BUS_NAME, ANSWER_TIMEOUT_MS / 1000);
}

/* A SecretService whose set-up makes one call (GetNameOwner) instead of
 * four: the run's first call has started the service already, within its
 * bound, so it is not started again (unbounded); its properties are not
 * loaded and its signals not subscribed to, since no operation here reads
 * them.  Not auto-starting changes nothing after that: with no main loop
 * to follow the name, a proxy keeps the owner it was made with either way.
 * libsecret (its constructor since 0.20, secret_service_open() before)
 * aims the proxy at the Secret Service with fixed flags; this constructor
 * changes the flags, and the bus name: libsecret's would be
 * $SECRET_SERVICE_BUS_NAME when set, and nothing in the environment may
 * choose where a secret is sent (a repository's .env could name a service
 * of its own on the same bus).  Items and collections go where the service
 * does. */
typedef SecretService QuietService;
typedef SecretServiceClass QuietServiceClass;
static GType quiet_service_get_type(void);
G_DEFINE_TYPE(QuietService, quiet_service, SECRET_TYPE_SERVICE)

static GObject *quiet_service_constructor(GType type, guint n_params,
                                          GObjectConstructParam *params) {
  /* GDBusProxy's constructor, not libsecret's, which sets the same
   * construct-only properties with its own name (a second set of "g-name"
   * would leak the first).  The interface's introspection data, which
   * libsecret also sets, only checks cached properties and signals, and
   * neither is used here. */
  GObjectClass *proxy_class = g_type_class_peek(G_TYPE_DBUS_PROXY);
  GObject *object = proxy_class->constructor(type, n_params, params);

  g_object_set(object, "g-flags",
               G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                   G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
                   G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
               "g-name", SECRETS_BUS_NAME, "g-bus-type", G_BUS_TYPE_SESSION,
               "g-object-path", SECRETS_PATH, "g-interface-name",
               SECRETS_INTERFACE, NULL);
  return object;
}

static void quiet_service_init(QuietService *self) { (void)self; }

static void quiet_service_class_init(QuietServiceClass *klass) {
  G_OBJECT_CLASS(klass)->constructor = quiet_service_constructor;
}

/* The first call of a run to the Secret Service, `method` of `interface` on
 * its Service object with `body` (floating, consumed; may be NULL): sent to
 * SECRETS_BUS_NAME, which the bus starts if it knows how, and bounded to
 * ANSWER_TIMEOUT_MS.  When the service answers, even with an error,
 * h->service is set and the reply is returned (transfer full).  Else NULL with
 * HS_UNAVAIL's message, which tells apart a service that is not installed,
 * fails to start or does not answer. */
static GDBusMessage *first_call(Handle *h, const char *interface,
                                const char *method, GVariant *body, char *msg,
                                size_t msg_size) {
  /* Once it has not answered, asking again in the same run (doctor's probe
   * after a lookup) would only wait as long again. */
  static gboolean timed_out;
  g_autoptr(GDBusMessage) call = NULL;
  g_autoptr(GDBusMessage) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *sender;

  if (body != NULL) g_variant_ref_sink(body);
  if (timed_out) {
    if (body != NULL) g_variant_unref(body);
    set_no_answer(msg, msg_size);
    return NULL;
  }
  call = g_dbus_message_new_method_call(SECRETS_BUS_NAME, SECRETS_PATH,
                                        interface, method);
  if (body != NULL) {
    g_dbus_message_set_body(call, body);
    g_variant_unref(body);
  }
  reply = g_dbus_connection_send_message_with_reply_sync(
      h->bus, call, G_DBUS_SEND_MESSAGE_FLAGS_NONE, ANSWER_TIMEOUT_MS, NULL,
      NULL, &error);
  sender = reply != NULL ? g_dbus_message_get_sender(reply) : NULL;
  /* Anyone but the bus answering means that the service runs. */
  if (sender != NULL && strcmp(sender, BUS_DAEMON_NAME) != 0) {
    h->service = secret_service_open_sync(quiet_service_get_type(), NULL,
                                          SECRET_SERVICE_NONE, NULL, &error);
    if (h->service != NULL) return g_steal_pointer(&reply);
    set_msg(msg, msg_size,
            "the Secret Service did not answer (%s); restart it, or log in "
            "again",
            error->message);
    return NULL;
  }
  /* The bus's own answer: the service could not be started. */
  if (reply != NULL && !g_dbus_message_to_gerror(reply, &error))
    g_set_error(&error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                "the bus answered for it");
  g_dbus_error_strip_remote_error(error);
  if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    set_msg(msg, msg_size,
            "no Secret Service runs on this D-Bus session, and none can be "
            "started (%s); install and start gnome-keyring, KeePassXC or "
            "KWallet, or list another store in [stores] order=",
            error->message);
  else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
           g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT) ||
           g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT) ||
           g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY)) {
    timed_out = TRUE;
    set_no_answer(msg, msg_size);
  } else {
    set_msg(msg, msg_size,
            "the Secret Service (%s) did not start (%s); see why in the "
            "session's log (journalctl --user), or list another store in "
            "[stores] order=",
            SECRETS_BUS_NAME, error->message);
  }
  return NULL;
}

/* h->service, reaching the service first if no call has yet: a Peer.Ping,
 * for the operations whose own first call libsecret makes.  NULL with
 * HS_UNAVAIL's message. */
static SecretService *reach(Handle *h, char *msg, size_t msg_size) {
  g_autoptr(GDBusMessage) reply = NULL;

  if (h->service == NULL)
    reply =
        first_call(h, "org.freedesktop.DBus.Peer", "Ping", NULL, msg, msg_size);
  return h->service;
}

/* The session bus (transfer full), or NULL with HS_UNAVAIL's message. */
static GDBusConnection *connect_bus(char *msg, size_t msg_size) {
  g_autoptr(GError) error = NULL;
  /* The shared connection, which libsecret's objects would use too. */
  GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);

  if (bus == NULL)
    set_msg(msg, msg_size,
            "no D-Bus session bus to reach the Secret Service (%s); run "
            "inside a desktop session, or start one with dbus-run-session "
            "and gnome-keyring-daemon",
            error->message);
  return bus;
}

static hs_status ss_open(uint32_t host_abi_version, const char *const *options,
                         void **ret_handle, char *msg, size_t msg_size) {
  Handle *h;

  if (HS_PLUGIN_ABI_VERSION_MAJOR(host_abi_version) != HS_PLUGIN_ABI_MAJOR) {
    set_msg(msg, msg_size, "host speaks plugin ABI %u, this plugin %u",
            HS_PLUGIN_ABI_VERSION_MAJOR(host_abi_version),
            (unsigned)HS_PLUGIN_ABI_MAJOR);
    return HS_ERROR;
  }
  /* It takes no options: any key is a mistake in the configuration. */
  if (options != NULL && options[0] != NULL) {
    set_msg(msg, msg_size, "unknown option '%.*s'; this store takes none",
            (int)strcspn(options[0], "="), options[0]);
    return HS_ERROR;
  }
  /* Connect to the bus now, so that "no D-Bus session" is told apart from a
   * failing operation.  The service itself is reached by the first
   * operation's own call (first_call), which carries the bound a separate
   * probe would: a service that does not start or answer is HS_UNAVAIL
   * there, before any secret is read, and the caller falls back. */
  h = g_new0(Handle, 1);
  h->bus = connect_bus(msg, msg_size);
  if (h->bus == NULL) {
    g_free(h);
    return HS_UNAVAIL;
  }
  *ret_handle = h;
  return HS_OK;
}

static void ss_close(void *handle) {
  Handle *h = handle;

  if (h == NULL) return;
  g_clear_object(&h->service);
  g_clear_object(&h->bus);
  g_free(h);
}

/* TRUE when the default collection, where profiles are stored, is locked
 * and could not be unlocked (the prompt cannot be shown, or was dismissed).
 * libsecret leaves the items of a locked collection out of a search by
 * schema, so without this a locked profile would look absent. */
static gboolean default_collection_locked(SecretService *service) {
  g_autoptr(SecretCollection) collection = secret_collection_for_alias_sync(
      service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, NULL, NULL);
  GList one = {NULL, NULL, NULL};

  if (collection == NULL || !secret_collection_get_locked(collection))
    return FALSE;
  one.data = collection;
  (void)secret_service_unlock_sync(service, &one, NULL, NULL, NULL);
  return secret_collection_get_locked(collection);
}

/* Search items of our schema matching `profile` (all profiles when NULL),
 * unlocking them; SECRET_ERROR_IS_LOCKED when nothing was found and the
 * default collection stays locked. */
static GList *search_items(SecretService *service, const char *profile,
                           gboolean load_secrets, GError **error) {
  g_autoptr(GHashTable) attrs = g_hash_table_new(g_str_hash, g_str_equal);
  SecretSearchFlags flags = SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK;
  GList *items;

  if (profile != NULL)
    g_hash_table_insert(attrs, (gpointer)ATTR_PROFILE, (gpointer)profile);
  if (load_secrets) flags |= SECRET_SEARCH_LOAD_SECRETS;
  /* Through the handle's service: secret_password_search() would set up a
   * second one, four more round trips. */
  items = secret_service_search_sync(service, &profile_schema, attrs, flags,
                                     NULL, error);
  if (items == NULL && (error == NULL || *error == NULL) &&
      default_collection_locked(service))
    g_set_error(error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                "the default collection is locked");
  return items;
}

/* The paths of the items of our schema for `profile` (all profiles when
 * NULL), unlocked and locked, from one SearchItems: the run's first call
 * when the service has not been reached yet.  HS_OK, or the status with
 * its message. */
static hs_status search_paths(Handle *h, const char *profile,
                              char ***ret_unlocked, char ***ret_locked,
                              char *msg, size_t msg_size) {
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder attrs;
  GVariant *query;

  g_variant_builder_init(&attrs, G_VARIANT_TYPE("a{ss}"));
  if (profile != NULL)
    g_variant_builder_add(&attrs, "{ss}", ATTR_PROFILE, profile);
  /* What libsecret adds for a schema. */
  g_variant_builder_add(&attrs, "{ss}", "xdg:schema", profile_schema.name);
  query = g_variant_new("(a{ss})", &attrs);
  if (h->service == NULL) {
    g_autoptr(GDBusMessage) reply =
        first_call(h, SECRETS_INTERFACE, "SearchItems", query, msg, msg_size);

    if (reply == NULL) return HS_UNAVAIL;
    if (g_dbus_message_to_gerror(reply, &error))
      return status_from_error(error, "searching the keyring", msg, msg_size);
    result = g_dbus_message_get_body(reply);
    if (result != NULL) g_variant_ref(result);
  } else {
    result =
        g_dbus_proxy_call_sync(G_DBUS_PROXY(h->service), "SearchItems", query,
                               G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    if (result == NULL)
      return status_from_error(error, "searching the keyring", msg, msg_size);
  }
  if (result == NULL ||
      !g_variant_is_of_type(result, G_VARIANT_TYPE("(aoao)"))) {
    set_msg(msg, msg_size,
            "searching the keyring: the Secret Service answered with %s, "
            "not two lists of items",
            result ? g_variant_get_type_string(result) : "nothing");
    return HS_ERROR;
  }
  g_variant_get(result, "(^ao^ao)", ret_unlocked, ret_locked);
  return HS_OK;
}

/* Give one item to the host's callback; the secret is borrowed from the
 * SecretValue, which libsecret keeps in wiped, non-pageable memory. */
static hs_status emit_item(SecretRetrievable *item, gboolean with_secret,
                           hs_entry_fn fn, void *user_data, int *ret_stop,
                           char *msg, size_t msg_size) {
  g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes(item);
  g_autoptr(GError) error = NULL;
  SecretValue *value = NULL;
  const char *hub_id, *version;
  hs_entry entry = {0};

  entry.profile = g_hash_table_lookup(attrs, ATTR_PROFILE);
  entry.kind = g_hash_table_lookup(attrs, ATTR_KIND);
  if (entry.profile == NULL || entry.kind == NULL) return HS_OK; /* not ours */
  hub_id = g_hash_table_lookup(attrs, ATTR_HUB_ID);
  entry.hub_id = (hub_id != NULL && *hub_id != '\0') ? hub_id : NULL;
  version = g_hash_table_lookup(attrs, ATTR_VERSION);
  entry.version = version ? (uint32_t)g_ascii_strtoull(version, NULL, 10) : 0;

  if (with_secret) {
    gsize len = 0;

    /* Loaded by the search (SECRET_SEARCH_LOAD_SECRETS) in one call for
     * all items; else one call for this one. */
    if (SECRET_IS_ITEM(item)) value = secret_item_get_secret(SECRET_ITEM(item));
    if (value == NULL)
      value = secret_retrievable_retrieve_secret_sync(item, NULL, &error);
    if (value == NULL) {
      if (error != NULL)
        return status_from_error(error, "reading the secret", msg, msg_size);
      set_msg(msg, msg_size, "the item for profile %s has no secret",
              entry.profile);
      return HS_ERROR;
    }
    entry.secret = secret_value_get(value, &len);
    entry.secret_len = len;
  }
  *ret_stop = fn(&entry, user_data);
  if (value != NULL) secret_value_unref(value);
  return HS_OK;
}

/* The attributes of the item at `path` (transfer full), in one call. */
static GHashTable *item_attributes(SecretService *service, const char *path,
                                   GError **error) {
  GDBusProxy *proxy = G_DBUS_PROXY(service);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  GHashTable *attrs =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GVariantIter iter;
  const char *key, *v;

  reply = g_dbus_connection_call_sync(
      g_dbus_proxy_get_connection(proxy), g_dbus_proxy_get_name(proxy), path,
      "org.freedesktop.DBus.Properties", "Get",
      g_variant_new("(ss)", "org.freedesktop.Secret.Item", "Attributes"),
      G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (reply == NULL) {
    g_hash_table_unref(attrs);
    return NULL;
  }
  g_variant_get(reply, "(v)", &value);
  if (g_variant_is_of_type(value, G_VARIANT_TYPE("a{ss}"))) {
    g_variant_iter_init(&iter, value);
    while (g_variant_iter_next(&iter, "{&s&s}", &key, &v))
      g_hash_table_insert(attrs, g_strdup(key), g_strdup(v));
  }
  return attrs;
}

/* A lookup in fewer calls than `secret-tool lookup` makes: the search
 * (which reaches the service), the item's attributes, a session and its
 * secret; unlocking only what is locked.  No item is HS_NOTFOUND, unless
 * the default collection stays locked.  -1 when it does not apply (two
 * items, which only the full search tells apart), else the status. */
static int lookup_one(Handle *h, const char *profile, hs_entry_fn fn,
                      void *user_data, char *msg, size_t msg_size) {
  g_autoptr(GHashTable) attrs = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;
  g_auto(GStrv) opened = NULL;
  char **paths;
  SecretValue *value;
  const char *hub_id, *version;
  hs_entry entry = {0};
  gsize len = 0;
  guint n;
  hs_status status;

  status = search_paths(h, profile, &unlocked, &locked, msg, msg_size);
  if (status != HS_OK) return status;
  n = g_strv_length(unlocked) + g_strv_length(locked);
  if (n == 0 && default_collection_locked(h->service)) {
    g_set_error(&error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                "the default collection is locked");
    return status_from_error(error, "searching the keyring", msg, msg_size);
  }
  if (n == 0) return HS_NOTFOUND;
  if (n != 1) return -1;
  paths = unlocked;
  if (locked[0] != NULL) {
    if (secret_service_unlock_dbus_paths_sync(h->service, (const char **)locked,
                                              NULL, &opened, &error) < 1) {
      if (error == NULL)
        g_set_error(&error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                    "the item stays locked");
      return status_from_error(error, "unlocking the keyring", msg, msg_size);
    }
    paths = opened;
  }
  attrs = item_attributes(h->service, paths[0], &error);
  if (attrs == NULL)
    return status_from_error(error, "reading the item", msg, msg_size);
  entry.profile = g_hash_table_lookup(attrs, ATTR_PROFILE);
  entry.kind = g_hash_table_lookup(attrs, ATTR_KIND);
  if (entry.profile == NULL || entry.kind == NULL) return -1;
  hub_id = g_hash_table_lookup(attrs, ATTR_HUB_ID);
  entry.hub_id = (hub_id != NULL && *hub_id != '\0') ? hub_id : NULL;
  version = g_hash_table_lookup(attrs, ATTR_VERSION);
  entry.version = version ? (uint32_t)g_ascii_strtoull(version, NULL, 10) : 0;
  value = secret_service_get_secret_for_dbus_path_sync(h->service, paths[0],
                                                       NULL, &error);
  if (value == NULL) {
    if (error != NULL)
      return status_from_error(error, "reading the secret", msg, msg_size);
    set_msg(msg, msg_size, "the item for profile %s has no secret", profile);
    return HS_ERROR;
  }
  entry.secret = secret_value_get(value, &len);
  entry.secret_len = len;
  (void)fn(&entry, user_data);
  secret_value_unref(value);
  return HS_OK;
}

static hs_status ss_lookup(void *handle, const char *profile, hs_entry_fn fn,
                           void *user_data, char *msg, size_t msg_size) {
  g_autoptr(GError) error = NULL;
  GList *items, *l;
  SecretRetrievable *newest = NULL;
  hs_status status;
  int stop = 0;
  Handle *h = handle;
  int fast = lookup_one(h, profile, fn, user_data, msg, msg_size);

  if (fast >= 0) return (hs_status)fast;
  items = search_items(h->service, profile, TRUE, &error);
  if (error != NULL)
    return status_from_error(error, "searching the keyring", msg, msg_size);
  /* Two items for one profile exist only if a store() was cut off between
   * writing the new item and pruning the old one: the newer one wins. */
  for (l = items; l != NULL; l = l->next) {
    SecretRetrievable *item = l->data;
    if (newest == NULL || secret_retrievable_get_modified(item) >
                              secret_retrievable_get_modified(newest))
      newest = item;
  }
  if (newest == NULL) {
    status = HS_NOTFOUND;
  } else {
    status = emit_item(newest, TRUE, fn, user_data, &stop, msg, msg_size);
  }
  g_list_free_full(items, g_object_unref);
  return status;
}

static gboolean same_attributes(GHashTable *a, GHashTable *b) {
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init(&iter, b);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    const char *other = g_hash_table_lookup(a, key);
    if (other == NULL || strcmp(other, value) != 0) return FALSE;
  }
  return TRUE;
}

static hs_status ss_store(void *handle, const hs_entry *entry, char *msg,
                          size_t msg_size) {
  Handle *h = handle;
  g_autoptr(GHashTable) attrs = g_hash_table_new(g_str_hash, g_str_equal);
  SecretService *service;
  SecretValue *value;
  gboolean stored;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  char version[16];
  GList *items, *l;
  hs_status status = HS_OK;

  if (entry == NULL || entry->profile == NULL || entry->kind == NULL ||
      entry->secret == NULL) {
    set_msg(msg, msg_size, "incomplete entry");
    return HS_ERROR;
  }
  service = reach(h, msg, msg_size);
  if (service == NULL) return HS_UNAVAIL;
  snprintf(version, sizeof version, "%u", (unsigned)entry->version);
  g_hash_table_insert(attrs, (gpointer)ATTR_PROFILE, (gpointer)entry->profile);
  g_hash_table_insert(attrs, (gpointer)ATTR_KIND, (gpointer)entry->kind);
  g_hash_table_insert(attrs, (gpointer)ATTR_HUB_ID,
                      (gpointer)(entry->hub_id ? entry->hub_id : ""));
  g_hash_table_insert(attrs, (gpointer)ATTR_VERSION, version);
  if (entry->hub_id != NULL)
    label = g_strdup_printf("HubSpot token: %s (hub %s)", entry->profile,
                            entry->hub_id);
  else
    label = g_strdup_printf("HubSpot token: %s", entry->profile);

  /* Write first, prune after: a crash in between leaves two items, and
   * lookup() takes the newer, so the profile is never without a token. */
  value = secret_value_new(entry->secret, -1, "text/plain");
  stored = secret_service_store_sync(service, &profile_schema, attrs,
                                     SECRET_COLLECTION_DEFAULT, label, value,
                                     NULL, &error);
  secret_value_unref(value);
  if (!stored)
    return status_from_error(error, "storing in the keyring", msg, msg_size);

  items = search_items(service, entry->profile, FALSE, &error);
  if (error != NULL)
    return status_from_error(error, "tidying the keyring", msg, msg_size);
  for (l = items; l != NULL; l = l->next) {
    g_autoptr(GHashTable) have = secret_retrievable_get_attributes(l->data);
    if (same_attributes(have, attrs) || !SECRET_IS_ITEM(l->data)) continue;
    if (!secret_item_delete_sync(SECRET_ITEM(l->data), NULL, &error)) {
      status =
          status_from_error(error, "removing the replaced item", msg, msg_size);
      break;
    }
  }
  g_list_free_full(items, g_object_unref);
  return status;
}

static hs_status ss_remove(void *handle, const char *profile, char *msg,
                           size_t msg_size) {
  g_autoptr(GError) error = NULL;
  SecretService *service = reach(handle, msg, msg_size);
  GList *items, *l;
  hs_status status = HS_NOTFOUND;

  if (service == NULL) return HS_UNAVAIL;
  items = search_items(service, profile, FALSE, &error);
  if (error != NULL)
    return status_from_error(error, "searching the keyring", msg, msg_size);
  for (l = items; l != NULL; l = l->next) {
    if (!SECRET_IS_ITEM(l->data)) continue;
    if (!secret_item_delete_sync(SECRET_ITEM(l->data), NULL, &error)) {
      status =
          status_from_error(error, "deleting from the keyring", msg, msg_size);
      break;
    }
    status = HS_OK;
  }
  g_list_free_full(items, g_object_unref);
  return status;
}

/* How many attribute requests list() keeps in flight: enough that the
 * service always has the next one waiting, few enough that the bus's and
 * GDBus's bookkeeping of pending calls (lists it walks per reply) stays
 * small however many items there are. */
#define LIST_WINDOW 64
/* How long list() waits without any answer before it gives up: GDBus's
 * default for one call, which each request had before. */
#define LIST_SILENCE_US (25 * G_USEC_PER_SEC)

/* The attribute requests of list_attributes() and their answers. */
typedef struct {
  GDBusConnection *bus;
  const char *name;   /* the service's unique name */
  GPtrArray *paths;   /* borrowed */
  GVariant **replies; /* one per path, NULL when its request failed */
  guint sent, pending;
  GCancellable *cancellable; /* cancelled when the service falls silent */
  gint64 last_answer;        /* monotonic, µs */
  gboolean silent;
} Batch;

typedef struct {
  Batch *batch;
  guint index;
} BatchSlot;

static void on_attributes(GObject *source, GAsyncResult *result, gpointer data);

/* Ask for the next item's attributes.  No per-call timeout (G_MAXINT): a
 * timeout is a GSource per pending call in the context every iteration
 * walks, which made a long list quadratic; on_silence() bounds the wait
 * instead. */
static void send_next(Batch *batch) {
  BatchSlot *slot = g_new0(BatchSlot, 1);

  slot->batch = batch;
  slot->index = batch->sent++;
  batch->pending++;
  g_dbus_connection_call(
      batch->bus, batch->name, g_ptr_array_index(batch->paths, slot->index),
      "org.freedesktop.DBus.Properties", "Get",
      g_variant_new("(ss)", "org.freedesktop.Secret.Item", "Attributes"),
      G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE, G_MAXINT,
      batch->cancellable, on_attributes, slot);
}

static void on_attributes(GObject *source, GAsyncResult *result,
                          gpointer data) {
  BatchSlot *slot = data;
  Batch *batch = slot->batch;

  batch->replies[slot->index] =
      g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, NULL);
  batch->pending--;
  batch->last_answer = g_get_monotonic_time();
  g_free(slot);
  if (batch->sent < batch->paths->len &&
      !g_cancellable_is_cancelled(batch->cancellable))
    send_next(batch);
}

static gboolean on_silence(gpointer data) {
  Batch *batch = data;

  if (g_get_monotonic_time() - batch->last_answer < LIST_SILENCE_US)
    return G_SOURCE_CONTINUE;
  batch->silent = TRUE;
  g_cancellable_cancel(batch->cancellable);
  return G_SOURCE_REMOVE;
}

/* Ask for every path's attributes, LIST_WINDOW at a time, and wait for the
 * answers in a context of our own.  FALSE when the service stopped
 * answering. */
static gboolean batch_run(Batch *batch) {
  g_autoptr(GMainContext) context = g_main_context_new();
  g_autoptr(GSource) watch = g_timeout_source_new_seconds(1);

  batch->cancellable = g_cancellable_new();
  batch->last_answer = g_get_monotonic_time();
  g_source_set_callback(watch, on_silence, batch, NULL);
  g_source_attach(watch, context);
  g_main_context_push_thread_default(context);
  while (batch->sent < MIN(batch->paths->len, LIST_WINDOW)) send_next(batch);
  while (batch->pending > 0) g_main_context_iteration(context, TRUE);
  g_main_context_pop_thread_default(context);
  g_source_destroy(watch);
  g_clear_object(&batch->cancellable);
  return !batch->silent;
}

/* One item's attributes, from its answer, to the host's callback; the
 * callback's answer (stop or not). */
static int emit_attributes(GVariant *reply, hs_entry_fn fn, void *user_data) {
  g_autoptr(GVariant) value = NULL;
  const char *key, *v;
  hs_entry entry = {0};
  GVariantIter iter;

  g_variant_get(reply, "(v)", &value);
  if (!g_variant_is_of_type(value, G_VARIANT_TYPE("a{ss}"))) return 0;
  g_variant_iter_init(&iter, value);
  while (g_variant_iter_next(&iter, "{&s&s}", &key, &v)) {
    if (strcmp(key, ATTR_PROFILE) == 0)
      entry.profile = v;
    else if (strcmp(key, ATTR_KIND) == 0)
      entry.kind = v;
    else if (strcmp(key, ATTR_HUB_ID) == 0)
      entry.hub_id = *v != '\0' ? v : NULL;
    else if (strcmp(key, ATTR_VERSION) == 0)
      entry.version = (uint32_t)g_ascii_strtoull(v, NULL, 10);
  }
  if (entry.profile == NULL || entry.kind == NULL) return 0; /* not ours */
  return fn(&entry, user_data);
}

/* list() without secrets: one search for the paths, then the items'
 * attributes asked for in a pipeline (LIST_WINDOW in flight) instead of an
 * object (three round trips, one after another) per item.  An item whose
 * attributes cannot be read is left out, as one of another schema. */
static hs_status list_attributes(Handle *h, hs_entry_fn fn, void *user_data,
                                 char *msg, size_t msg_size) {
  GDBusProxy *proxy;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;
  g_auto(GStrv) opened = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new();
  Batch batch = {0};
  gboolean answered;
  int stop = 0;
  hs_status status;

  status = search_paths(h, NULL, &unlocked, &locked, msg, msg_size);
  if (status != HS_OK) return status;
  proxy = G_DBUS_PROXY(h->service);
  if (locked[0] != NULL &&
      secret_service_unlock_dbus_paths_sync(h->service, (const char **)locked,
                                            NULL, &opened, &error) < 0)
    return status_from_error(error, "unlocking the keyring", msg, msg_size);
  for (char **p = unlocked; *p; p++) g_ptr_array_add(paths, *p);
  for (char **p = opened; p && *p; p++) g_ptr_array_add(paths, *p);
  if (paths->len == 0 && locked[0] == NULL &&
      default_collection_locked(h->service)) {
    set_msg(msg, msg_size,
            "searching the keyring: the default collection is locked and "
            "was not unlocked; unlock it in your desktop session or with "
            "Seahorse, then try again");
    return HS_UNAVAIL;
  }

  batch.bus = g_dbus_proxy_get_connection(proxy);
  batch.name = g_dbus_proxy_get_name(proxy);
  batch.paths = paths;
  batch.replies = g_new0(GVariant *, paths->len + 1);
  answered = batch_run(&batch);
  for (guint i = 0; i < paths->len; i++) {
    if (answered && !stop && batch.replies[i] != NULL)
      stop = emit_attributes(batch.replies[i], fn, user_data);
    if (batch.replies[i] != NULL) g_variant_unref(batch.replies[i]);
  }
  g_free(batch.replies);
  if (!answered) {
    set_msg(msg, msg_size,
            "reading the items' attributes: the Secret Service stopped "
            "answering for %d s; restart it (or log in again), see why in "
            "the session's log (journalctl --user)",
            (int)(LIST_SILENCE_US / G_USEC_PER_SEC));
    return HS_UNAVAIL;
  }
  return HS_OK;
}

static hs_status ss_list(void *handle, unsigned int flags, hs_entry_fn fn,
                         void *user_data, char *msg, size_t msg_size) {
  g_autoptr(GError) error = NULL;
  gboolean with_secrets = (flags & HS_LIST_SECRETS) != 0;
  SecretService *service;
  GList *items, *l;
  hs_status status = HS_OK;
  int stop = 0;

  if (!with_secrets)
    return list_attributes(handle, fn, user_data, msg, msg_size);
  service = reach(handle, msg, msg_size);
  if (service == NULL) return HS_UNAVAIL;
  items = search_items(service, NULL, with_secrets, &error);
  if (error != NULL)
    return status_from_error(error, "searching the keyring", msg, msg_size);
  for (l = items; l != NULL && !stop && status == HS_OK; l = l->next)
    status =
        emit_item(l->data, with_secrets, fn, user_data, &stop, msg, msg_size);
  g_list_free_full(items, g_object_unref);
  return status;
}

/* Search as list() does, without secrets: whether the service answers and
 * whether the default collection is locked. */
static hs_status ss_probe(void *handle, hs_probe *report, char *msg,
                          size_t msg_size) {
  Handle own = {NULL, NULL};
  Handle *h = handle;
  g_autoptr(GError) error = NULL;
  hs_status status = HS_OK;

  if (h == NULL) { /* open() failed: try again as it did */
    h = &own;
    h->bus = connect_bus(msg, msg_size);
    if (h->bus == NULL) {
      report->state = HS_STATE_UNAVAILABLE;
      set_msg(report->fix, report->fix_size, "%s", FIX_NO_SERVICE);
      return HS_OK;
    }
  }
  if (reach(h, msg, msg_size) == NULL) {
    report->state = HS_STATE_UNAVAILABLE;
    set_msg(report->fix, report->fix_size, "%s", FIX_NOT_STARTED);
  } else {
    g_list_free_full(search_items(h->service, NULL, FALSE, &error),
                     g_object_unref);
    if (error == NULL) {
      report->state = HS_STATE_AVAILABLE;
    } else {
      status = status_from_error(error, "searching the keyring", msg, msg_size);
      if (status == HS_UNAVAIL) {
        status = HS_OK;
        report->state =
            is_locked(error) ? HS_STATE_LOCKED : HS_STATE_UNAVAILABLE;
        set_msg(report->fix, report->fix_size, "%s",
                is_locked(error) ? FIX_LOCKED : FIX_NO_SERVICE);
      }
    }
  }
  g_clear_object(&own.service);
  g_clear_object(&own.bus);
  return status;
}

/* The one exported symbol (see secret-service.sym). */
const struct hs_plugin_v1 hs_plugin_v1 = {
    .abi_version = HS_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct hs_plugin_v1),
    .name = "secret-service",
    .open = ss_open,
    .close = ss_close,
    .lookup = ss_lookup,
    .store = ss_store,
    .remove = ss_remove,
    .list = ss_list,
    .probe = ss_probe,
};
