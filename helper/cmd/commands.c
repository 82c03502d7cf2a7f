/* SPDX-License-Identifier: MIT */
/* commands.c — hs-token's command table: {name, fn} as git's credential
 * helpers have, its lookup and the usage text. */
#include "config.h"

#include <string.h>

#include "cmd/commands.h"
#include "core/error.h"

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
    {"token", hs_cmd_token, "PROFILE",
     "Print the current access token, refreshed if needed."},
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

const char *hs_cmd_summary(const char *name) {
  const Command *c = find_command(name);
  return c ? c->summary : "";
}

void hs_cmd_usage(FILE *out) {
  fprintf(out, "Usage: hs-token COMMAND [OPTIONS…]\n\nCommands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-8s %-22s %s\n", commands[i].name, commands[i].args,
            commands[i].summary);
  fprintf(out,
          "\n'hs-token COMMAND --help' shows a command's options.\n"
          "Exit status: 0 ok; 1 usage; 2 no such profile; 3 store "
          "unavailable;\n4 HubSpot refused the credential; 5 HubSpot "
          "unreachable; 6 configuration error;\n7 the system refused (a "
          "lock).\n");
}

gboolean hs_cmd_dispatch(int argc, char **argv, GError **error) {
  const Command *command = find_command(argv[0]);

  if (command == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "unknown command '%s'; see 'hs-token --help'", argv[0]);
    return FALSE;
  }
  return command->fn(argc, argv, error);
}
