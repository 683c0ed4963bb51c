#pragma once
// The derived index: a SQLite database under .git/ (desk-index.sqlite) holding, per ticket file,
// its blob id, the fields whole-desk reads filter and sort on, the ticket in a compact binary
// form (core/ticket_codec) and its words for full-text search (FTS5, porter stemming). It is
// brought up to date from a snapshot incrementally: only the shards whose tree ids changed are
// read. It is never the truth: a reader that cannot open or update it falls back to the files.
#include <sqlite3.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/desk.hpp"
#include "core/store/query.hpp"

namespace desk {

/// Bumped whenever the schema or what a row holds changes; an index of another version is rebuilt.
inline constexpr int index_schema_version = 7;  // 5: the mail table and the outbox column; 6: links; 7: last_at, settled

/// What a whole-desk read wants.
struct TicketQuery {
  /// The statuses wanted (null: every one). As for Snapshot::all_tickets, a file whose status
  /// line names an unwanted status is skipped even when it does not parse.
  std::function<bool(std::string_view status)> status;
  /// A narrowing hint: the index may leave out tickets this filter rejects (tier, priority,
  /// type, assignee, requester, tags). Callers still apply matches(): the result may hold more.
  const ListFilter* filter = nullptr;
  /// False: the description, resolution and history texts may be left empty (a reader that
  /// shows none of them and does not search them).
  bool texts = true;
  /// A narrowing hint for readers of a period starting at this time (stats, report): the index
  /// may leave out the tickets whose every entry lies before it and whose history ends resolved
  /// or closed, since nothing of theirs falls in the period and none is in its backlog.
  std::optional<Timestamp> settled_before;
};

/// The tickets (sorted by id) and the problems (files that do not parse), as all_tickets.
struct TicketSet {
  std::vector<Ticket> tickets;
  std::vector<Problem> problems;
};

/// A ticket as completion shows it.
struct TicketLine {
  std::string id, title, status, tier;
  Timestamp updated{};
  bool readable = true;
};

/// One full-text search hit: a ticket ("ticket") or an article ("article").
struct TextHit {
  std::string kind;
  std::string key;  // ticket id or article slug
  std::string title;
  std::string status;  // a ticket's status, an article's published/draft
  double score = 0;    // higher is better
  std::string snippet; // the best matching passage, the matched words between [ and ]
  std::string duplicate_of;  // a ticket's duplicate_of
};

/// What a full-text search looks at.
struct SearchScope {
  bool tickets = true;
  bool articles = true;
  bool drafts = false;       // draft articles too
  bool active_only = false;  // only new, open and pending tickets
  size_t limit = 0;          // 0: every hit
};

/// Progress of a long build: done of total ticket files.
using IndexProgress = std::function<void(size_t done, size_t total)>;

class Index {
 public:
  /// Opens (or creates) the index at path and brings it up to date with snap. A file that is
  /// corrupt or of another version is rebuilt. Throws Error(io) when it cannot be used at all.
  /// With text, the full-text table is built too (a first build leaves it out otherwise).
  static std::unique_ptr<Index> open(const std::string& path, const Snapshot& snap, const IndexProgress& progress = {},
                                     bool text = false);
  /// An index in memory, built from snap: the same answers without touching the disk.
  static std::unique_ptr<Index> in_memory(const Snapshot& snap);
  ~Index();
  /// Brings the index to another snapshot (cheap when it is already there). Throws Error(io).
  void refresh(const Snapshot& snap, bool text = false);
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  /// The tickets a query wants, exactly as Snapshot::all_tickets(q.status) returns them (less
  /// those q.filter rejects).
  TicketSet tickets(const TicketQuery& q) const;
  /// The same one ticket at a time (in id order), so a reader need not hold them all; returns
  /// the problems.
  std::vector<Problem> each(const TicketQuery& q, const std::function<void(Ticket&&)>& each) const;
  /// The tickets with these ids, in this order. Throws Error when one is missing or damaged.
  void by_id(const std::vector<std::string>& ids, bool texts, const std::function<void(Ticket&&)>& each) const;
  /// Every ticket id, sorted.
  std::vector<std::string> ids() const;
  /// Tickets whose id starts with prefix: active first, then most recently updated; at most limit.
  std::vector<TicketLine> lines(std::string_view prefix, size_t limit) const;
  /// The tickets whose history holds this Message-ID (received or sent), sorted.
  std::vector<std::string> tickets_of_message(std::string_view message_id) const;
  /// How many messages from this sender's address were received at or after since.
  size_t messages_from(std::string_view sender, Timestamp since) const;
  /// The tickets that name id in a relation field, sorted: kind "related" (their related lists
  /// it), "parent" (its children), "problem" (its incidents).
  std::vector<std::string> linking_to(std::string_view id, std::string_view kind) const;
  /// The tickets with messages queued and not yet sent, sorted.
  std::vector<std::string> with_outbox() const;
  /// The distinct non-empty values of a field ("assignee", "requester", "tag"), sorted.
  std::vector<std::string> values(std::string_view field) const;
  /// Full-text search over tickets (title, tags, description, resolution, every comment and
  /// note) and articles (the index must have been opened or refreshed with text): BM25 with title 3, tags 2, body 1; best first, ties articles first,
  /// then by key.
  std::vector<TextHit> search(std::string_view words, const SearchScope& scope) const;

 private:
  explicit Index(sqlite3* db);
  void sync(const Snapshot& snap, const IndexProgress& progress);
  // Updates to snap, then opens a read transaction that sees exactly snap's state.
  void at(const Snapshot& snap, const IndexProgress& progress);
  sqlite3* db_;
  bool reading_ = false;
  bool need_text_ = false;
};

/// The desk's index at snap: d's on-disk index, or null when it is turned off or cannot be used
/// (a read-only .git, say); then readers use the files.
/// With text, the full-text table is brought up to date too (search needs it; lists do not).
Index* desk_index(const Desk& d, const Snapshot& snap, bool text = false);


/// desk_index(d, snap), or, when that cannot be used, an index built in memory from the files
/// (slower, the same answers), owned by holder.
Index& index_or_memory(const Desk& d, const Snapshot& snap, std::unique_ptr<Index>& holder);

/// Every ticket id at snap, sorted (from the index when it can be used).
std::vector<std::string> all_ticket_ids(const Desk& d, const Snapshot& snap);

/// The tickets a whole-desk read wants, one at a time in id order (readers keep only a little of
/// each): from the index when it can be used, else parsed from the files, the same answer.
/// When the index fails part way, restart() is called and every ticket comes again from the files.
std::vector<Problem> for_each_ticket(const Desk& d, const Snapshot& snap, const TicketQuery& q, const std::function<void()>& restart,
                                     const std::function<void(Ticket&&)>& each);

/// The tickets at snap that name id in a relation field, sorted: kind "related", "parent" (id's
/// children) or "problem" (id's incidents). From the index when it can be used, else by reading
/// every ticket file (the same answer).
std::vector<std::string> tickets_linking_to(const Desk& d, const Snapshot& snap, const std::string& id, std::string_view kind);

/// The tickets with these ids (they exist at snap), in this order, one at a time.
void tickets_by_id(const Desk& d, const Snapshot& snap, const std::vector<std::string>& ids, bool texts,
                   const std::function<void(Ticket&&)>& each);

/// The FTS5 query for a person's words: each word quoted (a word of five or more letters as a
/// prefix too), alternatives joined by OR (BM25 ranks documents with more of them first). Empty
/// when there are no words.
std::string fts_query(std::string_view words);

}  // namespace desk
