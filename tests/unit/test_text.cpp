#include <string>
#include <utility>

#include "catch.hpp"
#include "core/util/text.hpp"

using namespace desk;
using namespace std::string_literals;

namespace {
const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
}

TEST_CASE("strip_controls removes escape sequences, shows other controls visibly and keeps the text around them", "[text]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"plain text", "plain text"},
      {"\x1b[31mred\x1b[0m", "red"},                                  // CSI SGR
      {"\x1b[1;31;42mbold\x1b[m", "bold"},                            // CSI with several parameters
      {"a\x1b[2Jb\x1b[Hc", "abc"},                                    // clear screen, cursor home
      {"a\x1b[?1049hb", "ab"},                                        // private-mode CSI
      {"a\x1b]0;evil title\x07" "b", "ab"},                           // OSC ended by BEL
      {"a\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\b", "alinkb"},  // OSC 8 hyperlink ended by ST
      {"a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},                             // DCS ended by ST
      {"a\x1b_apc\x1b\\b", "ab"},                                     // APC
      {"a\x1b" "cb", "ab"},                                           // two-character escape (RIS)
      {"a\x1b", "a"},                                                 // lone ESC at the end
      {"a\x1b[31", "a"},                                              // unterminated CSI
      {"a\xc2\x85" "b", "a<U+0085>b"},                                // C1 NEL
      {"a\xc2\x9b" "31mb", "a<U+009B>31mb"},                          // C1 CSI shown, its text stays as text
      {"a\xc2\x9f" "b", "a<U+009F>b"},                                // last C1
      {"a\x7f" "b", "a^?b"},                                          // DEL
      {"a\x07" "b\x08" "c\rd\x0b" "e\x0c" "f", "a^Gb^Hc^Md^Ke^Lf"},     // BEL, BS, CR, VT, FF
      {"a"s + '\0' + "b", "a^@b"},                                    // NUL
      {"line 1\nline 2\tcolumn", "line 1\nline 2\tcolumn"},           // newline and tab stay
      {"crlf\r\nline", "crlf\nline"},                                  // a CR ending a line goes
      {"invoice \xe2\x80\xae" "fdp.exe", "invoice <U+202E>fdp.exe"},   // RIGHT-TO-LEFT OVERRIDE
      {"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "<U+202A><U+202B><U+202C><U+202D>"},  // embeddings, PDF
      {"\xe2\x81\xa6" "a\xe2\x81\xa7" "b\xe2\x81\xa8" "c\xe2\x81\xa9", "<U+2066>a<U+2067>b<U+2068>c<U+2069>"},  // isolates
      {"\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "<U+200E><U+200F><U+061C>"},  // LRM, RLM, ALM
      {"\xe2\x80\x8d\xe2\x80\xaf", "\xe2\x80\x8d\xe2\x80\xaf"},        // ZWJ and U+202F are not controls
      {"caf\xc3\xa9 \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"},
      {"no\xc2\xa0" "break", "no\xc2\xa0" "break"},                   // U+00A0 is not a C1 control
      {"a\xff" "b", "a" + replacement + "b"},                         // invalid byte
      {"a\xe2\x82", "a" + replacement + replacement},                 // truncated sequence
      {"\xc0\xaf", replacement + replacement},                        // overlong encoding
      {"\xed\xa0\x80", replacement + replacement + replacement},      // UTF-16 surrogate
      {"\xf4\x90\x80\x80", replacement + replacement + replacement + replacement},  // above U+10FFFF
      {"caf\xe9", "caf" + replacement},                               // Latin-1
  }));
  CAPTURE(input);
  CHECK(strip_controls(input) == expected);
  // Whatever comes out is safe to print: no controls (newline and tab allowed), valid UTF-8.
  CHECK_FALSE(has_controls(strip_controls(input), true));
  CHECK_FALSE(has_controls(strip_controls_line(input), false));
}

TEST_CASE("strip_controls_line shows line breaks and tabs too, so text stays on its line", "[text]") {
  CHECK(strip_controls_line("two\nlines\tand\r\n\x1b[31mred") == "two^Jlines^Iand^M^Jred");
  CHECK(strip_controls_line("plain") == "plain");
}

TEST_CASE("has_controls flags control characters and invalid UTF-8", "[text]") {
  auto [input, allow_newlines, expected] = GENERATE(table<std::string, bool, bool>({
      {"plain", false, false},
      {"caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x98\x80", false, false},
      {"two\nlines", true, false},
      {"two\nlines", false, true},
      {"tab\there", true, false},
      {"tab\there", false, true},
      {"esc\x1b[31m", true, true},
      {"bell\x07", true, true},
      {"cr\r", true, true},
      {"del\x7f", true, true},
      {"c1\xc2\x9b", true, true},
      {"bad\xff", true, true},
      {"rlo \xe2\x80\xae", true, true},
      {"lri \xe2\x81\xa6", true, true},
      {"alm \xd8\x9c", true, true},
      {"arabic \xd8\xb9", true, false},
      {"cut\xe2\x82", true, true},
      {"", false, false},
  }));
  CAPTURE(input, allow_newlines);
  CHECK(has_controls(input, allow_newlines) == expected);
}

TEST_CASE("truncate cuts UTF-8 text to display columns and marks the cut with an ellipsis", "[text]") {
  auto [input, width, expected] = GENERATE(table<std::string, size_t, std::string>({
      {"hello", 10, "hello"},
      {"hello", 5, "hello"},
      {"hello world", 5, "hell\xe2\x80\xa6"},
      {"h\xc3\xa9llo w\xc3\xb6rld", 5, "h\xc3\xa9ll\xe2\x80\xa6"},
      // 日本語テキ: five wide characters, two columns each; 4 columns hold one and the ellipsis.
      {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad", 4, "\xe6\x97\xa5\xe2\x80\xa6"},
      {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"},
      {"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 3, "\xf0\x9f\x98\x80\xe2\x80\xa6"},
      {"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 2, "\xe2\x80\xa6"},
      {"hello", 1, "\xe2\x80\xa6"},
      {"hello", 0, ""},
      {"", 3, ""},
  }));
  CAPTURE(input, width);
  std::string out = truncate(input, width);
  CHECK(out == expected);
  CHECK(display_width(out) <= width);
  CHECK_FALSE(has_controls(out, false));  // never splits a multi-byte sequence
}

TEST_CASE("truncate keeps colour escapes whole and resets after a cut", "[text]") {
  std::string red = "\x1b[31mbreached\x1b[0m";
  CHECK(truncate(red, 8) == red);
  CHECK(truncate(red, 4) == "\x1b[31mbre\xe2\x80\xa6\x1b[0m");
  CHECK(display_width(truncate(red, 4)) == 4);
}

TEST_CASE("display_width counts terminal columns: wide characters 2, combining marks 0, escapes 0", "[text]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("caf\xc3\xa9") == 4);
  CHECK(display_width("cafe\xcc\x81") == 4);                  // e + combining acute
  CHECK(display_width("\xe6\x97\xa5\xe6\x9c\xac") == 4);  // 日本
  CHECK(display_width("\xf0\x9f\x98\x80") == 2);            // an emoji
  CHECK(display_width("\x1b[1;31mP1\x1b[0m") == 2);
  CHECK(display_width("\xff") == 1);                         // a bad byte still takes a column
}

TEST_CASE("trim removes ASCII white space at both ends only", "[text]") {
  CHECK(trim("  a b \t\r\n") == "a b");
  CHECK(trim("\n\n") == "");
  CHECK(trim("") == "");
  CHECK(trim("x") == "x");
  CHECK(trim("\xc2\xa0x\xc2\xa0") == "\xc2\xa0x\xc2\xa0");
}

TEST_CASE("split drops empty and blank parts and trims the rest", "[text]") {
  CHECK(split("a,b,,c", ',') == std::vector<std::string>{"a", "b", "c"});
  CHECK(split(" a , b ", ',') == std::vector<std::string>{"a", "b"});
  CHECK(split("", ',').empty());
  CHECK(split(",,", ',').empty());
  CHECK(split("one", ',') == std::vector<std::string>{"one"});
}

TEST_CASE("join puts the separator between parts only", "[text]") {
  CHECK(join({}, ", ") == "");
  CHECK(join({"a"}, ", ") == "a");
  CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
}

TEST_CASE("lower changes ASCII letters only", "[text]") {
  CHECK(lower("VPN Drops") == "vpn drops");
  CHECK(lower("\xc3\x89T\xc3\x89") == "\xc3\x89t\xc3\x89");
}

TEST_CASE("first_line stops at the first newline", "[text]") {
  CHECK(first_line("one\ntwo") == "one");
  CHECK(first_line("one") == "one");
  CHECK(first_line("\ntwo") == "");
}

TEST_CASE("is_valid_name accepts printable one-line names and rejects the rest", "[text]") {
  auto [name, ok] = GENERATE(table<std::string, bool>({
      {"bo", true},
      {"Alice Agent <alice@example.com>", true},
      {"J\xc3\xbcrgen", true},
      {"vpn-client_2", true},
      {"", false},
      {" leading", false},
      {"trailing ", false},
      {"two\nlines", false},
      {"tab\tinside", false},
      {"esc\x1b[31m", false},
      {"bad\xff", false},
      {std::string(200, 'x'), true},
      {std::string(201, 'x'), false},
  }));
  CAPTURE(name);
  CHECK(is_valid_name(name) == ok);
}
