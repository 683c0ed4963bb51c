#include "core/store/search.hpp"

#include <set>

namespace desk {

namespace {

const std::set<std::string, std::less<>>& stop_words() {
  static const std::set<std::string, std::less<>> words = {
      "a",    "an",   "and",  "are", "as",   "at",   "be",   "but",  "by",   "for",  "from", "has",  "have",
      "he",   "her",  "his",  "i",   "if",   "in",   "into", "is",   "it",   "its",  "me",   "my",   "no",
      "not",  "of",   "on",   "or",  "our",  "she",  "so",   "than", "that", "the",  "their", "them", "then",
      "there", "these", "they", "this", "to", "was", "we",   "were", "what", "when", "which", "who", "will",
      "with", "you",  "your"};
  return words;
}

// Calls f with each word of text (see tokenize), reusing one buffer.
template <typename F>
void for_each_word(std::string_view text, F&& f) {
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && !stop_words().count(cur)) f(cur);
    cur.clear();
  };
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur += ch;  // bytes of multibyte UTF-8 sequences are part of the word
    } else if (c >= 'A' && c <= 'Z') {
      cur += static_cast<char>(c - 'A' + 'a');
    } else {
      flush();
    }
  }
  flush();
}

}  // namespace

bool is_stop_word(std::string_view word) { return stop_words().count(word) > 0; }

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](const std::string& w) { out.push_back(w); });
  return out;
}

}  // namespace desk
