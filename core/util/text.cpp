#include "core/util/text.hpp"

#include <utf8proc.h>

#include <fmt/format.h>

#include <algorithm>

namespace desk {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i] (its code point in *cp), or 0 when invalid.
size_t utf8_decode(std::string_view s, size_t i, char32_t* cp_out) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  char32_t cp;
  if (c < 0x80) {
    if (cp_out) *cp_out = c;
    return 1;
  }
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  if (cp_out) *cp_out = cp;
  return n;
}

size_t utf8_len(std::string_view s, size_t i) { return utf8_decode(s, i, nullptr); }

bool is_c1(char32_t cp) { return cp >= 0x80 && cp <= 0x9F; }

std::string marker(char32_t cp) { return fmt::format("<U+{:04X}>", static_cast<unsigned>(cp)); }

// Skips the escape sequence that starts with the ESC at s[i]; returns the index after it.
size_t skip_escape(std::string_view s, size_t i) {
  ++i;
  if (i < s.size() && s[i] == '[') {  // CSI: parameters then a final byte 0x40..0x7E
    ++i;
    while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E)) ++i;
    if (i < s.size()) ++i;
  } else if (i < s.size() && (s[i] == ']' || s[i] == 'P' || s[i] == '_' || s[i] == '^' || s[i] == 'X')) {
    // OSC/DCS/APC/PM/SOS: until BEL or ESC backslash
    ++i;
    while (i < s.size()) {
      if (s[i] == '\a') return i + 1;
      if (s[i] == 0x1B && i + 1 < s.size() && s[i + 1] == '\\') return i + 2;
      ++i;
    }
  } else if (i < s.size()) {
    ++i;  // two-character escape
  }
  return i;
}

std::string visible(std::string_view s, bool one_line) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0x1B) {
      i = skip_escape(s, i);
      continue;
    }
    if ((c == '\n' || c == '\t') && !one_line) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n' && !one_line) {
      ++i;  // CRLF: the line break is shown, the CR would only move the cursor
      continue;
    }
    if (c < 0x20 || c == 0x7F) {
      out += '^';
      out += static_cast<char>(c == 0x7F ? '?' : c + 0x40);
      ++i;
      continue;
    }
    char32_t cp = 0;
    size_t n = utf8_decode(s, i, &cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (is_c1(cp) || is_bidi_control(cp)) out += marker(cp);
    else out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

bool is_bidi_control(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string strip_controls(std::string_view s) { return visible(s, false); }

std::string strip_controls_line(std::string_view s) { return visible(s, true); }

bool has_controls(std::string_view s, bool allow_newlines) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\t') {
      if (!allow_newlines) return true;
      ++i;
      continue;
    }
    if (c < 0x20 || c == 0x7F) return true;
    char32_t cp = 0;
    size_t n = utf8_decode(s, i, &cp);
    if (n == 0 || is_c1(cp) || is_bidi_control(cp)) return true;
    i += n;
  }
  return false;
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_len(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_len(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    auto part = trim(s.substr(start, end - start));
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

namespace {
// One step through text: an escape sequence (width 0), or one code point and its width.
struct Glyph {
  size_t bytes;
  size_t width;
  bool escape;
};
Glyph next_glyph(std::string_view s, size_t i) {
  if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
    size_t j = i + 2;
    while (j < s.size() && !(s[j] >= 0x40 && s[j] <= 0x7E)) ++j;
    return {std::min(j + 1, s.size()) - i, 0, true};
  }
  utf8proc_int32_t cp = 0;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i), static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) return {1, 1, false};
  int w = utf8proc_charwidth(cp);
  return {static_cast<size_t>(n), static_cast<size_t>(std::max(w, 0)), false};
}
}  // namespace

size_t char_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

size_t display_width(std::string_view s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    Glyph g = next_glyph(s, i);
    w += g.width;
    i += g.bytes;
  }
  return w;
}

std::string truncate(std::string_view s, size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return {};
  std::string out;
  size_t w = 0;
  bool escapes = false;
  for (size_t i = 0; i < s.size();) {
    Glyph g = next_glyph(s, i);
    if (!g.escape && w + g.width + 1 > width) break;  // room for the "…"
    escapes = escapes || g.escape;
    out.append(s.substr(i, g.bytes));
    w += g.width;
    i += g.bytes;
  }
  return out + "…" + (escapes ? "\x1b[0m" : "");
}

std::string first_line(std::string_view s) {
  auto nl = s.find('\n');
  return std::string(nl == std::string_view::npos ? s : s.substr(0, nl));
}

bool is_valid_name(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  if (s.front() == ' ' || s.back() == ' ') return false;
  return !has_controls(s, false);
}

}  // namespace desk
