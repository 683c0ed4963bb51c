#include <set>
#include <string>

#include "catch.hpp"
#include "core/model/id.hpp"

using namespace desk;

namespace {
const std::string id_alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
}

TEST_CASE("make_id gives ids of the asked length from the read-aloud alphabet", "[id]") {
  auto length = GENERATE(size_t{1}, size_t{4}, ticket_id_length, entry_id_length, size_t{12}, size_t{13}, size_t{30});
  auto rng = seeded_random(7);
  for (int i = 0; i < 200; ++i) {
    std::string id = make_id(rng, length);
    CAPTURE(id);
    REQUIRE(id.size() == length);
    CHECK(id.find_first_not_of(id_alphabet) == std::string::npos);
  }
}

TEST_CASE("the id alphabet has no i, l, o, u and no uppercase", "[id]") {
  auto rng = seeded_random(1);
  std::set<char> seen;
  for (int i = 0; i < 2000; ++i)
    for (char c : make_id(rng, ticket_id_length)) seen.insert(c);
  CHECK(seen.size() == 32);  // every character of the alphabet shows up
  for (char c : std::string("ilouABCXYZ")) {
    CAPTURE(c);
    CHECK(seen.count(c) == 0);
  }
}

TEST_CASE("a seeded source gives the same ids again, and different seeds different ids", "[id]") {
  auto a = seeded_random(42), b = seeded_random(42), c = seeded_random(43);
  std::string ia = make_id(a, ticket_id_length), ib = make_id(b, ticket_id_length), ic = make_id(c, ticket_id_length);
  CHECK(ia == ib);
  CHECK(ia != ic);
  CHECK(make_id(a, ticket_id_length) != ia);  // the source advances
}

TEST_CASE("ten thousand fresh ticket ids do not collide", "[id]") {
  auto rng = seeded_random(2026);
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(make_id(rng, ticket_id_length));
  CHECK(ids.size() == 10000);
}

TEST_CASE("the OS random source gives well-formed, distinct ids", "[id]") {
  auto rng = os_random();
  std::string a = make_id(rng, ticket_id_length), b = make_id(rng, ticket_id_length);
  CHECK(is_ticket_id(a));
  CHECK(is_ticket_id(b));
  CHECK(a != b);
}

TEST_CASE("is_ticket_id accepts exactly ten id characters", "[id]") {
  auto [s, ok] = GENERATE(table<std::string, bool>({
      {"7kq2x9ab3d", true},
      {"0000000000", true},
      {"zzzzzzzzzz", true},
      {"7kq2x9ab3", false},
      {"7kq2x9ab3dd", false},
      {"7KQ2X9AB3D", false},
      {"7kq2x9ab3i", false},
      {"7kq2x9ab3-", false},
      {"", false},
  }));
  CAPTURE(s);
  CHECK(is_ticket_id(s) == ok);
}

TEST_CASE("is_id_prefix accepts 1 to 10 id characters and rejects anything path-like", "[id]") {
  auto [s, ok] = GENERATE(table<std::string, bool>({
      {"7", true},
      {"7k", true},
      {"7kq2", true},
      {"7kq2x9ab3d", true},
      {"7kq2x9ab3d0", false},
      {"", false},
      {"7K", false},
      {"A", false},
      {"7k/", false},
      {"../etc", false},
      {"..", false},
      {".", false},
      {"7k.toml", false},
      {"7i", false},
      {"7l", false},
      {"7o", false},
      {"7u", false},
      {" 7k", false},
      {"7k ", false},
      {"7-k", false},
      {"7k\n", false},
  }));
  CAPTURE(s);
  CHECK(is_id_prefix(s) == ok);
}

TEST_CASE("ticket_path shards tickets by the first two characters of the id", "[id]") {
  CHECK(ticket_path("7kq2x9ab3d") == "tickets/7k/7kq2x9ab3d.toml");
  CHECK(ticket_path("0000000000") == "tickets/00/0000000000.toml");
  auto rng = seeded_random(3);
  for (int i = 0; i < 50; ++i) {
    std::string id = make_id(rng, ticket_id_length);
    CHECK(ticket_path(id) == "tickets/" + id.substr(0, 2) + "/" + id + ".toml");
  }
}
