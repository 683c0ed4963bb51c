#include "cli/commands.hpp"

namespace desk::cli {

void define_close(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    std::optional<int> csat;
    TextOption text;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  cmd.add_option("--csat", o->csat, "customer satisfaction, 1 (poor) to 5 (great)")->type_name("N");
  add_text_options(cmd, o->text, "a closing remark");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string text = o->text.messages.empty() && o->text.file.empty() ? "" : s.read_text(o->text, "the text", "");
    Context ctx = s.context();
    s.mutate_and_print(o->id, o->json, [&](Ticket t) { return close(std::move(t), ctx, o->csat, text); });
  });
}

void define_reopen(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    TextOption text;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  add_text_options(cmd, o->text, "the reason: why it is not fixed");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string text = s.read_text(o->text, "the reason for reopening", "# Why is it not fixed?\n");
    Context ctx = s.context();
    s.mutate_and_print(o->id, o->json, [&](Ticket t) { return reopen(std::move(t), ctx, text); });
  });
}

void define_check(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    int step = 0;
    bool undo = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  cmd.add_option("STEP", o->step, "the step number, as `desk show` lists it")->required();
  cmd.add_flag("--undo", o->undo, "mark the step as not done");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Context ctx = s.context();
    s.mutate_and_print(o->id, o->json, [&](Ticket t) { return check(std::move(t), ctx, o->step, o->undo); });
  });
}

}  // namespace desk::cli
