// desk mail in-process: what gets queued by which command, what mail send hands the program and
// records, and the program's failures.
#include "catch.hpp"
#include "harness.hpp"

using Catch::Matchers::Contains;
using desk::test::Harness;

namespace {

// A desk with mail on and a ticket of Ana's; returns its id.
std::string mail_desk(Harness& h) {
  h.init();
  h.write(".desk/config.toml", h.read(".desk/config.toml") + "\n[mail]\naddress = \"help@example.com\"\nname = \"Help\"\n");
  h.sh("git -c user.name=H -c user.email=h@example.com commit -qam 'mail on'");
  return h.new_ticket("Printer jams", {"--requester", "Ana Souza <ana@example.org>"});
}

}  // namespace

TEST_CASE("public replies, customer waits, resolve and close are queued, notes and the rest are not") {
  Harness h;
  std::string id = mail_desk(h);
  h.sendmail = "fake-sendmail";
  REQUIRE(h.run({"comment", id, "-i", "-m", "note"}).code == 0);
  REQUIRE(h.run({"assign", id, "bo"}).code == 0);
  REQUIRE(h.run({"wait", id, "--on", "vendor", "-m", "asked HP"}).code == 0);
  REQUIRE(h.run({"resume", id}).code == 0);
  auto r = h.run({"mail", "send", "--dry-run"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Contains("0 messages queued"));
  REQUIRE(h.run({"comment", id, "-m", "Which tray?"}).code == 0);
  REQUIRE(h.run({"wait", id, "--on", "customer", "-m", "Please send the model."}).code == 0);
  REQUIRE(h.run({"resume", id}).code == 0);
  REQUIRE(h.run({"resolve", id, "-m", "New roller."}).code == 0);
  REQUIRE(h.run({"close", id}).code == 0);
  r = h.run({"mail", "send", "--dry-run"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Contains("4 messages queued"));
  CHECK(h.shell_calls.empty());
  CHECK_THAT(h.read("tickets/" + id.substr(0, 2) + "/" + id + ".toml"), Contains("notify = true"));
  // Sent: the program gets each message with the recipients, and one commit records all four.
  std::string head = h.sh("git rev-parse HEAD");
  r = h.run({"mail", "send"});
  REQUIRE(r.code == 0);
  REQUIRE(h.shell_calls.size() == 4);
  CHECK(h.shell_calls[0].command == "fake-sendmail");
  CHECK(h.shell_calls[0].args == std::vector<std::string>{"-i", "-f", "help@example.com", "--", "ana@example.org"});
  CHECK_THAT(h.shell_calls[0].input, Contains("Subject: Re: [desk " + id + "] Printer jams"));
  CHECK_THAT(h.shell_calls[0].input, Contains("Which tray?"));
  CHECK_THAT(h.shell_calls[2].input, Contains("Subject: Resolved: [desk " + id + "]"));
  CHECK_THAT(h.shell_calls[0].input, !Contains("note"));
  CHECK(h.sh("git rev-list --count " + head.substr(0, 40) + "..HEAD") == "1\n");
  CHECK(h.sh("git show HEAD:tickets/" + id.substr(0, 2) + "/" + id + ".toml | grep -c 'action = \"mailed\"'") == "4\n");
  // Sent is sent.
  r = h.run({"mail", "send"});
  CHECK(r.code == 0);
  CHECK(h.shell_calls.size() == 4);
}

TEST_CASE("a program that fails: the messages before it are recorded, the rest stay queued") {
  Harness h;
  std::string id = mail_desk(h);
  REQUIRE(h.run({"comment", id, "-m", "one"}).code == 0);
  REQUIRE(h.run({"comment", id, "-m", "two"}).code == 0);
  h.sendmail = "fake";
  h.shell = [](const Harness::ShellCall& c) { return c.input.find("two") != std::string::npos ? 75 : 0; };
  auto r = h.run({"mail", "send"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("the mail program failed (exit 75)"));
  CHECK_THAT(r.err, Contains("fake sendmail refused"));
  r = h.run({"mail", "send", "--dry-run"});
  CHECK_THAT(r.err, Contains("1 message queued"));
  CHECK_THAT(r.out, Contains("two"));
  CHECK_THAT(r.out, !Contains("\none\n"));
}

TEST_CASE("without a program or with mail off, mail send says what to set and changes nothing") {
  Harness h;
  h.init();
  auto r = h.run({"mail", "send"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("mail is off for this desk"));
  Harness h2;
  std::string id = mail_desk(h2);
  REQUIRE(h2.run({"comment", id, "-m", "hi"}).code == 0);
  std::string head = h2.sh("git rev-parse HEAD");
  r = h2.run({"mail", "send"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("no program to send mail with"));
  CHECK(h2.sh("git rev-parse HEAD") == head);
  // The clone's git config names it.
  h2.sh("git config desk.sendmail 'from-git-config'");
  r = h2.run({"mail", "send"});
  CHECK(r.code == 0);
  REQUIRE(h2.shell_calls.size() == 1);
  CHECK(h2.shell_calls[0].command == "from-git-config");
}
