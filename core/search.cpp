#include "core/search.hpp"

#include <algorithm>
#include <cmath>
#include <map>
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

// The frequencies of the query's terms in one field, and the field's length in words. Only
// the query's terms are counted: a search reads every document once and keeps little.
struct Field {
  std::map<std::string, size_t, std::less<>> tf;
  size_t length = 0;
};

Field field_of(std::string_view text, const std::set<std::string, std::less<>>& terms) {
  Field f;
  for_each_word(text, [&](const std::string& w) {
    ++f.length;
    if (terms.count(w)) ++f.tf[w];
  });
  return f;
}

}  // namespace

bool is_stop_word(std::string_view word) { return stop_words().count(word) > 0; }

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](const std::string& w) { out.push_back(w); });
  return out;
}

std::vector<SearchHit> bm25_search(const std::vector<SearchDoc>& docs, std::string_view query, size_t limit, const Bm25Params& p) {
  std::vector<std::string> words = tokenize(query);
  std::set<std::string, std::less<>> terms(words.begin(), words.end());  // sorted: sums in one order
  std::vector<SearchHit> hits;
  if (terms.empty() || docs.empty()) return hits;

  struct Indexed {
    Field title, tags, body;
    double length = 0;
  };
  std::vector<Indexed> index;
  index.reserve(docs.size());
  double total_length = 0;
  std::map<std::string, size_t> df;
  for (const auto& d : docs) {
    Indexed x;
    x.title = field_of(d.title, terms);
    std::string tags;
    for (const auto& t : d.tags) tags += t + " ";
    x.tags = field_of(tags, terms);
    x.body = field_of(d.body, terms);
    x.length = p.title_weight * static_cast<double>(x.title.length) + p.tags_weight * static_cast<double>(x.tags.length) +
               p.body_weight * static_cast<double>(x.body.length);
    total_length += x.length;
    for (const auto& t : terms)
      if (x.title.tf.count(t) || x.tags.tf.count(t) || x.body.tf.count(t)) ++df[t];
    index.push_back(std::move(x));
  }
  double n_docs = static_cast<double>(docs.size());
  double avgdl = total_length / n_docs;
  if (avgdl <= 0) avgdl = 1;
  auto count = [](const Field& f, const std::string& t) {
    auto it = f.tf.find(t);
    return it == f.tf.end() ? 0.0 : static_cast<double>(it->second);
  };
  for (size_t i = 0; i < docs.size(); ++i) {
    if (!docs[i].candidate) continue;
    const Indexed& x = index[i];
    double score = 0;
    for (const auto& t : terms) {  // sorted: the sum is the same on every run
      double tf = p.title_weight * count(x.title, t) + p.tags_weight * count(x.tags, t) + p.body_weight * count(x.body, t);
      if (tf <= 0) continue;
      double n = static_cast<double>(df[t]);
      double idf = std::log(1.0 + (n_docs - n + 0.5) / (n + 0.5));
      score += idf * tf * (p.k1 + 1) / (tf + p.k1 * (1 - p.b + p.b * x.length / avgdl));
    }
    if (score > 0) hits.push_back({docs[i].key, score});
  }
  std::sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
  if (limit > 0 && hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace desk
