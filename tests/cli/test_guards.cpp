// Guards of a team's day: required checklist steps stop resolve and close (unless forced).
#include "catch.hpp"
#include "harness.hpp"

using Catch::Matchers::Contains;
using desk::test::Harness;

TEST_CASE("required checklist steps stop resolve and close until they are done or forced", "[cli][guards]") {
  Harness h;
  h.init();
  std::string id = h.new_ticket("Mail is down", {"--template", "major-incident"});
  std::string path = "tickets/" + id.substr(0, 2) + "/" + id + ".toml";
  CHECK(h.sh("grep -c 'required = true' " + path) == "3\n");
  std::string head = h.sh("git rev-parse HEAD");
  auto r = h.run({"resolve", id, "-m", "restarted the mail server"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("3 required checklist steps are not done: 1. Declare the major incident"));
  CHECK_THAT(r.err, Contains("hint: tick them off with: desk check " + id.substr(0, 4)));
  CHECK_THAT(r.err, Contains("1 5 6; or resolve it anyway with --force"));
  CHECK(h.sh("git rev-parse HEAD") == head);
  // Done steps no longer hold it; the one left is named.
  REQUIRE(h.run({"check", id, "1", "5"}).code == 0);
  r = h.run({"resolve", id, "-m", "restarted the mail server"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("1 required checklist step is not done: 6. Schedule the post-incident review"));
  // --force resolves, and the steps not done are still listed as a warning.
  r = h.run({"resolve", id, "-m", "restarted the mail server", "--force"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Contains("warning: " + id.substr(0, 4)));
  r = h.run({"close", id});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("cannot close ticket"));
  REQUIRE(h.run({"check", id, "6"}).code == 0);
  CHECK(h.run({"close", id}).code == 0);
  // A ticket whose template requires nothing resolves with steps open, with the warning only.
  std::string other = h.new_ticket("Forgot password", {"--template", "password-reset"});
  r = h.run({"resolve", other, "-m", "reset"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Contains("checklist steps not done"));
}

TEST_CASE("a change timed before the ticket's last entry warns about the clock", "[cli][guards]") {
  Harness h;
  h.init();
  h.now = "2026-11-23T10:00:00Z";
  std::string id = h.new_ticket("VPN drops");
  REQUIRE(h.run({"comment", id, "-m", "looking"}).code == 0);
  h.now = "2026-11-23T09:30:00Z";  // a clone whose clock is 30 minutes slow
  auto r = h.run({"comment", id, "-m", "from the slow clone"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Contains("warning: the clock (2026-11-23T09:30:00Z) is behind ticket " + id.substr(0, 6) +
                             "'s last entry (2026-11-23T10:00:00Z, by Alice Agent <alice@example.com>): the change is recorded at "
                             "2026-11-23T10:00:00Z to keep the history in time order"));
  // The history stays in time order: the late comment carries the last entry's time.
  std::string path = "tickets/" + id.substr(0, 2) + "/" + id + ".toml";
  CHECK(h.sh("grep '^at = ' " + path + " | tail -1") == "at = 2026-11-23T10:00:00Z\n");
  CHECK(h.sh("grep '^updated = ' " + path) == "updated = 2026-11-23T10:00:00Z\n");
  CHECK(h.sh("grep '^at = ' " + path + " | sort -c && echo sorted") == "sorted\n");
  h.now = "2026-11-23T10:05:00Z";
  r = h.run({"comment", id, "-m", "on time"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, !Contains("behind"));
}
