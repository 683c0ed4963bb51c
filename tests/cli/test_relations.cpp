// Relations in-process: link --related/--parent/--problem and --remove, new --problem, show and
// its JSON, resolve --resolve-incidents, list --problem, and every refusal leaving the desk as it was.
#include <algorithm>
#include <string>
#include <vector>

#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;
using desk::test::Result;
using Catch::Contains;
using Catch::StartsWith;

namespace {

std::string path_of(const std::string& id) { return "tickets/" + id.substr(0, 2) + "/" + id + ".toml"; }
std::string short_of(const std::string& id) { return id.substr(0, 6); }

struct Rel {
  Harness h;
  Rel() { h.init(); }
  int commits() { return std::stoi(h.sh("git rev-list --count HEAD")); }
  Result ok(const std::vector<std::string>& args) {
    auto r = h.run(args);
    INFO("desk " << args.at(0) << ": " << r.err);
    REQUIRE(r.code == 0);
    return r;
  }
  // One commit since `before`, touching exactly `files`, with the action trailer; clean tree.
  void landed(int before, std::vector<std::string> files, const std::string& action) {
    std::sort(files.begin(), files.end());
    std::string want;
    for (const auto& f : files) want += f + "\n";
    CHECK(commits() == before + 1);
    CHECK(h.sh("git show --name-only --format= HEAD") == want);
    CHECK(h.sh("git log -1 --format='%(trailers:key=Desk-Action,valueonly)'") == action + "\n\n");
    CHECK(h.sh("git status --porcelain") == "");
  }
  void refused(const std::vector<std::string>& args, int code, const std::string& message) {
    CAPTURE(args);
    int before = commits();
    std::string head = h.sh("git rev-parse HEAD");
    auto r = h.run(args);
    CHECK(r.code == code);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, StartsWith("desk: error: " + message));
    CHECK(commits() == before);
    CHECK(h.sh("git rev-parse HEAD") == head);
    CHECK(h.sh("git status --porcelain") == "");
  }
};

}  // namespace

TEST_CASE("link --related writes both tickets in one commit, show lists it on both, --remove undoes it", "[cli][relations]") {
  Rel k;
  std::string a = k.h.new_ticket("VPN drops", {"--no-suggest"});
  std::string b = k.h.new_ticket("VPN slow", {"--no-suggest"});
  int n = k.commits();
  auto r = k.ok({"link", short_of(a), "--related", short_of(b)});
  CHECK_THAT(r.err, Contains("link " + short_of(a) + " related " + short_of(b)));
  k.landed(n, {path_of(a), path_of(b)}, "link");
  CHECK_THAT(k.h.read(path_of(a)), Contains("related = [\"" + b + "\"]\n"));
  CHECK_THAT(k.h.read(path_of(b)), Contains("related = [\"" + a + "\"]\n"));
  auto sa = k.ok({"show", a, "--no-suggest"});
  CHECK_THAT(sa.out, Contains("related    " + b + " (new) VPN slow"));
  CHECK_THAT(sa.out, Contains("related to " + b));
  auto sb = k.ok({"show", b, "--json"});
  CHECK(k.h.json(sb.out, "d['relations']['related']") == "[\"" + a + "\"]");
  k.refused({"link", a, "--related", b}, 1, "tickets " + short_of(a) + " and " + short_of(b) + " are already related");
  k.refused({"link", a, "--related", a}, 1, "ticket " + short_of(a) + " cannot be related to itself");
  k.refused({"link", a, "--related", "zzzz"}, 3, "no ticket matches 'zzzz'");
  n = k.commits();
  k.ok({"link", b, "--related", a, "--remove"});
  k.landed(n, {path_of(a), path_of(b)}, "unlink");
  CHECK(k.h.read(path_of(a)).find("related =") == std::string::npos);
  CHECK(k.h.read(path_of(b)).find("related =") == std::string::npos);
  k.refused({"link", b, "--related", a, "--remove"}, 1, "tickets " + short_of(b) + " and " + short_of(a) + " are not related");
}

TEST_CASE("link --parent shows the parent and the children, refuses itself and cycles", "[cli][relations]") {
  Rel k;
  std::string a = k.h.new_ticket("Office move", {"--no-suggest"});
  std::string b = k.h.new_ticket("Move the printers", {"--no-suggest"});
  std::string c = k.h.new_ticket("Move printer 2", {"--no-suggest"});
  int n = k.commits();
  k.ok({"link", b, "--parent", a});
  k.landed(n, {path_of(b)}, "link");
  k.ok({"link", c, "--parent", b});
  CHECK_THAT(k.h.read(path_of(b)), Contains("parent = \"" + a + "\"\n"));
  auto sb = k.ok({"show", b, "--no-suggest"});
  CHECK_THAT(sb.out, Contains("parent     " + a + " (new) Office move"));
  CHECK_THAT(sb.out, Contains("child      " + c + " (new) Move printer 2"));
  auto j = k.ok({"show", a, "--json"});
  CHECK(k.h.json(j.out, "d['relations']['children']") == "[\"" + b + "\"]");
  CHECK(k.h.json(j.out, "'parent' in d['relations']") == "false");
  k.refused({"link", a, "--parent", c}, 1, "ticket " + short_of(c) + " is already (through parents) a child of " + short_of(a));
  k.refused({"link", a, "--parent", a}, 1, "ticket " + short_of(a) + " cannot be its own parent");
  k.refused({"link", b, "--parent", a}, 1, "ticket " + short_of(b) + " is already a child of " + short_of(a));
  k.refused({"link", a, "--parent", b, "--related", c}, 2, "make one kind of link at a time");
  n = k.commits();
  k.ok({"link", c, "--parent", b, "--remove"});
  k.landed(n, {path_of(c)}, "unlink");
  k.refused({"link", c, "--parent", b, "--remove"}, 1, "ticket " + short_of(c) + " has no parent");
}

TEST_CASE("problems: new --problem, link --problem, show lists the incidents, list --problem", "[cli][relations]") {
  Rel k;
  std::string p = k.h.new_ticket("VPN concentrator leaks memory", {"--no-suggest", "--problem"});
  CHECK_THAT(k.h.read(path_of(p)), Contains("type = \"problem\"\n"));
  std::string i1 = k.h.new_ticket("VPN drops for Carol", {"--no-suggest", "--type", "incident"});
  std::string i2 = k.h.new_ticket("VPN drops for Dan", {"--no-suggest"});
  std::string other = k.h.new_ticket("Printer jam", {"--no-suggest"});
  k.refused({"new", "x", "--problem", "--type", "incident"}, 2, "--type excludes --problem");
  int n = k.commits();
  auto r = k.ok({"link", i1, "--problem", short_of(p), "--json"});
  k.landed(n, {path_of(i1)}, "link");
  CHECK(k.h.json(r.out, "d['ticket']['problem']") == p);
  k.ok({"link", i2, "--problem", p});
  k.refused({"link", i1, "--problem", other}, 1, "ticket " + short_of(other) + " is not a problem (its type is ");
  k.refused({"link", p, "--problem", p}, 1, "ticket " + short_of(p) + " cannot be its own problem");
  k.refused({"link", i1, "--problem", p}, 1, "ticket " + short_of(i1) + " is already linked to problem " + short_of(p));
  auto sp = k.ok({"show", p, "--no-suggest"});
  CHECK_THAT(sp.out, Contains("incident   " + i1 + " (new) VPN drops for Carol"));
  CHECK_THAT(sp.out, Contains("incident   " + i2 + " (new) VPN drops for Dan"));
  auto si = k.ok({"show", i1, "--no-suggest"});
  CHECK_THAT(si.out, Contains("problem    " + p + " (new) VPN concentrator leaks memory"));
  CHECK_THAT(si.out, Contains("incident of problem " + p));
  auto j = k.ok({"show", p, "--json"});
  std::vector<std::string> both = {i1, i2};
  std::sort(both.begin(), both.end());
  CHECK(k.h.json(j.out, "d['relations']['incidents']") == "[\"" + both[0] + "\", \"" + both[1] + "\"]");
  auto l = k.ok({"list", "--problem", short_of(p), "--json"});
  CHECK(k.h.json(l.out, "sorted(t['id'] for t in d['tickets'])") == "[\"" + both[0] + "\", \"" + both[1] + "\"]");
  k.refused({"list", "--problem", "zzzz"}, 3, "no ticket matches 'zzzz'");
  n = k.commits();
  k.ok({"link", i2, "--problem", p, "--remove"});
  k.landed(n, {path_of(i2)}, "unlink");
  k.refused({"link", i2, "--problem", p, "--remove"}, 1, "ticket " + short_of(i2) + " is not linked to a problem");
}

TEST_CASE("resolve --resolve-incidents resolves the problem and its open incidents in one commit", "[cli][relations]") {
  Rel k;
  std::string p = k.h.new_ticket("VPN concentrator leaks memory", {"--no-suggest", "--problem"});
  std::string i1 = k.h.new_ticket("VPN drops for Carol", {"--no-suggest"});
  std::string i2 = k.h.new_ticket("VPN drops for Dan", {"--no-suggest"});
  std::string i3 = k.h.new_ticket("VPN drops for Eve", {"--no-suggest"});
  std::string lone = k.h.new_ticket("Printer jam", {"--no-suggest"});
  for (const auto& i : {i1, i2, i3}) k.ok({"link", i, "--problem", p});
  k.ok({"resolve", i3, "-m", "worked around"});  // already resolved: left as it is
  k.refused({"resolve", lone, "--resolve-incidents", "-m", "fix"}, 1, "ticket " + short_of(lone) + " is not a problem");
  k.refused({"resolve", p, lone, "--resolve-incidents", "-m", "fix"}, 2, "--resolve-incidents resolves one problem");
  int n = k.commits();
  auto r = k.ok({"resolve", p, "--resolve-incidents", "-m", "Firmware 4.2 on the concentrator", "--json"});
  CHECK_THAT(r.err, Contains("resolve " + short_of(p) + " and 2 incidents"));
  k.landed(n, {path_of(p), path_of(i1), path_of(i2)}, "resolve");
  for (const auto& id : {p, i1, i2}) {
    CHECK_THAT(k.h.read(path_of(id)), Contains("status = \"resolved\"\n"));
    CHECK_THAT(k.h.read(path_of(id)), Contains("resolution = \"Firmware 4.2 on the concentrator\"\n"));
  }
  CHECK_THAT(k.h.read(path_of(i3)), Contains("resolution = \"worked around\"\n"));
  CHECK(k.h.json(r.out, "sorted(t['status'] for t in d['tickets'])") == R"(["resolved", "resolved", "resolved"])");
  k.refused({"resolve", p, "--resolve-incidents", "-m", "again"}, 1, "problem " + short_of(p) + " is resolved and has no open incidents");
}

TEST_CASE("resolving a problem with open incidents says how many and names the flag", "[cli][relations]") {
  Rel k;
  std::string p = k.h.new_ticket("VPN concentrator leaks memory", {"--no-suggest", "--problem"});
  std::string i1 = k.h.new_ticket("VPN drops for Carol", {"--no-suggest"});
  k.ok({"link", i1, "--problem", p});
  int n = k.commits();
  auto r = k.ok({"resolve", p, "-m", "Firmware 4.2"});
  k.landed(n, {path_of(p)}, "resolve");
  CHECK_THAT(r.err, Contains("problem " + short_of(p) + " has 1 open incident"));
  CHECK_THAT(r.err, Contains("--resolve-incidents"));
  CHECK_THAT(k.h.read(path_of(i1)), Contains("status = \"new\"\n"));
  // The problem is resolved already: the flag then resolves the incidents that are left.
  n = k.commits();
  k.ok({"resolve", p, "--resolve-incidents", "-m", "Firmware 4.2"});
  k.landed(n, {path_of(i1)}, "resolve");
  CHECK_THAT(k.h.read(path_of(i1)), Contains("status = \"resolved\"\n"));
}
