#include "core/model/kb.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/util/error.hpp"
#include "core/model/toml_reader.hpp"
#include "core/store/git.hpp"
#include "core/model/id.hpp"
#include "core/model/limits.hpp"
#include "core/util/text.hpp"
#include "core/model/toml_writer.hpp"

namespace desk {

namespace {

bool slug_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

[[noreturn]] void fail_at(std::string_view path, size_t line, size_t column, const std::string& what) {
  throw Error(ErrorKind::invalid, fmt::format("{}:{}:{}: {}", path, line, column, what),
              "fix the file by hand and commit it, or bring back its last good version: `git log -- FILE`, then `git checkout COMMIT -- FILE` and commit");
}

// The front matter starts on the file's second line: toml++ counts from its own first line.
constexpr size_t front_offset = 1;

std::vector<std::string> strings_of(const toml::node* n, std::string_view path, std::string_view key) {
  std::vector<std::string> out;
  if (!n) return out;
  auto* a = n->as_array();
  if (!a) fail_at(path, n->source().begin.line + front_offset, n->source().begin.column, fmt::format("{} must be an array of strings", key));
  for (auto&& el : *a) {
    if (!el.is_string())
      fail_at(path, el.source().begin.line + front_offset, el.source().begin.column, fmt::format("{} must be an array of strings", key));
    out.push_back(el.as_string()->get());
  }
  return out;
}

void validate_name_list(const std::vector<std::string>& names, const std::string& what) {
  for (const auto& n : names)
    if (!is_valid_name(n))
      throw Error(ErrorKind::invalid, fmt::format("invalid {} '{}'", what, strip_controls(n)),
                  fmt::format("a {} is plain text on one line, without control characters", what));
}

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& add) {
  for (const auto& v : add)
    if (std::find(to.begin(), to.end(), v) == to.end()) to.push_back(v);
}

std::string normalize_body(const std::string& text) {
  check_text_size(text, "the article text");
  if (!is_valid_utf8(text))
    throw Error(ErrorKind::invalid, "the article text is not valid UTF-8", "convert it first, for example: iconv -f latin1 -t utf-8 FILE");
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  size_t end = out.find_last_not_of(" \t\n");
  out = end == std::string::npos ? "" : out.substr(0, end + 1);
  size_t start = out.find_first_not_of('\n');
  return start == std::string::npos ? "" : out.substr(start);
}

}  // namespace

bool is_valid_slug(std::string_view slug) {
  if (slug.empty() || slug.size() > slug_max_length) return false;
  if (slug.front() == '-' || slug.back() == '-') return false;
  for (size_t i = 0; i < slug.size(); ++i) {
    if (slug[i] == '-') {
      if (slug[i - 1] == '-') return false;
    } else if (!slug_char(slug[i])) {
      return false;
    }
  }
  return true;
}

std::string slugify(std::string_view title) {
  std::string out;
  bool gap = false;
  for (char ch : title) {
    char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if (slug_char(c)) {
      if (gap && !out.empty()) out += '-';
      out += c;
      gap = false;
    } else {
      gap = true;
    }
  }
  if (out.size() > slug_max_length) {
    out.resize(slug_max_length);
    // Cut at the last whole word when there is one; else keep the cut word.
    if (out[slug_max_length - 1] != '-' && title.size() > 0) {
      size_t dash = out.rfind('-');
      if (dash != std::string::npos && dash > 0) out.resize(dash);
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  return out;
}

void require_slug(std::string_view slug) {
  if (!is_valid_slug(slug))
    throw Error(ErrorKind::invalid, fmt::format("invalid article slug '{}'", strip_controls(slug)),
                fmt::format("a slug is lowercase letters and digits in words joined by single hyphens, at most {} characters: vpn-drops-hourly",
                            slug_max_length));
}

std::string article_path(std::string_view slug) { return fmt::format("{}/{}.md", kb_dir, slug); }

Article parse_article(std::string_view text, std::string_view path, std::string slug) {
  check_read_size(path, text.size());
  Article a;
  a.slug = std::move(slug);
  if (text.substr(0, 4) != "+++\n")
    fail_at(path, 1, 1, "an article starts with a front matter: a line `+++`, TOML keys (title = \"...\"), a line `+++`");
  size_t close = text.find("\n+++\n", 3);
  size_t close_len = 5;
  if (close == std::string_view::npos && text.size() >= 4 && text.substr(text.size() - 4) == "\n+++") {
    close = text.size() - 4;
    close_len = 4;
  }
  if (close == std::string_view::npos) {
    size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    fail_at(path, lines, 1, "the front matter is not closed: add a line `+++` after it");
  }
  std::string_view front = text.substr(4, close + 1 - 4);
  toml::table root;
  try {
    root = parse_toml(front, path);
  } catch (const toml::parse_error& err) {
    fail_at(path, err.source().begin.line + front_offset, err.source().begin.column, std::string(err.description()));
  }
  std::set<std::string> seen;
  auto take = [&](std::string_view key) {
    seen.insert(std::string(key));
    return root.get(key);
  };
  auto str = [&](std::string_view key) -> std::string {
    const toml::node* n = take(key);
    if (!n) return {};
    if (!n->is_string())
      fail_at(path, n->source().begin.line + front_offset, n->source().begin.column, fmt::format("{} must be a string", key));
    return n->as_string()->get();
  };
  auto time = [&](std::string_view key) -> std::optional<Timestamp> {
    const toml::node* n = take(key);
    if (!n) return std::nullopt;
    auto t = toml_to_time(*n);
    if (!t)
      fail_at(path, n->source().begin.line + front_offset, n->source().begin.column,
              fmt::format("{} must be a date-time such as 2026-11-22T09:00:00Z", key));
    return t;
  };
  if (!root.get("title")) fail_at(path, 2, 1, "missing required key 'title'");
  a.title = str("title");
  a.tags = strings_of(take("tags"), path, "tags");
  a.tiers = strings_of(take("tiers"), path, "tiers");
  a.tickets = strings_of(take("tickets"), path, "tickets");
  if (const toml::node* n = root.get("status")) {
    a.status = str("status");
    if (a.status != "published" && a.status != "draft")
      fail_at(path, n->source().begin.line + front_offset, n->source().begin.column,
              fmt::format("unknown status '{}' (published or draft)", strip_controls(a.status)));
  } else {
    take("status");
  }
  a.created = time("created");
  a.updated = time("updated");
  a.author = str("author");
  for (auto&& [k, v] : root) {
    if (seen.count(std::string(k.str()))) continue;
    if (toml_depth(v, max_unknown_depth) > max_unknown_depth)
      fail_at(path, v.source().begin.line + front_offset, v.source().begin.column,
              fmt::format("{} nests tables or arrays more than {} levels deep, the most desk keeps of keys it does not know", k.str(),
                          max_unknown_depth));
    a.extra.insert(k, v);
  }
  std::string body(text.substr(std::min(text.size(), close + close_len)));
  if (!body.empty() && body.front() == '\n') body.erase(0, 1);
  size_t end = body.find_last_not_of(" \t\n");
  a.body = end == std::string::npos ? "" : body.substr(0, end + 1);
  return a;
}

std::string emit_article(const Article& a) {
  std::string out = "+++\n";
  auto line = [&](std::string_view key, const std::string& value) { out += fmt::format("{} = {}\n", key, value); };
  line("title", toml_string(a.title));
  line("tags", toml_string_array(a.tags));
  line("tiers", toml_string_array(a.tiers));
  line("tickets", toml_string_array(a.tickets));
  line("status", toml_string(a.status));
  if (a.created) line("created", toml_time(*a.created));
  if (a.updated) line("updated", toml_time(*a.updated));
  if (!a.author.empty()) line("author", toml_string(a.author));
  toml_emit_table_body(out, a.extra, "");
  out += "+++\n";
  if (!a.body.empty()) out += "\n" + a.body + "\n";
  return out;
}

std::pair<std::vector<Article>, std::vector<Problem>> all_articles(const Snapshot& snap) {
  std::vector<Article> articles;
  std::vector<Problem> problems;
  auto top = git::tree_entry(snap.tree(), kb_dir);
  if (!top || git_tree_entry_type(top.get()) != GIT_OBJECT_TREE) return {articles, problems};
  git_repository* repo = git_tree_owner(snap.tree());
  git_tree* t = nullptr;
  git::check(git_tree_lookup(&t, repo, git_tree_entry_id(top.get())), "cannot read kb/");
  git::TreePtr owner(t);
  for (size_t i = 0; i < git_tree_entrycount(t); ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(t, i);
    std::string name = git_tree_entry_name(e);
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || name.size() < 3 || name.substr(name.size() - 3) != ".md") continue;
    std::string slug = name.substr(0, name.size() - 3);
    std::string path = fmt::format("{}/{}", kb_dir, name);
    if (!is_valid_slug(slug)) {
      problems.push_back({path, fmt::format("{}: not an article file name (kb/SLUG.md, SLUG lowercase words joined by hyphens, at most {} characters)",
                                            strip_controls(path), slug_max_length)});
      continue;
    }
    try {
      check_read_size(path, git::blob_size(repo, *git_tree_entry_id(e)));
      articles.push_back(parse_article(git::blob_content(repo, *git_tree_entry_id(e)), path, slug));
    } catch (const Error& err) {
      problems.push_back({path, err.what()});
    }
  }
  std::sort(articles.begin(), articles.end(), [](const Article& x, const Article& y) { return x.slug < y.slug; });
  return {std::move(articles), std::move(problems)};
}

Article read_article(const Snapshot& snap, std::string_view slug) {
  require_slug(slug);
  std::string path = article_path(slug);
  if (auto blob = snap.blob_id(path)) check_read_size(path, git::blob_size(git_tree_owner(snap.tree()), *blob));
  auto text = snap.read(path);
  if (!text)
    throw Error(ErrorKind::not_found, fmt::format("no article '{}'", slug), "list the articles with `desk kb list --all`");
  return parse_article(*text, path, std::string(slug));
}

Mutation kb_mutation(const KbChange& c) {
  Mutation m;
  m.files.push_back({article_path(c.article.slug), emit_article(c.article)});
  if (c.ticket) m.files.push_back({ticket_path(c.ticket->id), emit_ticket(*c.ticket)});
  for (const auto& f : m.files) check_file_size(f.path, f.content->size());
  m.subject = c.subject;
  m.body = c.body;
  if (c.ticket) m.trailers.emplace_back("Desk-Ticket", c.ticket->id);
  m.trailers.emplace_back("Desk-Action", c.action);
  m.trailers.emplace_back("Desk-Article", c.article.slug);
  if (c.ticket && !c.ticket->history.empty()) m.trailers.emplace_back("Desk-Entry", c.ticket->history.back().id);
  return m;
}

void validate_article(const Article& a, const Config& cfg) {
  require_slug(a.slug);
  validate_title(a.title);
  validate_name_list(a.tags, "tag");
  for (const auto& tier : a.tiers)
    if (!cfg.tier_index(tier))
      throw Error(ErrorKind::invalid, fmt::format("unknown tier '{}'", strip_controls(tier)), "use a tier of the desk's config, such as L1");
  for (const auto& id : a.tickets)
    if (!is_ticket_id(id))
      throw Error(ErrorKind::invalid, fmt::format("'{}' is not a ticket id", strip_controls(id)), "tickets lists full ticket ids");
  if (a.status != "published" && a.status != "draft")
    throw Error(ErrorKind::invalid, fmt::format("unknown article status '{}'", strip_controls(a.status)), "use published or draft");
  if (!is_valid_utf8(a.body)) throw Error(ErrorKind::invalid, "the article text is not valid UTF-8");
}

namespace {

void require_tiers(const std::vector<std::string>& tiers, const Config& cfg) {
  for (const auto& tier : tiers) cfg.require_tier(tier);
}

std::string short_title(const Article& a) { return truncate(a.title, 72); }

}  // namespace

KbChange create_article(const NewArticleArgs& args, const Config& cfg, const Context& ctx,
                        const std::function<bool(const std::string&)>& exists) {
  validate_title(args.title);
  Article a;
  a.title = trim(args.title);
  a.slug = args.slug.empty() ? slugify(a.title) : args.slug;
  if (a.slug.empty())
    throw Error(ErrorKind::invalid, fmt::format("cannot make a slug from the title '{}'", strip_controls(a.title)),
                "choose one with --slug, for example --slug vpn-drops");
  require_slug(a.slug);
  if (exists(a.slug))
    throw Error(ErrorKind::state, fmt::format("an article '{}' already exists", a.slug),
                fmt::format("edit it with `desk kb edit {}`, or choose another slug with --slug", a.slug));
  validate_name_list(args.tags, "tag");
  require_tiers(args.tiers, cfg);
  add_unique(a.tags, args.tags);
  add_unique(a.tiers, args.tiers);
  add_unique(a.tickets, args.tickets);
  a.body = normalize_body(args.body);
  if (a.body.empty())
    throw Error(ErrorKind::usage, "the article text is required", "pass it with -m TEXT or -F FILE (- for standard input)");
  a.status = args.draft ? "draft" : "published";
  a.created = ctx.now;
  a.updated = ctx.now;
  a.author = ctx.actor;
  validate_article(a, cfg);
  std::string subject = fmt::format("kb new {}{}: {}", a.slug, args.draft ? " (draft)" : "", short_title(a));
  return KbChange{a, std::nullopt, "kb-new", subject, {}};
}

KbChange edit_article(Article a, const EditArticleArgs& args, const Config& cfg, const Context& ctx) {
  std::vector<std::string> changed;
  if (args.title) {
    validate_title(*args.title);
    std::string title = trim(*args.title);
    if (title != a.title) {
      a.title = title;
      changed.push_back("title");
    }
  }
  if (args.body) {
    std::string body = normalize_body(*args.body);
    if (body.empty()) throw Error(ErrorKind::usage, "the article text is required", "pass it with -m TEXT or -F FILE");
    if (body != a.body) {
      a.body = body;
      changed.push_back("body");
    }
  }
  validate_name_list(args.add_tags, "tag");
  std::vector<std::string> tags = a.tags;
  add_unique(tags, args.add_tags);
  for (const auto& r : args.remove_tags) tags.erase(std::remove(tags.begin(), tags.end(), r), tags.end());
  if (tags != a.tags) {
    a.tags = tags;
    changed.push_back("tags");
  }
  if (!args.tiers.empty()) {
    require_tiers(args.tiers, cfg);
    std::vector<std::string> tiers;
    add_unique(tiers, args.tiers);
    if (tiers != a.tiers) {
      a.tiers = tiers;
      changed.push_back("tiers");
    }
  }
  if (args.publish && a.status != "published") {
    a.status = "published";
    changed.push_back("published");
  }
  if (changed.empty())
    throw Error(ErrorKind::usage, fmt::format("the edit would change nothing in article '{}'", a.slug),
                "pass --title, --tag, --untag, --tier, --publish or -m/-F with a new value, or run it on a terminal for $EDITOR");
  a.updated = ctx.now;
  validate_article(a, cfg);
  std::string subject = fmt::format("kb edit {} ({}): {}", a.slug, join(changed, ", "), short_title(a));
  return KbChange{a, std::nullopt, "kb-edit", subject, {}};
}

KbChange edited_article(const Article& before, Article after, const Config& cfg, const Context& ctx) {
  after.slug = before.slug;
  after.body = normalize_body(after.body);
  try {
    validate_article(after, cfg);
  } catch (const Error& e) {
    throw Error(ErrorKind::invalid, e.what(), e.hint());
  }
  if (after.created != before.created) throw Error(ErrorKind::invalid, "'created' cannot change", "put it back");
  std::vector<std::string> changed;
  if (after.title != before.title) changed.push_back("title");
  if (after.tags != before.tags) changed.push_back("tags");
  if (after.tiers != before.tiers) changed.push_back("tiers");
  if (after.tickets != before.tickets) changed.push_back("tickets");
  if (after.status != before.status) changed.push_back("status");
  if (after.author != before.author) changed.push_back("author");
  if (!(after.extra == before.extra)) changed.push_back("other");
  if (after.body != before.body) changed.push_back("body");
  if (changed.empty()) throw Error(ErrorKind::usage, fmt::format("no changes to article '{}'", before.slug));
  after.updated = ctx.now;
  std::string subject = fmt::format("kb edit {} ({}): {}", after.slug, join(changed, ", "), short_title(after));
  return KbChange{after, std::nullopt, "kb-edit", subject, {}};
}

Article draft_from_ticket(const Ticket& t, const Config& cfg, const Context& ctx, std::string slug) {
  Article a;
  a.title = t.title;
  a.slug = slug.empty() ? slugify(t.title) : std::move(slug);
  a.tags = t.tags;
  a.tiers = {cfg.lowest_ticket_tier().name};
  a.tickets = {t.id};
  a.status = "draft";
  a.created = ctx.now;
  a.updated = ctx.now;
  a.author = ctx.actor;
  std::string body = "## Symptom\n\n" + (trim(t.description).empty() ? std::string("(describe the symptom)") : trim(t.description)) + "\n";
  std::string notes;
  for (const auto& e : t.history) {
    if ((e.action != "escalate" && e.action != "deescalate") || e.text.empty()) continue;
    std::string text = trim(e.text);
    for (size_t p = text.find('\n'); p != std::string::npos; p = text.find('\n', p + 3)) text.replace(p, 1, "\n  ");
    notes += fmt::format("- {} {} -> {}: {}\n", e.action == "escalate" ? "Escalated" : "De-escalated", e.from, e.to, text);
  }
  if (!notes.empty()) body += "\n## What was tried\n\n" + notes;
  body += "\n## Resolution\n\n" + trim(t.resolution) + "\n";
  a.body = normalize_body(body);
  return a;
}

KbChange resolve_with_article(Ticket t, const Config& cfg, const Context& ctx, const std::string& resolution, Article article,
                              const std::function<bool(const std::string&)>& exists) {
  Change resolved = resolve(std::move(t), ctx, resolution);
  if (article.slug.empty())
    throw Error(ErrorKind::invalid, fmt::format("cannot make a slug from the title '{}'", strip_controls(resolved.ticket.title)),
                "choose one with --slug, for example --slug vpn-drops");
  require_slug(article.slug);
  if (exists(article.slug))
    throw Error(ErrorKind::state, fmt::format("an article '{}' already exists", article.slug),
                fmt::format("choose another slug with --slug, or link the ticket to it: desk link {} kb/{}", short_id(resolved.ticket.id), article.slug));
  article.body = normalize_body(article.body);
  if (article.body.empty()) throw Error(ErrorKind::usage, "the article text is empty", "nothing was changed");
  validate_article(article, cfg);
  Change linked = link_articles(std::move(resolved.ticket), ctx, {article.slug}, false);
  std::string subject = fmt::format("resolve {} + kb draft {}: {}", short_id(linked.ticket.id), article.slug, truncate(linked.ticket.title, 60));
  return KbChange{std::move(article), std::move(linked.ticket), "resolve", std::move(subject), resolved.body};
}

}  // namespace desk
