#pragma once
// The words of a search: what desk search, desk kb search and the suggestions look for (the
// ranking itself is the index's FTS5 BM25, core/index).
#include <string>
#include <string_view>
#include <vector>

namespace desk {

/// The words of a text: ASCII lowercased, split on everything that is not an ASCII letter or
/// digit or part of a UTF-8 multibyte sequence, stop words ("the", "a", "is", ...) dropped.
std::vector<std::string> tokenize(std::string_view text);

/// True for a word tokenize drops.
bool is_stop_word(std::string_view word);

}  // namespace desk
