/* SPDX-License-Identifier: MIT */
/* sandbox.c — the seccomp filter COMMAND runs under with --proxy. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "exec/sandbox.h"

/* libseccomp is loaded when --proxy builds its filter, not linked: every
 * other run would map it for nothing (as libcurl, hubspot/http.c). */
#define LIBSECCOMP_SONAME "libseccomp.so.2"

static struct {
  scmp_filter_ctx (*init)(uint32_t def_action);
  void (*release)(scmp_filter_ctx ctx);
  int (*attr_set)(scmp_filter_ctx ctx, enum scmp_filter_attr attr,
                  uint32_t value);
  int (*arch_add)(scmp_filter_ctx ctx, uint32_t arch_token);
  int (*rule_add)(scmp_filter_ctx ctx, uint32_t action, int syscall,
                  unsigned int arg_cnt, ...);
  int (*export_bpf)(const scmp_filter_ctx ctx, int fd);
} lib;

static gboolean load_libseccomp(void) {
  static gsize once = 0;
  static gboolean loaded;

  if (g_once_init_enter(&once)) {
    void *dl = dlopen(LIBSECCOMP_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    const struct {
      const char *name;
      void **slot;
    } syms[] = {
        {"seccomp_init", (void **)&lib.init},
        {"seccomp_release", (void **)&lib.release},
        {"seccomp_attr_set", (void **)&lib.attr_set},
        {"seccomp_arch_add", (void **)&lib.arch_add},
        {"seccomp_rule_add", (void **)&lib.rule_add},
        {"seccomp_export_bpf", (void **)&lib.export_bpf},
    };

    loaded = dl != NULL;
    for (size_t i = 0; loaded && i < G_N_ELEMENTS(syms); i++)
      loaded = (*syms[i].slot = dlsym(dl, syms[i].name)) != NULL;
    g_once_init_leave(&once, 1);
  }
  return loaded;
}

struct HsSandbox {
  struct sock_fprog prog; /* .filter owned */
};

void hs_sandbox_free(HsSandbox *sandbox) {
  if (sandbox == NULL) return;
  g_free(sandbox->prog.filter);
  g_free(sandbox);
}

static void scmp_release(scmp_filter_ctx *ctx) {
  if (*ctx != NULL) lib.release(*ctx);
}

/* The filter as BPF: libseccomp 2.5 writes it to a descriptor only. */
static gboolean export_bpf(scmp_filter_ctx ctx, HsSandbox *sandbox) {
  hs_autofd fd = memfd_create("hs-exec-seccomp", MFD_CLOEXEC);
  struct stat st;
  gsize got = 0;
  char *buf;

  if (fd < 0 || lib.export_bpf(ctx, fd) != 0 || fstat(fd, &st) != 0 ||
      st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
      st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS ||
      lseek(fd, 0, SEEK_SET) != 0)
    return FALSE;
  buf = g_malloc(st.st_size);
  while (got < (gsize)st.st_size) {
    ssize_t n = read(fd, buf + got, st.st_size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      g_free(buf);
      return FALSE;
    }
    got += (gsize)n;
  }
  sandbox->prog.filter = (struct sock_filter *)buf;
  sandbox->prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
  return TRUE;
}

HsSandbox *hs_sandbox_new_no_keyring(GError **error) {
  static const int denied[] = {SCMP_SYS(keyctl), SCMP_SYS(add_key),
                               SCMP_SYS(request_key)};
  /* The 32-bit ABIs a 64-bit kernel also runs reach the same keyrings. */
  static const uint32_t arches[] = {SCMP_ARCH_X86, SCMP_ARCH_X32,
                                    SCMP_ARCH_ARM};
  __attribute__((cleanup(scmp_release))) scmp_filter_ctx ctx = NULL;
  g_autoptr(HsSandbox) sandbox = g_new0(HsSandbox, 1);
  gboolean ok;

  ok = load_libseccomp();
  if (ok) ctx = lib.init(SCMP_ACT_ALLOW);
  ok = ctx != NULL;
  /* No new privileges is set in the child by hs_sandbox_apply() itself. */
  if (ok) ok = lib.attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) == 0;
  for (size_t i = 0; ok && i < G_N_ELEMENTS(arches); i++) {
    int rc = lib.arch_add(ctx, arches[i]);
    /* Present already (the native one), or not one this build knows. */
    ok = rc == 0 || rc == -EEXIST || rc == -EINVAL;
  }
  for (size_t i = 0; ok && i < G_N_ELEMENTS(denied); i++)
    ok = lib.rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0) == 0;
  if (!ok || !export_bpf(ctx, sandbox)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "cannot build the seccomp filter --proxy runs COMMAND under; "
                "check that libseccomp is installed and supports this "
                "architecture");
    return NULL;
  }
  return g_steal_pointer(&sandbox);
}

int hs_sandbox_apply(const HsSandbox *sandbox) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &sandbox->prog) != 0)
    return errno;
  return 0;
}
