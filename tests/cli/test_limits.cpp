// The limits of desk-ticket(5) on texts that come from the editor and on edited ticket files:
// refused with a clear error, nothing committed, the draft of `desk edit` kept.
#include <filesystem>
#include <fstream>
#include <string>

#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;
using Catch::Contains;

namespace {

int commits(Harness& h) { return std::stoi(h.sh("git rev-list --count HEAD")); }

// An editor that appends `bytes` bytes of 'x' to the file it is given.
std::function<int(const std::string&)> appending(size_t bytes) {
  return [bytes](const std::string& file) {
    std::ofstream f(file, std::ios::binary | std::ios::app);
    std::string chunk(1 << 16, 'x');
    for (size_t done = 0; done < bytes; done += chunk.size()) f.write(chunk.data(), static_cast<std::streamsize>(std::min(chunk.size(), bytes - done)));
    return 0;
  };
}

}  // namespace

TEST_CASE("a text from the editor over 1 MiB is refused and nothing is committed", "[cli][limits]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  h.terminal = true;
  h.editor = "scripted-editor";
  h.edit = appending(3u << 20);
  int n = commits(h);
  auto r = h.run({"comment", id});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("is over 1.0 MiB, the most a ticket text may be"));
  CHECK_THAT(r.err, Contains("hint:"));
  CHECK(commits(h) == n);
  r = h.run({"kb", "new", "Long article"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("over 1.0 MiB"));
  CHECK(commits(h) == n);
}

TEST_CASE("an edited ticket file over 4 MiB is refused and the draft kept", "[cli][limits][edit]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops");
  h.editor = "scripted-editor";
  h.edit = appending(5u << 20);
  int n = commits(h);
  auto r = h.run({"edit", id});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("the edited ticket is over 4.0 MiB"));
  CHECK_THAT(r.err, Contains("your edit is kept in"));
  CHECK(commits(h) == n);
  CHECK(std::filesystem::exists(h.dir + "/.git/desk/edit-" + id + ".toml"));
}

TEST_CASE("a description over 1 MiB from standard input is refused", "[cli][limits]") {
  Harness h;
  h.init();
  h.stdin_text = std::string((1u << 20) + 10, 'y');
  int n = commits(h);
  auto r = h.run({"new", "Long", "-F", "-"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("the description is over 1.0 MiB"));
  CHECK(commits(h) == n);
  h.stdin_text = std::string(1u << 20, 'y');
  CHECK(h.run({"new", "Just fits", "-F", "-"}).code == 0);
}
