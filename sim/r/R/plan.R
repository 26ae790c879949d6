# A plan's CLI CSV, split: the answer as a one-row data frame (the columns that do not vary) and the
# table around it (the columns that do), kept as the attribute `detail_name`.
plan_result <- function(out, answer_columns, detail_columns, detail_name, answer_row, call,
                        text_columns) {
  frame <- unwrap(.csv_frame(out$csv, text_columns), call)
  row <- if (is.null(answer_row)) 1 else which(frame[[answer_row]])[1]
  answer <- frame[row, answer_columns, drop = FALSE]
  rownames(answer) <- NULL
  detail <- frame[detail_columns]
  attr(answer, detail_name) <- detail
  attr(answer, "json") <- out$json
  answer
}

plan_claim <- function(tolerable = NULL, allowed_errors = 0, n = NULL, found = NULL, confidence = 0.95,
                       population = NULL) {
  call <- match.call()
  # found: the wrong records an audit already drawn found (support mode), the same number that
  # allowed_errors is for a planned one.
  if (!is.null(found)) {
    if (!is.null(tolerable))
      stop_input(paste("tolerable plans a sample; n and found describe one already drawn:",
                       "give one or the other"), call, "tolerable")
    if (!missing(allowed_errors))
      stop_input("found and allowed_errors are the same number for an audit already drawn: give one",
                 call, "found")
    allowed_errors <- check_whole(found, "found", 0, call = call)
  }
  out <- unwrap(.plan_claim(
    check_number(tolerable, "tolerable", null_ok = TRUE, call = call),
    check_whole(allowed_errors, "allowed_errors", 0, null_ok = TRUE, call = call),
    check_whole(n, "n", 1, null_ok = TRUE, call = call),
    check_number(confidence, "confidence", call = call),
    check_whole(population, "population", 1, null_ok = TRUE, call = call)), call)
  plan_result(out, c("mode", "tolerable", "allowed_errors", "confidence", "population", "n", "upper",
                     "upper_count", "threshold_count", "risk", "version"),
              c("rate", "count", "probability"), "operating_characteristic", NULL, call,
              c("mode", "version"))
}

plan_precision <- function(rate, margin, method = NULL, confidence = 0.95, population = NULL,
                           criterion = "expected", assurance = 0.8, work_limit = NULL) {
  call <- match.call()
  out <- unwrap(.plan_precision(
    check_number(rate, "rate", call = call), check_number(margin, "margin", call = call),
    check_string(method, "method", null_ok = TRUE, call = call),
    check_number(confidence, "confidence", call = call),
    check_whole(population, "population", 1, null_ok = TRUE, call = call),
    check_string(criterion, "criterion", call = call), check_number(assurance, "assurance", call = call),
    check_whole(work_limit, "work_limit", 1, null_ok = TRUE, call = call)), call)
  plan_result(out, c("rate", "margin", "method", "confidence", "population", "criterion", "assurance",
                     "n", "expected_half_width", "probability_within_margin", "version"),
              c("n", "expected_half_width", "probability_within_margin", "meets"), "around", "answer",
              call, c("method", "criterion", "version"))
}

plan_detect <- function(from, to, power = 0.8, alpha = 0.05, test = "fisher", ratio = 1, n = NULL,
                        work_limit = NULL) {
  call <- match.call()
  out <- unwrap(.plan_detect(
    check_number(from, "from", call = call), check_number(to, "to", call = call),
    check_number(power, "power", call = call), check_number(alpha, "alpha", call = call),
    check_string(test, "test", call = call), check_number(ratio, "ratio", call = call),
    check_whole(n, "n", 1, null_ok = TRUE, call = call),
    check_whole(work_limit, "work_limit", 1, null_ok = TRUE, call = call)), call)
  plan_result(out, c("mode", "from", "to", "power_wanted", "alpha", "test", "ratio", "n1", "n2",
                     "power", "detectable", "version"),
              c("n1", "n2", "power"), "around", "answer", call, c("mode", "test", "version"))
}

plan_scenario <- function(scenario, cell, target, replicates = NULL, seed = NULL, threads = NULL,
                          max_work = NULL, max_memory = NULL) {
  call <- match.call()
  source <- scenario_source(scenario, call)
  cell <- check_string(cell, "cell", call = call)
  target <- check_string(target, "target", call = call)
  replicates <- check_whole(replicates, "replicates", 1, 1e8, null_ok = TRUE, call = call)
  seed <- check_seed(seed, call = call)
  threads <- check_whole(threads, "threads", 1, 1024, null_ok = TRUE, call = call)
  bar <- progress_bar()
  on.exit(bar$close())
  out <- unwrap(.plan_scenario(source$text, source$path, source$is_path, cell, target, replicates, seed,
                               threads, bar$update,
                               check_number(max_work, "max_work", null_ok = TRUE, call = call),
                               check_number(max_memory, "max_memory", null_ok = TRUE, call = call)), call)
  plan_result(out, c("file", "sha256", "cell", "target", "seed", "sample", "estimate", "se", "exact",
                     "replicates", "version"),
              c("sample", "estimate", "se", "exact", "replicates", "meets"), "steps", "answer", call,
              c("file", "sha256", "cell", "target", "version"))
}
