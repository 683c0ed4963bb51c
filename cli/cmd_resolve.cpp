#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace fs = std::filesystem;

namespace desk::cli {

namespace {

// Opens the drafted article in the editor and returns it as edited; nullopt when the file was
// emptied (the user aborts). Unlike texts, the file is not stripped of '#' lines: they are
// Markdown headings.
std::optional<Article> edit_draft(Session& s, const Article& draft) {
  std::string path = std::string(git_repository_path(s.desk().repo())) + "DESK_KB_DRAFT.md";
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << emit_article(draft);
  }
  int rc = s.env().run_editor(*s.env().editor, path);
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  f.close();
  fs::remove(path);
  if (rc != 0) throw Error(ErrorKind::io, fmt::format("the editor '{}' exited with status {}", *s.env().editor, rc), "nothing was changed");
  if (trim(ss.str()).empty()) return std::nullopt;
  Article a = parse_article(ss.str(), "the draft", draft.slug);
  a.created = draft.created;
  return a;
}

}  // namespace

void define_resolve(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    TextOption text;
    bool kb = false;
    std::string slug;
    bool json = false, force = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  add_text_options(cmd, o->text, "the resolution: what fixed it");
  // Hidden until the knowledge base is documented in desk(1) and the completions.
  cmd.add_flag("--kb", o->kb, "also draft a knowledge-base article from the ticket, in the same commit");
  cmd.add_flag("--force", o->force, "resolve even when required checklist steps are not done (they are listed as a warning)");
  cmd.add_option("--slug", o->slug, "with --kb: the article's slug (default: from the title)")->type_name("NEW_SLUG");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    if (!o->slug.empty() && !o->kb) throw Error(ErrorKind::usage, "--slug needs --kb", "desk resolve ID --kb --slug SLUG -m TEXT");
    if (!o->slug.empty()) require_slug(o->slug);
    std::string text = s.read_text(o->text, "the resolution", "# What fixed it?\n");
    Context ctx = s.context();
    if (!o->kb) {
      auto done = s.mutate_and_print(o->ids, o->json, [&](Ticket t) {
        if (!o->force) require_required_steps(t, "resolve");
        return resolve(std::move(t), ctx, text);
      });
      if (!done.result.commit.empty()) s.warn_unchecked(done.changes);
      return;
    }
    Desk& d = s.desk();
    std::vector<std::string> ids = s.resolve_ids(o->ids);
    if (ids.size() != 1) throw Error(ErrorKind::usage, "--kb drafts one article from one ticket", "resolve the others without --kb");
    std::string id = ids.front();
    Snapshot snap = d.head();
    // Resolve once up front: a ticket that cannot be resolved fails before any editor opens.
    if (!o->force) require_required_steps(snap.ticket(id), "resolve");
    Change preview = resolve(snap.ticket(id), ctx, text);
    Article article = draft_from_ticket(preview.ticket, d.config(), ctx, o->slug);
    if (article.slug.empty())
      throw Error(ErrorKind::invalid, fmt::format("cannot make a slug from the title '{}'", strip_controls_line(preview.ticket.title)),
                  "choose one with --slug, for example --slug vpn-drops");
    if (snap.read(article_path(article.slug)))
      throw Error(ErrorKind::state, fmt::format("an article '{}' already exists", article.slug),
                  fmt::format("choose another slug with --slug, or link the ticket to it: desk link {} kb/{}", short_id(id), article.slug));
    if (s.env().stdin_tty && s.env().stdout_tty && s.env().editor) {
      auto edited = edit_draft(s, article);
      if (!edited) throw Error(ErrorKind::usage, "the article draft is empty: nothing was changed", "run the command again and keep some text");
      article = std::move(*edited);
    }
    auto [author, committer] = s.identity();
    KbChange last;
    CommitResult r = d.commit(author, committer, s.now(), [&](const Snapshot& now_snap) {
      last = resolve_with_article(now_snap.ticket(id), d.config(), ctx, text, article,
                                  [&](const std::string& slug) { return now_snap.read(article_path(slug)).has_value(); });
      return kb_mutation(last);
    });
    s.report(r, last.subject);
    if (o->json) print_kb_change_json(s, r.commit, last);
  });
}

}  // namespace desk::cli
