#include "core/store/index.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "core/util/error.hpp"
#include "core/model/limits.hpp"
#include "core/mail/outbox.hpp"
#include "core/store/git.hpp"
#include "core/model/id.hpp"
#include "core/model/kb.hpp"
#include "core/store/search.hpp"
#include "core/util/text.hpp"
#include "core/model/ticket_codec.hpp"

namespace desk {

namespace {

// A SQLite failure; Index::open turns it into a rebuild or an Error(io).
struct SqlError : std::runtime_error {
  SqlError(int c, const std::string& what) : std::runtime_error(what), code(c) {}
  int code;
};

void ok(sqlite3* db, int rc, std::string_view what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw SqlError(rc, fmt::format("index: {}: {}", what, sqlite3_errmsg(db)));
}

void exec(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  std::string text = msg ? msg : "";
  sqlite3_free(msg);
  if (rc != SQLITE_OK) throw SqlError(rc, fmt::format("index: {}", text));
}

// A prepared statement, reset for reuse by bind().
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) { ok(db, sqlite3_prepare_v2(db, sql, -1, &st_, nullptr), sql); }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
    next_ = 1;
    return *this;
  }
  Stmt& bind(std::string_view v) {
    ok(db_, sqlite3_bind_text(st_, next_++, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT), "bind");
    return *this;
  }
  Stmt& bind_blob(std::string_view v) {
    ok(db_, sqlite3_bind_blob(st_, next_++, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT), "bind");
    return *this;
  }
  Stmt& bind(int64_t v) {
    ok(db_, sqlite3_bind_int64(st_, next_++, v), "bind");
    return *this;
  }
  Stmt& bind_null() {
    ok(db_, sqlite3_bind_null(st_, next_++), "bind");
    return *this;
  }
  Stmt& bind_opt(const std::optional<std::string_view>& v) { return v ? bind(*v) : bind_null(); }
  // True while there is a row.
  bool step() {
    int rc = sqlite3_step(st_);
    ok(db_, rc, "step");
    return rc == SQLITE_ROW;
  }
  void run() {
    while (step()) {
    }
  }
  std::string text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, col))) : std::string();
  }
  std::string_view blob(int col) const {
    const void* p = sqlite3_column_blob(st_, col);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st_, col))) : std::string_view();
  }
  bool null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  int64_t integer(int col) const { return sqlite3_column_int64(st_, col); }
  double real(int col) const { return sqlite3_column_double(st_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
  int next_ = 1;
};

const char* schema = R"(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shards(name TEXT PRIMARY KEY, tree TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tickets(
  n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, shard TEXT NOT NULL, blob TEXT NOT NULL,
  peek TEXT, problem TEXT, status TEXT, tier TEXT, priority TEXT, type TEXT, assignee TEXT,
  requester TEXT, vendor TEXT, title TEXT, updated INTEGER, duplicate_of TEXT, outbox INTEGER NOT NULL DEFAULT 0,
  last_at INTEGER, settled TEXT);
CREATE TABLE IF NOT EXISTS ticket_data(n INTEGER PRIMARY KEY, raw INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS tickets_shard ON tickets(shard);
CREATE INDEX IF NOT EXISTS tickets_status ON tickets(status);
CREATE INDEX IF NOT EXISTS tickets_assignee ON tickets(assignee);
CREATE INDEX IF NOT EXISTS tickets_vendor ON tickets(vendor);
CREATE TABLE IF NOT EXISTS tags(tag TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY(tag, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_id ON tags(id);
CREATE TABLE IF NOT EXISTS links(other TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY(other, kind, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_id ON links(id);
CREATE TABLE IF NOT EXISTS mail(message_id TEXT NOT NULL, id TEXT NOT NULL, sender TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS mail_message ON mail(message_id);
CREATE INDEX IF NOT EXISTS mail_id ON mail(id);
CREATE INDEX IF NOT EXISTS mail_sender ON mail(sender, at);
CREATE INDEX IF NOT EXISTS tickets_outbox ON tickets(outbox) WHERE outbox > 0;
CREATE TABLE IF NOT EXISTS articles(n INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT, status TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, tags, body, tokenize = 'porter unicode61 remove_diacritics 2');
)";

std::string meta_get(sqlite3* db, const char* key) {
  Stmt st(db, "SELECT value FROM meta WHERE key = ?");
  st.bind(std::string_view(key));
  return st.step() ? st.text(0) : std::string();
}

void meta_set(sqlite3* db, const char* key, std::string_view value) {
  Stmt st(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
  st.bind(std::string_view(key)).bind(value).run();
}

std::string version_tag() { return fmt::format("{}.{}", index_schema_version, ticket_codec_version); }

// The id of a subtree of snap's tree, or "" when there is none.
std::string subtree_id(const Snapshot& snap, std::string_view path) {
  auto e = git::tree_entry(snap.tree(), path);
  if (!e || git_tree_entry_type(e.get()) != GIT_OBJECT_TREE) return "";
  return git::oid_hex(*git_tree_entry_id(e.get()));
}

git::TreePtr lookup_tree(git_repository* repo, const git_oid& id) {
  git_tree* t = nullptr;
  git::check(git_tree_lookup(&t, repo, &id), "cannot read a tree");
  return git::TreePtr(t);
}

// One ticket file, read and parsed as Snapshot::all_tickets would.
struct Row {
  std::string id, shard, blob;
  std::optional<std::string> peek, problem;
  std::optional<Ticket> ticket;
  std::string data;
  bool raw = false;
  std::string tags_text, body_text;  // the words for full-text search
};

std::string ticket_body(const Ticket& t) {
  std::string body = t.description;
  auto add = [&](const std::string& s) {
    if (s.empty()) return;
    if (!body.empty()) body += "\n";
    body += s;
  };
  add(t.resolution);
  for (const auto& e : t.history) add(e.text);
  return body;
}

Row read_row(git_repository* repo, const std::string& id, const git_oid& oid) {
  Row r;
  r.id = id;
  r.shard = id.substr(0, 2);
  r.blob = git::oid_hex(oid);
  std::string path = ticket_path(id);
  try {
    check_read_size(path, git::blob_size(repo, oid));
  } catch (const Error& e) {
    r.problem = e.what();
    return r;
  }
  std::string text = git::blob_content(repo, oid);
  if (auto st = peek_status(text); st && std::find(all_statuses.begin(), all_statuses.end(), *st) != all_statuses.end())
    r.peek = std::string(*st);
  try {
    Ticket t = parse_ticket(text, path);
    if (t.id != id) {
      r.problem = fmt::format("{}: the file's id '{}' does not match its name", path, t.id);
    } else {
      if (auto enc = encode_ticket(t)) {
        r.data = std::move(*enc);
      } else {
        r.data = std::move(text);
        r.raw = true;
      }
      r.tags_text = join(t.tags, " ");
      r.body_text = ticket_body(t);
      r.ticket = std::move(t);
    }
  } catch (const Error& e) {
    r.problem = e.what();
  }
  return r;
}

// When the ticket's history last moved (its newest entry, or its creation) and the status its
// history ends in, read as stats reads it (entries in time order, the last status set wins).
std::pair<Timestamp, std::string> settled_state(const Ticket& t) {
  Timestamp last = t.created;
  std::vector<const HistoryEntry*> order;
  for (const auto& e : t.history) {
    last = std::max(last, e.at);
    order.push_back(&e);
  }
  std::stable_sort(order.begin(), order.end(), [](const HistoryEntry* a, const HistoryEntry* b) { return a->at < b->at; });
  std::string status = "new";
  for (const HistoryEntry* e : order)
    if (!e->status.empty()) status = e->status;
  return {last, status};
}

// The statements of one sync, prepared once.
struct Writer {
  explicit Writer(sqlite3* db)
      : find_n(db, "SELECT n FROM tickets WHERE id = ?"),
        del_ticket(db, "DELETE FROM tickets WHERE n = ?"),
        del_data(db, "DELETE FROM ticket_data WHERE n = ?"),
        del_fts(db, "DELETE FROM fts WHERE rowid = ?"),
        del_tags(db, "DELETE FROM tags WHERE id = ?"),
        del_mail(db, "DELETE FROM mail WHERE id = ?"),
        del_links(db, "DELETE FROM links WHERE id = ?"),
        insert(db,
               "INSERT INTO tickets(id, shard, blob, peek, problem, status, tier, priority, type, assignee, requester, vendor, "
               "title, updated, duplicate_of, outbox, last_at, settled) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
        insert_data(db, "INSERT INTO ticket_data(n, raw, data) VALUES (?, ?, ?)"),
        insert_fts(db, "INSERT INTO fts(rowid, title, tags, body) VALUES (?, ?, ?, ?)"),
        insert_tag(db, "INSERT OR IGNORE INTO tags(tag, id) VALUES (?, ?)"),
        insert_mail(db, "INSERT INTO mail(message_id, id, sender, at) VALUES (?, ?, ?, ?)"),
        insert_link(db, "INSERT OR IGNORE INTO links(other, kind, id) VALUES (?, ?, ?)"),
        db_(db) {}

  void remove(const std::string& id) {
    find_n.reset().bind(id);
    if (!find_n.step()) return;
    int64_t n = find_n.integer(0);
    if (fts) del_fts.reset().bind(n).run();
    del_ticket.reset().bind(n).run();
    del_data.reset().bind(n).run();
    del_tags.reset().bind(id).run();
    del_mail.reset().bind(id).run();
    del_links.reset().bind(id).run();
  }

  void put(const Row& r) {
    remove(r.id);
    insert.reset().bind(r.id).bind(r.shard).bind(r.blob).bind_opt(r.peek).bind_opt(r.problem);
    if (r.ticket) {
      const Ticket& t = *r.ticket;
      insert.bind(t.status).bind(t.tier).bind(t.priority).bind(t.type).bind(t.assignee).bind(t.requester).bind(t.vendor).bind(t.title);
      insert.bind(static_cast<int64_t>(t.updated.time_since_epoch().count())).bind(t.duplicate_of);
      insert.bind(static_cast<int64_t>(mail::pending_count(t)));
      auto [last_at, settled] = settled_state(t);
      insert.bind(static_cast<int64_t>(last_at.time_since_epoch().count())).bind(settled);
    } else {
      for (int k = 0; k < 8; ++k) insert.bind_null();
      insert.bind(int64_t{0}).bind_null().bind(int64_t{0}).bind_null().bind_null();
    }
    insert.run();
    if (!r.ticket) return;
    int64_t n = sqlite3_last_insert_rowid(db_);
    insert_data.reset().bind(n).bind(int64_t{r.raw ? 1 : 0}).bind_blob(r.data).run();
    const Ticket& t = *r.ticket;
    if (fts) insert_fts.reset().bind(n).bind(t.title).bind(r.tags_text).bind(r.body_text).run();
    for (const auto& tag : t.tags) insert_tag.reset().bind(tag).bind(t.id).run();
    // What each ticket states about others, for the reverse: children, incidents, related.
    for (const auto& other : t.related) insert_link.reset().bind(other).bind(std::string_view("related")).bind(t.id).run();
    if (!t.parent.empty()) insert_link.reset().bind(t.parent).bind(std::string_view("parent")).bind(t.id).run();
    if (!t.problem.empty()) insert_link.reset().bind(t.problem).bind(std::string_view("problem")).bind(t.id).run();
    // Message-IDs: what mail receive threads by; a received one counts against its sender's rate.
    for (const auto& e : t.history) {
      if (e.message_id.empty()) continue;
      std::string sender = e.action == "mailed" ? std::string() : mail::address_of(e.by);
      insert_mail.reset().bind(e.message_id).bind(t.id).bind(sender).bind(static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(e.at.time_since_epoch()).count())).run();
    }
  }

  bool fts = true;  // keep the full-text table in step (off while it is not built)
  Stmt find_n, del_ticket, del_data, del_fts, del_tags, del_mail, del_links, insert, insert_data, insert_fts, insert_tag, insert_mail, insert_link;

 private:
  sqlite3* db_;
};

// Ticket files of one shard tree, as all_tickets accepts them: id -> blob id.
std::map<std::string, git_oid> shard_files(git_tree* st, std::string_view shard) {
  std::map<std::string, git_oid> out;
  for (size_t k = 0; k < git_tree_entrycount(st); ++k) {
    const git_tree_entry* e = git_tree_entry_byindex(st, k);
    std::string_view name = git_tree_entry_name(e);
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || name.size() != ticket_id_length + 5 || name.substr(ticket_id_length) != ".toml")
      continue;
    std::string id(name.substr(0, ticket_id_length));
    if (!is_ticket_id(id) || id.substr(0, 2) != shard) continue;
    out.emplace(std::move(id), *git_tree_entry_id(e));
  }
  return out;
}

// Reads and parses ticket files on every core while the caller inserts: parsing is what a
// first build after a clone spends its time on. Each worker has its own repository handle.
class Parser {
 public:
  Parser(git_repository* repo, std::vector<std::pair<std::string, git_oid>> todo) : path_(git_repository_path(repo)), todo_(std::move(todo)) {}

  size_t size() const { return todo_.size(); }

  // Rows [begin, end) of the list, parsed by up to `threads` threads.
  std::vector<Row> parse(size_t begin, size_t end, unsigned threads) const {
    std::vector<Row> rows(end - begin);
    auto work = [&](size_t from, size_t to) {
      git_repository* raw = nullptr;
      git::check(git_repository_open_bare(&raw, path_.c_str()), "cannot open the repository");
      git::RepoPtr repo(raw);
      for (size_t i = from; i < to; ++i) rows[i - begin] = read_row(raw, todo_[i].first, todo_[i].second);
    };
    size_t n = end - begin;
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(n / 64 + 1)));
    std::vector<std::future<void>> parts;
    for (unsigned k = 1; k < threads; ++k) parts.push_back(std::async(std::launch::async, work, begin + n * k / threads, begin + n * (k + 1) / threads));
    work(begin, begin + n / threads);
    for (auto& p : parts) p.get();
    return rows;
  }

 private:
  std::string path_;
  std::vector<std::pair<std::string, git_oid>> todo_;
};

// Brings the tickets table to the snapshot's tickets/ tree: shards whose tree ids are unchanged
// are skipped; in the others, files whose blob ids are unchanged are. With fts false the
// full-text table is left out (a first build; build_fts fills it when a search needs it).
void sync_tickets(sqlite3* db, const Snapshot& snap, const std::string& tickets_tree, const IndexProgress& progress, bool fts) {
  git_repository* repo = git_tree_owner(snap.tree());
  std::map<std::string, std::string> stored;  // shard -> tree id
  {
    Stmt st(db, "SELECT name, tree FROM shards");
    while (st.step()) stored.emplace(st.text(0), st.text(1));
  }
  std::map<std::string, git_oid> current;
  if (!tickets_tree.empty()) {
    auto e = git::tree_entry(snap.tree(), "tickets");
    auto top = lookup_tree(repo, *git_tree_entry_id(e.get()));
    for (size_t i = 0; i < git_tree_entrycount(top.get()); ++i) {
      const git_tree_entry* shard = git_tree_entry_byindex(top.get(), i);
      std::string name = git_tree_entry_name(shard);
      if (git_tree_entry_type(shard) == GIT_OBJECT_TREE && name.size() == 2) current.emplace(name, *git_tree_entry_id(shard));
    }
  }
  Writer w(db);
  w.fts = fts;
  Stmt shard_rows(db, "SELECT id, blob FROM tickets WHERE shard = ?");
  Stmt put_shard(db, "INSERT OR REPLACE INTO shards(name, tree) VALUES (?, ?)");
  Stmt del_shard(db, "DELETE FROM shards WHERE name = ?");
  // What changed: files to (re)read, rows to drop, shard records to write.
  std::vector<std::pair<std::string, git_oid>> todo;
  std::vector<std::string> gone;
  std::vector<std::pair<std::string, std::string>> shard_updates;
  for (const auto& [name, oid] : current) {
    std::string hex = git::oid_hex(oid);
    auto it = stored.find(name);
    if (it != stored.end() && it->second == hex) continue;
    auto tree = lookup_tree(repo, oid);
    std::map<std::string, std::string> have;
    shard_rows.reset().bind(name);
    while (shard_rows.step()) have.emplace(shard_rows.text(0), shard_rows.text(1));
    auto files = shard_files(tree.get(), name);
    for (const auto& [id, blob] : files) {
      auto h = have.find(id);
      if (h == have.end() || h->second != git::oid_hex(blob)) todo.emplace_back(id, blob);
    }
    for (const auto& [id, blob] : have)
      if (!files.count(id)) gone.push_back(id);
    shard_updates.emplace_back(name, hex);
  }
  for (const auto& [name, tree_id] : stored) {
    if (current.count(name)) continue;
    shard_rows.reset().bind(name);
    while (shard_rows.step()) gone.push_back(shard_rows.text(0));
    del_shard.reset().bind(name).run();
  }
  for (const auto& id : gone) w.remove(id);
  // Parse the next batch while this one is inserted.
  Parser parser(repo, std::move(todo));
  constexpr size_t batch = 2048;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  size_t total = parser.size();
  auto next = [&](size_t from) {
    return std::async(std::launch::async, [&parser, from, total, threads] { return parser.parse(from, std::min(total, from + batch), threads); });
  };
  std::future<std::vector<Row>> pending;
  if (total) pending = next(0);
  for (size_t from = 0; from < total; from += batch) {
    std::vector<Row> rows = pending.get();
    if (from + batch < total) pending = next(from + batch);
    for (const auto& r : rows) w.put(r);
    if (progress && total >= 5000) progress(std::min(total, from + batch), total);
  }
  for (const auto& [name, hex] : shard_updates) put_shard.reset().bind(name).bind(hex).run();
}

// Fills the full-text table for every ticket from the stored rows.
void build_fts(sqlite3* db) {
  exec(db, "DELETE FROM fts WHERE rowid > 0");
  Stmt rows(db, "SELECT t.n, t.id, d.raw, d.data FROM tickets t JOIN ticket_data d ON d.n = t.n WHERE t.problem IS NULL");
  Stmt ins(db, "INSERT INTO fts(rowid, title, tags, body) VALUES (?, ?, ?, ?)");
  while (rows.step()) {
    std::string id = rows.text(1);
    Ticket t = rows.integer(2) ? parse_ticket(rows.blob(3), ticket_path(id)) : decode_ticket(rows.blob(3));
    ins.reset().bind(rows.integer(0)).bind(t.title).bind(join(t.tags, " ")).bind(ticket_body(t)).run();
  }
}

void sync_articles(sqlite3* db, const Snapshot& snap) {
  exec(db, "DELETE FROM fts WHERE rowid < 0; DELETE FROM articles;");
  Stmt ins(db, "INSERT INTO articles(slug, title, status) VALUES (?, ?, ?)");
  Stmt fts(db, "INSERT INTO fts(rowid, title, tags, body) VALUES (?, ?, ?, ?)");
  for (const auto& a : all_articles(snap).first) {
    ins.reset().bind(a.slug).bind(a.title).bind(a.status).run();
    int64_t n = sqlite3_last_insert_rowid(db);
    fts.reset().bind(-n).bind(a.title).bind(join(a.tags, " ")).bind(a.body).run();
  }
}

std::string in_list(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    std::string q = "'";
    for (char c : v) q += c == '\'' ? std::string("''") : std::string(1, c);
    out += (out.empty() ? "" : ",") + q + "'";
  }
  return "(" + out + ")";
}

}  // namespace

Index::Index(sqlite3* db) : db_(db) {}

Index::~Index() {
  if (reading_) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

void Index::refresh(const Snapshot& snap, bool text) {
  need_text_ = need_text_ || text;
  try {
    at(snap, {});
  } catch (const SqlError& e) {
    throw Error(ErrorKind::io, e.what());
  }
}

void Index::sync(const Snapshot& snap, const IndexProgress& progress) {
  std::string tickets_tree = subtree_id(snap, "tickets");
  std::string kb_tree = subtree_id(snap, kb_dir);
  // Most commands find the index current: a read-only look first, no write lock.
  {
    Stmt st(db_,
            "SELECT (SELECT value FROM meta WHERE key = 'tickets'), (SELECT value FROM meta WHERE key = 'kb'), "
            "(SELECT value FROM meta WHERE key = 'fts')");
    if (st.step() && !st.null(0) && !st.null(1) && st.text(0) == tickets_tree && st.text(1) == kb_tree &&
        (!need_text_ || st.text(2) == "on"))
      return;
  }
  exec(db_, "BEGIN IMMEDIATE");
  try {
    Stmt has(db_, "SELECT count(*) FROM meta WHERE key = 'tickets'");
    has.step();
    bool fresh = has.integer(0) == 0;
    bool fts = meta_get(db_, "fts") == "on";
    if (fresh || meta_get(db_, "tickets") != tickets_tree) {
      // A first build leaves the full-text table for the first search: listing a freshly
      // cloned desk should not wait for it.
      if (fresh && !need_text_) fts = false;
      sync_tickets(db_, snap, tickets_tree, progress, fts);
      meta_set(db_, "tickets", tickets_tree);
    }
    if (!fts && need_text_) {
      build_fts(db_);
      fts = true;
    }
    meta_set(db_, "fts", fts ? "on" : "off");
    Stmt has_kb(db_, "SELECT count(*) FROM meta WHERE key = 'kb'");
    has_kb.step();
    if (has_kb.integer(0) == 0 || meta_get(db_, "kb") != kb_tree) {
      sync_articles(db_, snap);
      meta_set(db_, "kb", kb_tree);
    }
    exec(db_, "COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void Index::at(const Snapshot& snap, const IndexProgress& progress) {
  if (reading_) {
    exec(db_, "COMMIT");
    reading_ = false;
  }
  std::string tickets_tree = subtree_id(snap, "tickets");
  std::string kb_tree = subtree_id(snap, kb_dir);
  // Another process may bring the index to another commit between our update and our reads:
  // read inside one transaction that sees exactly the state asked for.
  for (int attempt = 0; attempt < 20; ++attempt) {
    sync(snap, progress);
    exec(db_, "BEGIN");
    reading_ = true;
    if (meta_get(db_, "tickets") == tickets_tree && meta_get(db_, "kb") == kb_tree) return;
    exec(db_, "COMMIT");
    reading_ = false;
  }
  throw SqlError(SQLITE_BUSY, "index: other desk processes keep moving the index");
}

namespace {

sqlite3* open_db(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    throw SqlError(rc, fmt::format("index: cannot open {}: {}", path, msg));
  }
  sqlite3_busy_timeout(db, 30000);
  return db;
}

void prepare(sqlite3* db, bool on_disk) {
  // Not mmap_size: mapping the file made list and stats 15-20% faster at 100k, but every mapped
  // page counts in the process's memory (155 MB for a 100k desk's list, against 68 MB).
  if (on_disk) exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32000;");
  // A version mismatch rebuilds from scratch: drop everything first.
  // The statement must be finished before the DROPs: SQLite refuses to drop a table while a
  // statement still reads the schema ("database table is locked"), and the index was then
  // given up for the files on every run after an upgrade.
  bool has_meta = false;
  {
    Stmt v(db, "SELECT count(*) FROM sqlite_master WHERE name = 'meta'");
    has_meta = v.step() && v.integer(0) > 0;
  }
  if (has_meta && meta_get(db, "version") != version_tag()) {
    exec(db, "BEGIN IMMEDIATE");
    exec(db, "DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS shards; DROP TABLE IF EXISTS tickets; DROP TABLE IF EXISTS ticket_data; DROP TABLE IF EXISTS tags;"
             "DROP TABLE IF EXISTS articles; DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS mail; DROP TABLE IF EXISTS links; COMMIT;");
  }
  exec(db, "BEGIN IMMEDIATE");
  exec(db, schema);
  Stmt has(db, "SELECT count(*) FROM meta WHERE key = 'version'");
  has.step();
  if (has.integer(0) == 0) meta_set(db, "version", version_tag());
  exec(db, "COMMIT");
}

void remove_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
}

}  // namespace

std::unique_ptr<Index> Index::open(const std::string& path, const Snapshot& snap, const IndexProgress& progress, bool text) {
  for (int attempt = 0;; ++attempt) {
    sqlite3* db = nullptr;
    try {
      db = open_db(path);
      std::unique_ptr<Index> index(new Index(db));
      db = nullptr;
      prepare(index->db_, true);
      index->need_text_ = text;
      index->at(snap, progress);
      return index;
    } catch (const SqlError& e) {
      if (db) sqlite3_close_v2(db);
      int primary = e.code & 0xff;
      bool damaged = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || primary == SQLITE_ERROR || primary == SQLITE_MISMATCH;
      if (attempt == 0 && damaged) {
        remove_files(path);  // derived data: rebuild it
        continue;
      }
      throw Error(ErrorKind::io, e.what());
    } catch (const Error& e) {
      if (db) sqlite3_close_v2(db);
      throw;
    }
  }
}

std::unique_ptr<Index> Index::in_memory(const Snapshot& snap) {
  sqlite3* db = nullptr;
  try {
    db = open_db(":memory:");
    std::unique_ptr<Index> index(new Index(db));
    db = nullptr;
    prepare(index->db_, false);
    index->need_text_ = true;
    index->at(snap, {});
    return index;
  } catch (const SqlError& e) {
    if (db) sqlite3_close_v2(db);
    throw Error(ErrorKind::io, e.what());
  }
}

std::vector<Problem> Index::each(const TicketQuery& q, const std::function<void(Ticket&&)>& each) const {
  std::string where = "1";
  if (q.status) {
    std::vector<std::string> wanted;
    for (const auto& st : all_statuses)
      if (q.status(st)) wanted.push_back(st);
    std::string w = in_list(wanted);
    where = fmt::format("(peek IS NULL OR peek IN {0}) AND (problem IS NOT NULL OR status IN {0})", w);
  }
  if (const ListFilter* f = q.filter) {
    std::string narrow;
    auto add = [&](const char* col, const std::vector<std::string>& vals) {
      if (!vals.empty()) narrow += fmt::format(" AND {} IN {}", col, in_list(vals));
    };
    add("tier", f->tiers);
    add("priority", f->priorities);
    add("type", f->types);
    add("requester", f->requesters);
    add("vendor", f->vendors);
    if (f->updated_since) narrow += fmt::format(" AND updated >= {}", f->updated_since->time_since_epoch().count());
    if (f->updated_until) narrow += fmt::format(" AND updated <= {}", f->updated_until->time_since_epoch().count());
    if (!f->assignees.empty()) {
      std::vector<std::string> a = f->assignees;
      if (std::find(a.begin(), a.end(), "none") != a.end()) a.push_back("");
      add("assignee", a);
    }
    for (const auto& tag : f->tags) narrow += fmt::format(" AND id IN (SELECT id FROM tags WHERE tag IN {})", in_list({tag}));
    if (!narrow.empty()) where += " AND (problem IS NOT NULL OR (1" + narrow + "))";
  }
  if (q.settled_before)
    where += fmt::format(" AND (problem IS NOT NULL OR last_at IS NULL OR last_at >= {} OR settled NOT IN ('resolved', 'closed'))",
                         q.settled_before->time_since_epoch().count());
  std::string sql = "SELECT t.id, t.problem, d.raw, d.data FROM tickets t LEFT JOIN ticket_data d ON d.n = t.n WHERE " + where +
                    " ORDER BY t.id";
  Stmt st(db_, sql.c_str());
  std::vector<Problem> problems;
  while (st.step()) {
    std::string id = st.text(0);
    if (!st.null(1)) {
      problems.push_back({ticket_path(id), st.text(1)});
      continue;
    }
    if (st.integer(2))
      each(parse_ticket(st.blob(3), ticket_path(id)));
    else
      each(decode_ticket(st.blob(3), q.texts));
  }
  return problems;
}

TicketSet Index::tickets(const TicketQuery& q) const {
  TicketSet out;
  out.problems = each(q, [&](Ticket&& t) { out.tickets.push_back(std::move(t)); });
  return out;
}

void Index::by_id(const std::vector<std::string>& ids, bool texts, const std::function<void(Ticket&&)>& each) const {
  Stmt st(db_, "SELECT d.raw, d.data FROM tickets t JOIN ticket_data d ON d.n = t.n WHERE t.id = ?");
  for (const auto& id : ids) {
    st.reset().bind(id);
    if (!st.step()) throw Error(ErrorKind::not_found, fmt::format("index: no ticket '{}'", id));
    each(st.integer(0) ? parse_ticket(st.blob(1), ticket_path(id)) : decode_ticket(st.blob(1), texts));
  }
}

std::vector<std::string> Index::ids() const {
  std::vector<std::string> out;
  Stmt st(db_, "SELECT id FROM tickets ORDER BY id");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

std::vector<TicketLine> Index::lines(std::string_view prefix, size_t limit) const {
  std::vector<TicketLine> out;
  std::string upper(prefix);
  upper += '\x7f';
  Stmt st(db_,
          "SELECT id, title, status, tier, updated, problem IS NULL FROM tickets WHERE id >= ? AND id < ? "
          "ORDER BY (status IN ('new','open','pending')) DESC, updated DESC, id LIMIT ?");
  st.bind(prefix).bind(upper).bind(limit ? static_cast<int64_t>(limit) : int64_t{-1});
  while (st.step()) {
    TicketLine l;
    l.id = st.text(0);
    l.title = st.text(1);
    l.status = st.text(2);
    l.tier = st.text(3);
    l.updated = Timestamp{std::chrono::seconds{st.integer(4)}};
    l.readable = st.integer(5) != 0;
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<std::string> Index::tickets_of_message(std::string_view message_id) const {
  std::vector<std::string> out;
  Stmt st(db_, "SELECT DISTINCT id FROM mail WHERE message_id = ? ORDER BY id");
  st.bind(message_id);
  while (st.step()) out.push_back(st.text(0));
  return out;
}

size_t Index::messages_from(std::string_view sender, Timestamp since) const {
  Stmt st(db_, "SELECT count(*) FROM mail WHERE sender = ? AND at >= ?");
  st.bind(sender).bind(static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(since.time_since_epoch()).count()));
  return st.step() ? static_cast<size_t>(st.integer(0)) : 0;
}

std::vector<std::string> Index::linking_to(std::string_view id, std::string_view kind) const {
  std::vector<std::string> out;
  Stmt st(db_, "SELECT id FROM links WHERE other = ? AND kind = ? ORDER BY id");
  st.bind(id).bind(kind);
  while (st.step()) out.push_back(st.text(0));
  return out;
}

std::vector<std::string> Index::with_outbox() const {
  std::vector<std::string> out;
  Stmt st(db_, "SELECT id FROM tickets WHERE outbox > 0 ORDER BY id");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

std::vector<std::string> Index::values(std::string_view field) const {
  if (field == "assignee" || field == "vendor") {
    // A few people or vendors among many tickets: step from one value to the next through the
    // column's index (a skip scan, a lookup per value) instead of reading every row. Same order
    // as ORDER BY: both compare bytes. At 1M tickets: 1.2 s with DISTINCT over the rows.
    std::vector<std::string> out;
    Stmt next(db_, fmt::format("SELECT min({0}) FROM tickets WHERE {0} > ?", field).c_str());
    std::string last;  // '' and NULL are never a value
    while (next.reset().bind(last).step() && !next.null(0)) {
      last = next.text(0);
      out.push_back(last);
    }
    return out;
  }
  const char* sql = field == "tag"         ? "SELECT DISTINCT tag FROM tags WHERE tag != '' ORDER BY tag"
                    : field == "assignee"  ? "SELECT DISTINCT assignee FROM tickets WHERE assignee != '' ORDER BY assignee"
                    : field == "requester" ? "SELECT DISTINCT requester FROM tickets WHERE requester != '' ORDER BY requester"
                    : field == "vendor"    ? "SELECT DISTINCT vendor FROM tickets WHERE vendor != '' ORDER BY vendor"
                                           : nullptr;
  if (!sql) throw Error(ErrorKind::usage, fmt::format("the index has no field '{}'", std::string(field)));
  std::vector<std::string> out;
  Stmt st(db_, sql);
  while (st.step()) out.push_back(st.text(0));
  return out;
}

Index* desk_index(const Desk& d, const Snapshot& snap, bool text) {
  if (!d.index_settings().enabled || d.index_failed_) return nullptr;
  try {
    if (d.index_)
      d.index_->refresh(snap, text);
    else
      d.index_ = Index::open(d.index_path(), snap, d.index_settings().progress, text);
    return d.index_.get();
  } catch (const Error&) {
    // The index is derived: a desk whose .git cannot hold it still answers, from the files.
    d.index_.reset();
    d.index_failed_ = true;
    return nullptr;
  }
}

std::vector<Problem> for_each_ticket(const Desk& d, const Snapshot& snap, const TicketQuery& q, const std::function<void()>& restart,
                                     const std::function<void(Ticket&&)>& each) {
  if (Index* index = desk_index(d, snap)) {
    try {
      return index->each(q, each);
    } catch (const std::exception&) {
      // A damaged record or a failing database: the files still have the answer.
      d.index_.reset();
      d.index_failed_ = true;
      restart();
    }
  }
  auto [tickets, problems] = snap.all_tickets(q.status);
  for (auto& t : tickets) each(std::move(t));
  return problems;
}

void tickets_by_id(const Desk& d, const Snapshot& snap, const std::vector<std::string>& ids, bool texts,
                   const std::function<void(Ticket&&)>& each) {
  if (Index* index = desk_index(d, snap)) {
    try {
      index->by_id(ids, texts, each);
      return;
    } catch (const std::exception&) {
      d.index_.reset();
      d.index_failed_ = true;
      throw Error(ErrorKind::io, "the index failed while reading tickets", "run the command again: desk rebuilds the index from the files");
    }
  }
  for (const auto& id : ids) each(snap.ticket(id));
}

std::vector<std::string> tickets_linking_to(const Desk& d, const Snapshot& snap, const std::string& id, std::string_view kind) {
  if (Index* index = desk_index(d, snap)) {
    try {
      return index->linking_to(id, kind);
    } catch (const std::exception&) {
      // A failing database: the files still have the answer.
    }
  }
  // Without an index: only a file that contains the id can name it, and looking for the id in
  // the raw text is far cheaper than parsing every ticket.
  std::vector<std::string> out;
  for (const auto& other : snap.ticket_ids()) {
    std::string path = ticket_path(other);
    std::optional<git_oid> blob = snap.blob_id(path);
    if (!blob || git::blob_size(snap.repo(), *blob) > max_file_bytes) continue;  // desk never reads it
    std::optional<std::string> raw = snap.read(path);
    if (!raw || raw->find(id) == std::string::npos) continue;
    Ticket t;
    try {
      t = snap.ticket(other);
    } catch (const Error&) {
      continue;  // a damaged file names nothing; fsck reports it
    }
    bool names = kind == "related"  ? std::find(t.related.begin(), t.related.end(), id) != t.related.end()
                 : kind == "parent" ? t.parent == id
                                    : kind == "problem" && t.problem == id;
    if (names) out.push_back(t.id);
  }
  return out;  // ticket_ids is sorted
}

Index& index_or_memory(const Desk& d, const Snapshot& snap, std::unique_ptr<Index>& holder) {
  if (Index* index = desk_index(d, snap, true)) return *index;
  holder = Index::in_memory(snap);
  return *holder;
}

std::vector<std::string> all_ticket_ids(const Desk& d, const Snapshot& snap) {
  if (Index* index = desk_index(d, snap)) return index->ids();
  return snap.ticket_ids();
}

std::string fts_query(std::string_view words) {
  std::vector<std::string> terms;
  std::set<std::string> seen;
  // A longer word also finds the words it begins: the stemmer leaves irregular forms apart
  // ("forgot", "forgotten"); short words would find too much that way.
  for (auto& w : tokenize(words))
    if (seen.insert(w).second) terms.push_back("\"" + w + "\"" + (w.size() >= 5 ? "*" : ""));
  return join(terms, " OR ");
}

std::vector<TextHit> Index::search(std::string_view words, const SearchScope& scope) const {
  std::vector<TextHit> out;
  std::string q = fts_query(words);
  if (q.empty() || (!scope.tickets && !scope.articles)) return out;
  std::string ticket_cond = scope.active_only ? "t.status IN ('new','open','pending')" : "1";
  std::string article_cond = scope.drafts ? "1" : "a.status != 'draft'";
  std::string kinds = scope.tickets && scope.articles
                          ? fmt::format("((f.rowid > 0 AND {}) OR (f.rowid < 0 AND {}))", ticket_cond, article_cond)
                      : scope.tickets ? fmt::format("f.rowid > 0 AND {}", ticket_cond)
                                      : fmt::format("f.rowid < 0 AND {}", article_cond);
  // Scores are rounded so that the last bits of a float never decide an order.
  std::string sql = fmt::format(
      "SELECT f.rowid, round(-bm25(fts, 3.0, 2.0, 1.0), 6) AS s, snippet(fts, -1, '[', ']', '...', 12), "
      "coalesce(t.id, a.slug) AS k, coalesce(t.title, a.title), coalesce(t.status, a.status), coalesce(t.duplicate_of, '') "
      "FROM fts f LEFT JOIN tickets t ON f.rowid > 0 AND t.n = f.rowid LEFT JOIN articles a ON f.rowid < 0 AND a.n = -f.rowid "
      "WHERE fts MATCH ? AND {} ORDER BY s DESC, f.rowid < 0 DESC, k LIMIT ?",
      kinds);
  Stmt st(db_, sql.c_str());
  st.bind(q).bind(scope.limit ? static_cast<int64_t>(scope.limit) : int64_t{-1});
  while (st.step()) {
    TextHit h;
    h.kind = st.integer(0) > 0 ? "ticket" : "article";
    h.score = st.real(1);
    h.snippet = st.text(2);
    h.key = st.text(3);
    h.title = st.text(4);
    h.status = st.text(5);
    h.duplicate_of = st.text(6);
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace desk
