#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "core/store/fsck.hpp"
#include "core/report/json.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

void define_fsck(CLI::App& cmd, Session& s) {
  auto json = std::make_shared<bool>(false);
  add_json_flag(cmd, *json);
  cmd.callback([&s, json] {
    auto problems = fsck(s.desk());
    if (*json) {
      JsonWriter w = s.json();
      w.begin_document().key("problems").begin_array();
      for (const auto& p : problems) {
        w.begin_object().key("path").value(p.path);
        if (p.line) w.key("line").value(p.line);
        w.key("message").value(p.message).end_object();
      }
      w.end_array().end_object();
      s.out() << w.str();
    } else {
      for (const auto& p : problems) s.out() << strip_controls_line(p.message) << "\n";
      s.status(problems.empty() ? "fsck: the desk is sound" : fmt::format("fsck: {} problem{}", problems.size(), problems.size() == 1 ? "" : "s"));
    }
    if (!problems.empty()) throw ExitWith{exit_problems};
  });
}

}  // namespace desk::cli
