#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/render.hpp"
#include "core/util/error.hpp"
#include "core/store/index.hpp"
#include "core/store/search.hpp"
#include "core/store/suggest.hpp"
#include "core/model/id.hpp"
#include "core/model/limits.hpp"
#include "core/util/text.hpp"

namespace fs = std::filesystem;

namespace desk::cli {

void write_article_fields(JsonWriter& w, const Article& a, bool body) {
  w.key("slug").value(a.slug);
  w.key("path").value(article_path(a.slug));
  w.key("title").value(a.title);
  auto list = [&](const char* key, const std::vector<std::string>& v) {
    w.key(key).begin_array();
    for (const auto& x : v) w.value(x);
    w.end_array();
  };
  list("tags", a.tags);
  list("tiers", a.tiers);
  list("tickets", a.tickets);
  w.key("status").value(a.status);
  if (a.created) w.key("created").value(format_time(*a.created));
  if (a.updated) w.key("updated").value(format_time(*a.updated));
  if (!a.author.empty()) w.key("author").person(a.author);
  for (auto&& [k, v] : a.extra) w.key(k.str()).toml(v);
  if (body) w.key("body").value(a.body);
}

void print_kb_change_json(Session& s, const std::string& commit, const KbChange& c) {
  JsonWriter w = s.json();
  begin_change_json(w, commit, c.action, c.subject);
  w.key("article").begin_object();
  write_article_fields(w, c.article, true);
  w.end_object();
  if (c.ticket) {
    w.key("ticket");
    write_ticket_json(w, *c.ticket);
  }
  w.end_object();
  s.out() << w.str();
}

Suggestions suggestions_at(const Desk& d, const Snapshot& snap, const Ticket& t) {
  std::unique_ptr<Index> holder;
  return suggest_for(index_or_memory(d, snap, holder), t);
}

void write_suggestions_json(JsonWriter& w, const Suggestions& sg) {
  w.begin_object();
  w.key("articles").begin_array();
  for (const auto& a : sg.articles)
    w.begin_object().key("slug").value(a.key).key("title").value(a.title).key("score").value(a.score).end_object();
  w.end_array();
  w.key("tickets").begin_array();
  for (const auto& t : sg.tickets)
    w.begin_object().key("id").value(t.key).key("title").value(t.title).key("status").value(t.status).key("score").value(t.score).end_object();
  w.end_array();
  w.end_object();
}

std::string render_suggestions(const Suggestions& sg) {
  std::string out;
  if (!sg.articles.empty()) {
    out += "related articles (desk kb show SLUG; desk link ID kb/SLUG):\n";
    for (const auto& a : sg.articles) out += fmt::format("  kb/{}  {}  ({:.2f})\n", a.key, strip_controls_line(a.title), a.score);
  }
  if (!sg.tickets.empty()) {
    out += "possible duplicates (desk close ID --duplicate-of OTHER):\n";
    for (const auto& t : sg.tickets)
      out += fmt::format("  {}  {} [{}]  ({:.2f})\n", t.key, strip_controls_line(t.title), strip_controls_line(t.status), t.score);
  }
  return out;
}

namespace {

// Commits a knowledge-base change built from a fresh snapshot, reports it, and returns it.
std::pair<CommitResult, KbChange> commit_kb(Session& s, const std::function<KbChange(const Snapshot&)>& build) {
  auto [author, committer] = s.identity();
  KbChange last;
  CommitResult r = s.desk().commit(author, committer, s.now(), [&](const Snapshot& snap) {
    last = build(snap);
    return kb_mutation(last);
  });
  s.report(r, last.subject);
  return {r, last};
}

// The instruction line of an article opened in the editor. Markdown headings start with '#',
// so, unlike other texts, the instructions are an HTML comment removed by exact match.
constexpr std::string_view markdown_instructions =
    "<!-- Write the article in Markdown: the symptom, then the fix step by step. An empty text aborts. -->";

std::string edit_markdown(Session& s, const std::string& title) {
  std::string path = std::string(git_repository_path(s.desk().repo())) + "DESK_KB_ARTICLE.md";
  write_file(path, std::string(markdown_instructions) + "\n\n# " + title + "\n\n");
  int rc = s.env().run_editor(*s.env().editor, path);
  std::string text = read_file(path, max_text_bytes + markdown_instructions.size() + title.size() + 8);
  fs::remove(path);
  if (rc != 0) throw Error(ErrorKind::io, fmt::format("the editor '{}' exited with status {}", *s.env().editor, rc), "the text was not used");
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (line != markdown_instructions) out.append(line).append("\n");
    start = end + 1;
  }
  // Only the heading desk put there is no article.
  if (trim(out) == "# " + trim(title)) return "";
  return out;
}

std::string list_text(const std::vector<std::string>& v) { return strip_controls_line(join(v, ", ")); }

void define_kb_new(CLI::App& cmd, Session& s) {
  struct Options {
    NewArticleArgs args;
    TextOption text;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("TITLE", o->args.title, "the article's title")->required();
  add_text_options(cmd, o->text, "the article text, Markdown");
  cmd.add_option("--tag", o->args.tags, "a tag (repeatable)")->type_name("TAG");
  cmd.add_option("--tier", o->args.tiers, "a tier the article is written for (repeatable), e.g. L1")->type_name("TIER");
  cmd.add_option("--slug", o->args.slug, "the file name kb/SLUG.md (default: from the title)")->type_name("NEW_SLUG");
  cmd.add_flag("--draft", o->args.draft, "save it as a draft: not listed or searched without --all");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    NewArticleArgs args = o->args;
    if (!args.slug.empty()) require_slug(args.slug);
    bool given = !o->text.messages.empty() || !o->text.file.empty();
    if (!given && s.env().stdin_tty && s.env().stdout_tty && s.env().editor)
      args.body = edit_markdown(s, args.title);
    else
      args.body = s.read_text(o->text, "the article", "");
    Context ctx = s.context();
    auto [r, c] = commit_kb(s, [&](const Snapshot& snap) {
      return create_article(args, d.config(), ctx, [&](const std::string& slug) { return snap.read(article_path(slug)).has_value(); });
    });
    if (o->json)
      print_kb_change_json(s, r.commit, c);
    else
      s.out() << c.article.slug << "\n";
  });
}

void define_kb_edit(CLI::App& cmd, Session& s) {
  struct Options {
    std::string slug;
    std::optional<std::string> title;
    std::vector<std::string> tags, untags, tiers;
    bool publish = false;
    TextOption text;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("SLUG", o->slug, "the article")->required();
  cmd.add_option("--title", o->title, "a new title")->type_name("TITLE");
  cmd.add_option("--tag", o->tags, "add a tag (repeatable)")->type_name("TAG");
  cmd.add_option("--untag", o->untags, "remove a tag (repeatable)")->type_name("TAG");
  cmd.add_option("--tier", o->tiers, "set the tiers (repeatable; replaces them)")->type_name("TIER");
  cmd.add_flag("--publish", o->publish, "publish a draft");
  add_text_options(cmd, o->text, "a new article text, replacing the body");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    require_slug(o->slug);
    std::string path = article_path(o->slug);
    Snapshot snap = d.head();
    Article before = read_article(snap, o->slug);
    Context ctx = s.context();
    bool flags = o->title || !o->tags.empty() || !o->untags.empty() || !o->tiers.empty() || o->publish ||
                 !o->text.messages.empty() || !o->text.file.empty();
    if (flags) {
      EditArticleArgs args;
      args.title = o->title;
      args.add_tags = o->tags;
      args.remove_tags = o->untags;
      args.tiers = o->tiers;
      args.publish = o->publish;
      if (!o->text.messages.empty() || !o->text.file.empty()) args.body = s.read_text(o->text, "the article", "");
      auto [r, c] = commit_kb(s, [&](const Snapshot& now_snap) { return edit_article(read_article(now_snap, o->slug), args, d.config(), ctx); });
      if (o->json) print_kb_change_json(s, r.commit, c);
      return;
    }
    if (!s.env().editor)
      throw Error(ErrorKind::usage, "no editor: set EDITOR (or VISUAL, or DESK_EDITOR), or pass --title, --tag, --untag, --tier, --publish or -m/-F",
                  "for example: desk kb edit " + o->slug + " --tag vpn");
    std::string before_text = *snap.read(path);
    if (d.is_dirty(snap, path))
      throw Error(ErrorKind::dirty, fmt::format("{} has uncommitted changes; desk will not overwrite them", path),
                  fmt::format("commit them (`git commit {}`) or discard them (`git checkout HEAD -- {}`)", path, path));
    // As with `desk edit`: the draft stays in .git/desk/ until it is committed.
    std::string draft = std::string(git_repository_path(d.repo())) + "desk/kb-" + o->slug + ".md";
    std::string base_file = draft + ".base";
    if (fs::exists(draft) && fs::exists(base_file) && read_file(base_file) == before_text) {
      s.status(fmt::format("resuming your earlier edit of kb/{} from {}", o->slug, draft));
    } else {
      write_file(draft, before_text);
      write_file(base_file, before_text);
    }
    auto keep_hint = [&] {
      return fmt::format("your edit is kept in {}; run `desk kb edit {}` again to fix it, or delete that file to start over", draft, o->slug);
    };
    int rc = s.env().run_editor(*s.env().editor, draft);
    if (rc != 0) throw Error(ErrorKind::io, fmt::format("the editor exited with status {}", rc), keep_hint());
    std::string after_text = read_file(draft, max_file_bytes);
    if (after_text.size() > max_file_bytes)
      throw Error(ErrorKind::invalid, fmt::format("the edited article is over {}, the most an article file may be", format_size(max_file_bytes)),
                  keep_hint());
    auto done = [&] {
      fs::remove(draft);
      fs::remove(base_file);
    };
    if (after_text == before_text) {
      done();
      s.status(fmt::format("no changes to kb/{}", o->slug));
      return;
    }
    KbChange change;
    try {
      change = edited_article(before, parse_article(after_text, draft, o->slug), d.config(), ctx);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::usage) {
        done();
        s.status(fmt::format("no changes to kb/{}", o->slug));
        return;
      }
      throw Error(e.kind(), fmt::format("the edit of kb/{} is not valid: {}", o->slug, e.what()), keep_hint());
    }
    auto [r, c] = commit_kb(s, [&](const Snapshot& now_snap) {
      if (now_snap.read(path) != before_text)
        throw Error(ErrorKind::conflict, fmt::format("article kb/{} changed while you were editing it", o->slug), keep_hint());
      return change;
    });
    done();
    if (o->json) print_kb_change_json(s, r.commit, c);
  });
}

void define_kb_show(CLI::App& cmd, Session& s) {
  struct Options {
    std::string slug;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("SLUG", o->slug, "the article")->required();
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    Snapshot snap = d.head();
    Article a = read_article(snap, o->slug);
    // The tickets linking to the article, one ticket at a time (texts are not needed).
    struct Linked {
      std::string id, title, status;
    };
    std::vector<Linked> linked;
    TicketQuery q;
    q.texts = false;
    for_each_ticket(d, snap, q, [&] { linked.clear(); }, [&](Ticket&& t) {
      if (std::find(t.kb.begin(), t.kb.end(), a.slug) != t.kb.end()) linked.push_back({t.id, t.title, t.status});
    });
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_document();
      write_article_fields(w, a, true);
      w.key("linked_tickets").begin_array();
      for (const auto& t : linked)
        w.begin_object().key("id").value(t.id).key("title").value(t.title).key("status").value(t.status).end_object();
      w.end_array();
      w.end_object();
      s.out() << w.str();
      return;
    }
    std::string out = s.paint("kb/" + a.slug, "33") + "  " + s.paint(strip_controls_line(a.title), "1") + "\n";
    std::vector<std::pair<std::string, std::string>> rows = {
        {"status", strip_controls_line(a.status)},
        {"tags", list_text(a.tags)},
        {"tiers", list_text(a.tiers)},
        {"tickets", list_text(a.tickets)},
        {"author", strip_controls_line(a.author)},
        {"created", a.created ? human_time(*a.created) + " UTC" : ""},
        {"updated", a.updated ? human_time(*a.updated) + " UTC" : ""},
    };
    for (const auto& [k, v] : rows)
      if (!v.empty()) out += fmt::format("{:<10} {}\n", k, v);
    if (!a.body.empty()) out += "\n" + indent(strip_controls(a.body), 2);
    out += "\n" + s.paint("Linked tickets", "1") + "\n";
    if (linked.empty()) out += "  (none)\n";
    for (const auto& t : linked) out += fmt::format("  {}  {} [{}]\n", t.id, strip_controls_line(t.title), strip_controls_line(t.status));
    s.page(out);
  });
}

void define_kb_list(CLI::App& cmd, Session& s) {
  struct Options {
    std::string tag, tier;
    bool drafts = false, all = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("--tag", o->tag, "only articles with this tag")->type_name("TAG");
  cmd.add_option("--tier", o->tier, "only articles for this tier")->type_name("TIER");
  auto* drafts = cmd.add_flag("--drafts", o->drafts, "only drafts");
  cmd.add_flag("--all", o->all, "published articles and drafts")->excludes(drafts);
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    auto [articles, problems] = all_articles(d.head());
    for (const auto& p : problems) s.err() << "desk: warning: " << strip_controls_line(p.message) << "\n";
    std::vector<Article> shown;
    for (auto& a : articles) {
      bool draft = a.status == "draft";
      if (o->drafts ? !draft : (!o->all && draft)) continue;
      if (!o->tag.empty() && std::find(a.tags.begin(), a.tags.end(), o->tag) == a.tags.end()) continue;
      if (!o->tier.empty() && std::find(a.tiers.begin(), a.tiers.end(), o->tier) == a.tiers.end()) continue;
      shown.push_back(std::move(a));
    }
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_document().key("articles").begin_array();
      for (const auto& a : shown) {
        w.begin_object();
        write_article_fields(w, a, false);
        w.end_object();
      }
      w.end_array().end_object();
      s.out() << w.str();
      return;
    }
    if (shown.empty()) {
      s.status(articles.empty() ? "the knowledge base is empty; add an article with `desk kb new TITLE -m TEXT`" : "no articles match");
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : shown) rows.push_back({a.slug, a.status, list_text(a.tags), strip_controls_line(a.title)});
    s.page_table({{"SLUG"}, {"STATUS", 60}, {"TAGS", 50, 20}, {"TITLE", 100, 0, true, 30}}, rows);
  });
}

void define_kb_search(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> words;
    size_t limit = 10;
    bool all = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("TEXT", o->words, "the words to look for")->required();
  cmd.add_option("-n,--limit", o->limit, "at most N results (default 10; 0: all)")->type_name("N");
  cmd.add_flag("--all", o->all, "search drafts too");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string query = join(o->words, " ");
    if (tokenize(query).empty())
      throw Error(ErrorKind::usage, fmt::format("the search '{}' has no words to look for", query),
                  "common words such as 'the' and 'is' are left out; search for the symptom: desk kb search vpn drops");
    Desk& d = s.desk();
    Snapshot snap = d.head();
    auto [articles, problems] = all_articles(snap);
    for (const auto& p : problems) s.err() << "desk: warning: " << strip_controls_line(p.message) << "\n";
    SearchScope scope;
    scope.tickets = false;
    scope.drafts = o->all;
    scope.limit = o->limit;
    std::unique_ptr<Index> holder;
    auto hits = index_or_memory(d, snap, holder).search(query, scope);
    std::map<std::string, const Article*> by_slug;
    for (const auto& a : articles) by_slug[a.slug] = &a;
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_document().key("query").value(query).key("results").begin_array();
      for (const auto& h : hits) {
        w.begin_object().key("score").value(h.score);
        write_article_fields(w, *by_slug.at(h.key), false);
        w.end_object();
      }
      w.end_array().end_object();
      s.out() << w.str();
      return;
    }
    if (hits.empty()) {
      s.status(fmt::format("no articles match '{}'", strip_controls_line(query)));
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : hits) {
      const Article& a = *by_slug.at(h.key);
      rows.push_back({fmt::format("{:.2f}", h.score), a.slug + (a.status == "draft" ? " (draft)" : ""), strip_controls_line(a.title)});
    }
    s.page_table({{"SCORE"}, {"SLUG"}, {"TITLE", 100, 0, true, 30}}, rows);
  });
}

}  // namespace

/// Links a ticket to articles (or unlinks them) in one commit; shared by `desk link` and
/// `desk kb link`.
void link_ticket_to_articles(Session& s, const std::string& prefix, const std::vector<std::string>& slugs, bool remove, bool json) {
  Desk& d = s.desk();
  for (const auto& slug : slugs) require_slug(slug);
  std::string id = d.resolve(prefix);
  Context ctx = s.context();
  Change last;
  auto r = s.commit_change(
      [&](const Snapshot& snap) {
        if (!remove)
          for (const auto& slug : slugs)
            if (!snap.read(article_path(slug)))
              throw Error(ErrorKind::not_found, fmt::format("no article '{}'", slug), "list the articles with `desk kb list --all`");
        return link_articles(snap.ticket(id), ctx, slugs, remove);
      },
      last);
  s.report(r, last);
  if (json) print_change_json(s, r.commit, last);
}

void define_kb(CLI::App& cmd, Session& s) {
  cmd.require_subcommand(1);
  define_kb_new(*cmd.add_subcommand("new", "write a new article (Markdown with a TOML front matter) in one commit"), s);
  define_kb_edit(*cmd.add_subcommand("edit", "edit an article in $EDITOR, or with --title, --tag, --tier, --publish, -m"), s);
  define_kb_show(*cmd.add_subcommand("show", "show an article and the tickets linked to it"), s);
  define_kb_list(*cmd.add_subcommand("list", "list the published articles (or drafts, or all)"), s);
  define_kb_search(*cmd.add_subcommand("search", "rank articles by relevance to some words (BM25)"), s);
  auto* link = cmd.add_subcommand("link", "link an article to a ticket: the same as desk link ID kb/SLUG");
  struct LinkOptions {
    std::string slug, id;
    bool remove = false, json = false;
  };
  auto o = std::make_shared<LinkOptions>();
  link->add_option("SLUG", o->slug, "the article")->required();
  link->add_option("ID", o->id, "the ticket")->required();
  link->add_flag("--remove", o->remove, "unlink instead");
  add_json_flag(*link, o->json);
  link->callback([&s, o] { link_ticket_to_articles(s, o->id, {o->slug}, o->remove, o->json); });
}

}  // namespace desk::cli
