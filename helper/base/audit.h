/* SPDX-License-Identifier: MIT */
/* audit.h — the local audit trail: one JSON line per event in
 * $XDG_STATE_HOME/hs-exec/audit.jsonl (mode 0600), and the same line to
 * the journal (its native protocol, base/journal.h, with
 * HS_EXEC_EVENT/PROFILE/KIND/OUTCOME fields; syslog when there is none).
 * It never holds a secret (docs/design.md, "Audit and usage").  The C
 * library only (base/): the cached run of hs-exec audits with it. */
#ifndef HS_BASE_AUDIT_H
#define HS_BASE_AUDIT_H

/* Record `event` ("add", "import", "show-reveal", "refresh", "exec",
 * "exec-inherited", "remove", "revoke", "check", "rotate", "rotate-commit",
 * "rotate-rollback", "rotate-expire", "share") for `profile` of `kind` (may be
 * NULL) with `outcome`
 * ("ok" or a short failure word) and, for exec, the command name (argv[0]
 * only; may be NULL).  Never fails the caller: a log that cannot be
 * written is reported once on stderr. */
void hs_audit(const char *event, const char *profile, const char *kind,
              const char *outcome, const char *command);

/* `message` to the journal (or syslog) at syslog `priority`, as
 * hs-token; not to the audit file.  Never fails the caller. */
void hs_audit_journal(int priority, const char *message);

/* The audit file's path (transfer full: free()), or NULL when out of
 * memory. */
char *hs_audit_path(void);

#endif
