# ---- tests/fuzz/: libFuzzer targets, built by `make fuzz` with clang ----
# Not part of the gcc build: each parser's sources are compiled again with
# -fsanitize=fuzzer,address,undefined into $(FUZZ_OUT).  A new target is a
# file tests/fuzz/fuzz-NAME.c, seeds in tests/fuzz/corpus/NAME/ and NAME
# below; tests/fuzz/run-all-fuzz runs them all.
FUZZ_TARGETS = secret-input record hubspot-json config http-headers \
	dotenv cli-yaml proxy-request token-scan
FUZZ_CC = clang-14
FUZZ_OUT = fuzz-build
FUZZ_CORE = $(helper_core_libhscore_la_SOURCES) \
	$(helper_hubspot_libhshubspot_la_SOURCES) \
	$(helper_exec_libhsexec_la_SOURCES) \
	$(helper_migrate_libhsmigrate_la_SOURCES)
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = -g -O1 $(FUZZ_SAN) -Wall -Wextra -Werror \
	$(DEFS) -I$(top_builddir) -I$(top_srcdir)/tests/fuzz $(AM_CPPFLAGS) \
	$(GLIB_CFLAGS) $(JSON_GLIB_CFLAGS) $(LIBCURL_CFLAGS) $(KEYUTILS_CFLAGS) \
	$(YAML_CFLAGS) $(LIBSYSTEMD_CFLAGS)
FUZZ_LIBS = $(GLIB_LIBS) $(JSON_GLIB_LIBS) $(KEYUTILS_LIBS) $(YAML_LIBS) \
	$(LIBSYSTEMD_LIBS) $(LIBS)
fuzz:
	@set -e; $(MKDIR_P) $(FUZZ_OUT)/obj; objs=; \
	for src in $(FUZZ_CORE); do \
	  case $$src in *.c) ;; *) continue ;; esac; \
	  o=$(FUZZ_OUT)/obj/$$(echo $$src | tr / _ | sed 's/\.c$$//').o; objs="$$objs $$o"; \
	  if test -z "$$(find $$o -newer $(srcdir)/$$src 2>/dev/null)" || \
	     test -n "$$(find $(srcdir)/helper -name '*.h' -newer $$o)"; then \
	    echo "  FUZZCC   $$src"; \
	    $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	      -c $(srcdir)/$$src -o $$o; \
	  fi; \
	done; \
	for t in $(FUZZ_TARGETS); do \
	  echo "  FUZZLD   $(FUZZ_OUT)/fuzz-$$t"; \
	  $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	    $(srcdir)/tests/fuzz/fuzz-$$t.c $$objs $(FUZZ_LIBS) \
	    -o $(FUZZ_OUT)/fuzz-$$t; \
	done
clean-local:
	rm -rf $(FUZZ_OUT)
.PHONY: fuzz
EXTRA_DIST += tests/fuzz
