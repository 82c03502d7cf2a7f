/* hs-token — manage hs-exec's HubSpot profiles.
 *
 * A thin main: an operation table {name, fn} as git's credential helpers
 * have; each operation parses its own options, calls the core and maps the
 * result to an exit code (DESIGN.md §4). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli-util.h"
#include "fault.h"
#include "hs-error.h"
#include "secure-mem.h"
#include "token-commands.h"

typedef gboolean (*CommandFn)(int argc, char **argv, GError **error);

typedef struct {
  const char *name;
  CommandFn fn;
  const char *args;
  const char *summary;
} Command;

static const Command commands[] = {
    {"add", hs_cmd_add, "PROFILE --kind KIND",
     "Store a profile's token, read from standard input or a hidden prompt."},
    {"list", hs_cmd_list, "", "List profiles; never prints a secret."},
    {"show", hs_cmd_show, "PROFILE", "Show a profile's metadata."},
    {"rotate", hs_cmd_rotate, "PROFILE",
     "Store a new token, keeping the old one 7 days; or refresh an OAuth "
     "token now."},
    {"remove", hs_cmd_remove, "PROFILE", "Delete a profile from every store."},
    {"check", hs_cmd_check, "[PROFILE…]",
     "Ask HubSpot whether each token works; exit 1 if a rotation is due, 2 "
     "if one is invalid."},
    {"audit", hs_cmd_audit, "[PROFILE]",
     "Show the audit trail: who added, revealed, used, removed what."},
    {"doctor", hs_cmd_doctor, "",
     "Check the stores, the cache, the config and HubSpot; say each fix."},
    {"import", hs_cmd_import, "FILE [--profile NAME]",
     "Move tokens from a .env file or hubspot.config.yml into the stores; "
     "--scrub removes them from the file."},
    {"scan", hs_cmd_scan, "[PATH…] [--staged]",
     "Find HubSpot tokens in plain text; exit 1 when any is found."},
};

static const Command *find_command(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

const char *hs_token_command_summary(const char *name) {
  const Command *c = find_command(name);
  return c ? c->summary : "";
}

static void usage(FILE *out) {
  fprintf(out, "Usage: hs-token COMMAND [OPTIONS…]\n\nCommands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-8s %-22s %s\n", commands[i].name, commands[i].args,
            commands[i].summary);
  fprintf(out,
          "\n'hs-token COMMAND --help' shows a command's options.\n"
          "Exit status: 0 ok; 1 usage; 2 no such profile; 3 store "
          "unavailable;\n4 HubSpot refused the credential; 5 HubSpot "
          "unreachable; 6 configuration error.\n");
}

#ifdef HS_TEST_HOOKS
#include <signal.h>
#include <stdlib.h>
#include <sys/auxv.h>

/* The test variant (hs-token-faults) dies at the step named by
 * HS_EXEC_TEST_KILL_AT, as a SIGKILL would take it. */
static void kill_at(const char *step) {
  const char *want =
      getauxval(AT_SECURE) ? NULL : getenv("HS_EXEC_TEST_KILL_AT");

  if (want != NULL && strcmp(want, step) == 0) raise(SIGKILL);
}
#endif

int main(int argc, char **argv) {
  g_autoptr(GError) error = NULL;
  const Command *command;
  int code;

  hs_secure_process();
  g_set_prgname("hs-token");
#ifdef HS_TEST_HOOKS
  hs_fault_install(kill_at);
#endif
  if (argc < 2) {
    usage(stderr);
    fprintf(stderr, "hs-token: no command given; see 'hs-token --help'\n");
    return HS_ERR_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("hs-token %s\n", PACKAGE_VERSION);
    return 0;
  }
  command = find_command(argv[1]);
  if (command == NULL) {
    fprintf(stderr, "hs-token: unknown command '%s'; see 'hs-token --help'\n",
            argv[1]);
    return HS_ERR_USAGE;
  }
  if (command->fn(argc - 1, argv + 1, &error)) return 0;
  code = hs_error_exit_code(error);
  fprintf(stderr, "hs-token: %s\n", error->message);
  return code;
}
