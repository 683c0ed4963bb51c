#include "core/mail/message.hpp"

#include <fmt/format.h>
#include <gmime/gmime.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "core/model/id.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk::mail {

namespace {

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// Owns a GObject reference.
template <typename T>
struct Ref {
  T* p = nullptr;
  explicit Ref(T* q) : p(q) {}
  ~Ref() {
    if (p) g_object_unref(p);
  }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
};

// Owns a g_malloc'ed string.
struct GStr {
  char* p = nullptr;
  explicit GStr(char* q) : p(q) {}
  ~GStr() { g_free(p); }
  GStr(const GStr&) = delete;
  GStr& operator=(const GStr&) = delete;
  std::string str() const { return p ? std::string(p) : std::string(); }
};

std::string normalize_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') continue;
      out += '\n';
      continue;
    }
    out += s[i];
  }
  return repair_utf8(out);
}

// One line: folded header white space becomes single spaces, controls go.
std::string one_line(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : repair_utf8(s)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      space = true;
      continue;
    }
    if (c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// A header's encoded words decoded one by one. GMime 3.2 joins the payloads of adjacent encoded
// words of one charset before decoding them (for clients that split a character between two),
// which cuts a subject at the first word whose base64 ends in padding, as Outlook's do.
std::string decode_words(std::string_view raw) {
  std::string out, space;
  bool after_word = false;
  size_t i = 0;
  while (i < raw.size()) {
    if (raw.substr(i, 2) == "=?") {
      size_t q1 = raw.find('?', i + 2);
      size_t q2 = q1 == std::string_view::npos ? q1 : raw.find('?', q1 + 1);
      size_t end = q2 == std::string_view::npos ? q2 : raw.find("?=", q2 + 1);
      if (end != std::string_view::npos && raw.substr(i, end - i).find_first_of(" \t\r\n") == std::string_view::npos) {
        std::string word(raw.substr(i, end + 2 - i));
        GStr dec(g_mime_utils_header_decode_text(nullptr, word.c_str()));
        if (!after_word) out += space;  // white space between two encoded words goes
        space.clear();
        out += dec.str();
        after_word = true;
        i = end + 2;
        continue;
      }
    }
    char c = raw[i++];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space += ' ';
      continue;
    }
    out += space;
    space.clear();
    out += c;
    after_word = false;
  }
  return out;
}

std::string raw_header(GMimeObject* obj, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  GMimeHeader* h = list ? g_mime_header_list_get_header(list, name) : nullptr;
  const char* raw = h ? g_mime_header_get_raw_value(h) : nullptr;
  return raw ? std::string(raw) : std::string();
}

std::string header(GMimeObject* obj, const char* name) {
  const char* v = g_mime_object_get_header(obj, name);
  return v ? std::string(v) : std::string();
}

std::vector<Address> addresses(InternetAddressList* list) {
  std::vector<Address> out;
  if (!list) return out;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      auto inner = addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
      out.insert(out.end(), inner.begin(), inner.end());
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) continue;
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
    if (!addr || !*addr) continue;
    const char* name = internet_address_get_name(ia);
    Address a{name ? one_line(name) : "", lower(one_line(addr))};
    if (a.addr.find('@') == std::string::npos) continue;
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::string> message_ids(const std::string& value) {
  std::vector<std::string> out;
  if (value.empty()) return out;
  GMimeReferences* refs = g_mime_references_parse(nullptr, value.c_str());
  if (!refs) return out;
  int n = g_mime_references_length(refs);
  for (int i = 0; i < n; ++i)
    if (const char* id = g_mime_references_get_message_id(refs, i); id && *id) out.push_back(one_line(id));
  g_mime_references_free(refs);
  return out;
}

std::string part_bytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return "";
  Ref<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.p);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.p));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string part_text(GMimePart* part) {
  if (GMIME_IS_TEXT_PART(part)) {
    GStr t(g_mime_text_part_get_text(GMIME_TEXT_PART(part)));
    if (t.p) return normalize_text(t.p);
  }
  return normalize_text(part_bytes(part));
}

bool is_type(GMimeObject* obj, const char* type, const char* subtype) {
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  return ct && g_mime_content_type_is_type(ct, type, subtype);
}

struct Walker {
  std::vector<std::string> texts;
  std::vector<Attachment>& attachments;
  int depth = 0;

  void add_attachment(GMimePart* part) {
    Attachment a;
    const char* fn = g_mime_part_get_filename(part);
    a.name = fn ? one_line(fn) : "";
    GMimeContentType* ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    if (ct) {
      GStr mt(g_mime_content_type_get_mime_type(ct));
      a.content_type = lower(mt.str());
    }
    a.data = part_bytes(part);
    attachments.push_back(std::move(a));
  }

  void walk(GMimeObject* obj) {
    if (!obj || ++depth > 32) return;  // a hostile message nests parts without end
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      int n = g_mime_multipart_get_count(mp);
      if (is_type(obj, "multipart", "alternative")) {
        GMimeObject* plain = nullptr;
        GMimeObject* html = nullptr;
        for (int i = 0; i < n; ++i) {
          GMimeObject* c = g_mime_multipart_get_part(mp, i);
          if (!plain && is_type(c, "text", "plain")) plain = c;
          if (!html && is_type(c, "text", "html")) html = c;
        }
        GMimeObject* pick = plain ? plain : html ? html : n > 0 ? g_mime_multipart_get_part(mp, n - 1) : nullptr;
        walk(pick);
      } else if (is_type(obj, "multipart", "report")) {
        if (n > 0) walk(g_mime_multipart_get_part(mp, 0));  // the human-readable part
      } else {
        for (int i = 0; i < n; ++i) walk(g_mime_multipart_get_part(mp, i));
      }
    } else if (GMIME_IS_PART(obj)) {
      GMimePart* part = GMIME_PART(obj);
      bool text = is_type(obj, "text", "plain") || is_type(obj, "text", "html");
      if (!text || g_mime_part_is_attachment(part)) {
        add_attachment(part);
      } else if (is_type(obj, "text", "html")) {
        texts.push_back(html_to_text(part_text(part)));
      } else {
        texts.push_back(part_text(part));
      }
    }
    --depth;
  }
};

std::string sha256_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 failed");
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", out[i]);
  return hex;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

[[noreturn]] void not_mail(const std::string& what) {
  throw Error(ErrorKind::invalid, "not a mail message desk can take: " + what,
              "desk mail receive reads one RFC 5322 message (headers, a blank line, the body) on standard input");
}

}  // namespace

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::message: return "message";
    case Kind::auto_reply: return "auto-reply";
    case Kind::bounce: return "bounce";
    case Kind::list: return "list";
  }
  return "message";
}

std::string format_address(const Address& a) {
  if (a.name.empty()) return a.addr;
  bool quote = a.name.find_first_of("<>@,;:\"()[]") != std::string::npos;
  if (!quote) return fmt::format("{} <{}>", a.name, a.addr);
  std::string q;
  for (char c : a.name) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return fmt::format("\"{}\" <{}>", q, a.addr);
}

std::string person_of(const Address& a) {
  return format_address(Address{trim(strip_controls_line(a.name)), trim(strip_controls_line(a.addr))});
}

std::string address_of(std::string_view person) {
  auto lt = person.rfind('<');
  auto gt = person.rfind('>');
  std::string_view a = person;
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) a = person.substr(lt + 1, gt - lt - 1);
  std::string out = lower(trim(a));
  if (out.find('@') == std::string::npos || out.find(' ') != std::string::npos) return "";
  return out;
}

Inbound parse_message(std::string_view raw) {
  init_gmime();
  // A message starts with a header line: "Name: value" (or an mbox "From " line).
  {
    size_t colon = raw.find(':');
    size_t nl = raw.find('\n');
    bool header_first = colon != std::string_view::npos && colon > 0 && (nl == std::string_view::npos || colon < nl);
    if (header_first)
      for (size_t i = 0; i < colon; ++i) {
        unsigned char c = static_cast<unsigned char>(raw[i]);
        if (c <= 32 || c >= 127) header_first = false;
      }
    if (raw.substr(0, 5) == "From ") header_first = true;
    if (!header_first) not_mail("it does not start with a header line (Name: value)");
  }
  Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  g_mime_parser_set_format(parser.p, raw.substr(0, 5) == "From " ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  Ref<GMimeMessage> msg(g_mime_parser_construct_message(parser.p, nullptr));
  if (!msg.p) not_mail("GMime could not parse it");
  GMimeObject* obj = GMIME_OBJECT(msg.p);

  Inbound m;
  auto from = addresses(g_mime_message_get_from(msg.p));
  if (from.empty()) from = addresses(g_mime_message_get_sender(msg.p));
  if (from.empty()) not_mail("it has no From address");
  m.from = from.front();
  m.to = addresses(g_mime_message_get_to(msg.p));
  m.cc = addresses(g_mime_message_get_cc(msg.p));
  m.subject = one_line(decode_words(raw_header(obj, "Subject")));
  if (const char* id = g_mime_message_get_message_id(msg.p); id && *id) m.message_id = one_line(id);
  if (m.message_id.empty()) m.message_id = "sha256-" + sha256_hex(raw) + "@desk.invalid";
  auto irt = message_ids(header(obj, "In-Reply-To"));
  if (!irt.empty()) m.in_reply_to = irt.front();
  m.references = message_ids(header(obj, "References"));
  m.desk_ticket = one_line(header(obj, "X-Desk-Ticket"));

  // Loop protection: what kind of sender wrote this.
  std::string auto_submitted = lower(trim(header(obj, "Auto-Submitted")));
  std::string precedence = lower(trim(header(obj, "Precedence")));
  std::string return_path = trim(header(obj, "Return-Path"));
  std::string local = m.from.addr.substr(0, m.from.addr.find('@'));
  GMimeObject* top = g_mime_message_get_mime_part(msg.p);
  if (return_path == "<>" || local == "mailer-daemon" || local == "postmaster" ||
      (top && is_type(top, "multipart", "report"))) {
    m.kind = Kind::bounce;
    m.kind_reason = return_path == "<>" ? "Return-Path: <>" : top && is_type(top, "multipart", "report") ? "Content-Type: multipart/report" : "From: " + m.from.addr;
  } else if (!auto_submitted.empty() && auto_submitted.substr(0, 2) != "no") {
    m.kind = Kind::auto_reply;
    m.kind_reason = "Auto-Submitted: " + auto_submitted;
  } else if (g_mime_object_get_header(obj, "X-Autoreply") || g_mime_object_get_header(obj, "X-Autorespond")) {
    m.kind = Kind::auto_reply;
    m.kind_reason = g_mime_object_get_header(obj, "X-Autoreply") ? "X-Autoreply" : "X-Autorespond";
  } else if (precedence == "bulk" || precedence == "junk" || precedence == "list") {
    m.kind = Kind::list;
    m.kind_reason = "Precedence: " + precedence;
  } else if (g_mime_object_get_header(obj, "List-Id")) {
    m.kind = Kind::list;
    m.kind_reason = "List-Id";
  } else if (starts_with_ci(m.subject, "automatic reply:") || starts_with_ci(m.subject, "out of office")) {
    m.kind = Kind::auto_reply;
    m.kind_reason = "Subject: " + m.subject.substr(0, m.subject.find(':'));
  }

  Walker w{{}, m.attachments};
  w.walk(top);
  std::string body;
  for (const auto& t : w.texts) {
    std::string s = trim(t);
    if (s.empty()) continue;
    if (!body.empty()) body += "\n\n";
    body += s;
  }
  m.body = std::move(body);
  return m;
}

std::string html_to_text(std::string_view html) {
  static const std::vector<std::string> blocks = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                                  "blockquote", "hr", "ul", "ol", "pre", "section", "article", "header",
                                                  "footer", "dt", "dd"};
  static const std::vector<std::string> skipped = {"script", "style", "head", "title", "template"};
  static const std::vector<std::pair<std::string, std::string>> entities = {
      {"amp", "&"},       {"lt", "<"},        {"gt", ">"},       {"quot", "\""},   {"apos", "'"},   {"nbsp", " "},
      {"copy", "\u00a9"}, {"reg", "\u00ae"},  {"hellip", "…"},   {"mdash", "—"},   {"ndash", "–"},  {"rsquo", "’"},
      {"lsquo", "‘"},     {"rdquo", "”"},     {"ldquo", "“"},    {"euro", "€"},    {"bull", "•"},   {"middot", "·"}};
  std::string out;
  bool pre = false;
  bool space = false;
  auto newline = [&] {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
    space = false;
  };
  // A block starts and ends on a line of its own; <br> always breaks. An empty paragraph (as
  // Outlook writes between paragraphs) is an empty line.
  auto line_break = [&] {
    size_t nl = out.rfind('\n');
    std::string_view line = std::string_view(out).substr(nl == std::string::npos ? 0 : nl + 1);
    if (!line.empty()) newline();
  };
  size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      // The tag: name, then attributes up to '>' (quoted values may hold '>').
      size_t j = i + 1;
      bool closing = j < html.size() && html[j] == '/';
      if (closing) ++j;
      size_t name_start = j;
      while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])))) ++j;
      std::string name = lower(html.substr(name_start, j - name_start));
      char quote = 0;
      while (j < html.size() && (quote || html[j] != '>')) {
        if (quote && html[j] == quote) quote = 0;
        else if (!quote && (html[j] == '"' || html[j] == '\'')) quote = html[j];
        ++j;
      }
      i = j < html.size() ? j + 1 : html.size();
      if (name.empty()) continue;  // <!DOCTYPE>, <?xml?>, a stray '<'
      if (!closing && std::find(skipped.begin(), skipped.end(), name) != skipped.end()) {
        // Skip to the matching end tag.
        std::string end = "</" + name;
        size_t k = i;
        while (k < html.size()) {
          size_t f = html.find('<', k);
          if (f == std::string_view::npos) {
            k = html.size();
            break;
          }
          if (lower(html.substr(f, end.size())) == end) {
            size_t gt = html.find('>', f);
            k = gt == std::string_view::npos ? html.size() : gt + 1;
            break;
          }
          k = f + 1;
        }
        i = k;
        continue;
      }
      if (name == "pre") pre = !closing;
      if (name == "td" || name == "th") {
        if (!out.empty() && out.back() != '\n' && out.back() != ' ') out += ' ';
        continue;
      }
      if (name == "br") newline();
      else if (std::find(blocks.begin(), blocks.end(), name) != blocks.end()) line_break();
      continue;
    }
    if (c == '&') {
      size_t semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string ent(html.substr(i + 1, semi - i - 1));
        std::string rep;
        if (!ent.empty() && ent[0] == '#') {
          unsigned long cp = 0;
          bool ok = ent.size() > 1;
          try {
            cp = (ent[1] == 'x' || ent[1] == 'X') ? std::stoul(ent.substr(2), nullptr, 16) : std::stoul(ent.substr(1));
          } catch (...) {
            ok = false;
          }
          if (ok && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
            if (cp < 0x80) rep += static_cast<char>(cp);
            else if (cp < 0x800) rep += {static_cast<char>(0xc0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3f))};
            else if (cp < 0x10000)
              rep += {static_cast<char>(0xe0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3f)), static_cast<char>(0x80 | (cp & 0x3f))};
            else
              rep += {static_cast<char>(0xf0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3f)),
                      static_cast<char>(0x80 | ((cp >> 6) & 0x3f)), static_cast<char>(0x80 | (cp & 0x3f))};
          }
        } else {
          for (const auto& [n, v] : entities)
            if (n == ent) rep = v;
        }
        if (!rep.empty()) {
          if (space && !out.empty() && out.back() != '\n') out += ' ';
          space = false;
          out += rep;
          i = semi + 1;
          continue;
        }
      }
    }
    if (!pre && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      space = true;
      ++i;
      continue;
    }
    if (space && !out.empty() && out.back() != '\n' && out.back() != ' ') out += ' ';
    space = false;
    out += c;
    ++i;
  }
  // Trim each line; at most one blank line in a row.
  std::string text;
  int blank = 0;
  size_t start = 0;
  while (start <= out.size()) {
    size_t nl = out.find('\n', start);
    if (nl == std::string::npos) nl = out.size();
    std::string line = trim(std::string_view(out).substr(start, nl - start));
    if (line.empty()) {
      ++blank;
    } else {
      if (!text.empty()) text += blank ? "\n\n" : "\n";
      text += line;
      blank = 0;
    }
    start = nl + 1;
  }
  return repair_utf8(text);
}

namespace {

std::vector<std::string> lines_of(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    out.emplace_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && lower(s.substr(s.size() - suffix.size())) == suffix;
}

bool is_attribution(std::string_view line) {
  std::string t = trim(line);
  if (t.size() > 400) return false;
  for (std::string_view end : {"wrote:", "a écrit :", "a écrit:", "schrieb:", "escribió:", "ha scritto:", "schreef:", "skrev:"})
    if (ends_with_ci(t, end)) return true;
  return false;
}

std::string join_lines(const std::vector<std::string>& lines, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (i > from) out += '\n';
    out += lines[i];
  }
  return trim(out);
}

}  // namespace

Split split_reply(std::string_view body) {
  auto lines = lines_of(body);
  size_t cut = lines.size();
  for (size_t i = 0; i < lines.size() && cut == lines.size(); ++i) {
    std::string t = trim(lines[i]);
    if (t.empty()) continue;
    // "On Mon, 30 Nov 2026 at 10:12, Desk <help@example.com> wrote:", perhaps over two lines.
    if (is_attribution(t) || (i + 1 < lines.size() && (starts_with_ci(t, "on ") || starts_with_ci(t, "le ") || starts_with_ci(t, "am ")) &&
                              is_attribution(t + " " + trim(lines[i + 1])))) {
      cut = i;
      break;
    }
    if (t.find("Original Message") != std::string::npos && t.substr(0, 3) == "---") {
      cut = i;
      break;
    }
    // Outlook: "From: ..." then "Sent:" or "Date:" within the next lines (after a rule of '_').
    if (starts_with_ci(t, "from:") || (t.size() >= 10 && t.find_first_not_of('_') == std::string::npos)) {
      size_t from_line = starts_with_ci(t, "from:") ? i : i + 1;
      for (size_t k = from_line + 1; k < lines.size() && k <= from_line + 4; ++k) {
        std::string u = trim(lines[k]);
        if (starts_with_ci(u, "sent:") || starts_with_ci(u, "date:")) {
          cut = i;
          break;
        }
      }
      if (cut != lines.size()) break;
    }
    // A run of '>' lines that lasts to the end.
    if (t[0] == '>') {
      bool rest_quoted = true;
      for (size_t k = i; k < lines.size(); ++k) {
        std::string u = trim(lines[k]);
        if (!u.empty() && u[0] != '>') {
          rest_quoted = false;
          break;
        }
      }
      if (rest_quoted) {
        cut = i;
        break;
      }
    }
  }
  // The signature: "-- " (RFC 3676), or a mobile client's footer.
  size_t reply_end = cut;
  for (size_t i = 0; i < cut; ++i) {
    std::string t = trim(lines[i]);
    if (lines[i] == "-- " || lines[i] == "--" || starts_with_ci(t, "sent from my ") || starts_with_ci(t, "get outlook for ") ||
        starts_with_ci(t, "sent from outlook")) {
      reply_end = i;
      break;
    }
  }
  return Split{join_lines(lines, 0, reply_end), join_lines(lines, cut, lines.size())};
}

std::optional<int> rating_in(std::string_view reply) {
  std::string t = trim(reply);
  if (t.empty() || t[0] < '1' || t[0] > '5') return std::nullopt;
  if (t.size() > 1) {
    char n = t[1];
    if (std::isdigit(static_cast<unsigned char>(n))) return std::nullopt;
    if ((n == '.' || n == ',') && t.size() > 2 && std::isdigit(static_cast<unsigned char>(t[2]))) return std::nullopt;
  }
  return t[0] - '0';
}

std::string subject_tag(std::string_view subject) {
  std::string found;
  size_t pos = 0;
  while (true) {
    size_t open = subject.find('[', pos);
    if (open == std::string_view::npos) break;
    size_t close = subject.find(']', open);
    if (close == std::string_view::npos) break;
    std::string inner = trim(subject.substr(open + 1, close - open - 1));
    if (starts_with_ci(inner, "desk ")) {
      std::string id = lower(trim(std::string_view(inner).substr(5)));
      if (is_ticket_id(id)) found = id;
    }
    pos = close + 1;
  }
  return found;
}

std::string clean_subject(std::string_view subject) {
  std::string s = trim(subject);
  // Desk's tags go wherever they are.
  while (true) {
    size_t open = lower(s).find("[desk ");
    if (open == std::string::npos) break;
    size_t close = s.find(']', open);
    if (close == std::string::npos) break;
    s = trim(s.substr(0, open) + " " + s.substr(close + 1));
  }
  static const std::vector<std::string> prefixes = {"re", "fw", "fwd", "aw", "wg", "sv", "vs", "antw", "r", "tr", "rif", "odp"};
  bool again = true;
  while (again) {
    again = false;
    for (const auto& p : prefixes) {
      if (!starts_with_ci(s, p)) continue;
      size_t k = p.size();
      if (k < s.size() && s[k] == '[') {  // Re[2]:
        size_t close = s.find(']', k);
        if (close == std::string::npos) continue;
        k = close + 1;
      }
      if (k < s.size() && s[k] == ':') {
        s = trim(s.substr(k + 1));
        again = true;
        break;
      }
    }
  }
  return one_line(s);
}

std::string safe_file_name(std::string_view name) {
  std::string s(name);
  if (auto slash = s.find_last_of("/\\"); slash != std::string::npos) s = s.substr(slash + 1);
  std::string out;
  std::string text = repair_utf8(s);
  for (size_t i = 0; i < text.size();) {
    unsigned char u = static_cast<unsigned char>(text[i]);
    if (u < 0x80) {
      out += std::isalnum(u) || std::strchr(" ._-()+,@=", text[i]) ? text[i] : '_';
      ++i;
      continue;
    }
    // A whole UTF-8 sequence (valid after repair_utf8): kept unless it is a C1 or a
    // bidirectional control, which would change how the name reads in a terminal.
    size_t n = u >= 0xf0 ? 4 : u >= 0xe0 ? 3 : 2;
    n = std::min(n, text.size() - i);
    char32_t cp = n == 2 ? ((u & 0x1f) << 6) | (text[i + 1] & 0x3f)
                  : n == 3 ? ((u & 0x0f) << 12) | ((text[i + 1] & 0x3f) << 6) | (text[i + 2] & 0x3f)
                           : ((u & 0x07) << 18) | ((text[i + 1] & 0x3f) << 12) | ((text[i + 2] & 0x3f) << 6) | (text[i + 3] & 0x3f);
    if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp)) out += '_';
    else out.append(text, i, n);
    i += n;
  }
  out = trim(out);
  while (!out.empty() && (out[0] == '.' || out[0] == '-' || out[0] == ' ')) out.erase(0, 1);
  if (out.size() > 100) {
    size_t cut = 100;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
  }
  if (out.empty()) out = "attachment";
  return out;
}

std::string compose(const Outgoing& m) {
  init_gmime();
  Ref<GMimeMessage> msg(g_mime_message_new(TRUE));
  GMimeObject* obj = GMIME_OBJECT(msg.p);
  g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_FROM, m.from.name.c_str(), m.from.addr.c_str());
  for (const auto& a : m.to) g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_TO, a.name.c_str(), a.addr.c_str());
  for (const auto& a : m.cc) g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_CC, a.name.c_str(), a.addr.c_str());
  if (!m.reply_to.empty()) g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_REPLY_TO, "", m.reply_to.c_str());
  g_mime_message_set_subject(msg.p, one_line(m.subject).c_str(), "utf-8");
  g_mime_message_set_message_id(msg.p, m.message_id.c_str());
  GDateTime* dt = g_date_time_new_from_unix_utc(std::chrono::duration_cast<std::chrono::seconds>(m.date.time_since_epoch()).count());
  g_mime_message_set_date(msg.p, dt);
  g_date_time_unref(dt);
  if (!m.in_reply_to.empty()) g_mime_object_set_header(obj, "In-Reply-To", ("<" + m.in_reply_to + ">").c_str(), nullptr);
  if (!m.references.empty()) {
    std::string refs;
    for (const auto& r : m.references) refs += (refs.empty() ? "<" : " <") + r + ">";
    g_mime_object_set_header(obj, "References", refs.c_str(), nullptr);
  }
  if (m.auto_submitted) g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", nullptr);
  if (!m.ticket.empty()) g_mime_object_set_header(obj, "X-Desk-Ticket", m.ticket.c_str(), nullptr);
  Ref<GMimeTextPart> body(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_text(body.p, repair_utf8(m.body).c_str());
  g_mime_part_set_content_encoding(GMIME_PART(body.p),
                                   g_mime_part_get_best_content_encoding(GMIME_PART(body.p), GMIME_ENCODING_CONSTRAINT_7BIT));
  g_mime_message_set_mime_part(msg.p, GMIME_OBJECT(body.p));
  GStr text(g_mime_object_to_string(obj, nullptr));
  return normalize_text(text.str());
}

std::string message_id_for(std::string_view ticket, std::string_view entry, std::string_view from_addr) {
  auto at = from_addr.find('@');
  std::string domain = at == std::string_view::npos ? "localhost" : lower(from_addr.substr(at + 1));
  if (domain.empty()) domain = "localhost";
  return fmt::format("desk.{}.{}@{}", ticket, entry, domain);
}

std::string ticket_of_message_id(std::string_view message_id) {
  if (message_id.substr(0, 5) != "desk.") return "";
  std::string_view rest = message_id.substr(5);
  auto dot = rest.find('.');
  if (dot == std::string_view::npos) return "";
  std::string id(rest.substr(0, dot));
  return is_ticket_id(id) ? id : "";
}

}  // namespace desk::mail
