// desk mail (core/mail): a message from anyone on the internet. Input: the raw bytes of a message.
// Properties:
//  - any bytes give a parsed message or an Error, never a crash (GMime, the HTML-to-text
//    conversion, the quote splitter, the rating and the subject tag included);
//  - what desk keeps of it is valid UTF-8 on one line where it must be (subject, names);
//  - a safe file name stays one path component, never "." or "..";
//  - a message composed from what was parsed parses back with the same sender, and the same
//    subject unless the subject holds "=?" (text that looks like an encoded word is ambiguous in
//    a header: GMime and desk may read it differently, crashes/mail/literal-encoded-word).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/mail/inbox.hpp"
#include "core/mail/message.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"
#include "fuzz/fuzz.hpp"

using namespace desk;
using namespace desk::mail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  Inbound m;
  try {
    m = parse_message(raw);
  } catch (const Error&) {
    return 0;
  }
  DESK_FUZZ_CHECK(is_valid_utf8(m.subject), m.subject);
  DESK_FUZZ_CHECK(m.subject.find('\n') == std::string::npos, m.subject);
  DESK_FUZZ_CHECK(is_valid_utf8(m.from.name) && m.from.name.find('\n') == std::string::npos, m.from.name);
  DESK_FUZZ_CHECK(is_valid_utf8(m.body), m.body);
  DESK_FUZZ_CHECK(!m.message_id.empty());
  Split s = split_reply(m.body);
  (void)rating_in(s.reply);
  (void)subject_tag(m.subject);
  (void)clean_subject(m.subject);
  for (const auto& a : m.attachments) {
    std::string name = safe_file_name(a.name);
    DESK_FUZZ_CHECK(!name.empty() && name.find('/') == std::string::npos && name != "." && name != ".." && name[0] != '.', name);
    DESK_FUZZ_CHECK(is_valid_utf8(name) && !has_controls(name, false), name);
  }
  (void)html_to_text(m.body);
  if (m.from.addr.find_first_of(" \t\r\n<>\"") == std::string::npos && !m.from.addr.empty()) {
    Outgoing o;
    o.from = m.from;
    o.to = {{"", "help@example.com"}};
    o.subject = m.subject;
    o.message_id = "desk.aaaaaaaaaa.bbbbbbbbbb@example.com";
    o.body = m.body;
    Inbound back = parse_message(compose(o));
    DESK_FUZZ_CHECK(back.from.addr == m.from.addr, back.from.addr, m.from.addr);
    DESK_FUZZ_CHECK(is_valid_utf8(back.subject) && back.subject.find('\n') == std::string::npos, back.subject);
    if (m.subject.find("=?") == std::string::npos)
      DESK_FUZZ_CHECK(trim(back.subject) == trim(m.subject), back.subject, m.subject);
  }
  return 0;
}
