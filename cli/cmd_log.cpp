#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/report/json.hpp"
#include "core/util/person.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

void define_log(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    size_t limit = 0;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "only this ticket's changes");
  cmd.add_option("-n,--limit", o->limit, "at most N entries")->type_name("N");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    std::optional<std::string> id;
    if (!o->id.empty()) id = d.resolve(o->id);
    auto entries = d.log(id, o->limit);
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_document().key("entries").begin_array();
      for (const auto& e : entries) {
        w.begin_object();
        w.key("commit").value(e.commit).key("at").value(format_time(e.at));
        if (w.format() >= 2) {
          w.key("author").person(join_person({e.author_name, e.author_email}));
          w.key("action").value(e.action).key("tickets").begin_array();
          if (!e.ticket.empty())
            for (const auto& tid : split(e.ticket, ',')) w.value(tid);
          w.end_array();
        } else {
          w.key("author").value(e.author_name).key("email").value(e.author_email);
          w.key("action").value(e.action).key("ticket").value(e.ticket);
        }
        w.key("subject").value(e.subject).key("body").value(e.body);
        w.end_object();
      }
      w.end_array().end_object();
      s.out() << w.str();
      return;
    }
    std::string out;
    for (const auto& e : entries) {
      out += fmt::format("{} {}  {}  {}\n", s.paint(e.commit.substr(0, 7), "33"), human_time(e.at), strip_controls_line(e.author_name),
                         strip_controls_line(e.subject));
      if (!e.body.empty()) out += indent(strip_controls(e.body), 4);
    }
    s.page(out);
  });
}

void define_templates(CLI::App& cmd, Session& s) {
  auto json = std::make_shared<bool>(false);
  add_json_flag(cmd, *json);
  cmd.callback([&s, json] {
    auto ts = s.desk().templates();
    if (*json) {
      JsonWriter w = s.json();
      w.begin_document().key("templates").begin_array();
      for (const auto& t : ts) {
        w.begin_object().key("name").value(t.name).field("title", t.title).field("type", t.type).field("priority", t.priority);
        w.field("tier", t.tier).key("tags").begin_array();
        for (const auto& tag : t.tags) w.value(tag);
        w.end_array().key("checklist").begin_array();
        for (const auto& c : t.checklist) w.value(c);
        w.end_array().end_object();
      }
      w.end_array().end_object();
      s.out() << w.str();
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : ts)
      rows.push_back({strip_controls_line(t.name), strip_controls_line(t.priority), strip_controls_line(t.tier), strip_controls_line(t.type),
                      std::to_string(t.checklist.size()), strip_controls_line(t.title)});
    s.page_table({{"NAME"}, {"PRI", 90}, {"TIER", 80}, {"TYPE", 50}, {"STEPS", 40}, {"TITLE", 100, 0, true, 30}}, rows);
  });
}

}  // namespace desk::cli
