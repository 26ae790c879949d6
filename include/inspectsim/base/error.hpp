// One error hierarchy for the whole library. The library throws; only the CLI turns an error into
// an exit code (InputError -> 2, Interrupted -> 130, anything else -> 1).
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace inspectsim::base {

// ---- Messages that name fields -----------------------------------------------------------------

// A message about the user's input: text, with the fields it mentions kept apart. A field is named
// as the library names it (`margin`, `max_work`, `allowed_errors`: the request's member), and each
// front end spells it in its own language when it prints the message: the CLI as an option
// (`--margin`), R and Python as an argument (`margin`). So the library never names a flag.
//
//   throw InputError(field("margin") + " is " + format_number(m) + ", but must be below 1");
class Message {
 public:
  Message() = default;
  Message(std::string text);  // NOLINT: plain text converts implicitly, so messages read as sums
  Message(const char* text) : Message(std::string(text)) {}  // NOLINT

  // How a front end spells a field's name.
  using Spelling = std::function<std::string(std::string_view field)>;

  // The message with every field spelled by `spell`.
  std::string spelled(const Spelling& spell) const;
  // The message with every field as its own name (what a library caller sees).
  std::string plain() const;
  // The first field the message mentions ("" when none): the argument it is about.
  std::string first_field() const;

  Message& operator+=(const Message& more);
  friend Message operator+(Message a, const Message& b) { return a += b; }

 private:
  friend Message field(std::string name);
  struct Part {
    bool is_field = false;
    std::string text;  // the text, or the field's name
  };
  std::vector<Part> parts_;
};

// The field `name` as a part of a message.
Message field(std::string name);

// Base of every error the library throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user's input (an option, a scenario file, a CSV) is wrong. The message names the place
// (a field, or file:line:column and key), the value and what is allowed. It is one line: a value quoted
// from the input may hold a line break or other control character (a quoted CSV field, a TOML
// key "a\nb"), which the message shows escaped (\n, \r, \t, \xHH), so that every line printed
// names its place and a terminal is not driven by the input's bytes.
class InputError : public Error {
 public:
  // what() is the message with its fields as plain names, made printable.
  explicit InputError(Message message);
  explicit InputError(const char* message) : InputError(Message(message)) {}

  // The message as a front end prints it: fields spelled by `spell`, made printable.
  std::string spelled(const Message::Spelling& spell) const;
  // The first field the message names ("" when none).
  std::string field() const { return message_.first_field(); }

 protected:
  struct Lines {};  // `message` is lines already made printable, joined by '\n'
  InputError(Lines, const std::string& message) : Error(message) {}

 private:
  Message message_;
};

// The message with control characters escaped (see InputError).
std::string printable(const std::string& message);

// Several input problems found together (a scenario file or CSV is validated as a whole).
// what() is every message (made printable) joined by newlines; problems() gives them one by one:
// the first max_problems, then a line saying how many more there were.
inline constexpr std::size_t max_problems = 50;
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
  explicit Interrupted(const std::string& message) : Error(message) {}
};

}  // namespace inspectsim::base
