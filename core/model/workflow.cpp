#include "core/model/workflow.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/util/error.hpp"
#include "core/model/kb.hpp"
#include "core/model/limits.hpp"
#include "core/sla/sla.hpp"
#include "core/util/text.hpp"

namespace desk {

std::string short_id(const std::string& id) { return id.substr(0, 6); }

void validate_title(const std::string& title) {
  std::string t = trim(title);
  if (t.empty()) throw Error(ErrorKind::invalid, "the title is empty", "give it a short title, such as \"VPN drops every hour\"");
  if (title.find('\n') != std::string::npos)
    throw Error(ErrorKind::invalid, "the title has a line break", "put details in the description with -m or -F");
  if (has_controls(title, false))
    throw Error(ErrorKind::invalid, "the title contains control characters", "use plain text for the title");
  if (char_count(title) > 200) throw Error(ErrorKind::invalid, "the title is longer than 200 characters", "put details in the description");
}

namespace {
void require_utf8(const std::string& text, const std::string& what) {
  if (!is_valid_utf8(text))
    throw Error(ErrorKind::invalid, fmt::format("{} is not valid UTF-8", what),
                "convert it first, for example: iconv -f latin1 -t utf-8 FILE");
}
}  // namespace

std::string require_text(const std::string& text, const std::string& what, const std::string& hint) {
  check_text_size(text, what);
  require_utf8(text, what);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  out = trim(out);
  if (out.empty()) throw Error(ErrorKind::usage, fmt::format("{} is required", what), hint);
  return out;
}

namespace {

std::string normalize(const std::string& text) {
  check_text_size(text, "the text");
  require_utf8(text, "the text");
  if (trim(text).empty()) return {};
  return require_text(text, "text", "");
}


HistoryEntry entry(const Context& ctx, const std::string& action) {
  HistoryEntry e;
  e.id = make_id(ctx.rng, entry_id_length);
  e.at = ctx.now;
  e.by = ctx.actor;
  e.action = action;
  return e;
}

// Records the entry, moves a new ticket to open when an agent acts on it, stamps updated. A
// ticket with max_history_entries takes no more, but can still be resolved and closed.
Change finish(Ticket t, HistoryEntry e, const Context& ctx, bool opens, std::string subject, std::string body = {}) {
  if (e.action != "resolve" && e.action != "close") check_history_room(t.id, t.history.size(), e.action);
  if (opens && t.status == "new") {
    t.status = "open";
    if (e.status.empty()) e.status = "open";
  }
  t.updated = ctx.now;
  std::string action = e.action;
  t.history.push_back(std::move(e));
  return Change{std::move(t), std::move(action), std::move(subject), std::move(body)};
}

void require_active(const Ticket& t, const std::string& verb) {
  if (is_active_status(t.status)) return;
  throw Error(ErrorKind::state, fmt::format("cannot {} ticket {}: it is {}", verb, short_id(t.id), t.status),
              fmt::format("reopen it first: desk reopen {} -m REASON", short_id(t.id)));
}

std::string subject_for(const std::string& head, const Ticket& t) {
  return fmt::format("{}: {}", head, truncate(t.title, 72));
}

// Who holds a ticket moved into tier `to` when the command names nobody: the tier's owner, the
// current assignee where the tier keeps it, else nobody.
std::string holder_in(const Tier& to, const std::string& current) {
  if (!to.owner.empty()) return to.owner;
  return to.keep_assignee ? current : std::string();
}

void validate_name(const std::string& value, const std::string& what) {
  if (!is_valid_name(value))
    throw Error(ErrorKind::invalid, fmt::format("invalid {} '{}'", what, strip_controls(value)),
                fmt::format("a {} is plain text on one line, without control characters", what));
}

void add_tags(std::vector<std::string>& tags, const std::vector<std::string>& add) {
  for (const auto& tag : add) {
    validate_name(tag, "tag");
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
}

}  // namespace

Change create_ticket(const Config& cfg, const Context& ctx, const NewTicketArgs& args, const Template* tmpl,
                     const std::function<bool(const std::string&)>& taken) {
  validate_title(args.title);
  Ticket t;
  do {
    t.id = make_id(ctx.rng, ticket_id_length);
  } while (taken(t.id));
  t.title = trim(args.title);
  t.status = "new";
  auto pick = [](const std::optional<std::string>& arg, const std::string& from_tmpl, const std::string& fallback) {
    if (arg) return *arg;
    if (!from_tmpl.empty()) return from_tmpl;
    return fallback;
  };
  t.tier = pick(args.tier, tmpl ? tmpl->tier : "", cfg.default_tier);
  t.impact = pick(args.impact, tmpl ? tmpl->impact : "", "");
  t.urgency = pick(args.urgency, tmpl ? tmpl->urgency : "", "");
  std::string derived;
  if (!args.priority && !t.impact.empty() && !t.urgency.empty())
    derived = cfg.derive_priority(t.impact, t.urgency).value_or("");
  t.priority = pick(args.priority, derived.empty() ? (tmpl ? tmpl->priority : "") : derived, cfg.default_priority);
  t.type = pick(args.type, tmpl ? tmpl->type : "", cfg.default_type);
  t.category = pick(args.category, tmpl ? tmpl->category : "", "");
  t.requester = pick(args.requester, "", ctx.actor);
  cfg.require_tier(t.tier);
  // Named: one of the team (when there is one); else the tier's owner, if it has one.
  if (!args.assignee) {
    t.assignee = cfg.tiers[*cfg.tier_index(t.tier)].owner;
  } else if (!args.assignee->empty()) {
    validate_name(*args.assignee, "assignee");
    t.assignee = resolve_assignee(cfg, *args.assignee);
  }
  if (!cfg.tiers[*cfg.tier_index(t.tier)].accepts_tickets)
    throw Error(ErrorKind::invalid, fmt::format("tier {} does not take tickets", t.tier),
                fmt::format("file it at {} or above", cfg.lowest_ticket_tier().name));
  if (cfg.tiers[*cfg.tier_index(t.tier)].vendor)
    throw Error(ErrorKind::invalid, fmt::format("a ticket cannot start at vendor tier {}", t.tier),
                "file it lower and escalate with --vendor and --case");
  cfg.require_priority(t.priority);
  if (!t.type.empty()) cfg.require_type(t.type);
  if (!t.impact.empty()) cfg.require_impact(t.impact);
  if (!t.urgency.empty()) cfg.require_urgency(t.urgency);
  if (!t.assignee.empty()) validate_name(t.assignee, "assignee");
  validate_name(t.requester, "requester");
  if (tmpl) {
    t.template_name = tmpl->name;
    add_tags(t.tags, tmpl->tags);
    for (size_t i = 0; i < tmpl->checklist.size(); ++i)
      t.checklist.push_back({tmpl->checklist[i], false, i < tmpl->required.size() && tmpl->required[i], {}});
  }
  add_tags(t.tags, args.tags);
  std::string desc = normalize(args.description);
  std::string pre = tmpl ? trim(tmpl->description) : "";
  t.description = pre.empty() ? desc : (desc.empty() ? pre : pre + "\n\n" + desc);
  t.created = ctx.now;
  t.updated = ctx.now;
  t.sla = policy_for(cfg, t.priority);
  HistoryEntry e = entry(ctx, "create");
  e.status = "new";
  e.to = t.tier;
  t.history.push_back(std::move(e));
  std::string subject = fmt::format("new {}: {}", short_id(t.id), truncate(t.title, 72));
  return Change{std::move(t), "create", std::move(subject), {}};
}

Change triage(Ticket t, const Config& cfg, const Context& ctx, const TriageArgs& args) {
  require_active(t, "triage");
  HistoryEntry e = entry(ctx, "triage");
  auto set = [&](const std::string& field, std::string& slot, const std::string& value) {
    if (slot == value) return;
    e.changes.push_back({field, slot, value});
    slot = value;
  };
  if (args.title) validate_title(*args.title);
  if (args.impact) cfg.require_impact(*args.impact);
  if (args.urgency) cfg.require_urgency(*args.urgency);
  if (args.priority) cfg.require_priority(*args.priority);
  if (args.type) cfg.require_type(*args.type);
  if (args.category && !args.category->empty()) validate_name(*args.category, "category");
  if (args.title) set("title", t.title, trim(*args.title));
  if (args.impact) set("impact", t.impact, *args.impact);
  if (args.urgency) set("urgency", t.urgency, *args.urgency);
  if (args.priority) {
    set("priority", t.priority, *args.priority);
  } else if ((args.impact || args.urgency) && !t.impact.empty() && !t.urgency.empty()) {
    if (auto p = cfg.derive_priority(t.impact, t.urgency)) set("priority", t.priority, *p);
  }
  if (args.type) set("type", t.type, *args.type);
  if (args.category) set("category", t.category, *args.category);
  std::vector<std::string> tags = t.tags;
  add_tags(tags, args.add_tags);
  for (const auto& r : args.remove_tags) tags.erase(std::remove(tags.begin(), tags.end(), r), tags.end());
  if (tags != t.tags) {
    e.changes.push_back({"tags", join(t.tags, ","), join(tags, ",")});
    t.tags = tags;
  }
  // A new priority re-targets the clocks from the ticket's start under the current policy.
  if (!t.sla || t.sla->priority != t.priority) t.sla = policy_for(cfg, t.priority);
  bool opens = t.status == "new";
  if (e.changes.empty() && !opens)
    throw Error(ErrorKind::usage, fmt::format("triage would change nothing on ticket {}", short_id(t.id)),
                "pass --title, --priority, --impact, --urgency, --type, --category, --tag or --untag with a new value");
  std::vector<std::string> parts;
  for (const auto& c : e.changes)
    if (c.field == "title")
      parts.push_back("new title");  // the subject ends with it
    else
      parts.push_back(c.from.empty() ? fmt::format("{} {}", c.field, c.to) : fmt::format("{} {} -> {}", c.field, c.from, c.to));
  std::string head = fmt::format("triage {}", short_id(t.id));
  if (!parts.empty()) head += " (" + join(parts, ", ") + ")";
  std::string subject = subject_for(head, t);
  return finish(std::move(t), std::move(e), ctx, true, std::move(subject));
}

Change assign(Ticket t, const Context& ctx, const std::string& user) {
  require_active(t, "assign");
  if (!user.empty()) validate_name(user, "assignee");
  if (t.assignee == user)
    throw Error(ErrorKind::state,
                user.empty() ? fmt::format("ticket {} is not assigned", short_id(t.id))
                             : fmt::format("ticket {} is already assigned to {}", short_id(t.id), user));
  HistoryEntry e = entry(ctx, "assign");
  e.from = t.assignee;
  e.to = user;
  t.assignee = user;
  std::string head = user.empty() ? fmt::format("unassign {}", short_id(t.id)) : fmt::format("assign {} to {}", short_id(t.id), user);
  std::string subject = subject_for(head, t);
  return finish(std::move(t), std::move(e), ctx, true, std::move(subject));
}

Change comment(Ticket t, const Context& ctx, const std::string& text, bool internal) {
  std::string body = require_text(text, internal ? "the note text" : "the comment text", "pass it with -m TEXT or -F FILE");
  HistoryEntry e = entry(ctx, "comment");
  e.internal = internal;
  e.text = body;
  std::string subject = subject_for(fmt::format("{} {}", internal ? "note" : "comment", short_id(t.id)), t);
  // A public reply on a new ticket is the first response: the ticket is now being worked.
  return finish(std::move(t), std::move(e), ctx, !internal, std::move(subject), body);
}

void require_required_steps(const Ticket& t, const std::string& verb) {
  std::vector<std::string> open;
  std::vector<std::string> numbers;
  for (size_t i = 0; i < t.checklist.size(); ++i)
    if (t.checklist[i].required && !t.checklist[i].done) {
      open.push_back(fmt::format("{}. {}", i + 1, strip_controls_line(t.checklist[i].text)));
      numbers.push_back(std::to_string(i + 1));
    }
  if (open.empty()) return;
  throw Error(ErrorKind::state,
              fmt::format("cannot {} ticket {}: {} required checklist step{} not done: {}", verb, short_id(t.id), open.size(),
                          open.size() == 1 ? " is" : "s are", join(open, "; ")),
              fmt::format("tick {} off with: desk check {} {}; or {} it anyway with --force", open.size() == 1 ? "it" : "them",
                          short_id(t.id), join(numbers, " "), verb));
}

Change customer_message(Ticket t, const Context& ctx, const std::string& text, const std::string& message_id,
                        const std::string& quoted) {
  std::string body = require_text(text, "the message text", "");
  HistoryEntry e = entry(ctx, "comment");
  e.text = body;
  e.message_id = message_id;
  e.quoted = quoted;
  std::string subject = subject_for(fmt::format("mail {}", short_id(t.id)), t);
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject), body);
}

Change rate(Ticket t, const Context& ctx, int csat, const std::string& text) {
  if (csat < 1 || csat > 5) throw Error(ErrorKind::usage, fmt::format("a rating is between 1 and 5, not {}", csat));
  if (t.status != "closed") throw Error(ErrorKind::state, fmt::format("ticket {} is {}, not closed", short_id(t.id), t.status));
  if (t.csat) throw Error(ErrorKind::state, fmt::format("ticket {} already has a rating ({})", short_id(t.id), *t.csat));
  HistoryEntry e = entry(ctx, "rate");
  e.csat = csat;
  e.text = trim(text);
  t.csat = csat;
  std::string subject = subject_for(fmt::format("rate {} {}/5", short_id(t.id), csat), t);
  std::string body = e.text;
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject), body);
}

Change escalate(Ticket t, const Config& cfg, const Context& ctx, const EscalateArgs& args) {
  require_active(t, "escalate");
  std::string note = require_text(args.note, "a hand-off note",
                                  "say what was tried and why it goes up: desk escalate ID -m \"...\"");
  auto cur = cfg.tier_index(t.tier);
  if (!cur) throw Error(ErrorKind::invalid, fmt::format("ticket {} is at unknown tier '{}'", short_id(t.id), t.tier), "fix the tier with `desk edit`");
  size_t target;
  if (args.to) {
    cfg.require_tier(*args.to);
    target = *cfg.tier_index(*args.to);
    if (target <= *cur)
      throw Error(ErrorKind::state, fmt::format("cannot escalate ticket {} from {} to {}: {} is not above {}", short_id(t.id), t.tier, *args.to, *args.to, t.tier),
                  target < *cur ? fmt::format("to move it down use: desk deescalate {} --to {} -m NOTE", short_id(t.id), *args.to) : "");
  } else {
    if (*cur + 1 >= cfg.tiers.size())
      throw Error(ErrorKind::state, fmt::format("ticket {} is already at the top tier {}", short_id(t.id), t.tier),
                  "there is no tier above it");
    target = *cur + 1;
  }
  const Tier& to = cfg.tiers[target];
  HistoryEntry e = entry(ctx, "escalate");
  if (to.vendor) {
    if (!args.vendor || trim(*args.vendor).empty() || !args.vendor_case || trim(*args.vendor_case).empty())
      throw Error(ErrorKind::usage, fmt::format("escalating to {} ({}) needs the vendor and the vendor's case reference", to.name, to.title),
                  fmt::format("desk escalate {} --to {} --vendor NAME --case REF -m NOTE", short_id(t.id), to.name));
    validate_name(*args.vendor, "vendor");
    validate_name(*args.vendor_case, "case reference");
    if (!cfg.vendors.empty() &&
        std::none_of(cfg.vendors.begin(), cfg.vendors.end(), [&](const Vendor& v) { return v.name == *args.vendor; })) {
      std::vector<std::string> names;
      for (const auto& v : cfg.vendors) names.push_back(v.name);
      throw Error(ErrorKind::usage, fmt::format("unknown vendor '{}'", *args.vendor), "use one of: " + join(names, ", "));
    }
    t.vendor = *args.vendor;
    t.vendor_case = *args.vendor_case;
    e.vendor = t.vendor;
    e.vendor_case = t.vendor_case;
  } else if (args.vendor || args.vendor_case) {
    throw Error(ErrorKind::usage, fmt::format("--vendor and --case apply only to a vendor tier, and {} is not one", to.name));
  }
  e.from = t.tier;
  e.to = to.name;
  e.text = note;
  t.tier = to.name;
  std::string taker;
  if (args.assignee) {
    taker = trim(*args.assignee);
    validate_name(taker, "assignee");
    if (taker.empty()) throw Error(ErrorKind::usage, "--assign needs a name", "desk escalate ID --assign WHO -m NOTE");
    taker = resolve_assignee(cfg, taker);
  } else {
    taker = holder_in(to, t.assignee);
  }
  if (taker != t.assignee) e.changes.emplace_back("assignee", t.assignee, taker);
  t.assignee = taker;
  std::string subject = subject_for(fmt::format("escalate {} {} -> {}{}", short_id(t.id), e.from, e.to, taker.empty() ? "" : ", to " + taker), t);
  return finish(std::move(t), std::move(e), ctx, true, std::move(subject), note);
}

Change deescalate(Ticket t, const Config& cfg, const Context& ctx, const std::optional<std::string>& to_name, const std::string& note_in,
                  const std::optional<std::string>& assignee) {
  require_active(t, "de-escalate");
  std::string note = require_text(note_in, "a note", "document the fix or the reason it goes down: desk deescalate ID -m \"...\"");
  auto cur = cfg.tier_index(t.tier);
  if (!cur) throw Error(ErrorKind::invalid, fmt::format("ticket {} is at unknown tier '{}'", short_id(t.id), t.tier), "fix the tier with `desk edit`");
  const std::string& lowest = cfg.lowest_ticket_tier().name;
  size_t target;
  if (to_name) {
    cfg.require_tier(*to_name);
    target = *cfg.tier_index(*to_name);
    if (target >= *cur)
      throw Error(ErrorKind::state, fmt::format("cannot de-escalate ticket {} from {} to {}: {} is not below {}", short_id(t.id), t.tier, *to_name, *to_name, t.tier));
    if (!cfg.tiers[target].accepts_tickets)
      throw Error(ErrorKind::state, fmt::format("tier {} does not take tickets; {} is the lowest that does", *to_name, lowest));
  } else {
    std::optional<size_t> below;
    for (size_t i = *cur; i-- > 0;)
      if (cfg.tiers[i].accepts_tickets) {
        below = i;
        break;
      }
    if (!below)
      throw Error(ErrorKind::state, fmt::format("ticket {} is at {}, the lowest tier that takes tickets", short_id(t.id), t.tier),
                  "there is no tier below it that takes tickets");
    target = *below;
  }
  HistoryEntry e = entry(ctx, "deescalate");
  e.from = t.tier;
  e.to = cfg.tiers[target].name;
  e.text = note;
  if (cfg.tiers[*cur].vendor) {
    t.vendor.clear();
    t.vendor_case.clear();
  }
  t.tier = e.to;
  std::string taker = assignee ? resolve_assignee(cfg, *assignee) : holder_in(cfg.tiers[target], t.assignee);
  if (assignee) validate_name(taker, "assignee");
  if (taker != t.assignee) e.changes.emplace_back("assignee", t.assignee, taker);
  t.assignee = taker;
  std::string subject = subject_for(fmt::format("deescalate {} {} -> {}", short_id(t.id), e.from, e.to), t);
  return finish(std::move(t), std::move(e), ctx, true, std::move(subject), note);
}

Change wait(Ticket t, const Context& ctx, const std::string& on, const std::string& text) {
  if (on != "customer" && on != "vendor")
    throw Error(ErrorKind::usage, fmt::format("cannot wait on '{}'", on), "use --on customer or --on vendor");
  require_active(t, "pause");
  if (t.status == "pending" && t.waiting_on == on)
    throw Error(ErrorKind::state, fmt::format("ticket {} is already waiting on the {}", short_id(t.id), on),
                fmt::format("resume it with: desk resume {}", short_id(t.id)));
  HistoryEntry e = entry(ctx, "wait");
  e.on = on;
  e.status = "pending";
  e.text = normalize(text);
  t.status = "pending";
  t.waiting_on = on;
  std::string subject = subject_for(fmt::format("wait {} on {}", short_id(t.id), on), t);
  std::string body = e.text;
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject), body);
}

Change resume(Ticket t, const Context& ctx, const std::string& text) {
  if (t.status != "pending")
    throw Error(ErrorKind::state, fmt::format("cannot resume ticket {}: it is {}, not waiting", short_id(t.id), t.status),
                fmt::format("pause a ticket with: desk wait {} --on customer|vendor", short_id(t.id)));
  HistoryEntry e = entry(ctx, "resume");
  e.from = t.waiting_on;
  e.status = "open";
  e.text = normalize(text);
  t.status = "open";
  t.waiting_on.clear();
  std::string subject = subject_for(fmt::format("resume {}", short_id(t.id)), t);
  std::string body = e.text;
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject), body);
}

Change resolve(Ticket t, const Context& ctx, const std::string& resolution_in) {
  require_active(t, "resolve");
  std::string resolution = require_text(resolution_in, "a resolution", "say what fixed it: desk resolve ID -m \"...\"");
  HistoryEntry e = entry(ctx, "resolve");
  e.status = "resolved";
  e.text = resolution;
  t.status = "resolved";
  t.waiting_on.clear();
  t.resolution = resolution;
  std::string subject = subject_for(fmt::format("resolve {}", short_id(t.id)), t);
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject), resolution);
}

Change close(Ticket t, const Context& ctx, std::optional<int> csat, const std::string& text) {
  if (csat && (*csat < 1 || *csat > 5))
    throw Error(ErrorKind::usage, fmt::format("--csat must be between 1 and 5, not {}", *csat));
  if (t.status == "closed")
    throw Error(ErrorKind::state, fmt::format("ticket {} is already closed", short_id(t.id)));
  if (t.status != "resolved")
    throw Error(ErrorKind::state, fmt::format("cannot close ticket {}: it is {}, not resolved", short_id(t.id), t.status),
                fmt::format("resolve it first: desk resolve {} -m RESOLUTION", short_id(t.id)));
  HistoryEntry e = entry(ctx, "close");
  e.status = "closed";
  e.csat = csat;
  e.text = normalize(text);
  t.status = "closed";
  if (csat) t.csat = csat;
  std::string head = csat ? fmt::format("close {} (csat {})", short_id(t.id), *csat) : fmt::format("close {}", short_id(t.id));
  std::string subject = subject_for(head, t);
  std::string body = e.text;
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject), body);
}

Change reopen(Ticket t, const Context& ctx, const std::string& reason_in) {
  if (is_active_status(t.status))
    throw Error(ErrorKind::state, fmt::format("cannot reopen ticket {}: it is {}", short_id(t.id), t.status),
                "only resolved or closed tickets can be reopened");
  std::string reason = require_text(reason_in, "a reason", "say why it is not fixed: desk reopen ID -m \"...\"");
  HistoryEntry e = entry(ctx, "reopen");
  e.from = t.status;
  e.status = "open";
  e.text = reason;
  t.status = "open";
  t.resolution.clear();
  t.csat.reset();
  std::string subject = subject_for(fmt::format("reopen {}", short_id(t.id)), t);
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject), reason);
}

Change check(Ticket t, const Context& ctx, int step, bool undo) {
  if (t.checklist.empty())
    throw Error(ErrorKind::state, fmt::format("ticket {} has no checklist", short_id(t.id)), "checklists come from templates: desk new --template NAME");
  if (step < 1 || static_cast<size_t>(step) > t.checklist.size())
    throw Error(ErrorKind::usage, fmt::format("ticket {} has no step {}; its checklist has steps 1 to {}", short_id(t.id), step, t.checklist.size()));
  auto& item = t.checklist[static_cast<size_t>(step - 1)];
  if (item.done != undo)
    throw Error(ErrorKind::state, fmt::format("step {} of ticket {} is already {}", step, short_id(t.id), undo ? "not done" : "done"));
  item.done = !undo;
  HistoryEntry e = entry(ctx, undo ? "uncheck" : "check");
  e.step = step;
  e.text = item.text;
  std::string subject = subject_for(fmt::format("{} {} step {}", undo ? "uncheck" : "check", short_id(t.id), step), t);
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject));
}

Change check_steps(Ticket t, const Context& ctx, const std::vector<int>& steps_in, bool undo) {
  if (steps_in.empty()) throw Error(ErrorKind::usage, "name at least one step");
  // A step already as asked is left alone: checking a done step is a no-op, not an error.
  std::vector<int> steps;
  for (int step : steps_in) {
    bool known = !t.checklist.empty() && step >= 1 && static_cast<size_t>(step) <= t.checklist.size();
    if (known && t.checklist[static_cast<size_t>(step - 1)].done == !undo) continue;
    if (std::find(steps.begin(), steps.end(), step) == steps.end()) steps.push_back(step);
  }
  if (steps.empty()) return Change{std::move(t), undo ? "uncheck" : "check", "", {}};  // nothing to commit
  if (steps.size() == 1) return check(std::move(t), ctx, steps.front(), undo);
  std::string action;
  for (int step : steps) {
    Change c = check(std::move(t), ctx, step, undo);
    t = std::move(c.ticket);
    action = std::move(c.action);
  }
  std::vector<std::string> numbers;
  for (int step : steps) numbers.push_back(std::to_string(step));
  std::string subject = subject_for(fmt::format("{} {} steps {}", undo ? "uncheck" : "check", short_id(t.id), join(numbers, ", ")), t);
  return Change{std::move(t), std::move(action), std::move(subject), {}};
}

Change link_articles(Ticket t, const Context& ctx, const std::vector<std::string>& slugs, bool remove) {
  if (slugs.empty()) throw Error(ErrorKind::usage, "name at least one article: kb/SLUG");
  std::vector<std::string> done;
  for (const auto& slug : slugs) {
    if (!is_valid_slug(slug))
      throw Error(ErrorKind::invalid, fmt::format("invalid article slug '{}'", strip_controls(slug)),
                  "a slug is lowercase letters and digits in words joined by single hyphens: kb/vpn-drops");
    if (std::find(done.begin(), done.end(), slug) != done.end()) continue;  // named twice
    bool linked = std::find(t.kb.begin(), t.kb.end(), slug) != t.kb.end();
    if (linked != remove)
      throw Error(ErrorKind::state,
                  remove ? fmt::format("ticket {} is not linked to kb/{}", short_id(t.id), slug)
                         : fmt::format("ticket {} is already linked to kb/{}", short_id(t.id), slug),
                  remove ? fmt::format("see its links with `desk show {}`", short_id(t.id)) : "");
    done.push_back(slug);
    if (remove) t.kb.erase(std::remove(t.kb.begin(), t.kb.end(), slug), t.kb.end());
    else t.kb.push_back(slug);
    HistoryEntry e = entry(ctx, remove ? "unlink" : "link");
    e.to = "kb/" + slug;
    t.history.push_back(std::move(e));
  }
  HistoryEntry last = std::move(t.history.back());
  t.history.pop_back();
  std::vector<std::string> names;
  for (const auto& d : done) names.push_back("kb/" + d);
  std::string subject = subject_for(fmt::format("{} {} {}", remove ? "unlink" : "link", short_id(t.id), join(names, " ")), t);
  return finish(std::move(t), std::move(last), ctx, false, std::move(subject));
}

namespace {

void check_duplicate_target(const Ticket& t, const std::string& other, const std::function<std::string(const std::string&)>& duplicate_of) {
  if (other == t.id)
    throw Error(ErrorKind::invalid, fmt::format("ticket {} cannot be a duplicate of itself", short_id(t.id)), "name the other ticket");
  std::string cur = other;
  for (int hops = 0; !cur.empty() && hops < 1000; ++hops) {
    cur = duplicate_of(cur);
    if (cur == t.id)
      throw Error(ErrorKind::invalid,
                  fmt::format("ticket {} is already (through duplicates) a duplicate of {}: the link would make a cycle", short_id(other), short_id(t.id)),
                  fmt::format("mark the other way round, or unlink first: desk link {} --duplicate-of {} --remove", short_id(other), short_id(cur)));
  }
}

}  // namespace

Change mark_duplicate(Ticket t, const Context& ctx, const std::string& other, bool remove,
                      const std::function<std::string(const std::string&)>& duplicate_of) {
  HistoryEntry e = entry(ctx, remove ? "unlink" : "link");
  if (remove) {
    if (t.duplicate_of.empty() || (!other.empty() && t.duplicate_of != other))
      throw Error(ErrorKind::state,
                  t.duplicate_of.empty() ? fmt::format("ticket {} is not marked as a duplicate", short_id(t.id))
                                         : fmt::format("ticket {} is a duplicate of {}, not of {}", short_id(t.id), short_id(t.duplicate_of), short_id(other)));
    e.to = t.duplicate_of;
    t.duplicate_of.clear();
  } else {
    check_duplicate_target(t, other, duplicate_of);
    if (t.duplicate_of == other)
      throw Error(ErrorKind::state, fmt::format("ticket {} is already a duplicate of {}", short_id(t.id), short_id(other)));
    e.from = t.duplicate_of;
    e.to = other;
    t.duplicate_of = other;
  }
  std::string subject = subject_for(remove ? fmt::format("unlink {} duplicate of {}", short_id(t.id), short_id(e.to))
                                           : fmt::format("link {} duplicate of {}", short_id(t.id), short_id(other)), t);
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject));
}

Change close_duplicate(Ticket t, const Context& ctx, const std::string& other, const std::string& text,
                       const std::function<std::string(const std::string&)>& duplicate_of) {
  if (t.status == "closed") throw Error(ErrorKind::state, fmt::format("ticket {} is already closed", short_id(t.id)));
  check_duplicate_target(t, other, duplicate_of);
  if (t.duplicate_of != other) {
    HistoryEntry link = entry(ctx, "link");
    link.from = t.duplicate_of;
    link.to = other;
    t.duplicate_of = other;
    t.history.push_back(std::move(link));
  }
  HistoryEntry e = entry(ctx, "close");
  e.status = "closed";
  e.text = normalize(text);
  if (e.text.empty()) e.text = "duplicate of " + other;
  t.status = "closed";
  t.waiting_on.clear();
  t.resolution = "duplicate of " + other;
  std::string subject = subject_for(fmt::format("close {} as duplicate of {}", short_id(t.id), short_id(other)), t);
  std::string body = e.text;
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject), body);
}

namespace {

std::string relation_target(const char* kind, const std::string& id) { return fmt::format("{}/{}", kind, id); }

bool lists(const std::vector<std::string>& ids, const std::string& id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

}  // namespace

std::vector<Change> relate(Ticket a, Ticket b, const Context& ctx, bool remove) {
  if (a.id == b.id) throw Error(ErrorKind::invalid, fmt::format("ticket {} cannot be related to itself", short_id(a.id)), "name the other ticket");
  bool ab = lists(a.related, b.id), ba = lists(b.related, a.id);
  if (!remove && ab && ba)
    throw Error(ErrorKind::state, fmt::format("tickets {} and {} are already related", short_id(a.id), short_id(b.id)));
  if (remove && !ab && !ba)
    throw Error(ErrorKind::state, fmt::format("tickets {} and {} are not related", short_id(a.id), short_id(b.id)),
                fmt::format("see its relations with `desk show {}`", short_id(a.id)));
  std::string head = fmt::format("{} {} related {}", remove ? "unlink" : "link", short_id(a.id), short_id(b.id));
  std::vector<Change> out;
  auto one = [&](Ticket t, const std::string& other, bool has) {
    if (has != remove) return;  // this side already says so
    if (remove) t.related.erase(std::remove(t.related.begin(), t.related.end(), other), t.related.end());
    else t.related.push_back(other);
    HistoryEntry e = entry(ctx, remove ? "unlink" : "link");
    e.to = relation_target("related", other);
    std::string subject = subject_for(head, t);
    out.push_back(finish(std::move(t), std::move(e), ctx, false, std::move(subject)));
  };
  std::string a_id = a.id, b_id = b.id;
  one(std::move(a), b_id, ab);
  one(std::move(b), a_id, ba);
  return out;
}

Change set_parent(Ticket t, const Context& ctx, const std::string& parent, bool remove,
                  const std::function<std::string(const std::string&)>& parent_of) {
  HistoryEntry e = entry(ctx, remove ? "unlink" : "link");
  if (remove) {
    if (t.parent.empty() || (!parent.empty() && t.parent != parent))
      throw Error(ErrorKind::state,
                  t.parent.empty() ? fmt::format("ticket {} has no parent", short_id(t.id))
                                   : fmt::format("the parent of ticket {} is {}, not {}", short_id(t.id), short_id(t.parent), short_id(parent)));
    e.to = relation_target("parent", t.parent);
    t.parent.clear();
  } else {
    if (parent == t.id) throw Error(ErrorKind::invalid, fmt::format("ticket {} cannot be its own parent", short_id(t.id)), "name the other ticket");
    std::string cur = parent;
    for (int hops = 0; !cur.empty() && hops < 1000; ++hops) {
      cur = parent_of(cur);
      if (cur == t.id)
        throw Error(ErrorKind::invalid,
                    fmt::format("ticket {} is already (through parents) a child of {}: the link would make a cycle", short_id(parent), short_id(t.id)),
                    fmt::format("link the other way round, or unlink first: desk link {} --parent {} --remove", short_id(parent), short_id(t.id)));
    }
    if (t.parent == parent) throw Error(ErrorKind::state, fmt::format("ticket {} is already a child of {}", short_id(t.id), short_id(parent)));
    if (!t.parent.empty()) e.from = relation_target("parent", t.parent);
    e.to = relation_target("parent", parent);
    t.parent = parent;
  }
  std::string subject = subject_for(fmt::format("{} {} parent {}", remove ? "unlink" : "link", short_id(t.id), short_id(e.to.substr(7))), t);
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject));
}

Change link_problem(Ticket t, const Context& ctx, const Ticket& problem, bool remove) {
  HistoryEntry e = entry(ctx, remove ? "unlink" : "link");
  if (remove) {
    if (t.problem.empty() || t.problem != problem.id)
      throw Error(ErrorKind::state,
                  t.problem.empty() ? fmt::format("ticket {} is not linked to a problem", short_id(t.id))
                                    : fmt::format("ticket {} is linked to problem {}, not {}", short_id(t.id), short_id(t.problem), short_id(problem.id)));
    e.to = relation_target("problem", t.problem);
    t.problem.clear();
  } else {
    if (problem.id == t.id) throw Error(ErrorKind::invalid, fmt::format("ticket {} cannot be its own problem", short_id(t.id)), "name the problem ticket");
    if (problem.type != problem_type)
      throw Error(ErrorKind::invalid,
                  fmt::format("ticket {} is not a problem (its type is {})", short_id(problem.id), problem.type.empty() ? "not set" : strip_controls_line(problem.type)),
                  fmt::format("open a problem with `desk new --problem TITLE`, or make it one: desk triage {} --type problem", short_id(problem.id)));
    if (t.problem == problem.id) throw Error(ErrorKind::state, fmt::format("ticket {} is already linked to problem {}", short_id(t.id), short_id(problem.id)));
    if (!t.problem.empty()) e.from = relation_target("problem", t.problem);
    e.to = relation_target("problem", problem.id);
    t.problem = problem.id;
  }
  std::string subject = subject_for(fmt::format("{} {} problem {}", remove ? "unlink" : "link", short_id(t.id), short_id(e.to.substr(8))), t);
  return finish(std::move(t), std::move(e), ctx, false, std::move(subject));
}

namespace {

bool same_entry(const HistoryEntry& a, const HistoryEntry& b) {
  if (a.id != b.id || a.at != b.at || a.by != b.by || a.action != b.action || a.from != b.from || a.to != b.to ||
      a.status != b.status || a.on != b.on || a.vendor != b.vendor || a.vendor_case != b.vendor_case ||
      a.internal != b.internal || a.notify != b.notify || a.message_id != b.message_id || a.quoted != b.quoted || a.step != b.step || a.csat != b.csat || a.text != b.text || a.changes.size() != b.changes.size() ||
      !(a.extra == b.extra))
    return false;
  for (size_t i = 0; i < a.changes.size(); ++i)
    if (a.changes[i].field != b.changes[i].field || a.changes[i].from != b.changes[i].from || a.changes[i].to != b.changes[i].to ||
        !(a.changes[i].extra == b.changes[i].extra))
      return false;
  return true;
}

}  // namespace

Change edited(const Ticket& before, Ticket after, const Config& cfg, const Context& ctx) {
  if (after.id != before.id)
    throw Error(ErrorKind::invalid, fmt::format("the id changed from '{}' to '{}'", before.id, after.id), "a ticket's id cannot change; put it back");
  if (after.history.size() != before.history.size() ||
      !std::equal(after.history.begin(), after.history.end(), before.history.begin(), same_entry))
    throw Error(ErrorKind::invalid, "the history was changed; it is append-only",
                "undo the changes to [[history]] entries; add a comment instead: desk comment ID -m TEXT");
  if (after.created != before.created) throw Error(ErrorKind::invalid, "'created' cannot change", "put it back");
  validate_title(after.title);
  check_text_size(after.description, "the description");
  check_text_size(after.resolution, "the resolution");
  for (const auto& item : after.checklist) check_text_size(item.text, "a checklist step");
  try {  // in an edited file an unknown value is invalid content, not a wrong command line
    if (!after.tier.empty()) cfg.require_tier(after.tier);
    if (!after.priority.empty()) cfg.require_priority(after.priority);
    if (!after.type.empty()) cfg.require_type(after.type);
    if (!after.impact.empty()) cfg.require_impact(after.impact);
    if (!after.urgency.empty()) cfg.require_urgency(after.urgency);
  } catch (const Error& e) {
    throw Error(ErrorKind::invalid, e.what(), e.hint());
  }
  if (after.status != before.status || after.waiting_on != before.waiting_on)
    throw Error(ErrorKind::invalid, "the status cannot be changed by editing",
                "use desk wait, resume, resolve, close or reopen, which keep the SLA clocks right");
  if (after.tier != before.tier)
    throw Error(ErrorKind::invalid, "the tier cannot be changed by editing", "use desk escalate or desk deescalate, with a hand-off note");
  for (const auto& tag : after.tags) validate_name(tag, "tag");
  for (const auto& slug : after.kb)
    if (!is_valid_slug(slug))
      throw Error(ErrorKind::invalid, fmt::format("invalid article slug '{}' in kb", strip_controls(slug)), "kb lists article slugs such as vpn-drops");
  if (!after.duplicate_of.empty() && (!is_ticket_id(after.duplicate_of) || after.duplicate_of == after.id))
    throw Error(ErrorKind::invalid, fmt::format("duplicate_of '{}' is not another ticket's id", strip_controls(after.duplicate_of)),
                "use desk link ID --duplicate-of OTHER");
  for (const auto& id : after.related)
    if (!is_ticket_id(id) || id == after.id)
      throw Error(ErrorKind::invalid, fmt::format("related '{}' is not another ticket's id", strip_controls(id)), "use desk link ID --related OTHER");
  if (!after.parent.empty() && (!is_ticket_id(after.parent) || after.parent == after.id))
    throw Error(ErrorKind::invalid, fmt::format("parent '{}' is not another ticket's id", strip_controls(after.parent)),
                "use desk link ID --parent PARENT");
  if (!after.problem.empty() && (!is_ticket_id(after.problem) || after.problem == after.id))
    throw Error(ErrorKind::invalid, fmt::format("problem '{}' is not another ticket's id", strip_controls(after.problem)),
                "use desk link ID --problem PROBLEM");
  if (after.sla != before.sla)
    throw Error(ErrorKind::invalid, "the [sla] policy cannot be edited; it records the targets that applied",
                "change the priority instead (desk triage ID --priority P): the clocks re-target from the ticket's start");
  HistoryEntry e = entry(ctx, "edit");
  static const char* fields[] = {"title", "priority", "impact", "urgency", "type", "category", "tags", "requester", "assignee",
                                 "vendor", "vendor_case", "template", "resolution", "csat", "description", "kb", "duplicate_of", "related", "parent", "problem", "watchers"};
  for (const char* f : fields) {
    auto a = *ticket_field(before, f), b = *ticket_field(after, f);
    if (a != b) e.changes.push_back({f, a.size() > 80 ? "(text)" : a, b.size() > 80 ? "(text)" : b});
  }
  bool checklist_changed = after.checklist.size() != before.checklist.size();
  for (size_t i = 0; !checklist_changed && i < after.checklist.size(); ++i)
    checklist_changed = after.checklist[i].text != before.checklist[i].text || after.checklist[i].done != before.checklist[i].done ||
                        !(after.checklist[i].extra == before.checklist[i].extra);
  if (checklist_changed) e.changes.push_back({"checklist", "", ""});
  if (!(after.extra == before.extra)) e.changes.push_back({"other", "", ""});
  if (e.changes.empty()) throw Error(ErrorKind::usage, fmt::format("no changes to ticket {}", short_id(before.id)));
  std::vector<std::string> names;
  for (const auto& c : e.changes) names.push_back(c.field);
  after.updated = before.updated;
  if (after.priority != before.priority) after.sla = policy_for(cfg, after.priority);
  std::string subject = subject_for(fmt::format("edit {} ({})", short_id(after.id), join(names, ", ")), after);
  return finish(std::move(after), std::move(e), ctx, false, std::move(subject));
}

}  // namespace desk
