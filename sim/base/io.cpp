#include "inspectsim/base/io.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/unicode.hpp"

namespace inspectsim::base {

namespace {
// "64 MiB", "16 KiB" or "100 bytes".
std::string size_text(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}
}  // namespace

std::string read_text_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw InputError(path + ": cannot read: no such file");
  if (std::filesystem::is_directory(status))
    throw InputError(path + ": cannot read: it is a directory, not a file");
  // A regular file that is too large is refused before any of it is read; devices and pipes
  // (/dev/zero, <(...)) are read up to the limit.
  auto too_large = [&] {
    return InputError(path + ": cannot read: the file is larger than " + size_text(max_bytes) +
                      ", the limit for this kind of input");
  };
  const bool regular = std::filesystem::is_regular_file(status);
  const std::uintmax_t size = regular ? std::filesystem::file_size(path, ec) : 0;
  if (regular && !ec && size > max_bytes) throw too_large();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw InputError(path + ": cannot read: " + std::strerror(errno));
  // The whole buffer at once (a file's size, else the limit plus one byte, which only costs memory
  // as it is filled), so that it never grows by doubling: reading /dev/zero to a 64 MiB limit
  // otherwise held 192 MB at the last reallocation, and more under AddressSanitizer.
  std::string out;
  out.reserve(regular && !ec ? static_cast<std::size_t>(size) + 1 : max_bytes + 1);
  std::array<char, 1 << 16> buf{};
  while (true) {
    const std::size_t want = std::min(buf.size(), max_bytes + 1 - out.size());
    const std::size_t got = std::fread(buf.data(), 1, want, f);
    out.append(buf.data(), got);
    if (out.size() > max_bytes) {
      std::fclose(f);
      throw too_large();
    }
    if (got < want) break;
  }
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) throw InputError(path + ": cannot read: " + std::strerror(err));
  return out;
}

namespace {

// Writes all of `content` to `fd`; false with errno set on failure.
bool write_all(int fd, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t w = ::write(fd, content.data() + done, content.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(w);
  }
  return true;
}

// One output on its way: a temporary file to rename over `target`, or a device written directly.
struct Pending {
  std::string path;    // as given, for messages
  std::string target;  // the file to replace (a symbolic link followed)
  std::string temporary;
};

[[noreturn]] void fail(const std::string& path, int err, std::vector<Pending>& pending) {
  for (const Pending& p : pending) ::unlink(p.temporary.c_str());
  throw InputError(path + ": cannot write: " + std::strerror(err));
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  write_files_atomically({{path, std::string(content)}});
}

namespace {

// The signals that end a run from outside (Ctrl-C, kill, a closed terminal), held back while
// temporary files exist so that none can be left behind: a signal that arrives then takes effect
// (ends the program, or sets the CLI's cancel flag) as soon as every temporary is renamed or removed.
class HoldSignals {
 public:
  HoldSignals() {
    sigset_t held;
    sigemptyset(&held);
    for (const int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&held, s);
    pthread_sigmask(SIG_BLOCK, &held, &previous_);
  }
  ~HoldSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  HoldSignals(const HoldSignals&) = delete;
  HoldSignals& operator=(const HoldSignals&) = delete;

 private:
  sigset_t previous_{};
};

}  // namespace

void write_files_atomically(const std::vector<OutputFile>& files) {
  namespace fs = std::filesystem;
  struct Target {
    const OutputFile* file;
    fs::path path;  // symbolic links followed
    bool device;
  };
  std::vector<Target> targets;
  std::vector<std::pair<std::string, std::size_t>> seen;  // canonical path, index in targets
  for (const OutputFile& f : files) {
    std::error_code ec;
    fs::path target(f.path);
    // Follow symbolic links (even to a file not yet there) so that the file, not the link, is
    // replaced; 40 hops at most, as the kernel allows.
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
      const fs::path to = fs::read_symlink(target, ec);
      if (ec) break;
      target = to.is_absolute() ? to : target.parent_path() / to;
    }
    const fs::file_status st = fs::status(target, ec);
    if (fs::is_directory(st)) throw InputError(f.path + ": cannot write: it is a directory");
    const bool device = fs::exists(st) && !fs::is_regular_file(st);
    if (!device) {
      // Two outputs on one file (also spelt ./X, dir/../X or through a link): the second would
      // silently replace the first.
      const fs::path absolute = fs::absolute(target, ec).lexically_normal();
      const fs::path canonical = fs::weakly_canonical(absolute, ec);
      const std::string key = (ec ? absolute : canonical).string();
      for (const auto& [other, index] : seen)
        if (other == key)
          throw InputError(f.path + ": cannot write: it is the same file as another output ('" +
                           targets[index].file->path + "'); give each output its own path");
      seen.emplace_back(key, targets.size());
    }
    targets.push_back({&f, target, device});
  }
  std::vector<Pending> pending;
  // Devices and pipes first, written in place (replacing /dev/null with a file would be wrong),
  // before any temporary exists: a pipe with no reader may block until the run is ended.
  for (const Target& t : targets) {
    if (!t.device) continue;
    const int fd = ::open(t.path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(t.file->path, errno, pending);
    if (!write_all(fd, t.file->content)) {
      const int err = errno;
      ::close(fd);
      fail(t.file->path, err, pending);
    }
    if (::close(fd) != 0) fail(t.file->path, errno, pending);
  }
  const HoldSignals hold;
  for (const Target& t : targets) {
    if (t.device) continue;
    const OutputFile& f = *t.file;
    const fs::path& target = t.path;
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // The temporary's name is the file's, cut to 200 bytes: a final name that fits the 255 bytes a
    // directory entry allows still gets a temporary that fits.
    const std::string name = target.filename().string();
    std::string tmpl = (dir / ("." + name.substr(0, 200) + ".tmp.XXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) fail(f.path, errno, pending);
    pending.push_back({f.path, target.string(), tmpl});
    // mkstemp creates mode 0600: keep the replaced file's permissions, or give the usual ones.
    mode_t mode = 0;
    struct stat old {};
    if (::stat(target.c_str(), &old) == 0) {
      mode = old.st_mode & 07777;
    } else {
      const mode_t mask = ::umask(0);
      ::umask(mask);
      mode = 0666 & ~mask;
    }
    if (!write_all(fd, f.content) || ::fsync(fd) != 0 || ::fchmod(fd, mode) != 0) {
      const int err = errno;
      ::close(fd);
      fail(f.path, err, pending);
    }
    if (::close(fd) != 0) fail(f.path, errno, pending);
  }
  // Every file is complete: only now is any of them put in place.
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (::rename(pending[i].temporary.c_str(), pending[i].target.c_str()) != 0) {
      const int err = errno;
      std::vector<Pending> rest(pending.begin() + static_cast<std::ptrdiff_t>(i), pending.end());
      fail(pending[i].path, err, rest);
    }
  }
}

void require_text(std::string_view text, const std::string& path) {
  auto where = [&](std::size_t line, std::size_t column) {
    return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  };
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
    throw InputError(where(1, 1) +
                     "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8");
  static constexpr char hex[] = "0123456789ABCDEF";
  std::size_t line = 1, column = 1;
  std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte-order mark is no column
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == 0) throw InputError(where(line, column) + "a NUL byte: this is a binary file, not text");
    const Utf8Char c = decode_utf8(text, i);
    if (c.length == 0)
      throw InputError(where(line, column) + "byte 0x" + hex[b >> 4] + hex[b & 0xF] +
                       " is not UTF-8 (is the file in Latin-1 or Windows-1252?); save it as UTF-8");
    // Characters that would make two equal-looking names differ, reorder what is shown around a
    // name, or make an SVG or report ill-formed are refused where they stand (unicode.hpp).
    if (c.code == 0xFEFF)
      throw InputError(where(line, column) +
                       "a byte-order mark (U+FEFF) inside the file, where it is an invisible character "
                       "(were two files joined?); delete it");
    if (is_bidi_control(c.code))
      throw InputError(where(line, column) + "a bidirectional control character (" + code_point_name(c.code) +
                       "), which would reorder how the text around it is shown; delete it");
    if (is_noncharacter(c.code))
      throw InputError(where(line, column) + "a Unicode noncharacter (" + code_point_name(c.code) +
                       "), which is not text; delete it");
    // Lines end in LF, CRLF or a CR alone (old Mac spreadsheets).
    if (b == '\n' || (b == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += c.length;
  }
}

// SHA-256 as specified in FIPS 180-4, sec. 6.2. None of the project's libraries provides it.
std::string sha256_hex(std::string_view data) {
  static constexpr std::array<std::uint32_t, 64> k = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  auto rotr = [](std::uint32_t v, int s) { return (v >> s) | (v << (32 - s)); };

  // Padding: 0x80, zeros to 56 mod 64, then the bit length as a 64-bit big-endian integer.
  std::string msg(data);
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  msg += static_cast<char>(0x80);
  while (msg.size() % 64 != 56) msg += '\0';
  for (int i = 7; i >= 0; --i) msg += static_cast<char>((bits >> (8 * i)) & 0xff);

  for (std::size_t block = 0; block < msg.size(); block += 64) {
    std::array<std::uint32_t, 64> w{};
    for (std::size_t t = 0; t < 16; ++t) {
      w[t] = 0;
      for (std::size_t b = 0; b < 4; ++b)
        w[t] = (w[t] << 8) | static_cast<unsigned char>(msg[block + 4 * t + b]);
    }
    for (std::size_t t = 16; t < 64; ++t) {
      const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    auto v = h;
    for (std::size_t t = 0; t < 64; ++t) {
      const std::uint32_t S1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
      const std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const std::uint32_t t1 = v[7] + S1 + ch + k[t] + w[t];
      const std::uint32_t S0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
      const std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const std::uint32_t t2 = S0 + maj;
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (std::size_t i = 0; i < 8; ++i) h[i] += v[i];
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (std::uint32_t word : h)
    for (int i = 28; i >= 0; i -= 4) out += hex[(word >> i) & 0xf];
  return out;
}

}  // namespace inspectsim::base
