# SPDX-License-Identifier: MIT
# tests/: Check unit tests (one suite per module), the plugins that break the
# ABI for the loader's tests (check-plugin), the end-to-end scripts, the layering check.

# Each unit test is tests/unit/check-MODULE.c, linked with every layer (the
# global LDADD); a new one is a line here.
UNIT_TESTS = \
	tests/unit/check-profile-name \
	tests/unit/check-kind \
	tests/unit/check-nearest \
	tests/unit/check-secret-input \
	tests/unit/check-record \
	tests/unit/check-config \
	tests/unit/check-child-env \
	tests/unit/check-delivery \
	tests/unit/check-plugin \
	tests/unit/check-http \
	tests/unit/check-api \
	tests/unit/check-auth \
	tests/unit/check-mask \
	tests/unit/check-proxy-request \
	tests/unit/check-proxy \
	tests/unit/check-dotenv \
	tests/unit/check-cli-config \
	tests/unit/check-import-items \
	tests/unit/check-scrub \
	tests/unit/check-scan \
	tests/unit/check-rotation \
	tests/unit/check-usage \
	tests/unit/check-fd \
	tests/unit/check-journal \
	tests/unit/check-cache-entry \
	tests/unit/check-json-line \
	tests/unit/check-safe-dir \
	tests/unit/check-output \
	tests/unit/check-supervise \
	tests/unit/check-dropin \
	tests/unit/check-login \
	tests/unit/check-project-binding
LDADD = $(HS_TOKEN_LIBS) $(CHECK_LIBS)
check_PROGRAMS += $(UNIT_TESTS) tests/notify/notify-server \
	tests/seccomp/no-keyctl
noinst_HEADERS = tests/unit/check-common.h
tests_notify_notify_server_LDADD = $(GLIB_LIBS)
# Runs a command with the kernel keyring blocked by seccomp, as in a
# container: the e2e tests of "no cache" run the shipped programs under it.
tests_seccomp_no_keyctl_LDADD =

# Plugins that break the ABI in one way each, for the loader's tests (check-plugin).
TEST_PLUGIN_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-no-undefined -rpath /nowhere
check_LTLIBRARIES = \
	tests/unit/plugins/good.la \
	tests/unit/plugins/wrong-major.la \
	tests/unit/plugins/newer-minor.la \
	tests/unit/plugins/no-symbol.la \
	tests/unit/plugins/short-struct.la \
	tests/unit/plugins/null-function.la \
	tests/unit/plugins/abi-1-0.la \
	tests/unit/plugins/abi-1-1.la
tests_unit_plugins_good_la_SOURCES = tests/unit/plugins/test-plugin.c
tests_unit_plugins_good_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_unit_plugins_wrong_major_la_SOURCES = tests/unit/plugins/test-plugin.c
tests_unit_plugins_wrong_major_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_WRONG_MAJOR
tests_unit_plugins_wrong_major_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_unit_plugins_newer_minor_la_SOURCES = tests/unit/plugins/test-plugin.c
tests_unit_plugins_newer_minor_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_NEWER_MINOR
tests_unit_plugins_newer_minor_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_unit_plugins_no_symbol_la_SOURCES = tests/unit/plugins/test-plugin.c
tests_unit_plugins_no_symbol_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_NO_SYMBOL
tests_unit_plugins_no_symbol_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_unit_plugins_short_struct_la_SOURCES = tests/unit/plugins/test-plugin.c
tests_unit_plugins_short_struct_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SHORT_STRUCT
tests_unit_plugins_short_struct_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_unit_plugins_null_function_la_SOURCES = tests/unit/plugins/test-plugin.c
tests_unit_plugins_null_function_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_NULL_FUNCTION
tests_unit_plugins_null_function_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_unit_plugins_abi_1_0_la_SOURCES = tests/unit/plugins/test-plugin.c
tests_unit_plugins_abi_1_0_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_ABI_1_0
tests_unit_plugins_abi_1_0_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_unit_plugins_abi_1_1_la_SOURCES = tests/unit/plugins/test-plugin.c
tests_unit_plugins_abi_1_1_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_ABI_1_1
tests_unit_plugins_abi_1_1_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)

E2E_TESTS = \
	tests/e2e/plugin-exports.sh \
	tests/e2e/bad-input.sh \
	tests/e2e/lifecycle.sh \
	tests/e2e/no-dbus.sh \
	tests/e2e/secret-service-down.sh \
	tests/e2e/secret-service-calls.sh \
	tests/e2e/hubspot.sh \
	tests/e2e/environment.sh \
	tests/e2e/stores.sh \
	tests/e2e/keyring-sessions.sh \
	tests/e2e/cached-run.sh \
	tests/e2e/doctor.sh \
	tests/e2e/headless.sh \
	tests/e2e/sdk-example.sh \
	tests/e2e/audit.sh \
	tests/e2e/locked.sh \
	tests/e2e/exec-modes.sh \
	tests/e2e/exec-child.sh \
	tests/e2e/proxy.sh \
	tests/e2e/import.sh \
	tests/e2e/scan.sh \
	tests/e2e/exit-codes.sh \
	tests/e2e/cli.sh \
	tests/e2e/rotate.sh \
	tests/e2e/usage.sh \
	tests/e2e/notify.sh \
	tests/e2e/faults.sh \
	tests/e2e/systemd-creds.sh \
	tests/e2e/output.sh \
	tests/e2e/login.sh \
	tests/e2e/binding.sh \
	tests/e2e/vault-store.sh \
	tests/e2e/vault-real.sh \
	tests/e2e/pass-store.sh
# packaging/test-completions drives the shell completions against the
# programs as built (HS_*_PLAIN_BIN), whose --help they must match.
TESTS = tests/check-layers tests/check-install-deps $(UNIT_TESTS) $(E2E_TESTS) \
	tests/standin/selftest.sh tests/e2e/secrets-nowhere.sh \
	packaging/test-completions
# It searches the other tests' logs, so it runs after them.
tests/e2e/secrets-nowhere.log: $(E2E_TESTS:.sh=.log) tests/standin/selftest.log

# Everything speaks TAP: Check through CK_TAP_LOG_FILE_NAME, the scripts
# through tests/e2e/lib/tap.sh.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
TEST_EXTENSIONS = .sh

# The tests' environment, written once.  E2E_ENVIRONMENT is what the
# end-to-end scripts need wherever the programs are; `make check` adds the
# build tree's test builds (helper/local.mk: the programs with their test
# hooks live, so they find the build tree's plugins) as HS_EXEC_BIN and
# HS_TOKEN_BIN, the programs as they get installed as HS_EXEC_PLAIN_BIN and
# HS_TOKEN_PLAIN_BIN (and what the unit tests read), and installcheck-local
# the installed ones.  E2E_RUN runs a script on a throw-away desktop.
E2E_ENVIRONMENT = \
	E2E_DIR='$(abs_top_srcdir)/tests/e2e' \
	NOTIFY_SERVER='$(abs_top_builddir)/tests/notify/notify-server' \
	NO_KEYCTL='$(abs_top_builddir)/tests/seccomp/no-keyctl' \
	DBUS_RUN_SESSION='$(DBUS_RUN_SESSION)' \
	GNOME_KEYRING_DAEMON='$(GNOME_KEYRING_DAEMON)' \
	SECRET_TOOL='$(SECRET_TOOL)' NM='$(NM)' HS_BINDIR='$(bindir)'
E2E_RUN = $(SHELL) $(abs_top_srcdir)/tests/e2e/lib/with-keyring
SH_LOG_COMPILER = $(E2E_RUN)
AM_TESTS_ENVIRONMENT = export $(E2E_ENVIRONMENT) \
	HS_EXEC_BIN='$(abs_top_builddir)/helper/hs-exec-faults' \
	HS_TOKEN_BIN='$(abs_top_builddir)/helper/hs-token-faults' \
	HS_TOKEN_FAULTS_BIN='$(abs_top_builddir)/helper/hs-token-faults' \
	HS_EXEC_PLAIN_BIN='$(abs_top_builddir)/helper/hs-exec' \
	HS_TOKEN_PLAIN_BIN='$(abs_top_builddir)/helper/hs-token' \
	HS_EXEC_PLUGIN_DIR='$(abs_top_builddir)/plugin/.libs' \
	PLUGIN_SO_DIR='$(abs_top_builddir)/plugin/.libs' \
	E2E_LOG_DIR='$(abs_top_builddir)/tests' \
	E2E_ISSUED_LOG='$(abs_top_builddir)/tests/e2e/issued-tokens.txt' \
	TEST_PLUGIN_DIR='$(abs_top_builddir)/tests/unit/plugins/.libs' \
	CK_TAP_LOG_FILE_NAME=- CK_VERBOSITY=silent CK_DEFAULT_TIMEOUT=20 \
	TOP_SRCDIR='$(abs_top_srcdir)' TOP_BUILDDIR='$(abs_top_builddir)';
CLEANFILES += tests/e2e/issued-tokens.txt

# `make installcheck` (and so `make distcheck`) runs the end-to-end scripts
# again against the installed programs, which find their plugins where
# `make install` put them: the layout a user gets.
installcheck-local:
	@failed=0; for t in $(E2E_TESTS); do \
	  echo "# $$t (installed)"; \
	  env -u HS_EXEC_PLUGIN_DIR $(E2E_ENVIRONMENT) \
	    HS_EXEC_BIN='$(DESTDIR)$(bindir)/hs-exec' \
	    HS_TOKEN_BIN='$(DESTDIR)$(bindir)/hs-token' \
	    PLUGIN_SO_DIR='$(DESTDIR)$(plugindir)' \
	    HS_INSTALLED_PKGCONFIG='$(DESTDIR)$(pkgconfigdir)' \
	    $(E2E_RUN) $(abs_top_srcdir)/$$t >installcheck.tap 2>&1 || failed=1; \
	  grep -E '^(not ok|ok|1\.\.)' installcheck.tap | grep -v '^ok' || true; \
	  echo "#   $$(grep -c '^ok' installcheck.tap) passed, $$(grep -c '^not ok' installcheck.tap) failed"; \
	done; rm -f installcheck.tap; test $$failed = 0

# ---- static analysis: `make analyze` (gcc's -fanalyzer, tests/run-all) ----
# At -O0: at -O1 gcc 12's analyzer takes GLib's inlined g_autofree cleanup
# on an early return for a use of an uninitialised value (a false positive
# in every function with two g_autofree locals and an early return).
ANALYZE_FILES = $(HELPER_C_FILES) $(PLUGIN_C_FILES)
analyze:
	@set -e; for src in $(ANALYZE_FILES); do \
	  case $$src in *.c) ;; *) continue ;; esac; \
	  echo "  ANALYZE  $$src"; \
	  $(CC) -std=gnu11 -O0 -fanalyzer -Werror $(WARN_CFLAGS) $(DEFS) \
	    -I$(top_builddir) $(AM_CPPFLAGS) $(HS_EXEC_MODULE_DEFS) $(AM_CFLAGS) \
	    $(LIBSECRET_CFLAGS) -c $(srcdir)/$$src -o /dev/null; \
	done
.PHONY: analyze

# What the end-to-end scripts source or run (tests/e2e/lib/).
E2E_LIB = \
	tests/e2e/lib/with-keyring \
	tests/e2e/lib/e2e.sh \
	tests/e2e/lib/tap.sh \
	tests/e2e/lib/session-keyring.sh \
	tests/e2e/lib/standin.sh \
	tests/e2e/lib/locked-session.sh \
	tests/e2e/lib/secrets-bus.sh \
	tests/e2e/lib/secrets.list \
	tests/e2e/lib/on-pty \
	tests/e2e/lib/argv-watch.sh \
	tests/e2e/lib/vault-cases.sh
EXTRA_DIST += $(E2E_LIB) $(E2E_TESTS) tests/e2e/secrets-nowhere.sh \
	tests/standin/hubspot-standin.py tests/standin/selftest.sh \
	tests/standin/vault-standin.py \
	tests/valgrind.supp tests/lsan.supp tests/run-all tests/check-layers \
	tests/check-install-deps
