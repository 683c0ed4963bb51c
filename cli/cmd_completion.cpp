#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "cli/commands.hpp"

namespace desk::cli {

namespace {

// The command tree as the scripts need it, read from the same CLI11 definitions as --help.

enum class ValueKind { text, file, dir, choices, dynamic };

// How the value of an option or positional completes.
struct Value {
  ValueKind kind = ValueKind::text;
  std::string label;               // "TIER", as --help shows it
  std::vector<std::string> words;  // choices
  std::string dynamic;             // a KIND of `desk __complete`
};

struct Opt {
  std::vector<std::string> names;  // "-m", "--message"
  std::string help;
  bool flag = false;
  bool repeatable = false;
  bool global = false;  // the root's: valid before and after the command
  Value value;
};

struct Positional {
  std::string name;
  std::string help;
  bool required = false;
  bool repeatable = false;
  Value value;
};

struct Command {
  std::string name;
  std::string help;
  std::vector<Opt> options;  // the command's own, then the global ones it does not shadow
  std::vector<Positional> positionals;
};

struct Tree {
  std::vector<Opt> globals;
  std::vector<Command> commands;
};

// Value names (an option's type_name, a positional's name) that complete from the desk.
const std::map<std::string, std::string>& dynamic_kinds() {
  static const std::map<std::string, std::string> kinds = {
      {"ID", "ids"},         {"TIER", "tiers"},         {"P", "priorities"},      {"STATUS", "statuses"},
      {"USER", "assignees"}, {"WHO", "requesters"},     {"TAG", "tags"},          {"TYPE", "types"},
      {"VENDOR", "vendors"}, {"IMPACT", "impacts"},     {"URGENCY", "urgencies"}, {"REMOTE", "remotes"},
      {"TEMPLATE", "templates"}, {"SLUG", "slugs"}, {"TARGET", "articles"}, {"MACRO", "macros"},
      {"OTHER", "ids"},      {"PARENT", "ids"},         {"PROBLEM", "ids"},       {"PERSON", "team"}};
  return kinds;
}

// Options whose value name is too generic to say what they complete.
const std::map<std::string, std::string>& dynamic_by_option() {
  static const std::map<std::string, std::string> kinds = {{"--template", "templates"}};
  return kinds;
}

Value value_of(const CLI::Option& o) {
  Value v;
  // get_type_name() is "WHEN:{auto,always,never}" for an option checked by CLI::IsMember.
  std::string full = o.get_type_name();
  v.label = o.nonpositional() ? full.substr(0, full.find(':')) : o.get_name(true);
  if (size_t open = full.find(":{"); open != std::string::npos && full.back() == '}') {
    std::string set = full.substr(open + 2, full.size() - open - 3);
    for (size_t start = 0; start <= set.size();) {
      size_t comma = std::min(set.find(',', start), set.size());
      if (comma > start) v.words.push_back(set.substr(start, comma - start));
      start = comma + 1;
    }
    v.kind = ValueKind::choices;
    return v;
  }
  for (const auto& l : o.get_lnames())
    if (auto it = dynamic_by_option().find("--" + l); it != dynamic_by_option().end()) {
      v.kind = ValueKind::dynamic;
      v.dynamic = it->second;
      return v;
    }
  if (auto it = dynamic_kinds().find(v.label); it != dynamic_kinds().end()) {
    v.kind = ValueKind::dynamic;
    v.dynamic = it->second;
  } else if (v.label == "FILE") {
    v.kind = ValueKind::file;
  } else if (v.label == "DIR") {
    v.kind = ValueKind::dir;
  }
  return v;
}

Opt opt_of(const CLI::Option& o) {
  Opt r;
  for (const auto& s : o.get_snames()) r.names.push_back("-" + s);
  for (const auto& l : o.get_lnames()) r.names.push_back("--" + l);
  r.help = o.get_description();
  r.flag = o.get_items_expected_max() == 0;
  r.repeatable = o.get_items_expected_max() > 1;
  if (!r.flag) r.value = value_of(o);
  return r;
}

bool visible(const CLI::Option* o) { return !o->get_group().empty(); }

Tree tree_of(CLI::App& root) {
  Tree t;
  for (const CLI::Option* o : root.get_options(visible))
    if (o->nonpositional()) {
      t.globals.push_back(opt_of(*o));
      t.globals.back().global = true;
    }
  for (CLI::App* sub : root.get_subcommands([](CLI::App* a) { return !a->get_group().empty(); })) {
    Command c{sub->get_name(), sub->get_description(), {}, {}};
    std::set<std::string> names;
    for (const CLI::Option* o : sub->get_options(visible)) {
      if (o->nonpositional()) {
        c.options.push_back(opt_of(*o));
        names.insert(c.options.back().names.begin(), c.options.back().names.end());
      } else {
        c.positionals.push_back({o->get_name(true), o->get_description(), o->get_required(),
                                 o->get_items_expected_max() > 1, value_of(*o)});
      }
    }
    // A command with subcommands of its own (`desk kb new|edit|...`) completes as one command:
    // its first positional is the subcommand, then the subcommands' positionals by place (the
    // first that completes from the desk wins: `kb show SLUG`, `kb link SLUG ID`), and the union
    // of their options. Coarser than a tree, but every word the parser takes is offered.
    auto nested = sub->get_subcommands([](CLI::App* a) { return !a->get_group().empty(); });
    if (!nested.empty()) {
      Positional which{"SUBCOMMAND", "what to do", true, false, {}};
      which.value.kind = ValueKind::choices;
      for (CLI::App* n : nested) which.value.words.push_back(n->get_name());
      c.positionals.push_back(which);
      for (CLI::App* n : nested) {
        size_t place = 1;
        for (const CLI::Option* o : n->get_options(visible)) {
          if (o->nonpositional()) {
            Opt opt = opt_of(*o);
            if (std::none_of(opt.names.begin(), opt.names.end(), [&](const std::string& x) { return names.count(x) > 0; })) {
              names.insert(opt.names.begin(), opt.names.end());
              c.options.push_back(std::move(opt));
            }
            continue;
          }
          Positional pos{o->get_name(true), o->get_description(), false, o->get_items_expected_max() > 1, value_of(*o)};
          if (c.positionals.size() <= place) c.positionals.push_back(pos);
          else if (c.positionals[place].value.kind == ValueKind::text) c.positionals[place] = pos;
          ++place;
        }
      }
    }
    // Only the last positional repeats in a completion: `desk assign ID... USER` completes an
    // id, then the user (more ids can be typed, not completed).
    for (size_t i = 0; i + 1 < c.positionals.size(); ++i) c.positionals[i].repeatable = false;
    // fallthrough: global options may follow the command.
    for (const auto& g : t.globals)
      if (std::none_of(g.names.begin(), g.names.end(), [&](const std::string& n) { return names.count(n) > 0; }))
        c.options.push_back(g);
    t.commands.push_back(std::move(c));
  }
  return t;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

// 'text' for a POSIX shell or zsh.
std::string sq(const std::string& s) { return "'" + replace_all(s, "'", "'\\''") + "'"; }

// 'text' for fish, where \ and ' are escaped inside single quotes.
std::string fish_sq(const std::string& s) { return "'" + replace_all(replace_all(s, "\\", "\\\\"), "'", "\\'") + "'"; }

std::string joined(const std::vector<std::string>& v, const std::string& sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::string> option_names(const std::vector<Opt>& opts, bool valued_only) {
  std::vector<std::string> out;
  for (const auto& o : opts)
    if (!valued_only || !o.flag) out.insert(out.end(), o.names.begin(), o.names.end());
  return out;
}

// ---- bash ----

std::string bash_action(const Value& v) {
  switch (v.kind) {
    case ValueKind::text: return "";
    case ValueKind::file: return "_desk_files";
    case ValueKind::dir: return "_desk_dirs";
    case ValueKind::choices: return "_desk_words " + sq(joined(v.words));
    case ValueKind::dynamic: return "_desk_values " + v.dynamic;
  }
  return "";
}

// `case $prev in` arms completing the values of options.
std::string bash_value_arms(const std::vector<Opt>& opts, bool skip_globals, const std::string& indent) {
  std::string out;
  for (const auto& o : opts) {
    if (o.flag || (o.global && skip_globals)) continue;
    std::string action = bash_action(o.value);
    out += fmt::format("{}{}) {}return ;;\n", indent, joined(o.names, "|"), action.empty() ? "" : action + "; ");
  }
  return out;
}

std::string bash_script(const Tree& t) {
  std::vector<std::string> names;
  for (const auto& c : t.commands) names.push_back(c.name);
  std::string out = R"SH(# bash completion for desk                                  -*- shell-script -*-
# Generated by `desk completion bash` from desk's command definitions: do not edit.
# Install: desk completion bash > ~/.local/share/bash-completion/completions/desk

# Adds the values of a desk KIND (`desk __complete KIND PREFIX`) that start with what was typed,
# in desk's order (active tickets first).
_desk_values() {
  local line q prefix=$cur colon=
  # 'ne or "ne: the value typed so far is ne (bash closes the quote).
  [[ $prefix == [\'\"]* ]] && prefix=${prefix:1}
  # bash replaces only the text after the last : of the word (: breaks words in bash), while
  # cur is the whole word (_init_completion -n :): the replies leave out what comes before.
  [[ $prefix == *:* && $COMP_WORDBREAKS == *:* ]] && colon=${prefix%"${prefix##*:}"}
  while IFS= read -r line; do
    line=${line%%$'\t'*}
    [[ -n $line && $line == "$prefix"* ]] || continue
    printf -v q '%q' "${line#"$colon"}"
    COMPREPLY+=("$q")
  done < <(command desk "${_desk_dir[@]}" __complete "$1" "$prefix" 2>/dev/null)
  compopt -o nosort 2>/dev/null
}

_desk_words() {
  local IFS=$' \t\n'
  COMPREPLY+=($(compgen -W "$1" -- "$cur"))
}

_desk_files() {
  if declare -F _filedir >/dev/null; then
    _filedir
  else
    compopt -o filenames 2>/dev/null
    local IFS=$'\n'
    COMPREPLY+=($(compgen -f -- "$cur"))
  fi
}

_desk_dirs() {
  if declare -F _filedir >/dev/null; then
    _filedir -d
  else
    compopt -o filenames 2>/dev/null
    local IFS=$'\n'
    COMPREPLY+=($(compgen -d -- "$cur"))
  fi
}

_desk() {
  local cur prev words cword split=false
  if declare -F _init_completion >/dev/null; then
    # -s: --to=L completes L as the value of --to; -n :: team:net is one word.
    _init_completion -s -n : || return
  else
    COMPREPLY=()
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${words[cword]}
    prev=${words[cword - 1]}
    # bash breaks --to=L into --to, = and L.
    if [[ $cur == = ]]; then
      cur=
    elif [[ $prev == = ]] && ((cword > 1)); then
      prev=${words[cword - 2]}
    fi
  fi

  # The command, after the global options and their values; and -C DIR for `desk __complete`.
  local i cmd= at=0
  local -a _desk_dir=()
  for ((i = 1; i < cword; i++)); do
    if [[ ${words[i]} == -C ]] && ((i + 1 < cword)); then
      _desk_dir=(-C "${words[i + 1]/#\~/$HOME}")
    fi
  done
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
)SH";
  out += fmt::format("      {}) i=$((i + 1)) ;;\n", joined(option_names(t.globals, true), "|"));
  out += R"SH(      -*) ;;
      *)
        cmd=${words[i]} at=$i
        break
        ;;
    esac
  done

  case $prev in
)SH";
  out += bash_value_arms(t.globals, false, "    ");
  out += fmt::format(R"SH(  esac

  local globals={} commands={}
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then _desk_words "$globals"; else _desk_words "$commands"; fi
    return
  fi

  # opts: the command's options; valued: those taking a value.
  local opts= valued=
  case $cmd in
)SH",
                     sq(joined(option_names(t.globals, false))), sq(joined(names)));
  for (const auto& c : t.commands) {
    out += fmt::format("    {})\n", c.name);
    std::string arms = bash_value_arms(c.options, true, "        ");
    if (!arms.empty()) out += "      case $prev in\n" + arms + "      esac\n";
    out += fmt::format("      opts={}\n      valued={}\n      ;;\n", sq(joined(option_names(c.options, false))),
                       sq(" " + joined(option_names(c.options, true)) + " "));
  }
  out += R"SH(    *) return ;;
  esac

  if [[ $cur == -* ]]; then
    _desk_words "$opts"
    return
  fi

  # n: which positional argument is being completed.
  local n=0
  for ((i = at + 1; i < cword; i++)); do
    case ${words[i]} in
      --) ;;
      -*) [[ $valued == *" ${words[i]} "* ]] && i=$((i + 1)) ;;
      *) n=$((n + 1)) ;;
    esac
  done

  case $cmd in
)SH";
  for (const auto& c : t.commands) {
    std::vector<std::string> arms;
    for (size_t i = 0; i < c.positionals.size(); ++i) {
      std::string action = bash_action(c.positionals[i].value);
      if (action.empty()) continue;
      bool last_repeats = i + 1 == c.positionals.size() && c.positionals[i].repeatable;
      arms.push_back(fmt::format("{}) {} ;;", last_repeats ? fmt::format("{}|[0-9][0-9]", i) : std::to_string(i), action));
    }
    if (!arms.empty()) out += fmt::format("    {}) case $n in {} esac ;;\n", c.name, joined(arms));
  }
  out += R"SH(  esac
  # Past the last positional nothing is offered until a - is typed: offering every option
  # would make bash insert their common prefix, a -, at the TAB after a completed value.
  return 0
}

complete -F _desk desk
)SH";
  return out;
}

// ---- zsh ----

// Text inside an _arguments [description].
std::string zsh_bracket(const std::string& s) {
  return replace_all(replace_all(replace_all(s, "\\", "\\\\"), "[", "\\["), "]", "\\]");
}

std::string zsh_action(const Value& v) {
  switch (v.kind) {
    case ValueKind::text: return " ";
    case ValueKind::file: return "_files";
    case ValueKind::dir: return "_directories";
    case ValueKind::choices: return "(" + joined(v.words) + ")";
    case ValueKind::dynamic: return "_desk_values " + v.dynamic;
  }
  return " ";
}

std::string zsh_message(const std::string& s) { return replace_all(s, ":", "\\:"); }

std::string zsh_option_spec(const Opt& o) {
  std::string tail = "[" + zsh_bracket(o.help) + "]";
  if (!o.flag) tail += ":" + zsh_message(o.value.label) + ":" + zsh_action(o.value);
  std::vector<std::string> forms;
  for (const auto& n : o.names) {
    std::string f = n;
    if (!o.flag) f += n.rfind("--", 0) == 0 ? "=" : "+";
    forms.push_back(f);
  }
  std::string prefix = o.repeatable ? "'*'" : (o.names.size() > 1 ? sq("(" + joined(o.names) + ")") : "");
  if (forms.size() == 1) return prefix.empty() ? sq(forms[0] + tail) : prefix + sq(forms[0] + tail);
  return prefix + "{" + joined(forms, ",") + "}" + sq(tail);
}

std::string zsh_script(const Tree& t) {
  std::string out = R"SH(#compdef desk
# zsh completion for desk
# Generated by `desk completion zsh` from desk's command definitions: do not edit.
# Install: desk completion zsh > ~/.zfunc/_desk, with ~/.zfunc in $fpath before compinit.

# The values of a desk KIND (`desk __complete KIND PREFIX`), with descriptions, in desk's order.
# _arguments puts its compadd options before KIND: KIND is the last argument. PREFIX is what
# was typed of the value (without an --option= before it), unquoted.
_desk_values() {
  local kind=$argv[-1] line value
  local -a items
  for line in ${(f)"$(command desk "${_desk_dir[@]}" __complete "$kind" "${(Q)PREFIX}" 2>/dev/null)"}; do
    value=${line%%$'\t'*}
    value=${value//:/\\:}
    if [[ $line == *$'\t'* ]]; then
      items+=("$value:${line#*$'\t'}")
    else
      items+=("$value")
    fi
  done
  _describe -V -t $kind $kind items
}

_desk_commands() {
  local -a commands=(
)SH";
  for (const auto& c : t.commands) out += "    " + sq(zsh_message(c.name) + ":" + c.help) + "\n";
  out += R"SH(  )
  _describe -t commands 'desk command' commands
}

_desk() {
  local curcontext=$curcontext state state_descr line ret=1
  typeset -A opt_args
  # -C DIR on the line applies to `desk __complete` too.
  local -a _desk_dir
  local at=${words[(I)-C]}
  if ((at > 1 && at + 1 < CURRENT)); then
    _desk_dir=(-C "${${(Q)words[at + 1]}/#\~/$HOME}")
  fi
  local -a globals=(
)SH";
  for (const auto& g : t.globals) out += "    " + zsh_option_spec(g) + "\n";
  out += R"SH(  )
  _arguments -C -S $globals \
    '(-): :->command' \
    '(-)*:: :->argument' && ret=0
  case $state in
    command)
      _desk_commands && ret=0
      ;;
    argument)
      curcontext=${curcontext%:*:*}:desk-$words[1]:
      case $words[1] in
)SH";
  for (const auto& c : t.commands) {
    out += fmt::format("        {})\n          _arguments -S \\\n", c.name);
    for (const auto& o : c.options) out += "            " + zsh_option_spec(o) + " \\\n";
    for (size_t i = 0; i < c.positionals.size(); ++i) {
      const Positional& p = c.positionals[i];
      std::string pos = p.repeatable ? "*" : std::to_string(i + 1);
      std::string colon = p.required || p.repeatable ? ":" : "::";
      out += "            " + sq(pos + colon + zsh_message(p.name) + ":" + zsh_action(p.value)) + " \\\n";
    }
    out += "            && ret=0\n          ;;\n";
  }
  out += R"SH(      esac
      ;;
  esac
  return ret
}

if [[ $funcstack[1] == _desk ]]; then
  _desk "$@"
else
  compdef _desk desk
fi
)SH";
  return out;
}

// ---- fish ----

std::string fish_value_args(const Value& v) {
  switch (v.kind) {
    case ValueKind::text: return " -r -f";
    case ValueKind::file: return " -r -F";
    case ValueKind::dir: return " -r -f -a '(__fish_complete_directories)'";
    case ValueKind::choices: return " -r -f -a " + fish_sq(joined(v.words));
    case ValueKind::dynamic: return " -r -f -k -a " + fish_sq("(__desk_values " + v.dynamic + ")");
  }
  return "";
}

std::string fish_option(const Opt& o, const std::string& condition) {
  std::string line = "complete -c desk";
  if (!condition.empty()) line += " -n " + fish_sq(condition);
  for (const auto& n : o.names) line += (n.rfind("--", 0) == 0 ? " -l " : " -s ") + n.substr(n.find_first_not_of('-'));
  if (!o.flag) line += fish_value_args(o.value);
  return line + " -d " + fish_sq(o.help) + "\n";
}

std::string fish_script(const Tree& t) {
  std::string out = R"SH(# fish completion for desk
# Generated by `desk completion fish` from desk's command definitions: do not edit.
# Install: desk completion fish > ~/.config/fish/completions/desk.fish

# The options of a command that take a value (the global ones included).
function __desk_valued -a cmd
    switch $cmd
)SH";
  for (const auto& c : t.commands) {
    auto valued = option_names(c.options, true);
    if (!valued.empty()) out += fmt::format("        case {}\n            printf '%s\\n' -- {}\n", c.name, joined(valued));
  }
  out += fmt::format(R"SH(        case '*'
            printf '%s\n' -- {}
    end
end

# The words before the cursor after `desk`, with the options and their values left out.
function __desk_words
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l valued (__desk_valued '')
    set -l words
    while set -q tokens[1]
        set -l t $tokens[1]
        set -e tokens[1]
        if contains -- $t $valued
            set -e tokens[1]
        else if string match -q -- '-*' $t
            continue
        else
            if not set -q words[1]
                set valued (__desk_valued $t)
            end
            set -a words $t
        end
    end
    set -q words[1]; and printf '%s\n' $words
end

# __desk_using: no command yet. __desk_using CMD [N [more]]: the command is CMD (and the word
# being completed is its Nth positional argument, or a later one with `more`).
function __desk_using
    set -l words (__desk_words)
    if not set -q argv[1]
        not set -q words[1]
        return $status
    end
    test "$words[1]" = "$argv[1]"; or return 1
    set -q argv[2]; or return 0
    set -l n (count $words)
    if set -q argv[3]
        test $n -ge $argv[2]
    else
        test $n -eq $argv[2]
    end
end

# The values of a desk KIND (`desk __complete KIND PREFIX`), with descriptions.
function __desk_values -a kind
    set -l tokens (commandline -opc)
    set -l dir
    if set -l i (contains -i -- -C $tokens)
        and set -q tokens[(math $i + 1)]
        set dir -C $tokens[(math $i + 1)]
    end
    # What was typed of the value, unquoted: ne of --tag=ne or 'ne.
    set -l prefix (commandline -ct | string replace -r -- '^--[^=]*=' '' | string unescape)
    string match -q -- '-*' "$prefix"; and set prefix ''
    command desk $dir __complete $kind "$prefix" 2>/dev/null
end

complete -c desk -f
)SH",
                     joined(option_names(t.globals, true)));
  for (const auto& g : t.globals) out += fish_option(g, "");
  out += "\n";
  for (const auto& c : t.commands)
    out += fmt::format("complete -c desk -n __desk_using -a {} -d {}\n", c.name, fish_sq(c.help));
  for (const auto& c : t.commands) {
    out += "\n";
    std::string cond = "__desk_using " + c.name;
    for (const auto& o : c.options)
      if (!o.global) out += fish_option(o, cond);
    for (size_t i = 0; i < c.positionals.size(); ++i) {
      const Positional& p = c.positionals[i];
      if (p.value.kind == ValueKind::text) continue;
      std::string args = fish_value_args(p.value);
      args = replace_all(args, " -r", "");
      if (p.value.kind == ValueKind::file) args = " -F";
      out += fmt::format("complete -c desk -n {}{} -d {}\n",
                         fish_sq(fmt::format("{} {}{}", cond, i + 1, p.repeatable ? " more" : "")), args, fish_sq(p.help));
    }
  }
  return out;
}

}  // namespace

void define_completion(CLI::App& cmd, Session& s) {
  auto shell = std::make_shared<std::string>();
  cmd.add_option("SHELL", *shell, "the shell: bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd.callback([&s, &cmd, shell] {
    Tree tree = tree_of(*cmd.get_parent());
    if (*shell == "bash") s.out() << bash_script(tree);
    else if (*shell == "zsh") s.out() << zsh_script(tree);
    else s.out() << fish_script(tree);
  });
}

}  // namespace desk::cli
