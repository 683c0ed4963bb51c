#pragma once
// Small text helpers: trimming, terminal-safe display of untrusted text, validation.
#include <string>
#include <string_view>
#include <vector>

namespace desk {

/// Returns s without leading and trailing ASCII white space.
std::string trim(std::string_view s);

/// Returns untrusted text safe to print on a terminal, as every human output does: escape
/// sequences (CSI, OSC, DCS, APC, PM, SOS and two-character ESC sequences) are removed whole;
/// every other character a terminal would act on is shown as a visible marker instead: C0
/// controls other than newline and tab in caret notation (^G for BEL, ^M for a CR that does not
/// end a line; a CR before a newline goes), DEL as ^?, C1 controls (U+0080..U+009F, U+009B CSI
/// among them) and the bidirectional controls (is_bidi_control) as <U+XXXX>. Invalid UTF-8
/// bytes become U+FFFD.
std::string strip_controls(std::string_view s);

/// strip_controls for text that must stay on one line (a table cell, a completion
/// description): newline and tab are shown as ^J and ^I too.
std::string strip_controls_line(std::string_view s);

/// True for the Unicode bidirectional formatting controls, which reorder how a terminal shows
/// the text around them: U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069.
bool is_bidi_control(char32_t cp);

/// True when s contains a control character other than newline and tab (or any at all when
/// allow_newlines is false), a bidirectional control, or an invalid UTF-8 sequence.
bool has_controls(std::string_view s, bool allow_newlines);

/// True when s is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

/// s with every invalid UTF-8 byte replaced by U+FFFD (control characters kept).
std::string repair_utf8(std::string_view s);

/// Returns the lowercase ASCII form of s.
std::string lower(std::string_view s);

/// Splits on a separator character, keeping empty parts out.
std::vector<std::string> split(std::string_view s, char sep);

/// Joins parts with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view sep);

/// Number of terminal columns UTF-8 text takes (utf8proc's widths: CJK and emoji 2, combining
/// marks 0). Terminal escape sequences (ESC [ ... letter) take none; a bad byte takes one.
size_t display_width(std::string_view s);

/// Number of code points (characters) of UTF-8 text, for limits stated in characters.
size_t char_count(std::string_view s);

/// Cuts UTF-8 text to at most width columns, ending in "…" when cut. Escape sequences are kept
/// (and a cut one closed with a reset), never split.
std::string truncate(std::string_view s, size_t width);

/// The first line of s.
std::string first_line(std::string_view s);

/// True for a usable name of a tag, tier, template, user etc.: non-empty, printable, no spaces
/// at the ends and no control characters or newlines.
bool is_valid_name(std::string_view s);

}  // namespace desk
