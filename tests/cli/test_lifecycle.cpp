#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;

TEST_CASE("new prints only the id and commits one ticket file") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("VPN drops every hour", {"-m", "since Monday"});
  CHECK(id.size() == 10);
  CHECK(h.sh("git log --format=%s -1") == "new " + id.substr(0, 6) + ": VPN drops every hour\n");
  CHECK(h.sh("git status --porcelain").empty());
  CHECK(h.sh("git show --stat --format= HEAD | head -1").find("tickets/" + id.substr(0, 2) + "/" + id + ".toml") != std::string::npos);
}

TEST_CASE("escalate without a hand-off note is a usage error and commits nothing") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("Printer jams");
  std::string before = h.sh("git rev-parse HEAD");
  auto r = h.run({"escalate", id});
  CHECK(r.code == 2);
  CHECK(r.err.find("a hand-off note is required") != std::string::npos);
  CHECK(h.sh("git rev-parse HEAD") == before);
}
