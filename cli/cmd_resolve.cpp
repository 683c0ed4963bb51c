#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/editor_context.hpp"
#include "core/store/index.hpp"
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

// Resolves a problem and each of its open incidents with the same resolution, in one commit. A
// problem already resolved or closed is left as it is and only its incidents are resolved.
void resolve_with_incidents(Session& s, const std::string& id, const std::string& text, bool force, bool json) {
  Desk& d = s.desk();
  Context ctx = s.context();
  std::vector<Change> changes;
  size_t incidents = 0;
  std::string title;
  auto subject_of = [&] {
    return fmt::format("resolve {} and {} incident{}: {}", short_id(id), incidents, incidents == 1 ? "" : "s", truncate(title, 72));
  };
  auto r = s.commit_changes(
      [&](const Snapshot& snap) {
        std::vector<Change> out;
        Ticket p = snap.ticket(id);
        title = p.title;
        if (p.type != problem_type)
          throw Error(ErrorKind::invalid, fmt::format("ticket {} is not a problem (its type is {})", short_id(id), p.type.empty() ? "not set" : strip_controls_line(p.type)),
                      "--resolve-incidents resolves a problem and the incidents linked to it (desk link INCIDENT --problem PROBLEM)");
        if (is_active_status(p.status)) {
          if (!force) require_required_steps(p, "resolve");
          out.push_back(resolve(std::move(p), ctx, text));
        }
        for (const auto& inc : tickets_linking_to(d, snap, id, "problem")) {
          Ticket t = snap.ticket(inc);
          if (!is_active_status(t.status)) continue;
          try {
            if (!force) require_required_steps(t, "resolve");
            out.push_back(resolve(std::move(t), ctx, text));
          } catch (const Error& e) {
            throw Error(e.kind(), fmt::format("incident {}: {}", short_id(inc), e.what()),
                        (e.hint().empty() ? std::string() : e.hint() + "; ") + "no ticket was changed (all or nothing)");
          }
        }
        if (out.empty())
          throw Error(ErrorKind::state, fmt::format("problem {} is {} and has no open incidents: nothing to resolve", short_id(id), p.status));
        incidents = out.size() - (out.front().ticket.id == id ? 1 : 0);
        return out;
      },
      changes, [&](const std::vector<Change>&) { return subject_of(); });
  std::string subject = subject_of();
  s.report(r, changes.size() == 1 ? changes.front().subject : subject);
  if (!r.commit.empty()) s.warn_unchecked(changes);
  if (json) s.print_changes_json(r.commit, changes, subject);
}

// After a plain resolve: a note for each problem that still has open incidents.
void note_open_incidents(Session& s, const std::vector<Change>& changes) {
  Desk& d = s.desk();
  Snapshot snap = d.head();
  for (const auto& c : changes) {
    if (c.ticket.type != problem_type) continue;
    size_t open = 0;
    for (const auto& inc : tickets_linking_to(d, snap, c.ticket.id, "problem")) {
      try {
        if (is_active_status(snap.ticket(inc).status)) ++open;
      } catch (const Error&) {
      }
    }
    if (open)
      s.err() << fmt::format("desk: note: problem {} has {} open incident{}; resolve them with it: desk resolve {} --resolve-incidents -m TEXT\n",
                             short_id(c.ticket.id), open, open == 1 ? "" : "s", short_id(c.ticket.id));
  }
}

}  // namespace

void define_resolve(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    TextOption text;
    bool kb = false;
    std::string slug;
    bool json = false, force = false, incidents = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  add_text_options(cmd, o->text, "the resolution: what fixed it");
  // Hidden until the knowledge base is documented in desk(1) and the completions.
  cmd.add_flag("--kb", o->kb, "also draft a knowledge-base article from the ticket, in the same commit");
  cmd.add_flag("--force", o->force, "resolve even when required checklist steps are not done (they are listed as a warning)");
  cmd.add_flag("--resolve-incidents", o->incidents,
               "for a problem: resolve its open incidents too, with the same resolution, in the same commit");
  cmd.add_option("--slug", o->slug, "with --kb: the article's slug (default: from the title)")->type_name("NEW_SLUG");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    if (!o->slug.empty() && !o->kb) throw Error(ErrorKind::usage, "--slug needs --kb", "desk resolve ID --kb --slug SLUG -m TEXT");
    if (!o->slug.empty()) require_slug(o->slug);
    if (o->incidents && o->kb) throw Error(ErrorKind::usage, "--resolve-incidents and --kb go in two commands", "resolve with --resolve-incidents, then draft the article with desk kb new");
    std::vector<std::string> problem_ids;
    if (o->incidents) {
      problem_ids = s.resolve_ids(o->ids);
      if (problem_ids.size() != 1) throw Error(ErrorKind::usage, "--resolve-incidents resolves one problem and its incidents", "name one problem ticket");
    }
    std::string text = s.read_text(o->text, "the resolution", "# What fixed it?\n", editor_context_for(s, o->ids, Audience::resolution));
    Context ctx = s.context();
    if (o->incidents) {
      resolve_with_incidents(s, problem_ids.front(), text, o->force, o->json);
      return;
    }
    if (!o->kb) {
      auto done = s.mutate_and_print(o->ids, o->json, [&](Ticket t) {
        if (!o->force) require_required_steps(t, "resolve");
        return resolve(std::move(t), ctx, text);
      });
      if (!done.result.commit.empty()) {
        s.warn_unchecked(done.changes);
        note_open_incidents(s, done.changes);
      }
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
