#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "core/util/error.hpp"
#include "core/model/id.hpp"
#include "core/model/limits.hpp"

namespace fs = std::filesystem;

namespace desk::cli {

void define_edit(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    std::string id = d.resolve(o->id);
    if (!s.env().editor)
      throw Error(ErrorKind::usage, "no editor: set EDITOR (or VISUAL, or DESK_EDITOR)", "for example: EDITOR=nano desk edit " + o->id);
    Snapshot snap = d.head();
    std::string path = ticket_path(id);
    std::string before_text = *snap.read(path);
    Ticket before = parse_ticket(before_text, path);
    if (d.is_dirty(snap, path))
      throw Error(ErrorKind::dirty, fmt::format("{} has uncommitted changes; desk will not overwrite them", path),
                  fmt::format("commit them (`git commit {}`) or discard them (`git checkout HEAD -- {}`)", path, path));
    // The draft lives in .git/desk/ until it is committed, so an invalid edit is never lost.
    std::string draft = std::string(git_repository_path(d.repo())) + "desk/edit-" + id + ".toml";
    std::string base_file = draft + ".base";
    if (fs::exists(draft) && fs::exists(base_file) && read_file(base_file) == before_text) {
      s.status(fmt::format("resuming your earlier edit of {} from {}", short_id(id), draft));
    } else {
      write_file(draft, before_text);
      write_file(base_file, before_text);
    }
    auto keep_hint = [&] {
      return fmt::format("your edit is kept in {}; run `desk edit {}` again to fix it, or delete that file to start over", draft, o->id);
    };
    int rc = s.env().run_editor(*s.env().editor, draft);
    if (rc != 0) throw Error(ErrorKind::io, fmt::format("the editor exited with status {}", rc), keep_hint());
    std::string after_text = read_file(draft, max_file_bytes);
    if (after_text.size() > max_file_bytes)
      throw Error(ErrorKind::invalid, fmt::format("the edited ticket is over {}, the most a ticket file may be", format_size(max_file_bytes)),
                  keep_hint());
    // Nothing to commit: the draft goes, and --json still prints the change, with commit null.
    auto unchanged = [&] {
      fs::remove(draft);
      fs::remove(base_file);
      s.status(fmt::format("no changes to {}", short_id(id)));
      if (o->json) print_change_json(s, "", Change{before, "edit", fmt::format("edit {}: {}", short_id(id), before.title), {}});
    };
    if (after_text == before_text) {
      unchanged();
      return;
    }
    Context ctx = s.context();
    Change change;
    try {
      Ticket after = parse_ticket(after_text, draft);
      change = edited(before, std::move(after), d.config(), ctx);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::usage) {  // nothing changed once parsed (only formatting)
        unchanged();
        return;
      }
      throw Error(e.kind(), fmt::format("the edit of {} is not valid: {}", short_id(id), e.what()), keep_hint());
    }
    Change last;
    auto r = s.commit_change(
        [&](const Snapshot& now_snap) {
          if (now_snap.read(path) != before_text)
            throw Error(ErrorKind::conflict, fmt::format("ticket {} changed while you were editing it", short_id(id)), keep_hint());
          return change;
        },
        last);
    fs::remove(draft);
    fs::remove(base_file);
    s.report(r, last);
    if (o->json) print_change_json(s, r.commit, last);
  });
}

}  // namespace desk::cli
