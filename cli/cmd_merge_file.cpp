#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/util/error.hpp"
#include "core/model/toml_reader.hpp"
#include "core/model/config.hpp"
#include "core/store/desk.hpp"
#include "core/store/merge.hpp"

namespace desk::cli {

namespace {
std::optional<std::string> slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
}  // namespace

// git's merge driver for ticket files: `desk merge-file %O %A %B %P` (registered in .git/config
// by any desk command). Writes the merge into OURS; on any failure leaves OURS untouched and exits
// non-zero, so git reports a conflict instead of desk writing a half-merged ticket.
void define_merge_file(CLI::App& cmd, Session& s) {
  struct Options {
    std::string base, ours, theirs, path;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("BASE", o->base, "the common ancestor's version (%O)")->required();
  cmd.add_option("OURS", o->ours, "our version (%A); the result is written here")->required();
  cmd.add_option("THEIRS", o->theirs, "their version (%B)")->required();
  cmd.add_option("PATH", o->path, "the file's path in the repository (%P), for messages");
  cmd.callback([&s, o] {
    auto ours = slurp(o->ours), theirs = slurp(o->theirs);
    if (!ours || !theirs) throw Error(ErrorKind::io, fmt::format("cannot read the versions of {} to merge", o->path));
    std::string path = o->path.empty() ? o->ours : o->path;
    std::string merged;
    if (path.rfind(".desk/", 0) == 0) {
      // Config and templates: git's line merge keeps comments and layout; use it when it is clean
      // and the result is still valid, else merge key by key.
      auto r = s.env().run_process({"git", "merge-file", "-p", "--quiet", o->ours, o->base, o->theirs}, s.env().cwd, {});
      bool clean = r.code == 0;
      if (clean) {
        try {
          if (path == config_path) parse_config(r.out, path);
          else (void)parse_toml(r.out, path);
        } catch (const std::exception&) {
          clean = false;
        }
      }
      merged = clean ? r.out : merge_toml_by_key(slurp(o->base), *ours, *theirs, path);
      if (!clean && path == config_path) parse_config(merged, path);  // never a half-merged desk
    } else {
      merged = merge_ticket_files(slurp(o->base), *ours, *theirs, path);
    }
    std::string tmp = o->ours + ".desk-merge";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << merged;
      if (!out) throw Error(ErrorKind::io, fmt::format("cannot write the merge of {}", path));
    }
    std::filesystem::rename(tmp, o->ours);
  });
}

}  // namespace desk::cli
