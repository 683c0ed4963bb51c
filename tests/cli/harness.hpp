#pragma once
// Runs desk commands in-process with a fake environment: a throwaway directory, a pinned clock,
// a fixed identity, seeded ids, string streams, and a scripted editor.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/env.hpp"

namespace desk::test {

struct Result {
  int code = 0;
  std::string out;
  std::string err;
};

class Harness {
 public:
  Harness() {
    char tmpl[] = "/tmp/desk-cli-XXXXXX";
    root_ = mkdtemp(tmpl);
    std::filesystem::create_directories(root_ + "/home");
    // libgit2 reads the global git config from $HOME; keep the developer's out of the tests.
    setenv("HOME", (root_ + "/home").c_str(), 1);
    setenv("XDG_CONFIG_HOME", (root_ + "/home").c_str(), 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    dir = root_ + "/desk";
    now = "2026-11-23T09:00:00Z";
    author_name = "Alice Agent";
    author_email = "alice@example.com";
  }
  ~Harness() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  std::string dir;  // where commands run
  std::string now;  // DESK_NOW
  std::optional<std::string> author_name, author_email;
  std::optional<std::string> editor;
  std::string stdin_text;
  /// Where commands start when set (default: `dir` once it exists, else the throwaway root).
  std::optional<std::string> cwd;
  /// Pretend standard input and output are a terminal `columns` wide.
  bool terminal = false;
  int columns = 80;
  int lines = 0;  // the terminal's rows (0: unknown)
  bool no_color = false;  // NO_COLOR set
  std::optional<std::string> json_format;  // DESK_JSON_FORMAT
  /// Whether a pager runs; what was sent to it (the last run) is kept in `paged`.
  bool pager_available = false;
  std::optional<std::string> pager;  // DESK_PAGER or PAGER
  std::string paged, paged_with;
  /// The scripted editor: receives the file path, may rewrite it, returns an exit status.
  std::function<int(const std::string& file)> edit = [](const std::string&) { return 0; };
  uint64_t seed = 42;
  /// DESK_SENDMAIL, and the fake shell that runs it: each call's command, arguments and input are
  /// kept in `shell_calls`; `shell` returns the exit status (0: taken).
  std::optional<std::string> sendmail;
  struct ShellCall {
    std::string command;
    std::vector<std::string> args;
    std::string input;
  };
  std::vector<ShellCall> shell_calls;
  std::function<int(const ShellCall&)> shell = [](const ShellCall&) { return 0; };

  Result run(std::vector<std::string> args) {
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    cli::Env env;
    env.cwd = cwd ? *cwd : std::filesystem::exists(dir) ? dir : root_;
    env.desk_now = now;
    env.identity.author_name = author_name;
    env.identity.author_email = author_email;
    env.editor = editor;
    env.rng = seeded_random(seed++);
    env.in = &in;
    env.out = &out;
    env.err = &err;
    env.run_editor = [this](const std::string&, const std::string& file) { return edit(file); };
    env.stdin_tty = env.stdout_tty = env.stderr_tty = terminal;
    env.columns = columns;
    env.lines = lines;
    env.no_color = no_color;
    env.json_format = json_format;
    env.pager = pager;
    paged.clear();
    paged_with.clear();
    env.run_pager = [this](const std::string& command, const std::string& text) {
      if (!pager_available) return false;
      paged_with = command;
      paged += text;
      return true;
    };
    env.clock = [] { return Timestamp{std::chrono::seconds{0}}; };
    env.sendmail = sendmail;
    env.run_shell = [this](const std::string& command, const std::vector<std::string>& arguments, const std::string& input,
                           std::chrono::seconds) {
      shell_calls.push_back({command, arguments, input});
      cli::Env::ProcessResult pr;
      pr.code = shell(shell_calls.back());
      if (pr.code) pr.err = "fake sendmail refused";
      return pr;
    };
    Result r;
    r.code = cli::run(args, env);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  /// Creates the desk in `dir`.
  void init() {
    auto r = run({"init", dir});
    if (r.code != 0) throw std::runtime_error("desk init failed: " + r.err);
  }

  /// Files a ticket and returns its id.
  std::string new_ticket(const std::string& title, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"new", title};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run(args);
    if (r.code != 0) throw std::runtime_error("desk new failed: " + r.err);
    return r.out.substr(0, r.out.find('\n'));
  }

  /// Runs a shell command in `dir` and returns its stdout (for checking with the system git).
  std::string sh(const std::string& command) const { return capture("cd '" + dir + "' && " + command); }

  const std::string& root() const { return root_; }

  /// Writes a file at a path relative to `dir`, creating directories.
  void write(const std::string& rel, const std::string& content) const {
    std::filesystem::path p = std::filesystem::path(dir) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
  }

  /// The content of a file at a path relative to `dir` ("" when missing).
  std::string read(const std::string& rel) const {
    std::ifstream f(std::filesystem::path(dir) / rel, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  /// Parses text as JSON with python3 (an independent reader) and prints the Python expression
  /// `expr` over it, `d` being the document: json("...", "d['ticket']['status']"). A document
  /// that does not parse gives "JSON ERROR: ..." instead.
  std::string json(const std::string& text, const std::string& expr) const {
    std::string doc = root_ + "/doc.json", script = root_ + "/query.py";
    std::ofstream(doc, std::ios::binary | std::ios::trunc) << text;
    std::ofstream(script, std::ios::trunc)
        << "import json, sys\n"
           "def strict(c):\n"
           "    raise ValueError('not JSON: ' + c)\n"
           "try:\n"
           "    d = json.load(open(sys.argv[1], encoding='utf-8'), parse_constant=strict)\n"
           "except Exception as e:\n"
           "    print('JSON ERROR:', e)\n"
           "    sys.exit(0)\n"
           "r = (" << expr << ")\n"
           "print(r if isinstance(r, str) else json.dumps(r))\n";
    std::string out = capture("python3 '" + script + "' '" + doc + "' 2>&1");
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

 private:
  static std::string capture(const std::string& full) {
    FILE* p = popen(full.c_str(), "r");
    if (!p) return "(popen failed)";
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
  }

  std::string root_;
};

}  // namespace desk::test
