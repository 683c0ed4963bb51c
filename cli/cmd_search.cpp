#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/util/error.hpp"
#include "core/store/index.hpp"
#include "core/report/json.hpp"
#include "core/store/search.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

void define_search(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> words;
    size_t limit = 20;
    bool tickets = false, articles = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("WORDS", o->words, "the words to look for (any of them; more matches rank higher)")->required();
  cmd.add_option("-n,--limit", o->limit, "at most N results (default 20; 0: all)")->type_name("N");
  cmd.add_flag("--tickets", o->tickets, "search tickets only");
  cmd.add_flag("--articles", o->articles, "search knowledge-base articles only");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string query = join(o->words, " ");
    if (tokenize(query).empty())
      throw Error(ErrorKind::usage, fmt::format("the search '{}' has no words to look for", strip_controls_line(query)),
                  "common words such as 'the' and 'is' are left out; search for the symptom: desk search vpn drops");
    bool tickets = o->tickets || !o->articles, articles = o->articles || !o->tickets;
    Desk& d = s.desk();
    Snapshot snap = d.head();
    std::unique_ptr<Index> holder;
    Index* index = &index_or_memory(d, snap, holder);
    SearchScope scope;
    scope.tickets = tickets;
    scope.articles = articles;
    scope.limit = o->limit;
    auto hits = index->search(query, scope);
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_document().key("query").value(query).key("results").begin_array();
      for (const auto& h : hits) {
        w.begin_object().key("kind").value(h.kind).key(h.kind == "ticket" ? "id" : "slug").value(h.key);
        w.key("title").value(h.title).key("status").value(h.status).key("score").value(h.score);
        w.key("snippet").value(h.snippet).end_object();
      }
      w.end_array().end_object();
      s.out() << w.str();
      return;
    }
    if (hits.empty()) {
      s.status(fmt::format("nothing matches '{}'", strip_controls_line(query)));
      return;
    }
    // Two lines a hit: what it is, then the passage that matched (words in brackets).
    std::string text;
    for (const auto& h : hits) {
      std::string what = h.kind == "ticket" ? s.paint(h.key, "33") : "kb/" + h.key;
      text += fmt::format("{}  {:.2f}  {} [{}]\n", what, h.score, strip_controls_line(h.title), strip_controls_line(h.status));
      std::string snip = strip_controls(h.snippet);
      for (char& c : snip)
        if (c == '\n' || c == '\t') c = ' ';
      text += "    " + snip + "\n";
    }
    s.page(text);
  });
}

}  // namespace desk::cli
