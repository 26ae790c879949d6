// File input and output that never leaves a half-written file and always says which file failed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace inspectsim::base {

// The largest input file read by default: 64 MiB (published results tables are kilobytes; a
// 100 MB line is refused at once, in bounded memory).
inline constexpr std::size_t max_input_bytes = std::size_t{64} << 20;

// Reads a whole file; throws InputError naming the path and the reason (missing, a directory,
// unreadable, larger than max_bytes).
std::string read_text_file(const std::string& path, std::size_t max_bytes = max_input_bytes);

// Writes `content` to a temporary file in the same directory, flushes it and renames it over
// `path` only when complete, so an existing file is either kept or replaced whole (keeping its
// permissions; a symbolic link is followed, and the file it names replaced). A path that exists
// and is not a regular file (/dev/null, /dev/stdout, a pipe) is written directly: a device cannot be
// replaced. Throws InputError naming the path on any failure (no temporary file is left behind).
void write_file_atomically(const std::string& path, std::string_view content);

// Several outputs of one run (--output, --report, charts): devices are written directly, then
// every file to its temporary file before any is renamed into place, so a failure (a missing
// directory, a full disk) leaves every existing file untouched. Two outputs on one file (also
// through a symbolic link or spelt "./X") are refused before anything is written. SIGINT, SIGTERM,
// SIGHUP and SIGQUIT are held back while temporary files exist, so a run ended by one never
// leaves a temporary behind.
struct OutputFile {
  std::string path;
  std::string content;
};
void write_files_atomically(const std::vector<OutputFile>& files);

// Checks that `text` is text a person wrote: UTF-8 (RFC 3629) without NUL bytes, byte-order marks
// after the start (U+FEFF), bidirectional controls or noncharacters (unicode.hpp). Otherwise throws
// InputError as "path:line:column: problem" at the first offending character, saying what the file
// probably is instead (UTF-16 with its byte-order mark, Latin-1 / Windows-1252, binary).
// Lines end in LF, CRLF or CR; columns count characters from 1. Pure: no I/O.
void require_text(std::string_view text, const std::string& path);

// SHA-256 of a byte string, as 64 lower-case hex digits (FIPS 180-4). Used for provenance.
std::string sha256_hex(std::string_view data);

}  // namespace inspectsim::base
