compare <- function(data, method = "wilson", diff_method = "newcombe", confidence = 0.95,
                    levels = c(0.95, 0.998), overdispersion = "none", pairs = FALSE,
                    group_by = c("inspection", "category"), rank_posterior = NULL,
                    shrinkage = "hierarchical", hyperprior = "albert", threshold = NULL, seed = NULL,
                    draws = NULL, categories = NULL, inspections = NULL, threads = NULL,
                    rank_intervals = "marginal", max_work = NULL, max_memory = NULL) {
  call <- match.call()
  source <- results_source(data, call)
  if (!is.numeric(levels) || !length(levels) || anyNA(levels))
    stop_input("levels must be a numeric vector of funnel-plot levels", call, "levels")
  if (!is.character(group_by) || !length(group_by) || anyNA(group_by))
    stop_input("group_by must be c(\"inspection\", \"category\") or \"category\"", call, "group_by")
  seed <- check_seed(seed, call = call)
  threads <- check_whole(threads, "threads", 1, 1024, null_ok = TRUE, call = call)
  bar <- progress_bar()
  on.exit(bar$close())
  out <- unwrap(.compare(
    source$text, source$path, source$is_path, check_string(method, "method", call = call),
    check_string(diff_method, "diff_method", call = call),
    check_number(confidence, "confidence", call = call), as.double(levels),
    check_string(overdispersion, "overdispersion", call = call), check_flag(pairs, "pairs", call = call),
    paste(group_by, collapse = ","),
    if (is.null(rank_posterior)) "" else check_string(rank_posterior, "rank_posterior", call = call),
    check_string(rank_intervals, "rank_intervals", call = call),
    check_string(shrinkage, "shrinkage", call = call), check_string(hyperprior, "hyperprior", call = call),
    if (is.null(threshold)) double() else as.double(threshold),
    seed,
    check_whole(draws, "draws", 1, null_ok = TRUE, call = call),
    check_strings(categories, "categories", call = call),
    check_strings(inspections, "inspections", call = call), threads, bar$update,
    check_number(max_work, "max_work", null_ok = TRUE, call = call),
    check_number(max_memory, "max_memory", null_ok = TRUE, call = call)), call)
  structure(out[c("rows", "pairs", "changes", "totals", "groups")],
            class = "inspectsim_comparison", json = out$json, text = out$text, result = out$result)
}

print.inspectsim_comparison <- function(x, ...) {
  cat(attr(x, "text"))
  cat("\n(a list of data frames: ", paste(names(x), collapse = ", "), ")\n", sep = "")
  invisible(x)
}
