#pragma once
// Ticket and history-entry ids: random, from an alphabet that survives being read aloud
// (Crockford's base32, lowercase), long enough that clones creating tickets offline never collide.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace desk {

/// A source of random 64-bit words. Production passes the OS generator; tests pass a seeded one.
using RandomSource = std::function<uint64_t()>;

/// The OS random generator (getrandom via std::random_device).
RandomSource os_random();

/// A deterministic generator for tests.
RandomSource seeded_random(uint64_t seed);

inline constexpr size_t ticket_id_length = 10;  // 50 bits: at 1M tickets a collision is ~1 in 2000
inline constexpr size_t entry_id_length = 10;

/// A new random id of the given length.
std::string make_id(const RandomSource& rng, size_t length);

/// True when s is a well-formed full ticket id (exactly ticket_id_length id characters).
bool is_ticket_id(std::string_view s);

/// True when s could be a prefix of a ticket id (1..ticket_id_length id characters).
bool is_id_prefix(std::string_view s);

/// The path of a ticket's file inside the desk: tickets/<first two chars>/<id>.toml.
std::string ticket_path(std::string_view id);

}  // namespace desk
