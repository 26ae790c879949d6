assess <- function(x, n, methods = c("wilson", "clopper-pearson", "jeffreys"), confidence = 0.95,
                   side = "two-sided", population = NULL, prior = "jeffreys", threshold = NULL) {
  call <- match.call()
  limits <- .limits()
  if (is.logical(x) && all(is.na(x))) x <- as.double(x)  # a bare NA
  if (is.logical(n) && all(is.na(n))) n <- as.double(n)
  if (!is.numeric(x) || !is.numeric(n))
    stop_input("x and n must be numeric vectors (records found wrong, records sampled)", call,
               if (!is.numeric(x)) "x" else "n")
  if (length(x) == 0 || length(n) == 0) stop_input("x and n must not be empty", call, "x")
  size <- max(length(x), length(n))
  if (size %% length(x) != 0 || size %% length(n) != 0)
    stop_input(paste0("x (length ", length(x), ") and n (length ", length(n),
                      ") must have the same length, or one must be a multiple of the other"), call, "x")
  x <- rep_len(as.double(x), size)
  n <- rep_len(as.double(n), size)
  at <- function(name, i) if (size == 1) name else paste0(name, "[", i, "]")
  for (i in which(!is.na(n))) {
    if (!is.finite(n[i]) || n[i] != round(n[i]) || n[i] < 1 || n[i] > limits$max_population)
      stop_input(paste0(at("n", i), " is ", format(n[i]), ", but must be a whole number from 1 to ",
                        format(limits$max_population, scientific = FALSE)), call, "n")
  }
  for (i in which(!is.na(x) & !is.na(n))) {
    if (!is.finite(x[i]) || x[i] != round(x[i]) || x[i] < 0 || x[i] > n[i])
      stop_input(paste0(at("x", i), " is ", format(x[i]), ", but must be a whole number from 0 to ",
                        at("n", i), " (", format(n[i]), ")"), call, "x")
  }
  if (!is.character(methods) || length(methods) == 0 || anyNA(methods))
    stop_input("methods must name one or more interval methods", call, "methods")
  confidence <- check_number(confidence, "confidence", call = call)
  side <- check_string(side, "side", call = call)
  population <- check_whole(population, "population", 1, limits$max_population, null_ok = TRUE,
                            call = call)
  if (is.character(prior) && length(prior) == 1 && !is.na(prior)) {
    prior_name <- prior
    prior_ab <- c(NA_real_, NA_real_)
  } else if (is.numeric(prior) && length(prior) == 2 && all(is.finite(prior))) {
    prior_name <- ""
    prior_ab <- as.double(prior)
  } else {
    stop_input("prior must be \"jeffreys\", \"uniform\" or the two numbers c(a, b) of a Beta prior",
               call, "prior")
  }
  if (is.null(threshold)) threshold <- numeric()
  if (!is.numeric(threshold) || anyNA(threshold))
    stop_input("threshold must be a numeric vector without NA", call, "threshold")
  if (!is.na(population)) {
    for (i in which(!is.na(n) & n > population))
      stop_input(paste0("population is ", format(population, scientific = FALSE),
                        ", but must be at least ", at("n", i), " (", format(n[i]), ")"),
                 call, "population")
  }

  ok <- !is.na(x) & !is.na(n)
  # Run on a pair that is there when none is, so that the methods and columns are known.
  probe <- if (any(ok)) which(ok) else integer()
  out <- unwrap(.assess(if (length(probe)) x[probe] else 0, if (length(probe)) n[probe] else 1,
                        paste(methods, collapse = ","), confidence, side, population, prior_name,
                        prior_ab, as.double(threshold)), call)
  columns <- c("method", "x", "n", "estimate", "lower", "upper", "lower_count", "upper_count", "note")
  rows <- out$rows[columns]
  per_pair <- nrow(rows) %/% max(1, length(probe))
  if (!all(ok)) {
    # Pairs with NA give rows with NA figures, in their place.
    template <- rows[seq_len(per_pair), , drop = FALSE]
    template[setdiff(columns, "method")] <- NA
    full <- template[rep(seq_len(per_pair), size), , drop = FALSE]
    pair <- rep(seq_len(size), each = per_pair)
    full$x <- x[pair]
    full$n <- n[pair]
    if (length(probe)) full[pair %in% probe, ] <- rows
    rows <- full
    json <- rep(NA_character_, size)
    json[probe] <- out$json
    out$json <- json
  }
  rownames(rows) <- NULL
  none <- !length(probe)
  attr(rows, "posterior") <- if (none) out$posterior[0, , drop = FALSE] else out$posterior
  attr(rows, "exceedance") <- if (none) out$exceedance[0, , drop = FALSE] else out$exceedance
  attr(rows, "json") <- out$json
  rows
}
