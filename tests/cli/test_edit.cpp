// desk edit with a scripted editor: valid edits commit, invalid ones are kept as a draft and
// resumed, unchanged ones commit nothing.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "harness.hpp"

using desk::test::Harness;
using Catch::Contains;
using Catch::StartsWith;

namespace {

std::string path_of(const std::string& id) { return "tickets/" + id.substr(0, 2) + "/" + id + ".toml"; }

std::string slurp(const std::string& file) {
  std::ifstream f(file, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void spit(const std::string& file, const std::string& text) { std::ofstream(file, std::ios::binary | std::ios::trunc) << text; }

// Replaces the first occurrence of `from` in a file.
void replace_in(const std::string& file, const std::string& from, const std::string& to) {
  std::string text = slurp(file);
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  spit(file, text);
}

int commits(Harness& h) { return std::stoi(h.sh("git rev-list --count HEAD")); }

struct EditDesk {
  Harness h;
  std::string id, sid, draft;
  EditDesk() {
    h.init();
    id = h.new_ticket("VPN drops", {"-m", "Since Monday"});
    sid = id.substr(0, 6);
    h.editor = "scripted-editor";
    draft = h.dir + "/.git/desk/edit-" + id + ".toml";
  }
};

}  // namespace

TEST_CASE("a valid edit is validated and committed with the changed fields", "[cli][edit]") {
  EditDesk d;
  int n = commits(d.h);
  std::string seen_file;
  d.h.edit = [&](const std::string& file) {
    seen_file = file;
    replace_in(file, "title = \"VPN drops\"", "title = \"VPN drops every hour\"");
    replace_in(file, "description = \"Since Monday\"", "description = \"Since the Monday update\"\ncategory = \"network\"");
    return 0;
  };
  auto r = d.h.run({"edit", d.id.substr(0, 4)});
  CHECK(r.code == 0);
  CHECK(seen_file == d.draft);
  std::string head = d.h.sh("git rev-parse --short=7 HEAD");
  head.pop_back();
  std::string subject = "edit " + d.sid + " (title, category, description): VPN drops every hour";
  CHECK(r.err == "[main " + head + "] " + subject + "\n");
  CHECK(commits(d.h) == n + 1);
  CHECK(d.h.sh("git log -1 --format=%s") == subject + "\n");
  CHECK(d.h.sh("git log -1 --format='%(trailers:key=Desk-Action,valueonly)'") == "edit\n\n");
  CHECK(d.h.sh("git status --porcelain") == "");
  CHECK_FALSE(std::filesystem::exists(d.draft));
  std::string j = d.h.run({"show", d.id, "--json"}).out;
  CHECK(d.h.json(j, "[d['title'], d['category'], d['description']]") == R"(["VPN drops every hour", "network", "Since the Monday update"])");
  CHECK(d.h.json(j, "[c['field'] for c in d['history'][-1]['changes']]") == R"(["title", "category", "description"])");
  // The committed file is canonical again: the category sits where desk puts it.
  std::string file = d.h.read(path_of(d.id));
  CHECK(file.find("category = ") < file.find("tags = "));
}

TEST_CASE("edit --json prints the change", "[cli][edit]") {
  EditDesk d;
  d.h.edit = [&](const std::string& file) {
    replace_in(file, "title = \"VPN drops\"", "title = \"VPN flaps\"");
    return 0;
  };
  auto r = d.h.run({"edit", d.id, "--json"});
  REQUIRE(r.code == 0);
  CHECK(d.h.json(r.out, "[d['action'], d['ticket']['title']]") == R"(["edit", "VPN flaps"])");
}

TEST_CASE("an unchanged edit commits nothing", "[cli][edit]") {
  EditDesk d;
  int n = commits(d.h);
  SECTION("the editor changes nothing") {
    d.h.edit = [](const std::string&) { return 0; };
  }
  SECTION("the editor only changes formatting and comments") {
    d.h.edit = [](const std::string& file) {
      replace_in(file, "title = \"VPN drops\"", "title   =   'VPN drops'   # reformatted");
      spit(file, "# my comment\n" + slurp(file));
      return 0;
    };
  }
  auto r = d.h.run({"edit", d.id});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err == "no changes to " + d.sid + "\n");
  CHECK(commits(d.h) == n);
  CHECK(d.h.sh("git status --porcelain") == "");
  CHECK_FALSE(std::filesystem::exists(d.draft));
}

TEST_CASE("an invalid edit is kept as a draft and resumed on the next run", "[cli][edit]") {
  EditDesk d;
  int n = commits(d.h);
  struct Broken {
    std::string name, find, replace, message;
  };
  // {id} and {draft} stand for this run's ticket id and draft path.
  auto c = GENERATE(values<Broken>({
      {"broken TOML", "title = \"VPN drops\"", "title = \"VPN drops every hour", "{draft}:4:"},
      {"a changed status", "status = \"new\"", "status = \"closed\"", "the status cannot be changed by editing"},
      {"an unknown priority", "priority = \"P3\"", "priority = \"P9\"", "unknown priority 'P9'"},
      {"a rewritten history", "action = \"create\"", "action = \"forged\"", "the history was changed; it is append-only"},
      {"a changed id", "id = \"{id}\"", "id = \"zzzzzzzzzz\"", "the id changed from '{id}' to 'zzzzzzzzzz'"},
  }));
  CAPTURE(c.name);
  for (std::string* field : {&c.find, &c.replace, &c.message}) {
    for (auto [key, value] : {std::pair<std::string, std::string>{"{id}", d.id}, {"{draft}", d.draft}})
      if (auto at = field->find(key); at != std::string::npos) field->replace(at, key.size(), value);
  }
  d.h.edit = [&](const std::string& file) {
    replace_in(file, c.find, c.replace);
    return 0;
  };
  auto r = d.h.run({"edit", d.id});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, StartsWith("desk: error: the edit of " + d.sid + " is not valid: "));
  CHECK_THAT(r.err, Contains(c.message));
  CHECK_THAT(r.err, Contains("\nhint: your edit is kept in " + d.draft + "; run `desk edit " + d.id + "` again to fix it"));
  CHECK(commits(d.h) == n);
  REQUIRE(std::filesystem::exists(d.draft));
  CHECK_THAT(slurp(d.draft), Contains(c.replace));
  CHECK(d.h.sh("git status --porcelain") == "");

  // The next run opens the draft, not a fresh copy; fixing it commits.
  std::string reopened;
  d.h.edit = [&](const std::string& file) {
    reopened = slurp(file);
    replace_in(file, c.replace, c.find);
    replace_in(file, "title = \"VPN drops\"", "title = \"VPN drops every hour\"");
    return 0;
  };
  auto again = d.h.run({"edit", d.id});
  CHECK_THAT(reopened, Contains(c.replace));
  CHECK(again.code == 0);
  CHECK_THAT(again.err, StartsWith("resuming your earlier edit of " + d.sid + " from " + d.draft + "\n"));
  CHECK(commits(d.h) == n + 1);
  CHECK(d.h.sh("git log -1 --format=%s") == "edit " + d.sid + " (title): VPN drops every hour\n");
  CHECK_FALSE(std::filesystem::exists(d.draft));
}

TEST_CASE("a draft of an older version of the ticket is not resumed", "[cli][edit]") {
  EditDesk d;
  d.h.edit = [&](const std::string& file) {
    replace_in(file, "title = \"VPN drops\"", "title = \"unterminated");
    return 0;
  };
  REQUIRE(d.h.run({"edit", d.id}).code == 1);
  REQUIRE(std::filesystem::exists(d.draft));
  REQUIRE(d.h.run({"comment", d.id, "-m", "meanwhile"}).code == 0);  // the ticket moves on
  std::string seen;
  d.h.edit = [&](const std::string& file) {
    seen = slurp(file);
    return 0;
  };
  auto r = d.h.run({"edit", d.id});
  CHECK(r.code == 0);
  CHECK_THAT(seen, Contains("meanwhile"));
  CHECK(seen.find("unterminated") == std::string::npos);
  CHECK(r.err.find("resuming") == std::string::npos);
}

TEST_CASE("edit refusals", "[cli][edit]") {
  EditDesk d;
  int n = commits(d.h);
  SECTION("no editor") {
    d.h.editor.reset();
    auto r = d.h.run({"edit", d.id});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, StartsWith("desk: error: no editor: set EDITOR (or VISUAL, or DESK_EDITOR)\n"));
  }
  SECTION("the editor fails") {
    d.h.edit = [](const std::string& file) {
      spit(file, "half-written");
      return 3;
    };
    auto r = d.h.run({"edit", d.id});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, StartsWith("desk: error: the editor exited with status 3\nhint: your edit is kept in " + d.draft));
    CHECK(slurp(d.draft) == "half-written");
  }
  SECTION("an unknown ticket") {
    auto r = d.h.run({"edit", "zzzz"});
    CHECK(r.code == 3);
    CHECK_THAT(r.err, StartsWith("desk: error: no ticket matches 'zzzz'"));
  }
  SECTION("uncommitted changes to the ticket file") {
    d.h.write(path_of(d.id), d.h.read(path_of(d.id)) + "# mine\n");
    bool ran = false;
    d.h.edit = [&](const std::string&) {
      ran = true;
      return 0;
    };
    auto r = d.h.run({"edit", d.id});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, StartsWith("desk: error: " + path_of(d.id) + " has uncommitted changes; desk will not overwrite them\n"));
    CHECK_FALSE(ran);
    CHECK_THAT(d.h.read(path_of(d.id)), Contains("# mine\n"));
  }
  SECTION("the ticket changes while the editor is open") {
    d.h.edit = [&](const std::string& file) {
      replace_in(file, "title = \"VPN drops\"", "title = \"VPN flaps\"");
      auto other = d.h.run({"comment", d.id, "-m", "meanwhile"});  // another desk command lands first
      return other.code;
    };
    auto r = d.h.run({"edit", d.id});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, StartsWith("desk: error: ticket " + d.sid + " changed while you were editing it\nhint: your edit is kept in " + d.draft));
    CHECK(commits(d.h) == n + 1);  // only the comment
    CHECK_THAT(slurp(d.draft), Contains("VPN flaps"));
    CHECK(d.h.sh("git status --porcelain") == "");
  }
}

TEST_CASE("an edit that only adds a key to a checklist step is committed, not dropped", "[cli][edit]") {
  // edited() compares only text and done of checklist steps, so this edit is "no changes": desk
  // prints "no changes to ID", exits 0 and deletes the draft -- the user's edit is lost.
  EditDesk d;
  REQUIRE(d.h.run({"new", "Cannot sign in", "-t", "password-reset"}).code == 0);
  std::string id = d.h.sh("git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)'").substr(0, 10);
  int n = commits(d.h);
  d.h.edit = [](const std::string& file) {
    replace_in(file, "done = false\n", "done = false\nowner = \"bo\"\n");
    return 0;
  };
  auto r = d.h.run({"edit", id});
  CHECK(r.code == 0);
  CHECK(commits(d.h) == n + 1);
  CHECK_THAT(d.h.read(path_of(id)), Contains("owner = \"bo\""));
}
