/* SPDX-License-Identifier: MIT */
/* systemd-creds.c — store plugin keeping profiles as systemd credentials,
 * for system services.
 *
 * Each profile is one credential named "hubspot.PROFILE", encrypted with the
 * host key (and the TPM2 where there is one) into DIR/hubspot.PROFILE.cred
 * by systemd-creds(1).  A service whose unit says
 * LoadCredentialEncrypted=hubspot.PROFILE:DIR/hubspot.PROFILE.cred finds it
 * decrypted by systemd in $CREDENTIALS_DIRECTORY/hubspot.PROFILE, readable
 * by that service alone.  The plaintext is what keyctl keeps: a short header
 * of the non-secret attributes, a blank line, then the record.
 *
 * Root reads and writes DIR through systemd-creds, run directly with an
 * argv (never a shell), the plaintext on a pipe (never in argv or a file).
 * A write lands atomically: systemd-creds writes a temporary file in DIR
 * (mode 0600), which is synced and renamed over the old credential, so a
 * failed encrypt leaves the old one in place.  Anyone else reads only what
 * systemd handed the service in $CREDENTIALS_DIRECTORY, and cannot write.
 * Options (hs-exec.conf, [store systemd-creds]): dir, with-key.  Links libc
 * only.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/store-util.h"
#include "hs-plugin.h"

#ifndef SYSTEMD_CREDS
#define SYSTEMD_CREDS "/usr/bin/systemd-creds"
#endif

#define DEFAULT_DIR "/etc/credstore.encrypted"
#define DEFAULT_WITH_KEY "auto"
#define NAME_PREFIX "hubspot."
#define FILE_SUFFIX ".cred"
#define MAGIC "hs-exec-systemd-creds 1\n"
#define MAX_FIELD HS_PU_MAX_FIELD
#define MAX_PROFILE HS_PU_MAX_PROFILE
/* A record is a few hundred bytes; anything this large is not ours. */
#define MAX_PAYLOAD (64 * 1024)

typedef struct {
  char dir[PATH_MAX];   /* where the .cred files live */
  char with_key[16];    /* systemd-creds --with-key= */
  char creds[PATH_MAX]; /* $CREDENTIALS_DIRECTORY, or "" */
  int root;             /* may decrypt and write */
} Store;

static const char *const with_keys[] = {
    "auto", "host", "tpm2", "host+tpm2", "tpm2-absent", "auto-initrd", NULL};

/* ---- options ---- */

static hs_status parse_options(Store *s, const char *const *options, char *msg,
                               size_t msg_size) {
  snprintf(s->dir, sizeof s->dir, "%s", DEFAULT_DIR);
  snprintf(s->with_key, sizeof s->with_key, "%s", DEFAULT_WITH_KEY);
  for (const char *const *o = options; o != NULL && *o != NULL; o++) {
    const char *value;
    size_t klen = hs_pu_option_key(*o, &value);

    if (hs_pu_is_key(*o, klen, "dir")) {
      if (value[0] != '/' || strlen(value) > PATH_MAX - 128 ||
          strchr(value, '\n') != NULL) {
        hs_pu_set_msg(msg, msg_size,
                      "option dir='%.200s' is not an absolute directory path",
                      value);
        return HS_ERROR;
      }
      snprintf(s->dir, sizeof s->dir, "%s", value);
    } else if (hs_pu_is_key(*o, klen, "with-key")) {
      int known = 0;
      for (const char *const *k = with_keys; *k != NULL; k++)
        if (strcmp(value, *k) == 0) known = 1;
      if (!known) {
        hs_pu_set_msg(msg, msg_size,
                      "option with-key='%.40s' is not one of auto, host, tpm2, "
                      "host+tpm2, tpm2-absent, auto-initrd",
                      value);
        return HS_ERROR;
      }
      snprintf(s->with_key, sizeof s->with_key, "%s", value);
    } else {
      return hs_pu_unknown_option(*o, klen, "dir and with-key", msg, msg_size);
    }
  }
  return HS_OK;
}

/* ---- running systemd-creds ---- */

/* Write all of `data` to `fd` without letting a reader that went away kill
 * the process with SIGPIPE: the signal is blocked in this thread, and one
 * raised here is taken back before it is unblocked.  0 or an errno. */
static int write_all(int fd, const char *data, size_t len) {
  sigset_t pipe_set, old;
  int err = 0;

  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    data += n;
    len -= (size_t)n;
  }
  if (err == EPIPE && !sigismember(&old, SIGPIPE)) {
    struct timespec now = {0, 0};
    (void)sigtimedwait(&pipe_set, NULL, &now);
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return err;
}

/* The last non-empty line of `text` (modified), for a message. */
static const char *last_line(char *text) {
  char *line = text, *p;

  for (p = text; *p != '\0'; p++) {
    if (*p != '\n') continue;
    *p = '\0';
    if (p[1] != '\0' && p[1] != '\n') line = p + 1;
  }
  return *line ? line : "no reason given";
}

/* What one run of systemd-creds gave back. */
typedef struct {
  char *out;       /* its standard output, or NULL when not wanted */
  size_t out_cap;  /* bytes `out` holds at most */
  size_t out_len;  /* bytes read into `out` */
  int out_over;    /* it wrote more than out_cap */
  char err[512];   /* the start of its standard error, NUL-terminated */
  int exit_status; /* its exit status, or -1 when it could not run */
} Run;

/* Run systemd-creds with `args` (after argv[0]), `in` (NULL: /dev/null) on
 * its standard input, its output into run->out when set (else /dev/null)
 * and its standard error into run->err.  The child gets a fixed
 * environment and umask 077, so that a file it writes is the owner's
 * alone. */
static void run_creds(const char *const *args, const char *in, size_t in_len,
                      Run *run) {
  const char *argv[8] = {SYSTEMD_CREDS};
  /* Nothing from the caller's environment: it could point systemd-creds
   * at another host key. */
  char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  int null_fd = -1, status;
  size_t err_len = 0;
  pid_t pid;

  run->exit_status = -1;
  run->out_len = 0;
  run->out_over = 0;
  run->err[0] = '\0';
  for (int i = 0; args[i] != NULL && i + 1 < (int)(sizeof argv / sizeof *argv);
       i++)
    argv[i + 1] = args[i];
  null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0 || (in != NULL && pipe2(in_pipe, O_CLOEXEC) != 0) ||
      (run->out != NULL && pipe2(out_pipe, O_CLOEXEC) != 0) ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    snprintf(run->err, sizeof run->err, "cannot make a pipe: %s",
             strerror(errno));
    goto out;
  }
  pid = fork();
  if (pid < 0) {
    snprintf(run->err, sizeof run->err, "cannot fork: %s", strerror(errno));
    goto out;
  }
  if (pid == 0) {
    /* Only async-signal-safe calls from here to execve. */
    sigset_t none;
    if (dup2(in != NULL ? in_pipe[0] : null_fd, 0) < 0 ||
        dup2(run->out != NULL ? out_pipe[1] : null_fd, 1) < 0 ||
        dup2(err_pipe[1], 2) < 0)
      _exit(126);
    umask(077);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    execve(SYSTEMD_CREDS, (char *const *)argv, envp);
    _exit(127);
  }
  if (in != NULL) {
    close(in_pipe[0]);
    in_pipe[0] = -1;
  }
  if (run->out != NULL) {
    close(out_pipe[1]);
    out_pipe[1] = -1;
  }
  close(err_pipe[1]);
  err_pipe[1] = -1;
  if (in != NULL) {
    /* The record is far smaller than a pipe's buffer, and systemd-creds
     * reads all of its input before it writes anything. */
    (void)write_all(in_pipe[1], in, in_len);
    close(in_pipe[1]);
    in_pipe[1] = -1;
  }
  for (;;) {
    struct pollfd fds[2];
    nfds_t n = 0;
    char sink[4096];

    if (out_pipe[0] >= 0) fds[n++] = (struct pollfd){out_pipe[0], POLLIN, 0};
    if (err_pipe[0] >= 0) fds[n++] = (struct pollfd){err_pipe[0], POLLIN, 0};
    if (n == 0) break;
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t i = 0; i < n; i++) {
      ssize_t got;
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == out_pipe[0]) {
        if (run->out_len < run->out_cap)
          got = read(fds[i].fd, run->out + run->out_len,
                     run->out_cap - run->out_len);
        else {
          got = read(fds[i].fd, sink, sizeof sink);
          if (got > 0) run->out_over = 1;
          explicit_bzero(sink, sizeof sink);
        }
        if (got > 0 && run->out_len < run->out_cap) run->out_len += (size_t)got;
        if (got == 0 || (got < 0 && errno != EINTR)) {
          close(out_pipe[0]);
          out_pipe[0] = -1;
        }
      } else {
        got = read(fds[i].fd, sink, sizeof sink);
        if (got > 0 && err_len + 1 < sizeof run->err) {
          size_t take = (size_t)got;
          if (take > sizeof run->err - 1 - err_len)
            take = sizeof run->err - 1 - err_len;
          memcpy(run->err + err_len, sink, take);
          err_len += take;
          run->err[err_len] = '\0';
        }
        if (got == 0 || (got < 0 && errno != EINTR)) {
          close(err_pipe[0]);
          err_pipe[0] = -1;
        }
      }
    }
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) goto out;
  if (WIFEXITED(status)) run->exit_status = WEXITSTATUS(status);
out:
  for (int i = 0; i < 2; i++) {
    if (in_pipe[i] >= 0) close(in_pipe[i]);
    if (out_pipe[i] >= 0) close(out_pipe[i]);
    if (err_pipe[i] >= 0) close(err_pipe[i]);
  }
  if (null_fd >= 0) close(null_fd);
}

/* HS_UNAVAIL unless systemd-creds can be run. */
static hs_status have_systemd_creds(char *msg, size_t msg_size) {
  if (access(SYSTEMD_CREDS, X_OK) == 0) return HS_OK;
  hs_pu_set_msg(msg, msg_size, "%s cannot be run (%s); install systemd",
                SYSTEMD_CREDS, strerror(errno));
  return HS_UNAVAIL;
}

/* ---- the plaintext: attributes, a blank line, the record ---- */

/* Hand the payload of `profile` (`len` bytes in a buffer of len + 1) to
 * `fn`. */
static hs_status emit(char *payload, size_t len, const char *profile,
                      int with_secret, hs_entry_fn fn, void *user_data,
                      int *ret_stop, char *msg, size_t msg_size) {
  char kind[MAX_FIELD], hub_id[MAX_FIELD];
  hs_entry entry = {0};

  entry.profile = profile;
  if (hs_pu_parse_payload(payload, len, MAGIC, &entry, kind, hub_id) != 0) {
    hs_pu_set_msg(msg, msg_size,
                  "the credential of profile %s is not an hs-exec profile; "
                  "remove it and add the profile again",
                  profile);
    return HS_ERROR;
  }
  *ret_stop = hs_pu_hand_over(&entry, with_secret, fn, user_data);
  return HS_OK;
}

/* ---- reading ---- */

/* Read $CREDENTIALS_DIRECTORY/hubspot.PROFILE into `buf` (cap bytes, one
 * kept for a NUL): HS_OK with *ret_len, HS_NOTFOUND when the service was
 * not given it, HS_ERROR when it cannot be read. */
static hs_status read_passed(const Store *s, const char *profile, char *buf,
                             size_t cap, size_t *ret_len, char *msg,
                             size_t msg_size) {
  char path[PATH_MAX + 96];
  struct stat st;
  size_t len = 0;
  int fd;

  snprintf(path, sizeof path, "%s/" NAME_PREFIX "%s", s->creds, profile);
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0 && errno == ENOENT) return HS_NOTFOUND;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    hs_pu_set_msg(msg, msg_size, "%s cannot be read (%s)", path,
                  fd < 0 ? strerror(errno) : "not a regular file");
    if (fd >= 0) close(fd);
    return HS_ERROR;
  }
  for (;;) {
    ssize_t n = read(fd, buf + len, cap - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
    if (len == cap - 1) break;
  }
  close(fd);
  if (len == cap - 1) {
    hs_pu_set_msg(msg, msg_size, "%s is too large to be a profile", path);
    return HS_ERROR;
  }
  *ret_len = len;
  return HS_OK;
}

/* Decrypt DIR/hubspot.PROFILE.cred into `buf` (cap bytes, one kept for a
 * NUL): HS_OK with *ret_len, HS_NOTFOUND when there is no such file. */
static hs_status decrypt(const Store *s, const char *profile, char *buf,
                         size_t cap, size_t *ret_len, char *msg,
                         size_t msg_size) {
  char path[PATH_MAX + 96], name[sizeof NAME_PREFIX + MAX_PROFILE + 8];
  struct stat st;
  hs_status status;
  Run run = {.out = buf, .out_cap = cap - 1};

  snprintf(path, sizeof path, "%s/" NAME_PREFIX "%s" FILE_SUFFIX, s->dir,
           profile);
  snprintf(name, sizeof name, "--name=" NAME_PREFIX "%s", profile);
  if (stat(path, &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return HS_NOTFOUND;
    hs_pu_set_msg(msg, msg_size, "%s: %s", path, strerror(errno));
    return HS_UNAVAIL;
  }
  status = have_systemd_creds(msg, msg_size);
  if (status != HS_OK) return status;
  {
    const char *args[] = {"decrypt", name, "--newline=no", path, "-", NULL};
    run_creds(args, NULL, 0, &run);
  }
  if (run.exit_status != 0 || run.out_over) {
    explicit_bzero(buf, cap);
    hs_pu_set_msg(msg, msg_size, "systemd-creds could not decrypt %s: %s", path,
                  run.out_over ? "it is too large" : last_line(run.err));
    return HS_ERROR;
  }
  *ret_len = run.out_len;
  return HS_OK;
}

/* The plaintext of `profile`, wherever this process may read it: what
 * systemd passed the service, else (root) the decrypted credential. */
static hs_status load(const Store *s, const char *profile, char *buf,
                      size_t cap, size_t *ret_len, char *msg, size_t msg_size) {
  hs_status status = HS_NOTFOUND;

  if (s->creds[0] != '\0') {
    status = read_passed(s, profile, buf, cap, ret_len, msg, msg_size);
    if (status != HS_NOTFOUND) return status;
  }
  if (s->root) return decrypt(s, profile, buf, cap, ret_len, msg, msg_size);
  hs_pu_set_msg(
      msg, msg_size,
      "this service was not given the credential " NAME_PREFIX
      "%s in $CREDENTIALS_DIRECTORY; add LoadCredentialEncrypted=" NAME_PREFIX
      "%s:%s/" NAME_PREFIX "%s" FILE_SUFFIX
      " to its unit ('hs-token unit %s UNIT' prints it)",
      profile, profile, s->dir, profile, profile);
  return HS_UNAVAIL;
}

/* ---- the hooks ---- */

static hs_status sc_open(uint32_t host_abi_version, const char *const *options,
                         void **ret_handle, char *msg, size_t msg_size) {
  const char *creds = secure_getenv("CREDENTIALS_DIRECTORY");
  struct stat st;
  Store *s;
  hs_status status;

  if (hs_pu_check_abi(host_abi_version, msg, msg_size) != HS_OK)
    return HS_ERROR;
  s = calloc(1, sizeof *s);
  if (s == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  status = parse_options(s, options, msg, msg_size);
  if (status != HS_OK) {
    free(s);
    return status;
  }
  s->root = geteuid() == 0;
  if (creds != NULL && creds[0] == '/' && strlen(creds) < sizeof s->creds &&
      stat(creds, &st) == 0 && S_ISDIR(st.st_mode))
    snprintf(s->creds, sizeof s->creds, "%s", creds);
  if (!s->root && s->creds[0] == '\0') {
    free(s);
    hs_pu_set_msg(
        msg, msg_size,
        "systemd credentials are decrypted only by root, and "
        "$CREDENTIALS_DIRECTORY is not set (this is not a service "
        "started with LoadCredentialEncrypted=); run as root, or inside "
        "the service");
    return HS_UNAVAIL;
  }
  *ret_handle = s;
  return HS_OK;
}

static void sc_close(void *handle) { free(handle); }

static hs_status sc_lookup(void *handle, const char *profile, hs_entry_fn fn,
                           void *user_data, char *msg, size_t msg_size) {
  const Store *s = handle;
  char *buf;
  size_t len = 0;
  int stop = 0;
  hs_status status;

  if (!hs_pu_valid_profile(profile)) return HS_NOTFOUND;
  buf = malloc(MAX_PAYLOAD);
  if (buf == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  status = load(s, profile, buf, MAX_PAYLOAD, &len, msg, msg_size);
  if (status == HS_OK)
    status = emit(buf, len, profile, 1, fn, user_data, &stop, msg, msg_size);
  explicit_bzero(buf, MAX_PAYLOAD);
  free(buf);
  return status;
}

/* The credentials are systemd's to hand out inside a service. */
static hs_status read_only(const Store *s, const char *profile, char *msg,
                           size_t msg_size) {
  (void)s;
  hs_pu_set_msg(msg, msg_size,
                "the credential " NAME_PREFIX
                "%s is read-only here (only root can encrypt); as root, run "
                "'hs-token rotate %s' and restart the service",
                profile, profile);
  return HS_UNAVAIL;
}

/* A directory fd for s->dir, made (0700) when it does not exist yet. */
static int open_dir(const Store *s, int create, char *msg, size_t msg_size) {
  int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 && errno == ENOENT && create) {
    if (mkdir(s->dir, 0700) != 0 && errno != EEXIST) {
      hs_pu_set_msg(msg, msg_size, "cannot create %s: %s", s->dir,
                    strerror(errno));
      return -1;
    }
    fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd < 0) hs_pu_set_msg(msg, msg_size, "%s: %s", s->dir, strerror(errno));
  return fd;
}

static hs_status sc_store(void *handle, const hs_entry *entry, char *msg,
                          size_t msg_size) {
  const Store *s = handle;
  char path[PATH_MAX + 96], tmp[PATH_MAX + 96];
  char name[sizeof NAME_PREFIX + MAX_PROFILE + 8];
  char *payload = NULL;
  size_t cap = 0;
  int head, dir_fd = -1, fd = -1;
  hs_status status = HS_ERROR;
  struct stat st;
  Run run = {0};

  if (entry == NULL || entry->profile == NULL || entry->kind == NULL ||
      entry->secret == NULL || !hs_pu_valid_profile(entry->profile) ||
      strlen(entry->kind) >= MAX_FIELD ||
      (entry->hub_id && strlen(entry->hub_id) >= MAX_FIELD)) {
    hs_pu_set_msg(msg, msg_size, "incomplete entry");
    return HS_ERROR;
  }
  if (!s->root) return read_only(s, entry->profile, msg, msg_size);
  status = have_systemd_creds(msg, msg_size);
  if (status != HS_OK) return status;
  status = HS_ERROR;
  dir_fd = open_dir(s, 1, msg, msg_size);
  if (dir_fd < 0) return HS_UNAVAIL;

  cap = sizeof MAGIC + 3 * MAX_FIELD + entry->secret_len + 1;
  payload = malloc(cap);
  if (payload == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    status = HS_TRYAGAIN;
    goto out;
  }
  head = snprintf(payload, cap, MAGIC "kind=%s\nhub_id=%s\nversion=%u\n\n",
                  entry->kind, entry->hub_id ? entry->hub_id : "",
                  (unsigned)entry->version);
  if (head < 0 || (size_t)head + entry->secret_len >= cap) {
    hs_pu_set_msg(msg, msg_size, "attributes too long");
    goto out;
  }
  memcpy(payload + head, entry->secret, entry->secret_len);

  snprintf(path, sizeof path, "%s/" NAME_PREFIX "%s" FILE_SUFFIX, s->dir,
           entry->profile);
  /* A name of our own in the same directory (so the rename is atomic),
   * reserved with mode 0600; systemd-creds replaces it with its output. */
  snprintf(tmp, sizeof tmp, "%s/." NAME_PREFIX "%s" FILE_SUFFIX ".XXXXXX",
           s->dir, entry->profile);
  fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    hs_pu_set_msg(msg, msg_size, "cannot create a file in %s: %s", s->dir,
                  strerror(errno));
    status = HS_UNAVAIL;
    goto out;
  }
  close(fd);
  fd = -1;
  snprintf(name, sizeof name, "--name=" NAME_PREFIX "%s", entry->profile);
  {
    char key[32];
    const char *args[] = {"encrypt", name, key, "-", tmp, NULL};
    snprintf(key, sizeof key, "--with-key=%s", s->with_key);
    run_creds(args, payload, (size_t)head + entry->secret_len, &run);
  }
  if (run.exit_status != 0) {
    hs_pu_set_msg(msg, msg_size,
                  "systemd-creds encrypt --with-key=%s failed: %s; the old "
                  "credential is unchanged",
                  s->with_key, last_line(run.err));
    goto drop_tmp;
  }
  fd = open(tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 || fstat(fd, &st) != 0 || fchmod(fd, 0600) != 0 ||
      fsync(fd) != 0) {
    hs_pu_set_msg(msg, msg_size, "%s: %s", tmp, strerror(errno));
    goto drop_tmp;
  }
  if (!S_ISREG(st.st_mode) || st.st_size == 0) {
    hs_pu_set_msg(msg, msg_size, "systemd-creds left %s empty", tmp);
    goto drop_tmp;
  }
  if (rename(tmp, path) != 0) {
    hs_pu_set_msg(msg, msg_size, "cannot rename %s to %s: %s", tmp, path,
                  strerror(errno));
    goto drop_tmp;
  }
  (void)fsync(dir_fd);
  status = HS_OK;
  goto out;
drop_tmp:
  (void)unlink(tmp);
out:
  if (fd >= 0) close(fd);
  if (dir_fd >= 0) close(dir_fd);
  if (payload != NULL) {
    explicit_bzero(payload, cap);
    free(payload);
  }
  return status;
}

static hs_status sc_remove(void *handle, const char *profile, char *msg,
                           size_t msg_size) {
  const Store *s = handle;
  char file[sizeof NAME_PREFIX + MAX_PROFILE + sizeof FILE_SUFFIX];
  int dir_fd;

  if (!hs_pu_valid_profile(profile)) return HS_NOTFOUND;
  if (!s->root) return read_only(s, profile, msg, msg_size);
  dir_fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0 && errno == ENOENT) return HS_NOTFOUND;
  if (dir_fd < 0) {
    hs_pu_set_msg(msg, msg_size, "%s: %s", s->dir, strerror(errno));
    return HS_UNAVAIL;
  }
  snprintf(file, sizeof file, NAME_PREFIX "%s" FILE_SUFFIX, profile);
  if (unlinkat(dir_fd, file, 0) != 0) {
    int err = errno;
    close(dir_fd);
    if (err == ENOENT) return HS_NOTFOUND;
    hs_pu_set_msg(msg, msg_size, "cannot remove %s/%s: %s", s->dir, file,
                  strerror(err));
    return HS_ERROR;
  }
  (void)fsync(dir_fd);
  close(dir_fd);
  return HS_OK;
}

/* The profile a directory entry is for: "hubspot.PROFILE" followed by
 * `suffix`, copied into `profile`; 0 when it is not one of ours. */
static int entry_profile(const char *file, const char *suffix, char *profile,
                         size_t size) {
  size_t n = strlen(file), pre = strlen(NAME_PREFIX), suf = strlen(suffix);

  if (n <= pre + suf || strncmp(file, NAME_PREFIX, pre) != 0 ||
      strcmp(file + n - suf, suffix) != 0 || n - pre - suf >= size)
    return 0;
  memcpy(profile, file + pre, n - pre - suf);
  profile[n - pre - suf] = '\0';
  return hs_pu_valid_profile(profile);
}

static hs_status sc_list(void *handle, unsigned int flags, hs_entry_fn fn,
                         void *user_data, char *msg, size_t msg_size) {
  const Store *s = handle;
  /* Root lists the credentials on disk; a service, what it was given. */
  const char *where = s->root ? s->dir : s->creds;
  const char *suffix = s->root ? FILE_SUFFIX : "";
  int with_secret = (flags & HS_LIST_SECRETS) != 0, stop = 0;
  hs_status status = HS_OK;
  struct dirent *d;
  char *buf = NULL;
  DIR *dir;

  dir = opendir(where);
  if (dir == NULL) {
    if (errno == ENOENT) return HS_OK;
    hs_pu_set_msg(msg, msg_size, "%s: %s", where, strerror(errno));
    return HS_UNAVAIL;
  }
  buf = malloc(MAX_PAYLOAD);
  if (buf == NULL) {
    closedir(dir);
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  while (!stop && (d = readdir(dir)) != NULL) {
    char profile[MAX_PROFILE + 1];
    size_t len = 0;
    hs_status st;

    if (!entry_profile(d->d_name, suffix, profile, sizeof profile)) continue;
    /* The kind and hub id are inside the encrypted credential, so even a
     * list of attributes decrypts it; the secret is handed on only when
     * asked for. */
    st = load(s, profile, buf, MAX_PAYLOAD, &len, msg, msg_size);
    if (st == HS_OK)
      st = emit(buf, len, profile, with_secret, fn, user_data, &stop, msg,
                msg_size);
    explicit_bzero(buf, MAX_PAYLOAD);
    if (st != HS_OK && st != HS_NOTFOUND) {
      status = st;
      break;
    }
  }
  closedir(dir);
  free(buf);
  return status;
}

/* Available to root when systemd-creds can be run, and inside a service
 * that was given credentials (read-only there). */
static hs_status sc_probe(void *handle, hs_probe *report, char *msg,
                          size_t msg_size) {
  const Store *s = handle;

  if (s == NULL) {
    /* open() failed: say why again, as it would. */
    void *h = NULL;
    hs_status status = sc_open(HS_PLUGIN_ABI_VERSION, NULL, &h, msg, msg_size);
    sc_close(h);
    report->state = status == HS_OK ? HS_STATE_AVAILABLE : HS_STATE_UNAVAILABLE;
    if (status != HS_OK)
      hs_pu_set_msg(
          report->fix, report->fix_size,
          "run hs-token as root to manage these credentials; a service "
          "reads its own through LoadCredentialEncrypted= ('hs-token "
          "unit PROFILE UNIT')");
    return HS_OK;
  }
  if (s->root && have_systemd_creds(msg, msg_size) != HS_OK) {
    report->state = HS_STATE_UNAVAILABLE;
    hs_pu_set_msg(report->fix, report->fix_size,
                  "install systemd (systemd-creds)");
    return HS_OK;
  }
  report->state = HS_STATE_AVAILABLE;
  if (s->root)
    hs_pu_set_msg(
        report->note, report->note_size,
        "credentials in %s, encrypted --with-key=%s; a service reads one "
        "only if its unit loads it ('hs-token unit PROFILE UNIT')",
        s->dir, s->with_key);
  else
    hs_pu_set_msg(
        report->note, report->note_size,
        "read-only: the credentials systemd passed this service in %s",
        s->creds);
  return HS_OK;
}

const struct hs_plugin_v1 hs_plugin_v1 = {
    .abi_version = HS_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct hs_plugin_v1),
    .name = "systemd-creds",
    .open = sc_open,
    .close = sc_close,
    .lookup = sc_lookup,
    .store = sc_store,
    .remove = sc_remove,
    .list = sc_list,
    .probe = sc_probe,
};
