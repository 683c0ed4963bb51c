#include "core/store/suggest.hpp"

#include <algorithm>
#include <set>

#include "core/store/search.hpp"
#include "core/util/text.hpp"

namespace desk {

namespace {

// The words a suggestion looks for: the title's, then the description's, at most max_words
// distinct ones (a long description would make every search slow and every ticket related).
std::string query_words(const Ticket& t) {
  constexpr size_t max_words = 24;
  std::vector<std::string> words;
  std::set<std::string> seen;
  for (const auto& w : tokenize(t.title + "\n" + t.description)) {
    if (words.size() >= max_words) break;
    if (seen.insert(w).second) words.push_back(w);
  }
  return join(words, " ");
}

template <typename Keep>
std::vector<Suggestion> above_ratio(const std::vector<TextHit>& hits, size_t limit, Keep keep) {
  std::vector<Suggestion> out;
  // The best match counts even when it is left out (already linked, say): what falls far
  // below it is noise.
  double best = hits.empty() ? 0 : hits.front().score;
  for (const auto& h : hits) {
    if (out.size() >= limit || h.score < best * suggest_ratio || h.score < suggest_min_score) break;
    if (keep(h)) out.push_back({h.key, h.title, h.status, h.score});
  }
  return out;
}

}  // namespace

Suggestions suggest_for(const Index& index, const Ticket& t, size_t limit) {
  Suggestions out;
  std::string q = query_words(t);
  if (q.empty()) return out;
  SearchScope articles;
  articles.tickets = false;
  out.articles = above_ratio(index.search(q, articles), limit, [&](const TextHit& h) {
    return std::find(t.kb.begin(), t.kb.end(), h.key) == t.kb.end();
  });
  SearchScope tickets;
  tickets.articles = false;
  tickets.active_only = true;
  // The ticket itself always matches best: it is not a match to measure the others by.
  auto hits = index.search(q, tickets);
  hits.erase(std::remove_if(hits.begin(), hits.end(), [&](const TextHit& h) { return h.key == t.id; }), hits.end());
  out.tickets = above_ratio(hits, limit, [&](const TextHit& h) { return h.key != t.duplicate_of && h.duplicate_of != t.id; });
  return out;
}

}  // namespace desk
