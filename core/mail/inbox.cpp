#include "core/mail/inbox.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/model/id.hpp"
#include "core/model/limits.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk::mail {

namespace {

std::string size_text(size_t bytes) {
  if (bytes >= (size_t{1} << 20)) return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1 << 20));
  if (bytes >= 1024) return fmt::format("{} KB", (bytes + 512) / 1024);
  return fmt::format("{} bytes", bytes);
}

// A title from a subject: one line, controls shown, at most 200 characters.
std::string title_from(const std::string& subject) {
  std::string t = strip_controls_line(clean_subject(subject));
  if (trim(t).empty()) t = "(no subject)";
  if (char_count(t) > 200) t = truncate(t, 199);
  return trim(t);
}

std::string with_note(const std::string& text, const std::string& note) {
  if (note.empty()) return text;
  return text.empty() ? note : text + "\n\n" + note;
}

void add_watchers(Ticket& t, const Inbound& m, const MailConfig& cfg) {
  std::string requester = address_of(t.requester);
  std::set<std::string> have;
  for (const auto& w : t.watchers) have.insert(address_of(w));
  for (const auto* list : {&m.to, &m.cc})
    for (const auto& a : *list) {
      if (a.addr.empty() || a.addr == cfg.address || a.addr == requester || have.count(a.addr)) continue;
      t.watchers.push_back(person_of(a));
      have.insert(a.addr);
    }
}

std::optional<Timestamp> last_resolved(const Ticket& t) {
  std::optional<Timestamp> at;
  for (const auto& e : t.history)
    if (e.action == "resolve") at = e.at;
  return at;
}

}  // namespace

std::string refusal(const Inbound& m, const MailConfig& cfg) {
  if (m.kind != Kind::message) return fmt::format("{} ({})", kind_name(m.kind), m.kind_reason);
  if (!m.desk_ticket.empty()) return "sent by a desk (X-Desk-Ticket)";
  if (!cfg.address.empty() && m.from.addr == cfg.address) return fmt::format("from the desk's own address {}", cfg.address);
  return "";
}

Thread thread_of(const Inbound& m, const std::function<std::vector<std::string>(const std::string&)>& lookup,
                 const std::function<bool(const std::string&)>& exists) {
  auto find = [&](const std::string& mid) -> std::string {
    for (const auto& id : lookup(mid))
      if (exists(id)) return id;
    std::string id = ticket_of_message_id(mid);
    if (!id.empty() && exists(id)) return id;
    return "";
  };
  if (!m.in_reply_to.empty())
    if (auto id = find(m.in_reply_to); !id.empty()) return {id, "In-Reply-To"};
  for (auto it = m.references.rbegin(); it != m.references.rend(); ++it)
    if (auto id = find(*it); !id.empty()) return {id, "References"};
  if (auto id = subject_tag(m.subject); !id.empty() && exists(id)) return {id, "subject tag"};
  return {};
}

bool on_ticket(const Ticket& t, const std::string& addr) {
  if (addr.empty()) return false;
  if (address_of(t.requester) == addr) return true;
  return std::any_of(t.watchers.begin(), t.watchers.end(), [&](const std::string& w) { return address_of(w) == addr; });
}

AttachmentPlan plan_attachments(const Inbound& m, const std::string& ticket, int64_t max_bytes,
                                const std::function<bool(const std::string&)>& exists) {
  AttachmentPlan plan;
  std::vector<std::string> kept, refused;
  std::set<std::string> used;
  for (const auto& a : m.attachments) {
    std::string name = safe_file_name(a.name.empty() ? "attachment" : a.name);
    if (static_cast<int64_t>(a.data.size()) > max_bytes) {
      refused.push_back(fmt::format("{} ({}, over the limit of {})", strip_controls_line(name), size_text(a.data.size()),
                                    size_text(static_cast<size_t>(max_bytes))));
      continue;
    }
    std::string stem = name, ext;
    if (auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) {
      stem = name.substr(0, dot);
      ext = name.substr(dot);
    }
    std::string path = fmt::format("attachments/{}/{}", ticket, name);
    for (int n = 2; used.count(path) || exists(path); ++n) path = fmt::format("attachments/{}/{}-{}{}", ticket, stem, n, ext);
    used.insert(path);
    plan.files.emplace_back(path, a.data);
    kept.push_back(fmt::format("{} ({})", path, size_text(a.data.size())));
  }
  if (!kept.empty()) plan.note = "Attachments: " + join(kept, ", ");
  if (!refused.empty()) plan.note += (plan.note.empty() ? "" : "\n") + std::string("Attachments not kept: ") + join(refused, ", ");
  return plan;
}

std::string fit_text(std::string text, size_t limit) {
  if (text.size() <= limit) return text;
  constexpr std::string_view mark = "\n\n[cut: the message was longer than desk keeps]";
  size_t cut = limit - mark.size();
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  text.resize(cut);
  return text + std::string(mark);
}

std::optional<Change> take_reply(Ticket t, const Config& cfg, const Context& ctx, const Inbound& m, const std::string& attachment_note) {
  Split split = split_reply(m.body);
  std::string text = fit_text(with_note(split.reply, attachment_note), max_text_bytes - 1024);
  if (trim(text).empty()) text = "(the reply had no text of its own)";
  std::string quoted = fit_text(split.quoted, 64 * 1024);
  bool requester = address_of(t.requester) == m.from.addr;
  std::optional<int> rating = requester ? rating_in(split.reply) : std::nullopt;
  std::string who = m.from.addr;
  auto tag = [&](Change c, const std::string& what) {
    c.ticket.history.back().message_id = m.message_id;
    if (c.ticket.history.back().quoted.empty()) c.ticket.history.back().quoted = quoted;
    add_watchers(c.ticket, m, cfg.mail);
    c.subject = fmt::format("mail {}: {} from {}: {}", short_id(c.ticket.id), what, who, truncate(c.ticket.title, 50));
    return c;
  };
  if (t.status == "resolved" && rating) return tag(close(std::move(t), ctx, rating, text), fmt::format("rating {}/5", *rating));
  if (t.status == "closed" && rating && !t.csat) return tag(rate(std::move(t), ctx, *rating, text), fmt::format("rating {}/5", *rating));
  if (t.status == "closed") return std::nullopt;
  if (t.status == "resolved") {
    auto at = last_resolved(t);
    if (!at || ctx.now - *at > cfg.mail.reopen_within) return std::nullopt;
    Change reopened = reopen(std::move(t), ctx, fmt::format("{} replied by mail", who));
    Change c = customer_message(std::move(reopened.ticket), ctx, text, m.message_id, quoted);
    c.action = "reopen";
    return tag(std::move(c), "reopened by a reply");
  }
  if (t.status == "pending" && t.waiting_on == "customer" && requester) {
    Change resumed = resume(std::move(t), ctx, "");
    Change c = customer_message(std::move(resumed.ticket), ctx, text, m.message_id, quoted);
    c.action = "resume";
    return tag(std::move(c), "reply (resumed)");
  }
  return tag(customer_message(std::move(t), ctx, text, m.message_id, quoted), "reply");
}

Change take_new(const Config& cfg, const Context& ctx, const Inbound& m, const std::string& attachment_note, const std::string& follows,
                const std::function<bool(const std::string&)>& taken) {
  NewTicketArgs args;
  args.title = title_from(m.subject);
  std::string body = m.body;
  if (!follows.empty()) body = fmt::format("Follow-up to ticket {}.\n\n{}", follows, split_reply(m.body).reply);
  args.description = fit_text(with_note(trim(body), attachment_note), max_text_bytes - 1024);
  args.requester = person_of(m.from);
  Change c = create_ticket(cfg, ctx, args, nullptr, taken);
  c.ticket.history.front().message_id = m.message_id;
  add_watchers(c.ticket, m, cfg.mail);
  c.subject = fmt::format("mail {}: new from {}: {}", short_id(c.ticket.id), m.from.addr, truncate(c.ticket.title, 50));
  return c;
}

}  // namespace desk::mail
