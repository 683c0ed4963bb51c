#pragma once
// What `desk new` and `desk show` suggest for a ticket: related knowledge-base articles and
// possible duplicate open tickets, found by the index's full-text search.
#include <string>
#include <vector>

#include "core/store/index.hpp"
#include "core/model/ticket.hpp"

namespace desk {

/// A suggestion needs at least this share of the best suggestion's score: a fixed minimum would
/// depend on the size of the desk (BM25 scores do), a share of the best does not.
inline constexpr double suggest_ratio = 0.5;

/// Matches scoring below this matched only words found in most documents (FTS5 gives such
/// words an inverse document frequency of 1e-6): they say nothing.
inline constexpr double suggest_min_score = 0.001;

/// One suggested article or ticket.
struct Suggestion {
  std::string key;  // slug or ticket id
  std::string title;
  std::string status;
  double score = 0;
};

struct Suggestions {
  std::vector<Suggestion> articles;  // published articles, not yet linked to the ticket
  std::vector<Suggestion> tickets;   // possible duplicates: other new, open or pending tickets
};

/// Up to `limit` articles and tickets matching the words of the ticket's title and description
/// whose score reaches suggest_ratio of the best match of their kind (and suggest_min_score). Left out: the ticket itself,
/// articles it already links, and tickets it duplicates or that duplicate it.
Suggestions suggest_for(const Index& index, const Ticket& t, size_t limit = 3);

}  // namespace desk
