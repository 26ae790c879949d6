// Tests for include/inspectsim/io.hpp.
#include "inspectsim/io.hpp"

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "inspectsim/error.hpp"
#include "support.hpp"

using namespace inspectsim;

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors") {
  // FIPS 180-2, Appendix B.1 and B.2.
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // One million 'a' (B.3): exercises many blocks.
  CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("files are written whole and read back, failures name the path") {
  test::TempDir dir;
  const std::string path = dir.file("out.json");
  write_file_atomically(path, "first");
  CHECK(read_text_file(path) == "first");
  write_file_atomically(path, "second, longer");
  CHECK(read_text_file(path) == "second, longer");
  // No temporary files are left behind.
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) (void)e, ++count;
  CHECK(count == 1);

  CHECK_THROWS_WITH_AS(read_text_file(dir.file("missing.toml")),
                       (dir.file("missing.toml") + ": cannot read: no such file").c_str(), InputError);
  CHECK_THROWS_WITH_AS(read_text_file(dir.path()),
                       (dir.path() + ": cannot read: it is a directory, not a file").c_str(), InputError);
  CHECK_THROWS_AS(write_file_atomically(dir.file("no/such/dir/out.csv"), "x"), InputError);
  CHECK_THROWS_AS(read_text_file(path, 4), InputError);
}
