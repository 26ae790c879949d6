// Tests for include/inspectsim/io.hpp.
#include "inspectsim/base/io.hpp"

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"
#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::base;

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

TEST_CASE("require_text accepts UTF-8 and names the line and column of anything else") {
  CHECK_NOTHROW(require_text("", "f.csv"));
  // A byte-order mark at the start is no character (one after it is refused, below).
  CHECK_NOTHROW(
      require_text("\xEF\xBB\xBF"
                   "force,rate\nYnys Môn,0.5\n",
                   "f.csv"));
  // Every length of sequence, near the edges of RFC 3629's table: U+007F, U+0080, U+07FF, U+0800,
  // U+FFFD, U+10000, U+10FFFD (U+FFFF and U+10FFFF are noncharacters, refused below).
  CHECK_NOTHROW(require_text(
      "\x7F \xC2\x80 \xDF\xBF \xE0\xA0\x80 \xEF\xBF\xBD \xF0\x90\x80\x80 \xF4\x8F\xBF\xBD", "f"));
  CHECK_THROWS_WITH_AS(require_text("a,b\nCaf\xE9,1\n", "f.csv"),
                       "f.csv:2:4: byte 0xE9 is not UTF-8 (is the file in Latin-1 or Windows-1252?); save it "
                       "as UTF-8",
                       InputError);
  // Columns count characters, not bytes; a UTF-8 byte-order mark is not one.
  CHECK_THROWS_WITH_AS(require_text("\xEF\xBB\xBF\xC3\xA9\xC3\xA9\x91", "f.csv"),
                       "f.csv:1:3: byte 0x91 is not UTF-8 (is the file in Latin-1 or Windows-1252?); save it "
                       "as UTF-8",
                       InputError);
  CHECK_THROWS_WITH_AS(
      require_text("\xFF\xFE"
                   "f\0o\0",
                   "f.toml"),
      "f.toml:1:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8",
      InputError);
  CHECK_THROWS_WITH_AS(require_text(std::string_view("ab\ncd\0e", 7), "f.toml"),
                       "f.toml:2:3: a NUL byte: this is a binary file, not text", InputError);
  // Overlong forms, surrogates, code points above U+10FFFF, truncated and stray continuation bytes.
  for (const char* bad : {"\xC0\xAF", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                          "\xF5\x80\x80\x80", "\xE2\x82", "\x80", "\xF0\x9F\x98"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(require_text(bad, "f"), InputError);
  }
}

TEST_CASE("several files are put in place only when every one is complete") {
  test::TempDir dir;
  const std::string a = dir.file("a.txt"), b = dir.file("b.txt");
  write_files_atomically({{a, "A1"}, {b, "B1"}});
  CHECK(read_text_file(a) == "A1");
  CHECK(read_text_file(b) == "B1");
  // The second cannot be written: the first is not replaced and no temporary file is left.
  CHECK_THROWS_WITH_AS(write_files_atomically({{a, "A2"}, {dir.file("none/b.txt"), "B2"}}),
                       (dir.file("none/b.txt") + ": cannot write: No such file or directory").c_str(),
                       InputError);
  CHECK(read_text_file(a) == "A1");
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) (void)e, ++count;
  CHECK(count == 2);
  // A device is written in place, never replaced by a file.
  CHECK_NOTHROW(write_file_atomically("/dev/null", "discarded"));
  CHECK(std::filesystem::is_character_file("/dev/null"));
  CHECK_THROWS_WITH_AS(write_file_atomically("/dev/full", "x"),
                       "/dev/full: cannot write: No space left on device", InputError);
  CHECK_THROWS_WITH_AS(write_file_atomically(dir.path(), "x"),
                       (dir.path() + ": cannot write: it is a directory").c_str(), InputError);
}

TEST_CASE("require_text refuses invisible and reordering characters where they stand (issue #15)") {
  CHECK_THROWS_WITH_AS(require_text("a,b\nKent,1\n\xEF\xBB\xBFKent,2\n", "f.csv"),
                       "f.csv:3:1: a byte-order mark (U+FEFF) inside the file, where it is an invisible "
                       "character (were two files joined?); delete it",
                       InputError);
  CHECK_THROWS_WITH_AS(require_text("x = \"ab\xE2\x80\xAE\"\n", "f.toml"),
                       "f.toml:1:8: a bidirectional control character (U+202E), which would reorder how the "
                       "text around it is shown; delete it",
                       InputError);
  for (const char* bidi :
       {"\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x81\xA6", "\xE2\x81\xA7",
        "\xE2\x81\xA8", "\xE2\x81\xA9", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C"})
    CHECK_THROWS_AS(require_text(std::string("name ") + bidi, "f"), InputError);
  for (const char* nonchar :
       {"\xEF\xBF\xBE", "\xEF\xBF\xBF", "\xEF\xB7\x90", "\xF0\x9F\xBF\xBE", "\xF4\x8F\xBF\xBF"})
    CHECK_THROWS_AS(require_text(std::string("name ") + nonchar, "f"), InputError);
  // Right-to-left letters are text; only the controls are refused.
  CHECK_NOTHROW(require_text("force\n\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D\n", "f"));
}

TEST_CASE("require_text counts CR-only and CRLF line ends as lines") {
  CHECK_THROWS_WITH_AS(
      require_text("a\rb\rc\rd\rLan\xE9\r", "f.csv"),
      "f.csv:5:4: byte 0xE9 is not UTF-8 (is the file in Latin-1 or Windows-1252?); save it as UTF-8",
      InputError);
  CHECK_THROWS_WITH_AS(
      require_text("a\r\nb\r\nx\xE9", "f.csv"),
      "f.csv:3:2: byte 0xE9 is not UTF-8 (is the file in Latin-1 or Windows-1252?); save it as UTF-8",
      InputError);
}

TEST_CASE("write_files_atomically refuses two outputs on one file, however spelt, before writing any") {
  inspectsim::test::TempDir dir;
  const std::string x = dir.file("x");
  std::filesystem::create_symlink(x, dir.file("link"));
  std::filesystem::create_directories(dir.file("sub"));
  for (const std::string& other : {x, dir.path() + "/./x", dir.path() + "/sub/../x", dir.file("link")}) {
    CAPTURE(other);
    CHECK_THROWS_WITH_AS(write_files_atomically({{x, "one"}, {other, "two"}}),
                         (other + ": cannot write: it is the same file as another output ('" + x +
                          "'); give each output its own path")
                             .c_str(),
                         InputError);
    CHECK_FALSE(std::filesystem::exists(x));
  }
  // Devices may be named twice: both are written.
  CHECK_NOTHROW(write_files_atomically({{"/dev/null", "one"}, {"/dev/null", "two"}}));
  // A 250-byte name still gets a temporary whose name fits in 255 bytes.
  const std::string long_name = dir.file(std::string(250, 'n'));
  CHECK_NOTHROW(write_files_atomically({{long_name, "content"}}));
  CHECK(inspectsim::test::read_file(long_name) == "content");
}
