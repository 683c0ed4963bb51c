// desk mail send: every queued message through the user's sendmail program, recorded in one commit.
// A message is recorded in .git/desk-mail-sent as soon as the program took it, so a desk killed
// before its commit records it next time instead of sending it again.
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <git2.h>

#include <fstream>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "core/mail/outbox.hpp"
#include "core/store/index.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

std::string git_dir(Desk& d) { return git_repository_path(d.repo()); }

// The program: DESK_SENDMAIL, else this clone's git config desk.sendmail (never a committed file).
std::string sendmail_program(Session& s) {
  if (s.env().sendmail) return *s.env().sendmail;
  git_config* cfg = nullptr;
  std::string out;
  if (git_repository_config_snapshot(&cfg, s.desk().repo()) == 0) {
    const char* v = nullptr;
    if (git_config_get_string(&v, cfg, "desk.sendmail") == 0 && v) out = v;
    git_config_free(cfg);
  }
  git_error_clear();
  if (trim(out).empty())
    throw Error(ErrorKind::usage, "no program to send mail with",
                "set DESK_SENDMAIL, or in this clone: git config desk.sendmail 'msmtp -a default' (any sendmail-compatible program)");
  return out;
}

// One desk mail send at a time: two would send the same messages.
class SendLock {
 public:
  explicit SendLock(std::string path) : path_(std::move(path)) {
    int fd = ::open(path_.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0)
      throw Error(ErrorKind::state, fmt::format("another desk mail send is running (or was killed): {} exists", path_),
                  "wait for it; if none is running, remove that file");
    std::string pid = std::to_string(::getpid()) + "\n";
    (void)!::write(fd, pid.data(), pid.size());
    ::close(fd);
  }
  ~SendLock() { ::unlink(path_.c_str()); }
  SendLock(const SendLock&) = delete;
  SendLock& operator=(const SendLock&) = delete;

 private:
  std::string path_;
};

std::set<std::string> read_sent_log(const std::string& path) {
  std::set<std::string> ids;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!trim(line).empty()) ids.insert(trim(line));
  return ids;
}

// Appends a Message-ID and makes it durable before the next message goes out.
void log_sent(const std::string& path, const std::string& id) {
  int fd = ::open(path.c_str(), O_CREAT | O_APPEND | O_WRONLY, 0644);
  if (fd < 0) throw Error(ErrorKind::io, fmt::format("cannot write {}", path), "check the permissions of the .git directory");
  std::string line = id + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw Error(ErrorKind::io, fmt::format("cannot write {}", path), "check the free space and permissions of .git");
}

std::vector<std::string> recipients(const mail::Outgoing& m) {
  std::vector<std::string> out;
  for (const auto* list : {&m.to, &m.cc})
    for (const auto& a : *list) out.push_back(a.addr);
  return out;
}

}  // namespace

void define_mail_send(CLI::App& cmd, Session& s) {
  struct Options {
    bool dry_run = false;
  };
  auto o = std::make_shared<Options>();
  add_dry_run_flag(cmd, o->dry_run, "print the queued messages instead of sending them");
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    const MailConfig& mcfg = d.config().mail;
    if (!mcfg.enabled())
      throw Error(ErrorKind::usage, "mail is off for this desk: .desk/config.toml has no [mail] address",
                  "add [mail] with address = \"help@example.com\" and commit it; see desk-mail(1)");
    Timestamp now = s.now();
    Snapshot snap = d.head();
    std::map<std::string, std::string> templates;
    for (const auto& kind : mail::template_kinds)
      if (auto text = snap.read(".desk/mail/" + kind + ".txt")) templates[kind] = *text;
    std::unique_ptr<Index> holder;
    std::vector<mail::Pending> queue;
    for (const auto& id : index_or_memory(d, snap, holder).with_outbox()) {
      auto p = mail::pending_messages(snap.ticket(id), d.config(), templates, now);
      queue.insert(queue.end(), std::make_move_iterator(p.begin()), std::make_move_iterator(p.end()));
    }
    if (o->dry_run) {
      for (const auto& p : queue) {
        s.out() << fmt::format("# {} {} for entry {}: to {}\n", p.ticket, p.kind, p.entry, join(recipients(p.message), ", "));
        s.out() << strip_controls(mail::compose(p.message)) << "\n";
      }
      s.status(fmt::format("{} message{} queued", queue.size(), queue.size() == 1 ? "" : "s"));
      return;
    }
    if (queue.empty()) {
      s.status("no messages queued");
      return;
    }
    std::string program = sendmail_program(s);
    SendLock lock(git_dir(d) + "desk-mail.lock");
    std::string log_path = git_dir(d) + "desk-mail-sent";
    std::set<std::string> logged = read_sent_log(log_path);
    std::vector<mail::Pending> sent;
    std::optional<Error> failure;
    for (auto& p : queue) {
      if (!logged.count(p.message.message_id)) {  // not taken by the program before a crash: send it
        auto r = s.env().run_shell(program, [&] {
          std::vector<std::string> args = {"-i", "-f", mcfg.address, "--"};
          for (const auto& a : recipients(p.message)) args.push_back(a);
          return args;
        }(), mail::compose(p.message), std::chrono::seconds(120));
        if (r.code != 0) {
          failure = Error(ErrorKind::io,
                          fmt::format("the mail program failed (exit {}) sending {} for ticket {}: {}", r.code, p.kind, short_id(p.ticket),
                                      strip_controls_line(trim(r.err.empty() ? r.out : r.err))),
                          "the messages not sent stay queued; fix the program (DESK_SENDMAIL or git config desk.sendmail) and run desk mail send again");
          break;
        }
        log_sent(log_path, p.message.message_id);
      }
      s.out() << fmt::format("{} {} {} <{}>\n", p.ticket, p.kind, join(recipients(p.message), ","), p.message.message_id);
      sent.push_back(std::move(p));
    }
    if (!sent.empty()) {
      Context ctx = s.context();
      std::vector<std::string> tickets;
      for (const auto& p : sent)
        if (std::find(tickets.begin(), tickets.end(), p.ticket) == tickets.end()) tickets.push_back(p.ticket);
      std::string subject = fmt::format("mail: sent {} message{} for {} ticket{}", sent.size(), sent.size() == 1 ? "" : "s",
                                        tickets.size(), tickets.size() == 1 ? "" : "s");
      auto [author, committer] = s.identity();
      auto r = d.commit(author, committer, now, [&](const Snapshot& at) {
        Mutation m;
        m.subject = subject;
        m.trailers.emplace_back("Desk-Action", "mailed");
        for (const auto& id : tickets) {
          Change c;
          try {
            c = mail::record_sent(at.ticket(id), ctx, sent);
          } catch (const Error& e) {
            if (e.kind() == ErrorKind::usage) continue;  // recorded by another writer meanwhile
            throw;
          }
          m.body += c.subject + "\n";
          m.files.push_back(mutation_for(c).files.front());
          m.trailers.emplace_back("Desk-Ticket", id);
        }
        return m;
      });
      s.report(r, subject);
      // Recorded: the log need not remember them any more.
      std::set<std::string> done;
      for (const auto& p : sent) done.insert(p.message.message_id);
      std::set<std::string> keep;
      for (const auto& id : read_sent_log(log_path))
        if (!done.count(id)) keep.insert(id);
      if (keep.empty()) {
        ::unlink(log_path.c_str());
      } else {
        std::ofstream outf(log_path, std::ios::trunc);
        for (const auto& id : keep) outf << id << "\n";
      }
    }
    if (failure) throw *failure;
  });
}

}  // namespace desk::cli
