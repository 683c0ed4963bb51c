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

// LeakSanitizer: the only leak suppressed is libgit2 1.5's (Debian 12): git_regexp_match()
// creates a pcre2 match block with pcre2_match_data_create() and does not free it on every
// path, so each regex config lookup (git_remote_lookup: remote.NAME.*) leaks one. Fixed
// upstream in libgit2 1.6 (libgit2/libgit2#6382). libgit2 is built without frame pointers, so
// the leak's stack ends in libpcre2, which desk does not call itself: suppressing that library
// suppresses exactly this.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() { return "leak:libpcre2-8.so\n"; }
