simulate <- function(scenario, replicates = NULL, seed = NULL, threads = NULL, max_work = NULL,
                     max_memory = NULL, checkpoint = NULL, checkpoint_interval = 60) {
  call <- match.call()
  source <- scenario_source(scenario, call)
  replicates <- check_whole(replicates, "replicates", 1, null_ok = TRUE, call = call)
  seed <- check_seed(seed, call = call)
  threads <- check_whole(threads, "threads", 1, 1024, null_ok = TRUE, call = call)
  checkpoint <- if (is.null(checkpoint)) "" else path.expand(check_string(checkpoint, "checkpoint", call = call))
  bar <- progress_bar()
  on.exit(bar$close())
  out <- unwrap(.simulate(source$text, source$path, source$is_path, replicates, seed, threads, bar$update,
                          check_number(max_work, "max_work", null_ok = TRUE, call = call),
                          check_number(max_memory, "max_memory", null_ok = TRUE, call = call), checkpoint,
                          check_number(checkpoint_interval, "checkpoint_interval", call = call)), call)
  provenance <- out$provenance
  provenance$seed <- as.numeric(provenance$seed)
  structure(
    list(points = out$points, comparisons = out$comparisons,
         leagues = out$leagues, provenance = provenance),
    class = "inspectsim_simulation", json = out$json, text = out$text, result = out$result)
}

print.inspectsim_simulation <- function(x, ...) {
  cat(attr(x, "text"))
  cat("\n(a list: ", paste(names(x), collapse = ", "), ")\n", sep = "")
  invisible(x)
}

scenario_from_results <- function(data, truth = "observed", sample = NULL, grades = NULL,
                                  hyperprior = "albert", seed = NULL, replicates = NULL) {
  call <- match.call()
  source <- results_source(data, call)
  bands <- check_grades(grades, call = call)
  unwrap(.scenario_from_results(
    source$text, source$path, source$is_path, check_string(truth, "truth", call = call),
    check_whole(sample, "sample", 1, .limits()$max_simulated_sample, null_ok = TRUE, call = call),
    bands$names, bands$upper, check_string(hyperprior, "hyperprior", call = call),
    check_seed(seed, call = call), check_whole(replicates, "replicates", 1, null_ok = TRUE, call = call)), call)
}
