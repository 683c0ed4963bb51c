// desk report --html: to a file (atomically, not a commit) and to stdout, and its errors.
#include <filesystem>

#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;

namespace {

// A desk with two tickets: one escalated and resolved, one waiting on the customer.
void small_desk(Harness& h) {
  h.init();
  h.now = "2026-11-23T09:00:00Z";
  std::string a = h.new_ticket("VPN drops", {"--priority", "P2"});
  h.now = "2026-11-23T10:00:00Z";
  REQUIRE(h.run({"escalate", a, "-m", "needs network access"}).code == 0);
  h.now = "2026-11-24T10:00:00Z";
  REQUIRE(h.run({"resolve", a, "-m", "replaced the router"}).code == 0);
  std::string b = h.new_ticket("Printer jams");
  REQUIRE(h.run({"wait", b, "--on", "customer", "-m", "which floor?"}).code == 0);
  h.now = "2026-11-25T09:00:00Z";
}

std::vector<std::string> leftovers(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().find(".desk-") != std::string::npos) out.push_back(e.path().string());
  return out;
}

}  // namespace

TEST_CASE("report --html FILE writes the page atomically and commits nothing") {
  Harness h;
  small_desk(h);
  std::string head = h.sh("git rev-parse HEAD");
  auto r = h.run({"report", "--html", "out/report.html", "--title", "Week 48"});
  // The directory must exist: desk does not create it.
  CHECK(r.code == 1);
  std::filesystem::create_directories(h.dir + "/out");
  r = h.run({"report", "--html", "out/report.html", "--title", "Week 48"});
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("wrote the report for 2 tickets to out/report.html") != std::string::npos);
  std::string html = h.read("out/report.html");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<h1>Week 48</h1>") != std::string::npos);
  CHECK(html.find("generated 2026-11-25 09:00 UTC") != std::string::npos);
  CHECK(html.find("L1 up to L2: 1") != std::string::npos);
  CHECK(leftovers(h.dir + "/out").empty());
  CHECK(h.sh("git rev-parse HEAD") == head);
  // Overwriting an existing report replaces it whole.
  r = h.run({"report", "--html", "out/report.html", "-q"});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK(h.read("out/report.html").find("<h1>desk report</h1>") != std::string::npos);
  // The same desk and clock give the same bytes.
  REQUIRE(h.run({"report", "--html", "again.html"}).code == 0);
  CHECK(h.read("again.html") == h.read("out/report.html"));
}

TEST_CASE("report --html - prints the page on stdout, over the given period") {
  Harness h;
  small_desk(h);
  auto r = h.run({"report", "--html", "-", "--since", "2026-11-23", "--until", "2026-11-24"});
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(r.out.find("2026-11-23 00:00 to 2026-11-24 23:59 UTC") != std::string::npos);
  CHECK(r.out.find("</html>\n") == r.out.size() - 8);
  CHECK(r.out.size() > 10000);
  // The per-tier table counts one population, the resolved tickets by the tiers they reached,
  // and the backlog apart: no column by the tier now beside one by the highest tier.
  CHECK(r.out.find("<th scope=\"col\">Resolved here (went no higher)</th>") != std::string::npos);
  CHECK(r.out.find("<th scope=\"col\">Backlog there now</th>") != std::string::npos);
  CHECK(r.out.find("<th scope=\"col\">Created</th><th scope=\"col\">Resolved</th><th scope=\"col\">Backlog</th>") == std::string::npos);
  // The groupings beside the tiers.
  for (const char* heading : {"<h2>Weekly trend</h2>", "<h2>Backlog by priority</h2>", "<h2>Volume by type</h2>", "<h2>Volume by category</h2>",
                              "<h2>Per week</h2>"})
    CHECK(r.out.find(heading) != std::string::npos);
}

TEST_CASE("report with a bad period or without --html is a usage error") {
  Harness h;
  small_desk(h);
  auto r = h.run({"report", "--html", "-", "--since", "someday"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--since 'someday' is not a date or time") != std::string::npos);
  CHECK(r.out.empty());
  r = h.run({"report", "--html", "-", "--since", "2026-11-30", "--until", "2026-11-01"});
  CHECK(r.code == 2);
  CHECK(r.err.find("before it starts") != std::string::npos);
  r = h.run({"report"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--html") != std::string::npos);
}

TEST_CASE("report to an unwritable path fails with exit 1 and leaves no file") {
  Harness h;
  small_desk(h);
  std::filesystem::create_directories(h.dir + "/locked");
  std::filesystem::permissions(h.dir + "/locked", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  bool root = ::geteuid() == 0;
  auto r = h.run({"report", "--html", "locked/report.html"});
  if (!root) {
    CHECK(r.code == 1);
    CHECK(r.err.find("desk: error: cannot write 'locked/report.html'") != std::string::npos);
    CHECK(r.err.find("hint: check that the directory exists and is writable") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(h.dir + "/locked/report.html"));
    CHECK(leftovers(h.dir + "/locked").empty());
  }
  std::filesystem::permissions(h.dir + "/locked", std::filesystem::perms::owner_all);
  // A directory in the way: the rename fails and the temporary file is removed.
  std::filesystem::create_directories(h.dir + "/locked/in-the-way");
  r = h.run({"report", "--html", "locked/in-the-way"});
  CHECK(r.code == 1);
  CHECK(r.err.find("cannot write 'locked/in-the-way'") != std::string::npos);
  CHECK(std::filesystem::is_directory(h.dir + "/locked/in-the-way"));
  CHECK(leftovers(h.dir + "/locked").empty());
  // Unwritable even for root.
  r = h.run({"report", "--html", "/proc/desk-report.html"});
  CHECK(r.code == 1);
  CHECK(r.err.find("cannot write '/proc/desk-report.html'") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists("/proc/desk-report.html"));
  r = h.run({"report", "--html", "missing/dir/report.html"});
  CHECK(r.code == 1);
  CHECK_FALSE(std::filesystem::exists(h.dir + "/missing"));
}

TEST_CASE("report: the tickets due next, each assignee's load and the reopened tickets, by id", "[cli][report]") {
  Harness h;
  h.init();
  h.now = "2026-11-23T09:00:00Z";
  std::string vpn = h.new_ticket("VPN drops", {"-p", "P1"});
  std::string printer = h.new_ticket("Printer jams", {"-p", "P3"});
  std::string mail = h.new_ticket("Mail down", {"-p", "P2", "--assign", "bob"});
  std::string old = h.new_ticket("Old request", {"-p", "P4", "--assign", "bob"});
  REQUIRE(h.run({"resolve", mail, "-m", "fixed"}).code == 0);
  REQUIRE(h.run({"resolve", old, "-m", "done"}).code == 0);
  h.now = "2026-11-23T10:00:00Z";
  REQUIRE(h.run({"reopen", mail, "-m", "still down"}).code == 0);
  h.now = "2026-11-23T11:00:00Z";
  auto r = h.run({"report", "--html", "-"});
  REQUIRE(r.code == 0);
  const std::string& html = r.out;
  auto section = [&](const std::string& heading) {
    size_t at = html.find("<h2>" + heading + "</h2>");
    REQUIRE(at != std::string::npos);
    return html.substr(at, html.find("</section>", at) - at);
  };
  // Due next: the running clocks not yet breached, soonest first (the P1's first response of
  // 1h is already late, so its resolution clock is what is due next for it).
  std::string next = section("Due next");
  size_t at_vpn = next.find(vpn), at_printer = next.find(printer), at_mail = next.find(mail);
  REQUIRE(at_vpn != std::string::npos);
  REQUIRE(at_printer != std::string::npos);
  REQUIRE(at_mail != std::string::npos);
  CHECK(at_mail > at_printer);  // due the next day
  CHECK(next.find(old) == std::string::npos);  // resolved: no running clock
  CHECK(next.find("<td class=\"text\">resolution</td><td>2026-11-23 13:00</td><td>2h</td>") != std::string::npos);
  // Per assignee: bob holds the reopened ticket (open) and resolved both of his in the period.
  std::string agents = section("Per assignee");
  CHECK(agents.find("<th scope=\"row\">bob</th><td>1</td><td>0</td><td>2</td>") != std::string::npos);
  CHECK(agents.find("<th scope=\"row\">unassigned</th><td>2</td><td>1</td><td>0</td>") != std::string::npos);
  CHECK(agents.find("bob") < agents.find("unassigned"));  // unassigned last
  std::string reopened = section("Reopened in the period");
  CHECK(reopened.find(mail) != std::string::npos);
  CHECK(reopened.find("2026-11-23 10:00") != std::string::npos);
  CHECK(reopened.find(vpn) == std::string::npos);
}
