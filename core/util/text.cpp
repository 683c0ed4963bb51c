#include "core/util/text.hpp"

namespace desk {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t utf8_len(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  unsigned cp;
  if (c < 0x80) return 1;
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
  return n;
}

// True for the C1 control code points U+0080..U+009F, encoded as C2 80..C2 9F.
bool is_c1(std::string_view s, size_t i, size_t n) {
  return n == 2 && static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
}

}  // namespace

std::string strip_controls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0x1B) {  // ESC: skip the whole sequence
      ++i;
      if (i < s.size() && s[i] == '[') {  // CSI: parameters then a final byte 0x40..0x7E
        ++i;
        while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E)) ++i;
        if (i < s.size()) ++i;
      } else if (i < s.size() && (s[i] == ']' || s[i] == 'P' || s[i] == '_' || s[i] == '^' || s[i] == 'X')) {
        // OSC/DCS/APC/PM/SOS: until BEL or ESC backslash
        ++i;
        while (i < s.size()) {
          if (s[i] == '\a') { ++i; break; }
          if (s[i] == 0x1B && i + 1 < s.size() && s[i + 1] == '\\') { i += 2; break; }
          ++i;
        }
      } else if (i < s.size()) {
        ++i;  // two-character escape
      }
      continue;
    }
    if (c == '\n' || c == '\t') { out += static_cast<char>(c); ++i; continue; }
    if (c < 0x20 || c == 0x7F) { ++i; continue; }
    size_t n = utf8_len(s, i);
    if (n == 0) { out += "\xEF\xBF\xBD"; ++i; continue; }
    if (is_c1(s, i, n)) { i += n; continue; }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

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
    size_t n = utf8_len(s, i);
    if (n == 0 || is_c1(s, i, n)) return true;
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

size_t display_width(std::string_view s) {
  size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

std::string truncate(std::string_view s, size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return {};
  std::string out;
  size_t w = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (w + 1 >= width) break;
      ++w;
    }
    out += s[i];
  }
  return out + "…";
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
