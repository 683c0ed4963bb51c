#include "cli/commands.hpp"

namespace desk::cli {

void define_wait(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    std::string on;
    TextOption text;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  cmd.add_option("--on", o->on, "who the ticket waits on: customer (pauses the SLA) or vendor")
      ->required()
      ->check(CLI::IsMember({"customer", "vendor"}))
      ->type_name("WHO");
  add_text_options(cmd, o->text, "what is awaited");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string text = o->text.messages.empty() && o->text.file.empty() ? "" : s.read_text(o->text, "the text", "");
    Context ctx = s.context();
    s.mutate_and_print(o->ids, o->json, [&](Ticket t) { return wait(std::move(t), ctx, o->on, text); });
  });
}

void define_resume(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    TextOption text;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  add_text_options(cmd, o->text, "what came back");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string text = o->text.messages.empty() && o->text.file.empty() ? "" : s.read_text(o->text, "the text", "");
    Context ctx = s.context();
    s.mutate_and_print(o->ids, o->json, [&](Ticket t) { return resume(std::move(t), ctx, text); });
  });
}

}  // namespace desk::cli
