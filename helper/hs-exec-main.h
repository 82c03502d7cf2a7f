/* SPDX-License-Identifier: MIT */
/* hs-exec-main.h — hs-exec's every run but the cached one, which the front
 * end (hs-exec.c) hands over to: in the installed program from the private
 * module hs-exec-main.so that it loads then, so that a cached run never
 * maps GLib, GIO, json-glib or what they need. */
#ifndef HS_EXEC_MAIN_H
#define HS_EXEC_MAIN_H

/* main() of hs-exec: parse `argv` and run; the process's exit status.  The
 * module's only exported symbol. */
int hs_exec_main(int argc, char **argv);

#endif
