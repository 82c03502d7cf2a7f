/* test-plugin.c — a store plugin that breaks the ABI in the one way its
 * build flags choose, for check-loader.  Without flags it is a valid,
 * empty store. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "hs-plugin.h"

static hs_status t_open(uint32_t host, const char *const *options,
                        void **ret_handle, char *msg, size_t msg_size) {
  (void)host;
  (void)options;
  (void)msg;
  (void)msg_size;
  *ret_handle = NULL;
  return HS_OK;
}

static void t_close(void *handle) { (void)handle; }

static hs_status t_lookup(void *handle, const char *profile, hs_entry_fn fn,
                          void *user_data, char *msg, size_t msg_size) {
  (void)handle, (void)profile, (void)fn, (void)user_data, (void)msg,
      (void)msg_size;
  return HS_NOTFOUND;
}

static hs_status t_store(void *handle, const hs_entry *entry, char *msg,
                         size_t msg_size) {
  (void)handle, (void)entry;
  strncpy(msg, "read-only test store", msg_size - 1);
  return HS_ERROR;
}

__attribute__((unused)) static hs_status t_remove(void *handle,
                                                  const char *profile,
                                                  char *msg, size_t msg_size) {
  (void)handle, (void)profile, (void)msg, (void)msg_size;
  return HS_NOTFOUND;
}

static hs_status t_list(void *handle, unsigned int flags, hs_entry_fn fn,
                        void *user_data, char *msg, size_t msg_size) {
  (void)handle, (void)flags, (void)fn, (void)user_data, (void)msg,
      (void)msg_size;
  return HS_OK;
}

#if defined(TEST_WRONG_MAJOR)
#define ABI ((uint32_t)((HS_PLUGIN_ABI_MAJOR + 1) << 16))
#elif defined(TEST_NEWER_MINOR)
#define ABI \
  ((uint32_t)((HS_PLUGIN_ABI_MAJOR << 16) | (HS_PLUGIN_ABI_MINOR + 1)))
#else
#define ABI HS_PLUGIN_ABI_VERSION
#endif

#if defined(TEST_SHORT_STRUCT)
#define SIZE ((uint32_t)offsetof(struct hs_plugin_v1, remove))
#elif defined(TEST_NEWER_MINOR)
#define SIZE ((uint32_t)sizeof(struct hs_plugin_v1) + 16)
#else
#define SIZE ((uint32_t)sizeof(struct hs_plugin_v1))
#endif

#ifdef TEST_NO_SYMBOL
const struct hs_plugin_v1 hs_plugin_v0 =
#else
const struct hs_plugin_v1 hs_plugin_v1 =
#endif
    {
        .abi_version = ABI,
        .struct_size = SIZE,
        .name = "test",
        .open = t_open,
        .close = t_close,
        .lookup = t_lookup,
        .store = t_store,
#ifndef TEST_NULL_FUNCTION
        .remove = t_remove,
#endif
        .list = t_list,
    };
