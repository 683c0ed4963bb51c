// desk mail receive: one message on standard input, or every new message of a Maildir.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/mail/inbox.hpp"
#include "core/mail/outbox.hpp"
#include "core/model/limits.hpp"
#include "core/store/index.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace fs = std::filesystem;

namespace {

struct Received {
  std::string outcome;  // new, reply, duplicate, ignored
  std::string ticket;
  std::string commit;
  std::string why;
};

const MailConfig& mail_config(Session& s) {
  const MailConfig& cfg = s.desk().config().mail;
  if (!cfg.enabled())
    throw Error(ErrorKind::usage, "mail is off for this desk: .desk/config.toml has no [mail] address",
                "add [mail] with address = \"help@example.com\" (the desk's own address) and commit it; see desk-mail(1)");
  return cfg;
}

Received receive_one(Session& s, std::string_view raw) {
  const MailConfig& cfg = mail_config(s);
  if (static_cast<int64_t>(raw.size()) > cfg.max_message_bytes)
    throw Error(ErrorKind::invalid,
                fmt::format("the message is over the desk's limit of {} bytes (max_message_bytes)", cfg.max_message_bytes),
                "raise [mail] max_message_bytes in .desk/config.toml to take it");
  mail::Inbound m = mail::parse_message(raw);
  if (std::string why = mail::refusal(m, cfg); !why.empty()) return {"ignored", "", "", why};
  Desk& d = s.desk();
  Timestamp now = s.now();
  Snapshot snap = d.head();
  std::unique_ptr<Index> holder;
  Index& idx = index_or_memory(d, snap, holder);
  if (auto where = idx.tickets_of_message(m.message_id); !where.empty())
    return {"duplicate", where.front(), "", fmt::format("message <{}> is already in ticket {}", m.message_id, where.front())};
  size_t recent = idx.messages_from(m.from.addr, now - std::chrono::hours(1));
  if (recent >= static_cast<size_t>(cfg.max_per_sender_per_hour))
    return {"ignored", "", "",
            fmt::format("{} messages from {} in the last hour (max_per_sender_per_hour {}): a mail loop?", recent, m.from.addr,
                        cfg.max_per_sender_per_hour)};
  auto exists = [&](const std::string& id) { return snap.read(ticket_path(id)).has_value(); };
  mail::Thread thread = mail::thread_of(m, [&](const std::string& mid) { return idx.tickets_of_message(mid); }, exists);

  Context ctx{now, mail::person_of(m.from), s.env().rng};
  auto [runner_author, committer] = s.identity();
  Identity author{m.from.name.empty() ? m.from.addr : m.from.name, m.from.addr};
  Received out;
  auto r = d.commit(author, committer, now, [&](const Snapshot& at) {
    auto taken = [&](const std::string& path_or_id) {
      return at.read(path_or_id.find('/') == std::string::npos ? ticket_path(path_or_id) : path_or_id).has_value();
    };
    std::optional<Change> c;
    mail::AttachmentPlan files;
    size_t first_new = 0;
    std::string follows, note_why;
    out = Received{};
    if (!thread.ticket.empty()) {
      Ticket t = at.ticket(thread.ticket);
      if (!mail::on_ticket(t, m.from.addr)) {
        note_why = fmt::format("{} points at ticket {} ({}), but {} is not on it: a new ticket", m.from.addr, short_id(t.id), thread.by,
                               m.from.addr);
      } else {
        first_new = t.history.size();
        files = mail::plan_attachments(m, t.id, cfg.max_attachment_bytes, taken);
        c = mail::take_reply(t, d.config(), ctx, m, files.note);
        if (c) {
          out.outcome = "reply";
          out.why = fmt::format("threaded by {}", thread.by);
        } else {
          follows = t.id;
          note_why = fmt::format("ticket {} is {}: a follow-up ticket", short_id(t.id), t.status);
        }
      }
    }
    if (!c) {
      first_new = 0;
      c = mail::take_new(d.config(), ctx, m, "", follows, taken);
      files = mail::plan_attachments(m, c->ticket.id, cfg.max_attachment_bytes, taken);
      if (!files.note.empty()) c->ticket.description = mail::fit_text(c->ticket.description + "\n\n" + files.note, max_text_bytes - 1);
      out.outcome = "new";
      out.why = note_why;
    }
    mail::queue_notices(c->ticket, first_new, cfg);
    out.ticket = c->ticket.id;
    Mutation mu = mutation_for(*c);
    mu.trailers.emplace_back("Desk-Message-Id", m.message_id);
    for (auto& [path, bytes] : files.files) mu.files.push_back({path, bytes});
    return mu;
  });
  out.commit = r.commit;
  for (const auto& w : r.warnings) s.err() << "desk: warning: " << strip_controls_line(w) << "\n";
  return out;
}

void print_received(Session& s, const Received& r, const std::string& name, bool json) {
  if (json) {
    JsonWriter w = s.json();
    w.begin_document();
    if (!name.empty()) w.key("file").value(name);
    w.key("outcome").value(r.outcome).key("ticket");
    if (r.ticket.empty() && w.format() >= 2) w.null(); else w.value(r.ticket);
    if (r.commit.empty()) w.key("commit").null(); else w.key("commit").value(r.commit);
    w.key("reason").value(r.why).end_object();
    s.out() << w.str();
    return;
  }
  std::string line = fmt::format("{}{} {}", name.empty() ? "" : name + ": ", r.outcome, r.ticket.empty() ? "-" : r.ticket);
  if (!r.why.empty()) line += " (" + strip_controls_line(r.why) + ")";
  s.out() << line << "\n";
}

// Moves a Maildir message to cur/ (flagged seen) or to failed/new/ (unread, for a person to look at).
void file_away(const fs::path& file, const fs::path& folder) {
  fs::create_directories(folder);
  fs::create_directories(folder.parent_path() / "tmp");  // a Maildir folder has all three
  fs::create_directories(folder.parent_path() / "cur");
  std::string name = file.filename().string();
  if (folder.filename() == "cur" && name.find(":2,") == std::string::npos) name += ":2,S";
  fs::rename(file, folder / name);
}

void receive_maildir(Session& s, const std::string& dir, bool json) {
  fs::path root = fs::path(s.work_dir()) / dir;
  if (!fs::is_directory(root / "new"))
    throw Error(ErrorKind::not_found, fmt::format("{} is not a Maildir: it has no new/ folder", dir),
                "point --maildir at the folder that holds cur/, new/ and tmp/");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(root / "new"))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::map<std::string, int> counts;
  int failed = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string name = f.filename().string();
    try {
      Received r = receive_one(s, buf.str());
      file_away(f, root / "cur");
      ++counts[r.outcome];
      print_received(s, r, name, json);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::invalid) throw;  // the desk or the disk: stop, leave it in new/
      file_away(f, root / "failed" / "new");
      ++failed;
      s.err() << fmt::format("desk: {}: {} (moved to {}/failed/new)\n", strip_controls_line(name), strip_controls_line(e.what()),
                             strip_controls_line(dir));
    }
  }
  std::vector<std::string> parts;
  for (const char* k : {"new", "reply", "duplicate", "ignored"})
    if (counts[k]) parts.push_back(fmt::format("{} {}", counts[k], k));
  if (failed) parts.push_back(fmt::format("{} failed", failed));
  s.status(fmt::format("{} message{}{}{}", files.size(), files.size() == 1 ? "" : "s", parts.empty() ? "" : ": ", join(parts, ", ")));
  if (failed)
    throw Error(ErrorKind::invalid, fmt::format("{} message{} could not be taken", failed, failed == 1 ? "" : "s"),
                fmt::format("they are in {}/failed/new; the reasons are above", dir));
}

void define_mail_receive(CLI::App& cmd, Session& s) {
  struct Options {
    std::string maildir;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("--maildir", o->maildir, "take every message in DIR/new, moving each to DIR/cur once it landed")->type_name("DIR");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    if (!o->maildir.empty()) return receive_maildir(s, o->maildir, o->json);
    // At most one byte past the limit is read: a larger message is refused, not held in memory.
    const MailConfig& cfg = mail_config(s);
    std::string raw(static_cast<size_t>(cfg.max_message_bytes) + 1, '\0');
    s.env().in->read(raw.data(), static_cast<std::streamsize>(raw.size()));
    raw.resize(static_cast<size_t>(s.env().in->gcount()));
    if (trim(raw).empty())
      throw Error(ErrorKind::usage, "no message on standard input", "pipe one message in: desk mail receive < message.eml");
    Received r = receive_one(s, raw);
    if (!r.commit.empty()) s.report(CommitResult{r.commit, {}, {}, {}}, fmt::format("mail {}: {}", short_id(r.ticket), r.outcome));
    else s.status(fmt::format("{}: {}", r.outcome, strip_controls_line(r.why)));
    print_received(s, r, "", o->json);
  });
}

}  // namespace

void define_mail(CLI::App& cmd, Session& s) {
  cmd.require_subcommand(1);
  define_mail_receive(*cmd.add_subcommand("receive", "take a message from standard input (or every new one of a Maildir)"), s);
  define_mail_send(*cmd.add_subcommand("send", "send the queued messages through sendmail and record them, in one commit"), s);
}

}  // namespace desk::cli
