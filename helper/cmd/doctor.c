/* SPDX-License-Identifier: MIT */
/* doctor.c — `hs-token doctor`: what works, what does not, and the fix. */
#include "config.h"

#include <stdlib.h>

#include "cmd/doctor.h"
#include "core/config.h"
#include "core/error.h"
#include "hubspot/http.h"
#include "hubspot/api.h"
#include "hubspot/refresh-lock.h"
#include "core/stores.h"
#include "hubspot/cache.h"

/* A clock this far from HubSpot's makes expiry times wrong. */
#define MAX_SKEW_S 60

static void check_free(gpointer data) {
  HsCheck *c = data;
  g_free(c->area);
  g_free(c->detail);
  g_free(c->fix);
  g_free(c);
}

static void add(GPtrArray *checks, const char *area, int code, char *detail,
                const char *fix) {
  HsCheck *c = g_new0(HsCheck, 1);

  c->area = g_strdup(area);
  c->ok = code == 0;
  c->code = code;
  c->detail = detail;
  c->fix = g_strdup(fix);
  g_ptr_array_add(checks, c);
}

/* What the store says, or else what fits any store. */
#define FIX_LOCKED "unlock the store as the message says, then try again"
#define FIX_UNAVAILABLE "see the message; check [stores] order= in hs-exec.conf"

static void store_status(const HsStoreStatus *st, void *user_data) {
  GPtrArray *checks = user_data;

  switch (st->state) {
    case HS_STORE_AVAILABLE:
      add(checks, "store", 0,
          g_strdup_printf("%s: available, %d profile%s (%s)%s%s", st->name,
                          st->profiles, st->profiles == 1 ? "" : "s", st->path,
                          st->note ? "; " : "", st->note ? st->note : ""),
          NULL);
      break;
    case HS_STORE_LOCKED:
      add(checks, "store", HS_ERR_UNAVAILABLE,
          g_strdup_printf("%s: locked: %s", st->name, st->why),
          st->fix ? st->fix : FIX_LOCKED);
      break;
    case HS_STORE_UNAVAILABLE:
      add(checks, "store", HS_ERR_UNAVAILABLE,
          g_strdup_printf("%s: unavailable: %s", st->name, st->why),
          st->fix ? st->fix : FIX_UNAVAILABLE);
      break;
  }
}

static void check_hubspot(GPtrArray *checks, const HsConfig *config) {
  g_autoptr(GError) error = NULL;
  g_autoptr(HsApi) api = hs_api_new_for_config(config, &error);
  g_autoptr(HsHttpResponse) r = NULL;
  gint64 skew, date;

  if (api == NULL) {
    add(checks, "hubspot", HS_ERR_CONFIG, g_strdup(error->message),
        "unset HS_EXEC_API_BASE, or give an https URL");
    return;
  }
  /* Without a token HubSpot answers 401: enough to know it is reachable,
   * and its Date header tells the clock skew. */
  r = hs_api_call(api, HS_EP_ACCOUNT_INFO, NULL, "GET", NULL, NULL, NULL, 0,
                  NULL, &error);
  if (r == NULL) {
    add(checks, "hubspot", HS_ERR_NETWORK,
        g_strdup_printf("%s: %s", hs_api_base(api), error->message),
        "check the network, a proxy, or HS_EXEC_CA_FILE");
    return;
  }
  add(checks, "hubspot", 0,
      g_strdup_printf("%s reachable (HTTP %ld without a token)",
                      hs_api_base(api), r->status),
      NULL);
  date = hs_http_parse_date(r->date);
  if (date < 0) return;
  skew = g_get_real_time() / G_USEC_PER_SEC - date;
  if (ABS(skew) > MAX_SKEW_S)
    add(checks, "clock", HS_ERR_CONFIG,
        g_strdup_printf("this clock is %" G_GINT64_FORMAT " s %s HubSpot's",
                        ABS(skew), skew > 0 ? "ahead of" : "behind"),
        "enable time synchronisation (timedatectl set-ntp true)");
  else
    add(checks, "clock", 0,
        g_strdup_printf("within %" G_GINT64_FORMAT " s of HubSpot's",
                        ABS(skew)),
        NULL);
}

GPtrArray *hs_doctor_run(void) {
  GPtrArray *checks = g_ptr_array_new_with_free_func(check_free);
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL, *dir = NULL;
  const char *bus = getenv("DBUS_SESSION_BUS_ADDRESS");

  config = hs_config_load(&error);
  if (config == NULL) {
    add(checks, "config", HS_ERR_CONFIG, g_strdup(error->message),
        "fix the file as the message says; `man hs-exec.conf` has the "
        "format");
    return checks;
  }
  if (config->files_read->len == 0) {
    add(checks, "config", 0,
        g_strdup("no hs-exec.conf found; using order=secret-service"), NULL);
  } else {
    g_autofree char *files = NULL;
    g_ptr_array_add(config->files_read, NULL);
    files = g_strjoinv(", ", (char **)config->files_read->pdata);
    g_ptr_array_remove_index(config->files_read, config->files_read->len - 1);
    add(checks, "config", 0, g_strdup_printf("read %s", files), NULL);
  }
  add(checks, "dbus", 0,
      g_strdup_printf("DBUS_SESSION_BUS_ADDRESS %s",
                      bus && *bus ? "is set" : "is not set"),
      NULL);
  stores = hs_stores_open(config, &error);
  if (stores == NULL) {
    add(checks, "store", HS_ERR_CONFIG, g_strdup(error->message),
        "list installed store plugins in [stores] order=, with only the "
        "options each knows in its [store NAME] section");
  } else {
    hs_stores_status(stores, store_status, checks);
  }
  if (hs_cache_probe(&why))
    add(checks, "cache", 0, g_strdup("the kernel keyring holds access tokens"),
        NULL);
  else
    add(checks, "cache", 0,
        g_strdup_printf("the kernel keyring cannot be used (%s): every "
                        "OAuth run asks HubSpot for a token",
                        why),
        NULL);
  if (hs_refresh_dir_check(&dir, &error))
    add(checks, "runtime", 0, g_strdup_printf("%s is private (0700)", dir),
        NULL);
  else
    add(checks, "runtime", HS_ERR_CONFIG, g_strdup(error->message),
        "point XDG_RUNTIME_DIR at a directory of your own with mode 0700");
  check_hubspot(checks, config);
  return checks;
}

int hs_doctor_exit_code(GPtrArray *checks) {
  int worst = 0;
  static const int rank[] = {[0] = 0,
                             [HS_ERR_USAGE] = 1,
                             [HS_ERR_NOT_FOUND] = 1,
                             [HS_ERR_REFUSED] = 2,
                             [HS_ERR_NETWORK] = 3,
                             [HS_ERR_UNAVAILABLE] = 4,
                             [HS_ERR_CONFIG] = 5,
                             [HS_ERR_SYSTEM] = 6};

  for (guint i = 0; i < checks->len; i++) {
    HsCheck *c = g_ptr_array_index(checks, i);
    /* A code outside the table ranks as the worst, not past its end. */
    int code = c->code >= 0 && c->code < (int)G_N_ELEMENTS(rank)
                   ? c->code
                   : HS_ERR_SYSTEM;
    if (rank[code] > rank[worst]) worst = code;
  }
  return worst;
}
