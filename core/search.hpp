#pragma once
// Ranked full-text search: BM25F over a document's title, tags and body, for `desk kb search`
// and for the suggestions of `desk new` and `desk show`. Pure and deterministic.
#include <string>
#include <string_view>
#include <vector>

namespace desk {

/// BM25 parameters and field weights. A word in the title counts three times, in a tag twice.
struct Bm25Params {
  double k1 = 1.2;
  double b = 0.75;
  double title_weight = 3.0;
  double tags_weight = 2.0;
  double body_weight = 1.0;
};

/// The lowest score a suggestion needs: below it a match is noise (one common word).
inline constexpr double suggest_min_score = 1.0;

/// The words of a text: ASCII lowercased, split on everything that is not an ASCII letter or
/// digit or part of a UTF-8 multibyte sequence, stop words ("the", "a", "is", ...) dropped.
std::vector<std::string> tokenize(std::string_view text);

/// True for a word tokenize drops.
bool is_stop_word(std::string_view word);

/// One searchable document. Documents with candidate = false count in the statistics (document
/// frequency, average length) but are never returned.
struct SearchDoc {
  std::string key;  // slug or ticket id; ties are ordered by it
  std::string title;
  std::vector<std::string> tags;
  std::string body;
  bool candidate = true;
};

struct SearchHit {
  std::string key;
  double score = 0;
};

/// The documents matching the query, best first (ties by key), scored by BM25F: per term, the
/// weighted term frequency tf = sum(weight_f * tf_f) and weighted length dl = sum(weight_f * len_f)
/// go into idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)), with
/// idf = ln(1 + (N - n + 0.5) / (n + 0.5)). Only documents with a positive score are returned;
/// at most `limit` when limit > 0.
std::vector<SearchHit> bm25_search(const std::vector<SearchDoc>& docs, std::string_view query, size_t limit = 0,
                                   const Bm25Params& params = {});

}  // namespace desk
