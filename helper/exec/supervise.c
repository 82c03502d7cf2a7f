/* SPDX-License-Identifier: MIT */
/* supervise.c — hs-exec as COMMAND's parent. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "exec/mask.h"
#include "exec/run.h"
#include "exec/supervise.h"

static const int forwarded[] = {SIGINT,   SIGTERM, SIGHUP, SIGQUIT,
                                SIGWINCH, SIGUSR1, SIGUSR2};

static sigset_t saved_mask;
static gboolean blocked;
/* What the signals were on entry (SIG_IGN in a background job of a
 * script), for the child to inherit as it would from a shell. */
static struct sigaction saved_action[G_N_ELEMENTS(forwarded) + 1];

static void wanted_set(sigset_t *set) {
  sigemptyset(set);
  for (size_t i = 0; i < G_N_ELEMENTS(forwarded); i++)
    sigaddset(set, forwarded[i]);
  sigaddset(set, SIGCHLD);
}

void hs_supervise_block_signals(void) {
  sigset_t set;
  struct sigaction dfl = {.sa_handler = SIG_DFL};

  wanted_set(&set);
  sigprocmask(SIG_BLOCK, &set, &saved_mask);
  /* An ignored signal is discarded, never queued for the signalfd. */
  for (size_t i = 0; i <= G_N_ELEMENTS(forwarded); i++) {
    int sig = i < G_N_ELEMENTS(forwarded) ? forwarded[i] : SIGCHLD;
    sigaction(sig, &dfl, &saved_action[i]);
  }
  blocked = TRUE;
}

static struct sigaction saved_pipe;
static gboolean pipe_saved;

void hs_supervise_save_sigpipe(void) {
  pipe_saved = sigaction(SIGPIPE, NULL, &saved_pipe) == 0;
}

void hs_supervise_restore_sigpipe(void) {
  if (pipe_saved) sigaction(SIGPIPE, &saved_pipe, NULL);
}

void hs_supervise_ignore_sigpipe(void) {
  struct sigaction ign = {.sa_handler = SIG_IGN};

  sigaction(SIGPIPE, &ign, NULL);
}

static void restore_signals(void) {
  hs_supervise_restore_sigpipe();
  for (size_t i = 0; i <= G_N_ELEMENTS(forwarded); i++) {
    int sig = i < G_N_ELEMENTS(forwarded) ? forwarded[i] : SIGCHLD;
    sigaction(sig, &saved_action[i], NULL);
  }
  sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

void hs_supervise_unblock_signals(void) {
  if (!blocked) return;
  restore_signals();
  blocked = FALSE;
}

static const int fatal[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static gboolean is_fatal(int sig) {
  for (size_t i = 0; i < G_N_ELEMENTS(fatal); i++)
    if (fatal[i] == sig) return TRUE;
  return FALSE;
}

int hs_supervise_pending_signal(void) {
  sigset_t pending;

  if (sigpending(&pending) != 0) return 0;
  for (size_t i = 0; i < G_N_ELEMENTS(fatal); i++)
    if (sigismember(&pending, fatal[i])) return fatal[i];
  return 0;
}

/* What exec_child reports on the status pipe when it cannot run COMMAND. */
typedef struct {
  int err;             /* errno */
  gboolean in_sandbox; /* the sandbox failed, not the execve */
} ChildFailure;

/* COMMAND's descriptors: -1 leaves ours. */
typedef struct {
  int in, out, err;
  int ctty; /* a pseudo-terminal to make COMMAND's controlling terminal */
} ChildFds;

/* In the child after fork(): only async-signal-safe calls. */
static G_GNUC_NORETURN void exec_child(const HsSupervise *opts, int status_fd,
                                       const ChildFds *fds) {
  ChildFailure failure = {0, FALSE};

  restore_signals();
  /* A session of its own on the pseudo-terminal: its line discipline turns
   * ^C into COMMAND's SIGINT, and resizing it sends SIGWINCH. */
  if (fds->ctty >= 0 && (setsid() < 0 || ioctl(fds->ctty, TIOCSCTTY, 0) < 0))
    goto fail;
  if (fds->in >= 0 && dup2(fds->in, STDIN_FILENO) < 0) goto fail;
  if (fds->out >= 0 && dup2(fds->out, STDOUT_FILENO) < 0) goto fail;
  if (fds->err >= 0 && dup2(fds->err, STDERR_FILENO) < 0) goto fail;
  if (opts->fd_from >= 0 &&
      (opts->fd_from == opts->fd_to ? fcntl(opts->fd_to, F_SETFD, 0)
                                    : dup2(opts->fd_from, opts->fd_to)) < 0)
    goto fail;
  if (opts->sandbox != NULL &&
      (failure.err = hs_sandbox_apply(opts->sandbox)) != 0) {
    failure.in_sandbox = TRUE;
    goto report;
  }
  execvpe(opts->argv[0], opts->argv, opts->envp);
fail:
  failure.err = errno;
report:
  (void)!write(status_fd, &failure, sizeof failure);
  _exit(hs_command_exit_code(failure.err));
}

/* --mask on a terminal: a pseudo-terminal for COMMAND, with our terminal's
 * settings and size, so that isatty(), colours and progress bars work
 * while its output still passes the mask. */
static gboolean open_pty(int *ret_master, int *ret_slave) {
  int tty = isatty(STDIN_FILENO) ? STDIN_FILENO : STDOUT_FILENO;
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), slave = -1;
  char name[128];
  struct termios tio;
  struct winsize ws;

  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
      ptsname_r(master, name, sizeof name) != 0 ||
      (slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
    int saved = errno;
    if (master >= 0) close(master);
    errno = saved;
    return FALSE;
  }
  if (tcgetattr(tty, &tio) == 0) (void)tcsetattr(slave, TCSANOW, &tio);
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
    (void)ioctl(master, TIOCSWINSZ, &ws);
  *ret_master = master;
  *ret_slave = slave;
  return TRUE;
}

/* Our terminal, raw while it relays keys to COMMAND's (the pseudo-terminal
 * does the echo, ^C and line editing), and as it was on every way out. */
typedef struct {
  struct termios saved;
  gboolean raw;
} Terminal;

static void terminal_raw(Terminal *t) {
  struct termios raw;

  if (tcgetattr(STDIN_FILENO, &t->saved) != 0) return;
  raw = t->saved;
  cfmakeraw(&raw);
  t->raw = tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0;
}

static void terminal_restore(Terminal *t) {
  if (t->raw) (void)tcsetattr(STDIN_FILENO, TCSADRAIN, &t->saved);
  t->raw = FALSE;
}

typedef struct {
  int fd;     /* read end of COMMAND's stdout or stderr; -1 when closed */
  int target; /* ours */
  HsMask *mask;
} Relay;

static void write_all(int fd, const guint8 *data, gsize len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* our stdout is gone: drop, as a pipe would */
    data += n;
    len -= (gsize)n;
  }
}

static void relay(Relay *r, gboolean eof) {
  char buf[65536];
  GByteArray *out = g_byte_array_new();
  ssize_t n = 0;

  if (!eof) {
    n = read(r->fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) n = -2;
  }
  if (n > 0) {
    hs_mask_feed(r->mask, buf, (gsize)n, out);
  } else if (n != -2) {
    hs_mask_flush(r->mask, out);
    hs_fd_close(&r->fd);
  }
  write_all(r->target, out->data, out->len);
  explicit_bzero(buf, sizeof buf);
  g_byte_array_free(out, TRUE);
}

static int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

/* A key typed at our terminal, on to COMMAND's; FALSE when there will be
 * no more (our stdin ended). */
static gboolean relay_input(int master) {
  char buf[4096];
  ssize_t n = read(STDIN_FILENO, buf, sizeof buf);

  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return TRUE;
  if (n <= 0) return FALSE;
  if (master >= 0) write_all(master, (const guint8 *)buf, (gsize)n);
  explicit_bzero(buf, sizeof buf);
  return TRUE;
}

int hs_supervise(const HsSupervise *opts, GError **error) {
  hs_autopipe status_pipe[2] = {-1, -1};
  hs_autopipe out_pipe[2] = {-1, -1};
  hs_autopipe err_pipe[2] = {-1, -1};
  hs_autofd sfd = -1, master = -1, slave = -1;
  Relay relays[2] = {{-1, STDOUT_FILENO, NULL}, {-1, STDERR_FILENO, NULL}};
  ChildFds child = {-1, -1, -1, -1};
  Terminal terminal = {.raw = FALSE};
  /* --mask on a terminal: COMMAND gets one too; elsewhere, pipes. */
  gboolean pty = opts->mask != NULL && isatty(STDOUT_FILENO);
  int input = -1; /* our stdin, relayed to the pseudo-terminal */
  sigset_t set;
  int status = 0;
  ChildFailure failure = {0, FALSE};
  gboolean reaped = FALSE;
  int ended = 0; /* the signal that ended the run after COMMAND's exit */
  pid_t pid;

  g_return_val_if_fail(blocked, 1);
  wanted_set(&set);
  /* The system's refusals, not COMMAND's: HS_ERR_SYSTEM, not 126. */
  sfd = signalfd(-1, &set, SFD_CLOEXEC);
  if (sfd < 0 || pipe2(status_pipe, O_CLOEXEC) != 0 ||
      (pty && !open_pty(&master, &slave)) ||
      (opts->mask != NULL && !pty && pipe2(out_pipe, O_CLOEXEC) != 0) ||
      (opts->mask != NULL && !(pty && isatty(STDERR_FILENO)) &&
       pipe2(err_pipe, O_CLOEXEC) != 0)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "cannot set up COMMAND's %s: %s; check the limit on open "
                "files (ulimit -n) and try again",
                pty ? "pseudo-terminal" : "pipes", g_strerror(errno));
    return HS_ERR_SYSTEM;
  }
  if (pty) {
    child.ctty = child.out = slave;
    child.err = err_pipe[1] >= 0 ? err_pipe[1] : slave;
    /* Keys are relayed only from a terminal we hold in the foreground: a
     * background job that read it or made it raw would be stopped. */
    if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp()) {
      child.in = slave;
      input = STDIN_FILENO;
    }
  } else {
    child.out = out_pipe[1];
    child.err = err_pipe[1];
  }
  pid = fork();
  if (pid < 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "cannot start %s: %s; check the limit on processes (ulimit "
                "-u) and free memory, then try again",
                opts->argv[0], g_strerror(errno));
    return HS_ERR_SYSTEM;
  }
  if (pid == 0) exec_child(opts, status_pipe[1], &child);

  /* The write ends are the child's alone: its exit is our end of file. */
  hs_fd_close(&status_pipe[1]);
  hs_fd_close(&out_pipe[1]);
  hs_fd_close(&err_pipe[1]);
  hs_fd_close(&slave);
  if (opts->mask != NULL) {
    relays[0].fd = pty ? hs_fd_steal(&master) : hs_fd_steal(&out_pipe[0]);
    relays[1].fd = hs_fd_steal(&err_pipe[0]);
    for (int i = 0; i < 2; i++) {
      relays[i].mask = hs_mask_new(opts->mask);
      hs_mask_add_digests(relays[i].mask, opts->mask_digests, opts->mask_key);
    }
  }
  /* Closed by a successful exec, or a word of errno from exec_child. */
  while (read(status_pipe[0], &failure, sizeof failure) < 0 && errno == EINTR) {
  }
  hs_fd_close(&status_pipe[0]);
  if (input >= 0 && failure.err == 0)
    terminal_raw(&terminal);
  else
    input = -1;

  while (!ended && (!reaped || relays[0].fd >= 0 || relays[1].fd >= 0)) {
    struct pollfd fds[4] = {{sfd, POLLIN, 0},
                            {relays[0].fd, POLLIN, 0},
                            {relays[1].fd, POLLIN, 0},
                            {relays[0].fd >= 0 ? input : -1, POLLIN, 0}};

    if (poll(fds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sfd, &si, sizeof si) == sizeof si) {
        int sig = (int)si.ssi_signo;
        struct winsize ws;
        /* The terminal's signals reach COMMAND, in our process group, by
         * themselves: forward only what another process sent us.  On a
         * pseudo-terminal COMMAND has a session of its own: the terminal's
         * signals are forwarded too, and a new size is passed to the
         * pseudo-terminal, which tells COMMAND.  Only while COMMAND is
         * unreaped: a zombie keeps its PID, a reaped one frees it for any
         * new process.  Once it is gone, a signal that ends a shell job
         * ends the run, whoever still holds the output pipes (a grandchild
         * in the background). */
        if (pty && sig == SIGWINCH) {
          if (relays[0].fd >= 0 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
            (void)ioctl(relays[0].fd, TIOCSWINSZ, &ws);
        } else if (sig != SIGCHLD && (pty || si.ssi_code != SI_KERNEL) &&
                   !reaped) {
          kill(pid, sig);
        } else if (reaped && is_fatal(sig)) {
          ended = sig;
        }
      }
      if (!reaped && waitpid(pid, &status, WNOHANG) == pid) reaped = TRUE;
    }
    if (fds[3].revents & (POLLIN | POLLHUP | POLLERR) &&
        !relay_input(relays[0].fd))
      input = -1;
    for (int i = 0; i < 2; i++)
      if (relays[i].fd >= 0 &&
          (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
        relay(&relays[i], FALSE);
  }
  terminal_restore(&terminal);
  hs_fd_close(&sfd);
  for (int i = 0; i < 2; i++) {
    if (relays[i].fd >= 0) relay(&relays[i], TRUE);
    hs_mask_free(relays[i].mask);
  }
  if (!reaped) waitpid(pid, &status, 0);
  if (failure.in_sandbox) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "cannot start %s under --proxy's seccomp filter: %s; check "
                "that the kernel has seccomp (CONFIG_SECCOMP_FILTER)",
                opts->argv[0], g_strerror(failure.err));
    return HS_ERR_SYSTEM;
  }
  if (failure.err != 0) {
    char message[1024];
    int code =
        hs_command_failure(opts->argv[0], failure.err, message, sizeof message);

    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s", message);
    return code;
  }
  if (ended != 0) return 128 + ended;
  return exit_code(status);
}
