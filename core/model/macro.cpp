#include "core/model/macro.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <functional>

#include "core/model/limits.hpp"
#include "core/model/toml_reader.hpp"
#include "core/store/git.hpp"
#include "core/util/error.hpp"
#include "core/util/person.hpp"
#include "core/util/text.hpp"

namespace desk {

namespace {

[[noreturn]] void fail_at(std::string_view path, const toml::source_region& where, const std::string& what) {
  throw Error(ErrorKind::invalid, fmt::format("{}:{}:{}: {}", path, where.begin.line, where.begin.column, what),
              "fix the macro file and commit it");
}

// What an Error thrown by a check says, with its hint, for a message of our own.
std::string said(const Error& e) { return e.hint().empty() ? e.what() : fmt::format("{} ({})", e.what(), e.hint()); }

const std::vector<std::string>& macro_keys() {
  static const std::vector<std::string> keys = {"title", "description", "reply", "internal", "wait", "status", "tier",
                                                "priority", "impact", "urgency", "type", "category", "tags", "remove_tags"};
  return keys;
}

bool is_placeholder_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// A macro's name as `desk apply` takes it and its file is named: what template names are.
bool is_macro_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Calls f(name, path, blob id, repository) for each .toml file in .desk/macros/ (none without the directory).
template <typename F>
void each_macro_file(const Snapshot& snap, F f) {
  auto dir = git::tree_entry(snap.tree(), macros_dir);
  if (!dir || git_tree_entry_type(dir.get()) != GIT_OBJECT_TREE) return;
  git_repository* repo = git_tree_owner(snap.tree());
  git_tree* t = nullptr;
  git::check(git_tree_lookup(&t, repo, git_tree_entry_id(dir.get())), "cannot read .desk/macros/");
  git::TreePtr owner(t);
  for (size_t i = 0; i < git_tree_entrycount(t); ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(t, i);
    std::string file = git_tree_entry_name(e);
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || file.size() <= 5 || file.substr(file.size() - 5) != ".toml") continue;
    f(file.substr(0, file.size() - 5), fmt::format("{}/{}", macros_dir, file), *git_tree_entry_id(e), repo);
  }
}

}  // namespace

std::string fill_placeholders(std::string_view text, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(text.size());
  std::vector<std::string> unknown;
  size_t line = 1, stray_line = 0;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {  // {{ and }}: a literal brace
      out += c;
      i += 2;
      continue;
    }
    if (c == '{') {
      size_t close = text.find('}', i + 1);
      std::string_view name = close == std::string_view::npos ? std::string_view() : text.substr(i + 1, close - i - 1);
      if (name.empty() || name.size() > 40 || !std::all_of(name.begin(), name.end(), is_placeholder_char)) {
        if (!stray_line) stray_line = line;
        out += c;
        ++i;
        continue;
      }
      if (auto it = vars.find(std::string(name)); it != vars.end()) {
        out += it->second;
      } else {
        std::string shown = "{" + std::string(name) + "}";
        if (std::find(unknown.begin(), unknown.end(), shown) == unknown.end()) unknown.push_back(shown);
      }
      i = close + 1;
      continue;
    }
    if (c == '\n') ++line;
    out += c;
    ++i;
  }
  std::vector<std::string> known;
  for (const auto& [name, value] : vars) known.push_back("{" + name + "}");
  if (!unknown.empty())
    throw Error(ErrorKind::invalid, fmt::format("unknown placeholder{} {}", unknown.size() == 1 ? "" : "s", join(unknown, ", ")),
                fmt::format("the placeholders are {}; write {{{{ for a literal brace", join(known, ", ")));
  if (stray_line)
    throw Error(ErrorKind::invalid, fmt::format("the '{{' in line {} of the text opens no placeholder", stray_line),
                "write {{ for a literal brace, or a placeholder such as {requester_name}");
  return out;
}

std::map<std::string, std::string> macro_values(const Ticket& t, const Context& ctx) {
  std::string first = person_first_name(t.requester);
  return {{"id", t.id},
          {"title", t.title},
          {"requester", t.requester},
          {"requester_name", first.empty() ? "there" : first},
          {"assignee", t.assignee},
          {"agent", person_name(ctx.actor)}};
}

Macro parse_macro(std::string_view text, std::string_view name, std::string_view path, const Config& cfg) {
  toml::table root;
  try {
    root = parse_toml(text, path);
  } catch (const toml::parse_error& err) {
    fail_at(path, err.source(), std::string(err.description()));
  }
  for (auto&& [key, node] : root)
    if (std::find(macro_keys().begin(), macro_keys().end(), key.str()) == macro_keys().end())
      fail_at(path, key.source(), fmt::format("unknown key '{}'; a macro has {}", std::string(key.str()), join(macro_keys(), ", ")));
  auto str = [&](std::string_view key) -> std::string {
    const toml::node* n = root.get(key);
    if (!n) return {};
    if (!n->is_string()) fail_at(path, n->source(), fmt::format("'{}' must be a string", key));
    return n->as_string()->get();
  };
  auto strs = [&](std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = root.get(key);
    if (!n) return out;
    auto* a = n->as_array();
    if (!a) fail_at(path, n->source(), fmt::format("'{}' must be an array of strings", key));
    for (auto&& el : *a) {
      if (!el.is_string()) fail_at(path, el.source(), fmt::format("'{}' must be an array of strings", key));
      std::string v = el.as_string()->get();
      if (!is_valid_name(v)) fail_at(path, el.source(), fmt::format("'{}' holds an invalid tag: a tag is plain text on one line", key));
      out.push_back(std::move(v));
    }
    return out;
  };
  // A value the config must know: checked as the command line's option would be.
  auto checked = [&](std::string_view key, const std::function<void(const std::string&)>& require) -> std::optional<std::string> {
    const toml::node* n = root.get(key);
    if (!n) return std::nullopt;
    std::string v = str(key);
    try {
      require(v);
    } catch (const Error& e) {
      fail_at(path, n->source(), said(e));
    }
    return v;
  };
  Macro m;
  m.name = std::string(name);
  m.title = str("title");
  m.description = str("description");
  m.reply = str("reply");
  if (trim(m.reply).empty()) m.reply.clear();
  if (const toml::node* n = root.get("internal")) {
    if (!n->is_boolean()) fail_at(path, n->source(), "'internal' must be true or false");
    m.internal = n->as_boolean()->get();
  }
  m.fields.priority = checked("priority", [&](const std::string& v) { cfg.require_priority(v); });
  m.fields.impact = checked("impact", [&](const std::string& v) { cfg.require_impact(v); });
  m.fields.urgency = checked("urgency", [&](const std::string& v) { cfg.require_urgency(v); });
  m.fields.type = checked("type", [&](const std::string& v) { cfg.require_type(v); });
  m.fields.category = checked("category", [](const std::string& v) {
    if (!v.empty() && !is_valid_name(v)) throw Error(ErrorKind::invalid, "invalid category: a category is plain text on one line");
  });
  m.fields.add_tags = strs("tags");
  m.fields.remove_tags = strs("remove_tags");
  for (const auto& tag : m.fields.remove_tags)
    if (std::find(m.fields.add_tags.begin(), m.fields.add_tags.end(), tag) != m.fields.add_tags.end())
      fail_at(path, root.get("remove_tags")->source(), fmt::format("tag '{}' is both added (tags) and removed (remove_tags)", tag));
  if (auto v = checked("wait", [](const std::string& on) {
        if (on != "customer" && on != "vendor")
          throw Error(ErrorKind::invalid, fmt::format("cannot wait on '{}'", on), "use wait = \"customer\" or wait = \"vendor\"");
      }))
    m.wait = *v;
  if (auto v = checked("status", [](const std::string& status) {
        if (status == "closed")
          throw Error(ErrorKind::invalid, "a macro cannot close a ticket",
                      "resolve it with status = \"resolved\"; desk close closes it once the customer has confirmed");
        if (status != "resolved")
          throw Error(ErrorKind::invalid, fmt::format("status '{}' cannot be set by a macro", status),
                      "status = \"resolved\" resolves; wait = \"customer\" or \"vendor\" makes the ticket pending");
      }))
    m.status = *v;
  if (auto v = checked("tier", [&](const std::string& tier) {
        cfg.require_tier(tier);
        const Tier& to = cfg.tiers[*cfg.tier_index(tier)];
        if (!to.accepts_tickets) throw Error(ErrorKind::invalid, fmt::format("tier {} does not take tickets", tier));
        if (to.vendor)
          throw Error(ErrorKind::invalid, fmt::format("a macro cannot escalate to vendor tier {}", tier),
                      "escalating to a vendor needs the vendor's case reference: desk escalate ID --vendor NAME --case REF -m NOTE");
      }))
    m.tier = *v;
  if (const toml::node* n = root.get("reply")) {
    std::map<std::string, std::string> any;
    for (const auto& p : macro_placeholders) any[p] = "";
    try {
      fill_placeholders(m.reply, any);
    } catch (const Error& e) {
      fail_at(path, n->source(), fmt::format("in 'reply': {}", said(e)));
    }
  }
  // The steps that go together, and the text the resolve and escalate steps need.
  if (!m.status.empty() && !m.tier.empty())
    fail_at(path, root.get("tier")->source(), "a macro resolves (status) or escalates (tier), not both");
  if (!m.status.empty() && !m.wait.empty())
    fail_at(path, root.get("wait")->source(), "a resolved ticket waits on nobody: give the macro wait or status = \"resolved\", not both");
  if (!m.status.empty() && m.internal)
    fail_at(path, root.get("internal")->source(),
            "a macro that resolves tells the customer the resolution (its reply): it cannot be internal");
  if (!m.tier.empty() && !m.internal)
    fail_at(path, root.get("tier")->source(),
            "a macro that escalates has a hand-off note for the team as its text, never a reply to the customer: set internal = true");
  if (!m.status.empty() && m.reply.empty())
    fail_at(path, root.get("status")->source(), "resolving needs a resolution: give the macro a reply");
  if (!m.tier.empty() && m.reply.empty())
    fail_at(path, root.get("tier")->source(), "escalating needs a hand-off note: give the macro a reply");
  const TriageArgs& f = m.fields;
  bool fields = f.priority || f.impact || f.urgency || f.type || f.category || !f.add_tags.empty() || !f.remove_tags.empty();
  if (m.reply.empty() && m.wait.empty() && !fields)
    throw Error(ErrorKind::invalid, fmt::format("{}: the macro does nothing", path),
                "give it a reply, a field to change (priority, tags, ...), or wait");
  return m;
}

Change apply_macro(Ticket t, const Config& cfg, const Context& ctx, const Macro& m) {
  auto step_failed = [&](const Error& e) { return Error(e.kind(), fmt::format("macro '{}': {}", m.name, e.what()), e.hint()); };
  std::string text;
  try {
    text = fill_placeholders(m.reply, macro_values(t, ctx));
  } catch (const Error& e) {
    throw step_failed(e);
  }
  if (trim(text).empty()) text.clear();
  size_t before = t.history.size();
  std::string body;  // the text as the step that took it recorded it
  auto take = [&](Change c) {
    if (!c.body.empty()) body = std::move(c.body);
    t = std::move(c.ticket);
  };
  try {
    // The fields, as desk triage sets them; a value the ticket already has is no change.
    TriageArgs f = m.fields;
    if (f.priority == t.priority) f.priority.reset();
    if (f.impact == t.impact) f.impact.reset();
    if (f.urgency == t.urgency) f.urgency.reset();
    if (f.type == t.type) f.type.reset();
    if (f.category == t.category) f.category.reset();
    auto has = [&](const std::string& tag) { return std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end(); };
    f.add_tags.erase(std::remove_if(f.add_tags.begin(), f.add_tags.end(), has), f.add_tags.end());
    f.remove_tags.erase(std::remove_if(f.remove_tags.begin(), f.remove_tags.end(), [&](const std::string& tag) { return !has(tag); }),
                        f.remove_tags.end());
    if (f.priority || f.impact || f.urgency || f.type || f.category || !f.add_tags.empty() || !f.remove_tags.empty())
      take(triage(std::move(t), cfg, ctx, f));
    // The text: the hand-off note, the resolution, or a reply or note of its own.
    if (!m.tier.empty()) {
      EscalateArgs a;
      a.to = m.tier;
      a.note = text;
      take(escalate(std::move(t), cfg, ctx, a));
    } else if (!m.status.empty()) {
      if (m.status != "resolved") throw Error(ErrorKind::invalid, fmt::format("status '{}' cannot be set by a macro", m.status));
      try {  // required checklist steps stop a macro as they stop desk resolve; a macro never forces
        require_required_steps(t, "resolve");
      } catch (const Error& e) {
        throw Error(e.kind(), e.what(), e.hint() + " (--force is desk resolve's; a macro does not force)");
      }
      take(resolve(std::move(t), ctx, text));
    } else if (!text.empty()) {
      take(comment(std::move(t), ctx, text, m.internal));
    }
    if (!m.wait.empty() && !(t.status == "pending" && t.waiting_on == m.wait)) take(wait(std::move(t), ctx, m.wait, ""));
  } catch (const Error& e) {
    throw step_failed(e);
  }
  if (t.history.size() == before) return Change{std::move(t), "apply", "", {}};  // nothing to commit
  std::string subject = fmt::format("apply {} to {}: {}", m.name, short_id(t.id), truncate(t.title, 72));
  return Change{std::move(t), "apply", std::move(subject), std::move(body)};
}

std::vector<std::string> macro_names(const Snapshot& snap) {
  std::vector<std::string> names;
  each_macro_file(snap, [&](const std::string& name, const std::string&, const git_oid&, git_repository*) {
    if (is_macro_name(name)) names.push_back(name);
  });
  std::sort(names.begin(), names.end());
  return names;
}

std::pair<std::vector<Macro>, std::vector<Problem>> all_macros(const Snapshot& snap, const Config& cfg) {
  std::vector<Macro> macros;
  std::vector<Problem> problems;
  each_macro_file(snap, [&](const std::string& name, const std::string& path, const git_oid& oid, git_repository* repo) {
    if (!is_macro_name(name)) {
      problems.push_back({path, fmt::format("{}: not a macro file name (.desk/macros/NAME.toml, NAME of a-z, 0-9, - and _)", path)});
      return;
    }
    try {
      check_read_size(path, git::blob_size(repo, oid));
      macros.push_back(parse_macro(git::blob_content(repo, oid), name, path, cfg));
    } catch (const Error& e) {
      problems.push_back({path, e.what()});
    }
  });
  std::sort(macros.begin(), macros.end(), [](const Macro& a, const Macro& b) { return a.name < b.name; });
  return {std::move(macros), std::move(problems)};
}

Macro macro_named(const Snapshot& snap, const Config& cfg, std::string_view name) {
  if (is_macro_name(name)) {
    std::string path = fmt::format("{}/{}.toml", macros_dir, name);
    if (auto oid = snap.blob_id(path)) {
      git_repository* repo = git_tree_owner(snap.tree());
      check_read_size(path, git::blob_size(repo, *oid));
      return parse_macro(git::blob_content(repo, *oid), name, path, cfg);
    }
  }
  std::vector<std::string> names = macro_names(snap);
  throw Error(ErrorKind::not_found, fmt::format("no macro '{}'", std::string(name)),
              names.empty() ? "this desk has no macros in .desk/macros/; see desk-config(5) for the format"
                            : "use one of: " + join(names, ", ") + " (desk macros lists them)");
}

}  // namespace desk
