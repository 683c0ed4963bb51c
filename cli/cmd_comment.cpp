#include "cli/commands.hpp"
#include "cli/editor_context.hpp"

namespace desk::cli {

void define_comment(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    TextOption text;
    bool internal = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  add_text_options(cmd, o->text, "the comment");
  cmd.add_flag("-i,--internal", o->internal, "an internal note, not a reply to the customer (does not count as a response)");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string text = s.read_text(o->text, o->internal ? "the internal note" : "the reply to the customer", "",
                                   editor_context_for(s, o->ids, o->internal ? Audience::team : Audience::customer));
    Context ctx = s.context();
    s.mutate_and_print(o->ids, o->json, [&](Ticket t) { return comment(std::move(t), ctx, text, o->internal); });
  });
}

}  // namespace desk::cli
