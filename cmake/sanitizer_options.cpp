// Linked into every executable of a sanitized build (DESK_SANITIZE, DESK_FUZZ): the sanitizers'
// defaults, so a test fails on the first report whatever environment it runs in. UBSAN_OPTIONS
// and ASAN_OPTIONS set in the environment still override them.
//
// UBSan is compiled recoverable because its suppressions work only for recoverable checks;
// halt_on_error=1 makes every report that is not suppressed end the process all the same.
// cmake/ubsan.supp lists what is suppressed, and why.

extern "C" const char* __ubsan_default_options();
extern "C" const char* __asan_default_options();

extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1:report_error_type=1:suppressions=" DESK_UBSAN_SUPPRESSIONS;
}

extern "C" const char* __asan_default_options() { return "halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1"; }
