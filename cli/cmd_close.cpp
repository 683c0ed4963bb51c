#include "cli/commands.hpp"
#include "cli/editor_context.hpp"
#include <fmt/format.h>

#include "core/util/error.hpp"

namespace desk::cli {

void define_close(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    std::optional<int> csat;
    std::string duplicate_of;
    TextOption text;
    bool json = false, force = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  cmd.add_option("--csat", o->csat, "customer satisfaction, 1 (poor) to 5 (great)")->type_name("N");
  cmd.add_option("--duplicate-of", o->duplicate_of, "close an open ticket as a duplicate of another, in one commit")
      ->type_name("ID");
  add_text_options(cmd, o->text, "a closing remark");
  cmd.add_flag("--force", o->force, "close even when required checklist steps are not done (they are listed as a warning)");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string text = o->text.messages.empty() && o->text.file.empty() ? "" : s.read_text(o->text, "the text", "");
    Context ctx = s.context();
    if (!o->duplicate_of.empty()) {
      if (o->csat)
        throw Error(ErrorKind::usage, "--csat and --duplicate-of cannot be used together",
                    "a duplicate is closed without a rating; rate the ticket it duplicates");
      Desk& d = s.desk();
      std::vector<std::string> ids = s.resolve_ids(o->ids);
      if (ids.size() != 1) throw Error(ErrorKind::usage, "--duplicate-of closes one ticket", "close each duplicate with its own command");
      std::string id = ids.front();
      std::string other = d.resolve(o->duplicate_of);
      Change last;
      auto r = s.commit_change(
          [&](const Snapshot& snap) {
            snap.ticket(other);  // still there
            return close_duplicate(snap.ticket(id), ctx, other, text, duplicate_of_at(snap));
          },
          last);
      s.report(r, last);
      if (o->json) print_change_json(s, r.commit, last);
      return;
    }
    auto done = s.mutate_and_print(o->ids, o->json, [&](Ticket t) {
      if (!o->force) require_required_steps(t, "close");
      return close(std::move(t), ctx, o->csat, text);
    });
    if (!done.result.commit.empty()) s.warn_unchecked(done.changes);
  });
}

void define_reopen(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    TextOption text;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  add_text_options(cmd, o->text, "the reason: why it is not fixed");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string text = s.read_text(o->text, "the reason for reopening", "# Why is it not fixed?\n",
                                   editor_context_for(s, o->ids, Audience::team));
    Context ctx = s.context();
    s.mutate_and_print(o->ids, o->json, [&](Ticket t) { return reopen(std::move(t), ctx, text); });
  });
}

void define_check(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    std::vector<int> steps;
    bool undo = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  cmd.add_option("STEP", o->steps, "the step numbers, as `desk show` lists them (several: one commit)")->required();
  cmd.add_flag("--undo", o->undo, "mark the step as not done");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Context ctx = s.context();
    // Steps already as asked are said and skipped (exit 0); the rest make one commit.
    Ticket before = s.desk().head().ticket(s.desk().resolve(o->id));
    for (int step : o->steps)
      if (step >= 1 && static_cast<size_t>(step) <= before.checklist.size() && before.checklist[static_cast<size_t>(step - 1)].done == !o->undo)
        s.status(fmt::format("step {} of ticket {} is already {}", step, short_id(before.id), o->undo ? "not done" : "done"));
    s.mutate_and_print(o->id, o->json, [&](Ticket t) { return check_steps(std::move(t), ctx, o->steps, o->undo); });
  });
}

}  // namespace desk::cli
