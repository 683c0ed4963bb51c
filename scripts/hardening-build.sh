# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: configures build-hardening/, clang with
# AddressSanitizer + UndefinedBehaviorSanitizer, the libFuzzer targets and the tests.
configure_hardening_build() {
  cmake -S . -B build-hardening -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DDESK_FUZZ=ON -DDESK_TESTS=ON >/dev/null
}
