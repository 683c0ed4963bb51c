#include "cli/commands.hpp"

namespace desk::cli {

void define_resolve(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    TextOption text;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  add_text_options(cmd, o->text, "the resolution: what fixed it");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string text = s.read_text(o->text, "the resolution", "# What fixed it?\n");
    Context ctx = s.context();
    s.mutate_and_print(o->id, o->json, [&](Ticket t) { return resolve(std::move(t), ctx, text); });
  });
}

}  // namespace desk::cli
