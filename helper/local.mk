# SPDX-License-Identifier: MIT
# helper/: one libtool convenience library per layer, the two thin mains.
# A layer's library holds only its own folder; the programs link them top
# down, and tests/check-layers checks that no layer reaches a higher one
# (by its includes and by the symbols its library leaves undefined).
# docs/design.md, "Layers", has the table.
noinst_LTLIBRARIES += helper/base/libhsbase.la \
	helper/core/libhscore.la helper/hubspot/libhshubspot.la \
	helper/exec/libhsexec.la helper/migrate/libhsmigrate.la \
	helper/cmd/libhscmd.la

# base: what the cached run of hs-exec needs, with the C library and
# keyutils only (hs-exec.c links nothing else): the process's safety, names,
# the cache entry, COMMAND's environment and exec, the audit (and its
# journal entry) and usage lines, the state directory walked safely.
helper_base_libhsbase_la_SOURCES = \
	helper/base/audit.c helper/base/audit.h \
	helper/base/cache-entry.c helper/base/cache-entry.h \
	helper/base/child-env.c helper/base/child-env.h \
	helper/base/command.c helper/base/command.h \
	helper/base/fd.c helper/base/fd.h \
	helper/base/journal.c helper/base/journal.h \
	helper/base/json-line.c helper/base/json-line.h \
	helper/base/name-rules.c helper/base/name-rules.h \
	helper/base/process.c helper/base/process.h \
	helper/base/safe-dir.c helper/base/safe-dir.h \
	helper/base/state-dir.c helper/base/state-dir.h \
	helper/base/usage-log.c helper/base/usage-log.h
helper_base_libhsbase_la_LIBADD = $(KEYUTILS_LIBS)

# core: errors, secure memory, descriptors, names, kinds, the record,
# rotation, secret input, config, the plugin loader and the store chain,
# audit, usage.
helper_core_libhscore_la_SOURCES = \
	helper/core/config.c helper/core/config.h \
	helper/core/digest.c helper/core/digest.h \
	helper/core/error.c helper/core/error.h \
	helper/core/fault.c helper/core/fault.h \
	helper/core/hooks.c helper/core/hooks.h \
	helper/core/hubspot-dates.h \
	helper/core/json.c helper/core/json.h \
	helper/core/kind.c helper/core/kind.h \
	helper/core/nearest.c helper/core/nearest.h \
	helper/core/plugin.c helper/core/plugin.h \
	helper/core/profile-name.c helper/core/profile-name.h \
	helper/core/project-binding.c helper/core/project-binding.h \
	helper/core/record.c helper/core/record.h \
	helper/core/rotation.c helper/core/rotation.h \
	helper/core/secret-input.c helper/core/secret-input.h \
	helper/core/secure.c helper/core/secure.h \
	helper/core/stores.c helper/core/stores.h \
	helper/core/usage.c helper/core/usage.h
helper_core_libhscore_la_LIBADD = $(GLIB_LIBS) $(JSON_GLIB_LIBS) $(LIBS)

# hubspot: the HTTP client, endpoints, auth, token cache, refresh lock and
# the access-token policy.
helper_hubspot_libhshubspot_la_SOURCES = \
	helper/hubspot/access.c helper/hubspot/access.h \
	helper/hubspot/api.c helper/hubspot/api.h \
	helper/hubspot/auth.c helper/hubspot/auth.h \
	helper/hubspot/cache.c helper/hubspot/cache.h \
	helper/hubspot/http.c helper/hubspot/http.h \
	helper/hubspot/isolate.c helper/hubspot/isolate.h \
	helper/hubspot/login.c helper/hubspot/login.h \
	helper/hubspot/refresh-lock.c helper/hubspot/refresh-lock.h
helper_hubspot_libhshubspot_la_LIBADD = $(KEYUTILS_LIBS)

# exec: how COMMAND gets its token and runs.
helper_exec_libhsexec_la_SOURCES = \
	helper/exec/delivery.c helper/exec/delivery.h \
	helper/exec/fifo.c helper/exec/fifo.h \
	helper/exec/mask.c helper/exec/mask.h \
	helper/exec/proxy-request.c helper/exec/proxy-request.h \
	helper/exec/proxy.c helper/exec/proxy.h \
	helper/exec/run.c helper/exec/run.h \
	helper/exec/sandbox.c helper/exec/sandbox.h \
	helper/exec/supervise.c helper/exec/supervise.h
# libseccomp: loaded by exec/sandbox.c when --proxy needs it (its header
# only at build time).
helper_exec_libhsexec_la_LIBADD =

# migrate: the .env and HubSpot CLI config parsers, what import takes from
# them, scrub and scan.
helper_migrate_libhsmigrate_la_SOURCES = \
	helper/migrate/cli-config.c helper/migrate/cli-config.h \
	helper/migrate/dotenv.c helper/migrate/dotenv.h \
	helper/migrate/import-items.c helper/migrate/import-items.h \
	helper/migrate/scan.c helper/migrate/scan.h \
	helper/migrate/scrub.c helper/migrate/scrub.h
helper_migrate_libhsmigrate_la_LIBADD = $(YAML_LIBS)

# cmd: hs-token's commands, their table, options and output, doctor, notify.
helper_cmd_libhscmd_la_SOURCES = \
	helper/cmd/commands.c helper/cmd/commands.h \
	helper/cmd/cmd-audit.c helper/cmd/cmd-check.c helper/cmd/cmd-doctor.c \
	helper/cmd/cmd-import.c helper/cmd/cmd-profile.c helper/cmd/cmd-rotate.c \
	helper/cmd/cmd-scan.c helper/cmd/cmd-share.c helper/cmd/cmd-token.c \
	helper/cmd/cmd-unit.c \
	helper/cmd/doctor.c helper/cmd/doctor.h \
	helper/cmd/dropin.c helper/cmd/dropin.h \
	helper/cmd/new-profile.c helper/cmd/new-profile.h \
	helper/cmd/notify.c helper/cmd/notify.h \
	helper/cmd/options.c helper/cmd/options.h \
	helper/cmd/output.c helper/cmd/output.h \
	helper/cmd/sign-in.c helper/cmd/sign-in.h

# Top down: a static archive only satisfies what the ones before it need.
HS_EXEC_LIBS = helper/exec/libhsexec.la helper/hubspot/libhshubspot.la \
	helper/core/libhscore.la helper/base/libhsbase.la
HS_TOKEN_LIBS = helper/cmd/libhscmd.la helper/migrate/libhsmigrate.la \
	$(HS_EXEC_LIBS)

bin_PROGRAMS += helper/hs-exec helper/hs-token
# hs-exec is a front end that links base/ only and does the cached run
# itself; every other run is hs_exec_main() in the private module
# hs-exec-main.so, which it loads then (hs-exec.c says how it finds it).
helper_hs_exec_SOURCES = helper/hs-exec.c helper/hs-exec-main.h
HS_EXEC_MODULE_DEFS = -DHS_EXEC_MODULE=\"$(pkglibdir)/hs-exec-main.so\" \
	-DHS_EXEC_BUILD_PROGRAM=\"$(abs_top_builddir)/helper/hs-exec\" \
	-DHS_EXEC_BUILD_MODULE=\"$(abs_top_builddir)/helper/.libs/hs-exec-main.so\"
helper_hs_exec_CPPFLAGS = $(AM_CPPFLAGS) $(HS_EXEC_MODULE_DEFS)
helper_hs_exec_LDADD = helper/base/libhsbase.la
pkglib_LTLIBRARIES = helper/hs-exec-main.la
HS_EXEC_MAIN_SOURCES = helper/hs-exec-main.c helper/hs-exec-main.h
helper_hs_exec_main_la_SOURCES = $(HS_EXEC_MAIN_SOURCES)
helper_hs_exec_main_la_LIBADD = $(HS_EXEC_LIBS)
helper_hs_exec_main_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-no-undefined -export-symbols-regex '^hs_exec_main$$'
helper_hs_token_SOURCES = helper/hs-token.c
helper_hs_token_LDADD = $(HS_TOKEN_LIBS)

# The test builds: the same programs with the test hooks of
# helper/test-hooks.c live (the build tree's plugin directory, a fake clock,
# short backoffs and timeouts, and HS_EXEC_TEST_KILL_AT=STEP for the crash
# tests).  `make check` runs the end-to-end tests with them; they are never
# installed, and the installed programs read none of these variables.
check_PROGRAMS += helper/hs-exec-faults helper/hs-token-faults
TEST_HOOKS_SOURCES = helper/test-hooks.c helper/test-hooks.h
helper_hs_exec_faults_SOURCES = $(helper_hs_exec_SOURCES) \
	$(HS_EXEC_MAIN_SOURCES) $(TEST_HOOKS_SOURCES)
# hs_exec_main() linked in rather than loaded: the same front end and the
# same cached run, in a program that needs no installed module.
helper_hs_exec_faults_CPPFLAGS = $(AM_CPPFLAGS) -DHS_TEST_HOOKS \
	-DHS_EXEC_MAIN_LINKED
helper_hs_exec_faults_LDADD = $(HS_EXEC_LIBS)
helper_hs_token_faults_SOURCES = $(helper_hs_token_SOURCES) $(TEST_HOOKS_SOURCES)
helper_hs_token_faults_CPPFLAGS = $(AM_CPPFLAGS) -DHS_TEST_HOOKS
helper_hs_token_faults_LDADD = $(HS_TOKEN_LIBS)

HELPER_C_FILES = $(helper_base_libhsbase_la_SOURCES) \
	$(helper_core_libhscore_la_SOURCES) \
	$(helper_hubspot_libhshubspot_la_SOURCES) \
	$(helper_exec_libhsexec_la_SOURCES) \
	$(helper_migrate_libhsmigrate_la_SOURCES) \
	$(helper_cmd_libhscmd_la_SOURCES) \
	$(helper_hs_exec_SOURCES) $(HS_EXEC_MAIN_SOURCES) \
	$(helper_hs_token_SOURCES) $(TEST_HOOKS_SOURCES)

# hs-exec loads hs-exec-main.so by its path: libtool's .la is of no use.
install-exec-hook:
	rm -f $(DESTDIR)$(pkglibdir)/hs-exec-main.la
uninstall-local: uninstall-hs-exec-main
uninstall-hs-exec-main:
	rm -f $(DESTDIR)$(pkglibdir)/hs-exec-main.so
.PHONY: uninstall-hs-exec-main
