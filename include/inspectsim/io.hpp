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

// SHA-256 of a byte string, as 64 lower-case hex digits (FIPS 180-4). Used for provenance.
std::string sha256_hex(std::string_view data);

}  // namespace inspectsim
