#pragma once
// The L0 knowledge base: articles are Markdown files kb/<slug>.md with a TOML front matter
// between two `+++` lines. Parse with toml++, emit canonically (fixed key order, unknown keys
// kept), so emit(parse(s)) == s for canonical files.
#include <toml++/toml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/desk.hpp"
#include "core/util/timeutil.hpp"
#include "core/model/workflow.hpp"

namespace desk {

inline constexpr size_t slug_max_length = 64;
inline constexpr std::string_view kb_dir = "kb";

struct Article {
  std::string slug;  // from the file name; not stored in the file
  std::string title;
  std::vector<std::string> tags;
  std::vector<std::string> tiers;    // the tiers the article is written for, e.g. ["L1"]
  std::vector<std::string> tickets;  // related ticket ids
  std::string status = "published";  // published | draft
  std::optional<Timestamp> created, updated;
  std::string author;
  toml::table extra;  // front matter keys desk does not know, kept as they are
  std::string body;   // Markdown, without trailing white space
};

/// True for a valid slug: [a-z0-9]+(-[a-z0-9]+)*, at most slug_max_length characters.
bool is_valid_slug(std::string_view slug);

/// A slug derived from a title: ASCII letters and digits lowercased, every other run of
/// characters one hyphen, cut at a hyphen to fit slug_max_length. "" when nothing is left.
std::string slugify(std::string_view title);

/// Throws Error(invalid) naming the slug when it is not valid, with a hint on the form.
void require_slug(std::string_view slug);

/// kb/<slug>.md. The slug must be valid.
std::string article_path(std::string_view slug);

/// Parses an article file. Throws Error(invalid) with "path:line:column: what" when the front
/// matter is missing or not TOML, or a known key has the wrong type or title is missing.
Article parse_article(std::string_view text, std::string_view path, std::string slug);

/// Writes an article in canonical form.
std::string emit_article(const Article& a);

/// Every article under kb/ at a snapshot, sorted by slug, and a Problem for each file that
/// does not parse or whose name is not a valid slug.
std::pair<std::vector<Article>, std::vector<Problem>> all_articles(const Snapshot& snap);

/// One article; throws Error(not_found) when there is none, Error(invalid) when it does not parse.
Article read_article(const Snapshot& snap, std::string_view slug);

/// What a knowledge-base write commits: the files and the message.
struct KbChange {
  Article article;
  std::optional<Ticket> ticket;  // a ticket changed in the same commit
  std::string action;            // Desk-Action trailer
  std::string subject;
  std::string body;
};

/// The commit for a KbChange: the article's file, the ticket's file when there is one, and
/// the trailers (Desk-Action, Desk-Article, Desk-Ticket).
Mutation kb_mutation(const KbChange& c);

struct NewArticleArgs {
  std::string title;
  std::string body;
  std::vector<std::string> tags, tiers, tickets;
  std::string slug;  // "" derives it from the title
  bool draft = false;
};

/// A new article. Throws Error(invalid) for a bad title, slug, tag or tier, Error(usage) for an
/// empty body, Error(state) when `exists(slug)` (with a --slug hint).
KbChange create_article(const NewArticleArgs& args, const Config& cfg, const Context& ctx,
                        const std::function<bool(const std::string&)>& exists);

struct EditArticleArgs {
  std::optional<std::string> title, body;
  std::vector<std::string> add_tags, remove_tags, tiers;
  bool publish = false;
};

/// Applies non-interactive edits. Throws Error(usage) when nothing would change.
KbChange edit_article(Article a, const EditArticleArgs& args, const Config& cfg, const Context& ctx);

/// Accepts a hand edit of the whole file: validated, `created` kept, `updated` stamped.
/// Throws Error(usage) when nothing changed.
KbChange edited_article(const Article& before, Article after, const Config& cfg, const Context& ctx);

/// A draft article from a resolved ticket: title, symptom (description), hand-off notes
/// (escalations and de-escalations with their tiers), resolution; tickets = [id], tags from the
/// ticket, tiers = the lowest ticket tier, status draft.
Article draft_from_ticket(const Ticket& t, const Config& cfg, const Context& ctx, std::string slug);

/// Resolves the ticket and adds `article` (a draft from draft_from_ticket, perhaps edited) in
/// one change; the ticket gets the resolve entry and a link to the article. Throws as resolve
/// does, Error(invalid) for an invalid article, Error(state) when `exists(slug)`.
KbChange resolve_with_article(Ticket t, const Config& cfg, const Context& ctx, const std::string& resolution, Article article,
                              const std::function<bool(const std::string&)>& exists);

/// Checks a whole article's fields (title, tags, tiers, status, ticket ids); throws Error(invalid).
void validate_article(const Article& a, const Config& cfg);

}  // namespace desk
