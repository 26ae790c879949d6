# Conditions, and the checks of arguments' R types that come before the library's own checks.
# The library checks values (ranges, names, combinations) and names the field it is about; R adds
# what only R can get wrong (a string where a number belongs, a vector where one value does, NA).

input_error <- function(message, call = NULL, field = NULL, problems = NULL) {
  structure(
    class = c("inspectsim_input_error", "error", "condition"),
    list(message = message, call = call, field = field, problems = problems)
  )
}

stop_input <- function(message, call = sys.call(-1), field = NULL) {
  stop(input_error(message, call = call, field = field))
}

# Unwraps what a glue function returned: list(value = ...) or list(error = list(kind, message,
# field, problems)), raised as an R condition of class inspectsim_input_error (bad input),
# inspectsim_interrupted (the user pressed Ctrl-C) or inspectsim_error (a bug: please report it).
unwrap <- function(result, call) {
  e <- result$error
  if (is.null(e)) return(result$value)
  field <- if (nzchar(e$field)) e$field else NULL
  problems <- if (length(e$problems)) e$problems else NULL
  cond <- switch(e$kind,
    input = input_error(e$message, call = call, field = field, problems = problems),
    interrupted = structure(class = c("inspectsim_interrupted", "error", "condition"),
                            list(message = e$message, call = call)),
    structure(class = c("inspectsim_error", "error", "condition"),
              list(message = paste("internal error:", e$message), call = call))
  )
  stop(cond)
}

# How a value reads in a message: numbers as R prints them, text quoted.
shown <- function(value) {
  if (is.null(value)) return("NULL")
  if (length(value) != 1) return(paste0("a vector of length ", length(value)))
  if (is.character(value)) return(paste0("'", value, "'"))
  format(value)
}

check_number <- function(value, name, null_ok = FALSE, call = sys.call(-1)) {
  if (null_ok && is.null(value)) return(NA_real_)
  if (!is.numeric(value) || length(value) != 1 || is.na(value) || !is.finite(value))
    stop_input(paste0(name, " is ", shown(value), ", but must be a number"), call, name)
  as.double(value)
}

check_whole <- function(value, name, min, max = 2^53, null_ok = FALSE, call = sys.call(-1)) {
  if (null_ok && is.null(value)) return(NA_real_)
  v <- check_number(value, name, call = call)
  if (v != round(v) || v < min || v > max)
    stop_input(paste0(name, " is ", shown(value), ", but must be a whole number from ",
                      format(min, scientific = FALSE), " to ", format(max, scientific = FALSE)),
               call, name)
  v
}

check_string <- function(value, name, null_ok = FALSE, call = sys.call(-1)) {
  if (null_ok && is.null(value)) return("")
  if (!is.character(value) || length(value) != 1 || is.na(value))
    stop_input(paste0(name, " is ", shown(value), ", but must be one string"), call, name)
  value
}

check_flag <- function(value, name, call = sys.call(-1)) {
  if (!is.logical(value) || length(value) != 1 || is.na(value))
    stop_input(paste0(name, " is ", shown(value), ", but must be TRUE or FALSE"), call, name)
  value
}

check_strings <- function(value, name, call = sys.call(-1)) {
  if (is.null(value)) return(character())
  if (!is.character(value) || anyNA(value))
    stop_input(paste0(name, " must be a character vector without NA"), call, name)
  value
}

# A seed: a whole number from 0 to 2^63 - 1, as a number (exact up to 2^53) or as text of digits.
check_seed <- function(value, name = "seed", call = sys.call(-1)) {
  if (is.null(value)) return("")
  if (is.character(value) && length(value) == 1 && !is.na(value) && grepl("^[0-9]{1,19}$", value) &&
      (nchar(value) < 19 || value <= "9223372036854775807"))
    return(sub("^0+(?=.)", "", value, perl = TRUE))
  format(check_whole(value, name, 0, 2^53, call = call), scientific = FALSE)
}

# A scenario: the path of a TOML file, or TOML text. Returns list(text, path, is_path).
scenario_source <- function(scenario, call = sys.call(-1)) {
  check_string(scenario, "scenario", call = call)
  if (file.exists(scenario) && !dir.exists(scenario))
    return(list(text = "", path = scenario, is_path = TRUE))
  if (grepl("[\n=]", scenario))
    return(list(text = scenario, path = "scenario", is_path = FALSE))
  stop_input(paste0("scenario is '", scenario, "', but must be the path of a scenario file ",
                    "(there is no such file) or the text of one"), call, "scenario")
}

# Published results, as compare() and scenario_from_results() take them: a data frame (read as the
# CSV it would be written as, named "data" in messages) or the path of a CSV file. Returns
# list(text, path, is_path).
results_source <- function(data, call = sys.call(-1)) {
  if (is.data.frame(data)) {
    columns <- lapply(data, function(column) {
      if (is.factor(column)) as.character(column)
      else if (is.numeric(column) || is.logical(column) || is.character(column)) column
      else as.character(column)
    })
    return(list(text = .frame_csv(columns), path = "data", is_path = FALSE))
  }
  if (is.character(data) && length(data) == 1 && !is.na(data))
    return(list(text = "", path = data, is_path = TRUE))
  stop_input("data must be a data frame or the path of a CSV file", call, "data")
}

# Progress for the engine: list(update = function(done, total), close = function()). A text
# progress bar in interactive sessions; else update is NULL and the engine reports nothing.
progress_bar <- function() {
  bar <- NULL
  update <- if (interactive()) function(done, total) {
    if (is.null(bar)) bar <<- utils::txtProgressBar(min = 0, max = total, style = 3)
    utils::setTxtProgressBar(bar, done)
  }
  list(update = update, close = function() if (!is.null(bar)) close(bar))
}

# Grade bands: a named numeric vector of upper bounds in order, the last NA (it takes every share
# above); NULL for none. Returns list(names, upper). The library checks the bounds.
check_grades <- function(value, call = sys.call(-1)) {
  if (is.null(value)) return(list(names = character(), upper = double()))
  if (is.logical(value) && all(is.na(value))) value <- as.double(value)  # c(all = NA)
  names <- names(value)
  if (!is.numeric(value) || !length(value) || is.null(names) || anyNA(names) || !all(nzchar(names)))
    stop_input(paste0("grades must be a named numeric vector of upper bounds, the last NA, every band ",
                      "named: c(good = 0.05, \"requires improvement\" = 0.15, inadequate = NA)"), call, "grades")
  list(names = enc2utf8(names), upper = unname(as.double(value)))
}
