/* SPDX-License-Identifier: MIT */
/* hs-exec — run COMMAND with a HubSpot profile's token in its environment.
 *
 *   hs-exec [OPTIONS] PROFILE [-- COMMAND [ARG…]]
 *   hs-exec [OPTIONS] -- COMMAND [ARG…]
 *
 * The front end.  Most runs are `hs-exec PROFILE -- COMMAND…` with the
 * profile's access token in the kernel keyring's cache, and such a run needs
 * only the C library and keyutils: this program links nothing else
 * (helper/base/) and does that run itself, as the full program would (the
 * same modules: the cache entry, the audit and usage lines, COMMAND's
 * environment).  Every other run (options, no cache entry, a token about
 * to expire, a nested hs-exec) goes to hs_exec_main()
 * (hs-exec-main.c), loaded from the private module hs-exec-main.so only
 * then, with GLib and the rest (docs/design.md, "One hs-exec run"). */
#include "config.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "base/audit.h"
#include "base/cache-entry.h"
#include "base/child-env.h"
#include "base/command.h"
#include "base/name-rules.h"
#include "base/process.h"
#include "base/usage-log.h"
#include "hs-exec-main.h"

extern char **environ;

/* Exit codes of core/error.h: a configuration error, a system error. */
#define EXIT_CONFIG 6
#define EXIT_SYSTEM 7

/* `hs-exec PROFILE -- COMMAND…` on a cached token that outlives the
 * default --min-ttl: run it, as hs_exec_main() would, and return only if
 * COMMAND cannot be executed (its exit code).  -1, with nothing done, when
 * the run is any other. */
static int cached_run(int argc, char **argv) {
  HsCacheEntry entry;
  const char *outer = getenv("HS_EXEC_PROFILE");
  char **env;
  char message[1024];
  int code;

  if (argc < 4 || strcmp(argv[2], "--") != 0 ||
      !hs_name_rules_profile(argv[1], NULL, 0) ||
      (outer != NULL && *outer != '\0'))
    return -1;
  if (!hs_cache_entry_read(argv[1], &entry)) return -1;
  if (entry.expires_at - (int64_t)time(NULL) <= HS_CACHE_ENTRY_MIN_TTL) {
    hs_cache_entry_clear(&entry);
    return -1;
  }
  {
    HsChildEnv child = {
        .profile = argv[1],
        .token = entry.access_token,
        .hub_id = entry.hub_id,
        .expires_at = entry.expires_at,
    };
    (void)mlock(entry.access_token, strlen(entry.access_token));
    env = hs_child_env_build((const char *const *)environ, &child);
  }
  hs_cache_entry_clear(&entry);
  if (env == NULL) return -1;
  hs_audit("exec", argv[1], NULL, "ok", argv[3]);
  hs_usage_log_append(argv[1], argv[3], (int64_t)time(NULL));
  code = hs_command_exec(argv + 3, env, message, sizeof message);
  hs_child_env_free(env);
  fprintf(stderr, "hs-exec: %s\n", message);
  return code;
}

#ifndef HS_EXEC_MAIN_LINKED
/* Where hs-exec-main.so is: PKGLIBDIR, or for the program that `make`
 * leaves in the build tree (the demo and the benchmarks run it), the
 * build tree's, as libtool's wrappers run uninstalled programs against
 * uninstalled libraries.  Which one is decided by where this program is,
 * never by the environment. */
static const char *main_module(char *buf, size_t size) {
  char self[PATH_MAX], built[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

  if (n > 0) {
    self[n] = '\0';
    if (realpath(HS_EXEC_BUILD_PROGRAM, built) != NULL &&
        strcmp(self, built) == 0) {
      snprintf(buf, size, "%s", HS_EXEC_BUILD_MODULE);
      return buf;
    }
  }
  snprintf(buf, size, "%s", HS_EXEC_MODULE);
  return buf;
}

static int full_run(int argc, char **argv) {
  char path[PATH_MAX];
  int (*run)(int, char **);
  void *module;

  main_module(path, sizeof path);
  module = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (module == NULL) {
    fprintf(stderr,
            "hs-exec: cannot load %s: %s; reinstall hs-exec (the package, "
            "or 'make install')\n",
            path, dlerror());
    return EXIT_SYSTEM;
  }
  *(void **)&run = dlsym(module, "hs_exec_main");
  if (run == NULL) {
    fprintf(stderr, "hs-exec: %s is not hs-exec's; reinstall hs-exec\n", path);
    return EXIT_SYSTEM;
  }
  return run(argc, argv);
}
#else
/* The test build links hs_exec_main() in. */
static int full_run(int argc, char **argv) { return hs_exec_main(argc, argv); }
#endif

int main(int argc, char **argv) {
  char why[512];
  int code;

  /* Before anything is read, or loaded. */
  hs_process_harden();
  hs_process_set_name("hs-exec");
  if (!hs_process_unprivileged(why, sizeof why)) {
    fprintf(stderr, "hs-exec: %s\n", why);
    return EXIT_CONFIG;
  }
  code = cached_run(argc, argv);
  if (code >= 0) return code;
  return full_run(argc, argv);
}
