#include "core/model/id.hpp"

#include <memory>
#include <random>

namespace desk {

namespace {
constexpr std::string_view alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

bool is_id_char(char c) { return alphabet.find(c) != std::string_view::npos; }
}  // namespace

RandomSource os_random() {
  return [] {
    static thread_local std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  };
}

RandomSource seeded_random(uint64_t seed) {
  auto gen = std::make_shared<std::mt19937_64>(seed);
  return [gen] { return (*gen)(); };
}

std::string make_id(const RandomSource& rng, size_t length) {
  std::string id;
  while (id.size() < length) {
    uint64_t w = rng();
    for (int i = 0; i < 12 && id.size() < length; ++i) {
      id += alphabet[w & 31];
      w >>= 5;
    }
  }
  return id;
}

bool is_ticket_id(std::string_view s) { return s.size() == ticket_id_length && is_id_prefix(s); }

bool is_id_prefix(std::string_view s) {
  if (s.empty() || s.size() > ticket_id_length) return false;
  for (char c : s)
    if (!is_id_char(c)) return false;
  return true;
}

std::string ticket_path(std::string_view id) {
  return "tickets/" + std::string(id.substr(0, 2)) + "/" + std::string(id) + ".toml";
}

}  // namespace desk
