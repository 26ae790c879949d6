// One error hierarchy for the whole library. The library throws; only the CLI turns an error into
// an exit code (InputError -> 2, Interrupted -> 130, anything else -> 1).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace inspectsim {

// Base of every error the library throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user's input (an option, a scenario file, a CSV) is wrong. The message names the place
// (option, file:line:column, key), the value and what is allowed. It is one line: a value quoted
// from the input may hold a line break or other control character (a quoted CSV field, a TOML
// key "a\nb"), which the message shows escaped (\n, \r, \t, \xHH), so that every line printed
// names its place and a terminal is not driven by the input's bytes.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message);
  explicit InputError(const char* message) : InputError(std::string(message)) {}

 protected:
  struct Lines {};  // `message` is lines already made printable, joined by '\n'
  InputError(Lines, const std::string& message) : Error(message) {}
};

// The message with control characters escaped (see InputError).
std::string printable(const std::string& message);

// Several input problems found together (a scenario file or CSV is validated as a whole).
// what() is every message (made printable) joined by newlines; problems() gives them one by one.
class InputErrors : public InputError {
 public:
  explicit InputErrors(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  InputErrors(Lines, std::vector<std::string> printable_problems);
  std::vector<std::string> problems_;
};

// A run was stopped on request (Ctrl-C) before it finished; nothing partial was written.
class Interrupted : public Error {
 public:
  Interrupted() : Error("interrupted: the run was stopped before it finished; nothing was written") {}
};

}  // namespace inspectsim
