#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/util/error.hpp"
#include "core/model/id.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {
struct NewOptions {
  std::string title;
  TextOption text;
  std::string template_name;
  std::optional<std::string> priority, type, tier, impact, urgency, category, requester, assignee;
  std::vector<std::string> tags;
  bool json = false, problem = false;
  bool suggest = false, no_suggest = false;
};
}  // namespace

void define_new(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<NewOptions>();
  cmd.add_option("TITLE", o->title, "a short title")->required();
  add_text_options(cmd, o->text, "the description");
  cmd.add_option("-t,--template", o->template_name, "pre-fill from a template (see `desk templates`)")->type_name("NAME");
  cmd.add_option("-p,--priority", o->priority, "priority (default: from the template or the config)")->type_name("P");
  auto* type = cmd.add_option("--type", o->type, "ticket type")->type_name("TYPE");
  cmd.add_flag("--problem", o->problem, "open a problem (type problem): the cause behind incidents, linked with desk link ID --problem")
      ->excludes(type);
  cmd.add_option("--tier", o->tier, "the tier it starts at (default: L1)")->type_name("TIER");
  cmd.add_option("--impact", o->impact, "impact; with --urgency derives the priority")->type_name("IMPACT");
  cmd.add_option("--urgency", o->urgency, "urgency; with --impact derives the priority")->type_name("URGENCY");
  cmd.add_option("--category", o->category, "category")->type_name("CATEGORY");
  cmd.add_option("--tag", o->tags, "a tag (repeatable)")->type_name("TAG");
  cmd.add_option("--requester", o->requester, "who asked (default: you)")->type_name("WHO");
  cmd.add_option("--assign", o->assignee, "assign it at once")->type_name("USER");
  // Hidden until the knowledge base is documented in desk(1) and the completions.
  cmd.add_flag("--suggest", o->suggest, "look for related articles and possible duplicates even off a terminal (and in --json)");
  cmd.add_flag("--no-suggest", o->no_suggest, "do not look for related articles and possible duplicate tickets")->excludes("--suggest");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    std::optional<Template> tmpl;
    if (!o->template_name.empty()) tmpl = d.template_named(o->template_name);
    NewTicketArgs args;
    args.title = o->title;
    args.description = s.read_text(o->text, "the description", "");
    args.priority = o->priority;
    args.type = o->problem ? std::optional<std::string>(std::string(problem_type)) : o->type;
    args.tier = o->tier;
    args.impact = o->impact;
    args.urgency = o->urgency;
    args.category = o->category;
    args.requester = o->requester;
    if (o->assignee) args.assignee = s.assignee(*o->assignee);
    args.tags = o->tags;
    Context ctx = s.context();
    Change last;
    auto r = s.commit_change(
        [&](const Snapshot& snap) {
          return create_ticket(d.config(), ctx, args, tmpl ? &*tmpl : nullptr,
                               [&](const std::string& id) { return snap.read(ticket_path(id)).has_value(); });
        },
        last);
    s.report(r, last);
    // An agent filing for someone at a terminal without --requester becomes the customer: their
    // own replies would then not count as a first response. Said, not asked.
    if (!o->requester && s.env().stderr_tty && !s.quiet && last.ticket.requester == ctx.actor)
      s.err() << fmt::format("desk: warning: you ({}) are recorded as the requester, so your replies will not count as a first "
                             "response; file for a customer with --requester WHO\n",
                             strip_controls_line(ctx.actor));
    // Suggestions go to stderr (stdout stays the id), and into the JSON.
    std::optional<Suggestions> sg;
    // The ticket is committed: a desk that cannot be searched only costs the suggestions. They
    // are for a person at a terminal (the search reads every open ticket); scripts ask for them.
    bool want = o->suggest || (!o->no_suggest && !o->json && !s.quiet && s.env().stderr_tty);
    if (want) {
      try {
        sg = suggestions_at(d, d.head(), last.ticket);
      } catch (const Error& e) {
        s.err() << "desk: warning: no suggestions: " << strip_controls_line(e.what()) << "\n";
      }
    }
    if (sg) {
      std::string text = render_suggestions(*sg);
      if (!text.empty() && !s.quiet) s.err() << text;
    }
    if (o->json) {
      JsonWriter w = s.json();
      begin_change_json(w, r.commit, last.action, last.subject);
      w.key("ticket");
      write_ticket_json(w, last.ticket);
      if (sg) {
        w.key("suggestions");
        write_suggestions_json(w, *sg);
      }
      w.end_object();
      s.out() << w.str();
    } else {
      s.out() << last.ticket.id << "\n";
    }
  });
}

}  // namespace desk::cli
