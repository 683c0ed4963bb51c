#include "core/mail/outbox.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/model/id.hpp"
#include "core/model/limits.hpp"
#include "core/util/error.hpp"
#include "core/util/person.hpp"
#include "core/util/text.hpp"

namespace desk::mail {

namespace {

constexpr std::string_view ack_template = R"(Subject: {subject}

Hello {requester_name},

we have your request and filed it as ticket {id}:

    {title}

Reply to this message to add to it, and keep [desk {id}] in the subject.

{desk}
)";

constexpr std::string_view reply_template = R"(Subject: Re: {subject}

{text}

--
{agent}, {desk}
Ticket {id}: {title} ({status})
)";

constexpr std::string_view wait_template = R"(Subject: Re: {subject}: waiting for your reply

{text}

Ticket {id} is on hold until you reply to this message.

--
{agent}, {desk}
)";

constexpr std::string_view resolve_template = R"(Subject: Resolved: {subject}

Hello {requester_name},

ticket {id} ({title}) is resolved:

{text}

If it is not fixed, reply to this message within {reopen_within} and we will reopen it.
{survey}
{desk}
)";

constexpr std::string_view close_template = R"(Subject: Closed: {subject}

Hello {requester_name},

ticket {id} ({title}) is closed.{text_paragraph}
{survey}
{desk}
)";

Address address(const std::string& person) {
  Address a;
  a.addr = address_of(person);
  std::string n = person_name(person);
  if (n != person) a.name = n;
  return a;
}

}  // namespace

std::string notice_kind(const Ticket& t, const HistoryEntry& e) {
  if (!t.requester.empty() && address_of(e.by) == address_of(t.requester) && e.action != "create") return "";
  if (e.action == "create") return e.message_id.empty() ? "" : "ack";  // only a ticket that came by mail is acknowledged
  if (e.action == "comment") return e.internal || !e.message_id.empty() ? "" : "reply";
  if (e.action == "wait") return e.on == "customer" ? "wait" : "";
  if (e.action == "resolve") return "resolve";
  if (e.action == "close") return "close";
  return "";
}

size_t queue_notices(Ticket& t, size_t first_new, const MailConfig& cfg) {
  if (!cfg.enabled() || address_of(t.requester).empty() || address_of(t.requester) == cfg.address) return 0;
  size_t n = 0;
  for (size_t i = first_new; i < t.history.size(); ++i) {
    auto& e = t.history[i];
    if (notice_kind(t, e).empty()) continue;
    e.notify = true;
    ++n;
  }
  return n;
}

std::string_view builtin_template(std::string_view kind) {
  if (kind == "ack") return ack_template;
  if (kind == "reply") return reply_template;
  if (kind == "wait") return wait_template;
  if (kind == "resolve") return resolve_template;
  if (kind == "close") return close_template;
  return "";
}

std::string fill(std::string_view text, const std::map<std::string, std::string>& vars) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      out += '{';
      i += 2;
      continue;
    }
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      if (close != std::string_view::npos && close - i <= 40) {
        auto it = vars.find(std::string(text.substr(i + 1, close - i - 1)));
        if (it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::vector<std::string> thread_ids(const Ticket& t) {
  std::vector<std::string> out;
  for (const auto& e : t.history)
    if (!e.message_id.empty() && std::find(out.begin(), out.end(), e.message_id) == out.end()) out.push_back(e.message_id);
  return out;
}

size_t pending_count(const Ticket& t) {
  std::set<std::string> sent;
  for (const auto& e : t.history)
    if (e.action == "mailed") sent.insert(e.to);
  size_t n = 0;
  for (const auto& e : t.history)
    if (e.notify && !sent.count(e.id)) ++n;
  return n;
}

std::vector<Pending> pending_messages(const Ticket& t, const Config& cfg, const std::map<std::string, std::string>& templates,
                                      Timestamp now) {
  std::vector<Pending> out;
  if (!cfg.mail.enabled()) return out;
  std::set<std::string> sent;
  for (const auto& e : t.history)
    if (e.action == "mailed") sent.insert(e.to);
  std::string to_addr = address_of(t.requester);
  if (to_addr.empty()) return out;
  std::vector<std::string> thread = thread_ids(t);
  std::string subject = fmt::format("[desk {}] {}", t.id, t.title);
  for (const auto& e : t.history) {
    if (!e.notify || sent.count(e.id)) continue;
    Pending p;
    p.ticket = t.id;
    p.entry = e.id;
    p.kind = notice_kind(t, e);
    if (p.kind.empty()) p.kind = "reply";
    auto it = templates.find(p.kind);
    std::string tpl = it != templates.end() ? it->second : std::string(builtin_template(p.kind));
    std::string text = e.action == "resolve" && e.text.empty() ? t.resolution : e.text;
    std::map<std::string, std::string> vars = {
        {"id", t.id},
        {"title", t.title},
        {"subject", subject},
        {"status", t.status},
        {"priority", t.priority},
        {"requester", t.requester},
        {"requester_name", person_first_name(t.requester).empty() ? "there" : person_first_name(t.requester)},
        {"agent", person_name(e.by)},
        {"assignee", t.assignee},
        {"desk", cfg.mail.name.empty() ? cfg.name : cfg.mail.name},
        {"text", text},
        {"text_paragraph", text.empty() ? "" : "\n\n" + text},
        {"resolution", t.resolution},
        {"reopen_within", format_duration(cfg.mail.reopen_within)},
        // The survey, while the ticket has no rating: a reply that starts with the digit is one.
        {"survey", t.csat ? "" : "\nHow did we do? Reply with a number from 1 (poor) to 5 (excellent).\n"},
    };
    std::string filled = fill(tpl, vars);
    // "Subject: ..." on the first line, the body after the blank line that follows.
    size_t nl = filled.find('\n');
    std::string first = filled.substr(0, nl);
    if (lower(first.substr(0, 8)) != "subject:")
      throw Error(ErrorKind::invalid, fmt::format("the mail template for '{}' does not start with a Subject: line", p.kind),
                  fmt::format("start .desk/mail/{}.txt with a line such as: Subject: Re: {{subject}}", p.kind));
    std::string body = nl == std::string::npos ? "" : filled.substr(nl + 1);
    if (!body.empty() && body.front() == '\n') body.erase(0, 1);
    Outgoing& m = p.message;
    m.from = Address{cfg.mail.name.empty() ? cfg.name : cfg.mail.name, cfg.mail.address};
    m.reply_to = cfg.mail.reply_to;
    m.to.push_back(address(t.requester));
    for (const auto& w : t.watchers) {
      Address a = address(w);
      if (a.addr.empty() || a.addr == to_addr || a.addr == cfg.mail.address) continue;
      if (std::any_of(m.cc.begin(), m.cc.end(), [&](const Address& c) { return c.addr == a.addr; })) continue;
      m.cc.push_back(a);
    }
    m.subject = trim(first.substr(8));
    m.message_id = message_id_for(t.id, e.id, cfg.mail.address);
    // Threading: a reply to the newest message of the ticket before this entry.
    std::vector<std::string> before;
    for (const auto& x : t.history) {  // up to this entry: an acknowledgement answers the message that opened the ticket
      if (!x.message_id.empty() && std::find(before.begin(), before.end(), x.message_id) == before.end()) before.push_back(x.message_id);
      if (x.id == e.id) break;
    }
    if (!before.empty()) {
      m.in_reply_to = before.back();
      size_t from = before.size() > 20 ? before.size() - 20 : 0;
      m.references.assign(before.begin() + static_cast<std::ptrdiff_t>(from), before.end());
    }
    m.date = now;
    m.body = body;
    // Generated notices are marked (RFC 3834), so that auto-responders do not answer them; a
    // reply or a request for information is a person's message.
    m.auto_submitted = p.kind == "ack" || p.kind == "resolve" || p.kind == "close";
    m.ticket = t.id;
    out.push_back(std::move(p));
  }
  return out;
}

Change record_sent(Ticket t, const Context& ctx, const std::vector<Pending>& sent) {
  std::set<std::string> done;
  for (const auto& e : t.history)
    if (e.action == "mailed") done.insert(e.to);
  size_t added = 0;
  for (const auto& p : sent) {
    if (p.ticket != t.id || done.count(p.entry)) continue;
    check_history_room(t.id, t.history.size(), "mailed");
    HistoryEntry e;
    e.id = make_id(ctx.rng, entry_id_length);
    e.at = ctx.now;
    e.by = ctx.actor;
    e.action = "mailed";
    e.to = p.entry;
    e.message_id = p.message.message_id;
    std::vector<std::string> to;
    for (const auto& a : p.message.to) to.push_back(a.addr);
    std::string text = fmt::format("{} to {}", p.kind, join(to, ", "));
    if (!p.message.cc.empty()) {
      std::vector<std::string> cc;
      for (const auto& a : p.message.cc) cc.push_back(a.addr);
      text += fmt::format(", cc {}", join(cc, ", "));
    }
    e.text = text;
    t.history.push_back(std::move(e));
    done.insert(p.entry);
    ++added;
  }
  if (!added) throw Error(ErrorKind::usage, fmt::format("nothing to record for ticket {}", short_id(t.id)));
  std::string subject = fmt::format("mailed {} message{} for {}: {}", added, added == 1 ? "" : "s", short_id(t.id), truncate(t.title, 60));
  return Change{std::move(t), "mailed", std::move(subject), ""};
}

}  // namespace desk::mail
