// File input and output that never leaves a half-written file and always says which file failed.
#pragma once

#include <string>
#include <string_view>

namespace inspectsim {

// Reads a whole file; throws InputError naming the path and the reason (missing, a directory,
// unreadable, larger than max_bytes).
std::string read_text_file(const std::string& path, std::size_t max_bytes = std::size_t{1} << 30);

// Writes `content` to a temporary file in the same directory, flushes it and renames it over
// `path` only when complete, so an existing file is either kept or replaced whole.
// Throws InputError naming the path on any failure (the temporary file is removed).
void write_file_atomically(const std::string& path, std::string_view content);

// Checks that `text` is text a person wrote: UTF-8 (RFC 3629) without NUL bytes. Otherwise throws
// InputError as "path:line:column: problem" at the first offending byte, saying what the file
// probably is instead (UTF-16 with its byte-order mark, Latin-1 / Windows-1252, binary).
// Columns count characters from 1. Pure: no I/O.
void require_text(std::string_view text, const std::string& path);

// SHA-256 of a byte string, as 64 lower-case hex digits (FIPS 180-4). Used for provenance.
std::string sha256_hex(std::string_view data);

}  // namespace inspectsim
