test_that("simulate gives the CLI's JSON, and its data frames hold the JSON's numbers", {
  path <- shipped("two-forces.toml")
  s <- simulate(path, replicates = 5000, seed = 11, threads = 2)
  expect_s3_class(s, "inspectsim_simulation")
  expect_named(s, c("points", "comparisons", "leagues", "provenance"))
  expect_identical(attr(s, "json"),
                   cli("simulate", path, "--replicates", "5000", "--seed", "11", "--threads", "2", "--format",
                       "json"))
  j <- jsonlite::fromJSON(attr(s, "json"), simplifyVector = FALSE)
  methods <- unlist(lapply(j$points, function(p) p$methods), recursive = FALSE)
  expect_equal(nrow(s$points), length(methods))
  expect_identical(s$points$coverage, vapply(methods, function(m) num(m$coverage), 0))
  expect_identical(s$points$coverage_se, vapply(methods, function(m) num(m$coverage_se), 0))
  expect_identical(s$points$exact_coverage, vapply(methods, function(m) num(m$exact_coverage), 0))
  expect_identical(s$comparisons$p_declare, vapply(j$comparisons, function(x) num(x$p_declare), 0))
  expect_identical(s$comparisons$declares, vapply(j$comparisons, function(x) x$declares, ""))
  expect_identical(s$provenance, list(version = j$version, seed = 11, replicates = 5000, scenario = path,
                                      sha256 = j$scenario$sha256))
  expect_equal(nrow(s$leagues), 0)
})

test_that("leagues: one row per member, the JSON's numbers", {
  path <- shipped("national-league.toml")
  s <- simulate(path, replicates = 4000, seed = 5, threads = 2)
  j <- jsonlite::fromJSON(attr(s, "json"), simplifyVector = FALSE)
  members <- j$leagues[[1]]$members
  expect_equal(nrow(s$leagues), 43)
  expect_identical(s$leagues$league, rep(j$leagues[[1]]$name, 43))
  expect_identical(s$leagues$force, vapply(members, function(m) m$force, ""))
  expect_equal(s$leagues$true_rank, vapply(members, function(m) as.numeric(m$true_rank), 0))
  expect_identical(s$leagues$p_ranked_worst, vapply(members, function(m) num(m$p_ranked_worst), 0))
  expect_identical(s$leagues$p_ranked_worst_exact, vapply(members, function(m) num(m$p_ranked_worst_exact), 0))
  expect_equal(s$leagues$p_ranked_worst[s$leagues$force == "Hampshire"],
               num(j$leagues[[1]]$p_true_worst_ranked_worst))
})

test_that("results do not depend on the number of threads; the scenario may be TOML text", {
  path <- shipped("coverage-small-samples.toml")
  one <- simulate(path, replicates = 3000, threads = 1)
  two <- simulate(path, replicates = 3000, threads = 2)
  expect_identical(one$points, two$points)
  text <- paste(readLines(path), collapse = "\n")
  from_text <- simulate(paste0(text, "\n"), replicates = 3000, threads = 2)
  expect_identical(from_text$points, one$points)
  expect_identical(from_text$provenance$scenario, "scenario")
  expect_identical(from_text$provenance$sha256, one$provenance$sha256)
})

test_that("a scenario's problems come back with their place, as one inspectsim_input_error", {
  e <- condition_of(simulate("title = \"x\"\n[[cell]]\nforce = \"A\"\ncategory = \"b\"\ntrue_rate = 2\nsample = 10\n"))
  expect_s3_class(e, "inspectsim_input_error")
  expect_match(conditionMessage(e), "^scenario:5:")
  expect_match(conditionMessage(e), "true_rate")
  expect_true(length(e$problems) >= 1)
  expect_error(simulate("no-such-file.toml"), "scenario is 'no-such-file.toml', but must be the path",
               class = "inspectsim_input_error")
  path <- shipped("two-forces.toml")
  expect_error(simulate(path, replicates = 0), "replicates is 0, but must be a whole number from 1",
               class = "inspectsim_input_error")
  expect_error(simulate(path, seed = -1), "seed is -1", class = "inspectsim_input_error")
  expect_error(simulate(path, threads = 1.5), "threads is 1.5", class = "inspectsim_input_error")
})

test_that("max_work and max_memory refuse a run before it starts, naming the argument to raise", {
  path <- shipped("two-forces.toml")
  expect_error(simulate(path, max_work = 1), "raise the budget with max_work ",
               class = "inspectsim_input_error")
  expect_error(simulate(path, max_memory = 0.001), "raise the budget with max_memory ",
               class = "inspectsim_input_error")
  expect_error(simulate(path, max_work = -1), "max_work is -1", class = "inspectsim_input_error")
  expect_s3_class(simulate(path, replicates = 100, max_work = 1e15), "inspectsim_simulation")
  expect_error(plan_scenario(path, "Force A/other sexual offences", "power>=0.8", max_work = 1), "max_work",
               class = "inspectsim_input_error")
  csv <- shipped("data", "hmicfrs-cancelled-crimes.csv")
  expect_error(compare(csv, max_work = 1), "raise the budget with max_work ", class = "inspectsim_input_error")
})

test_that("a progress callback that stops (as Ctrl-C does) cancels the run between blocks", {
  path <- shipped("two-forces.toml")
  calls <- 0
  out <- inspectsim:::.simulate("", path, TRUE, 1e6, "", 1, function(done, total) {
    calls <<- calls + 1
    stop("stop here")
  }, NA_real_, NA_real_, "", 60)
  expect_identical(out$error$kind, "interrupted")
  expect_equal(calls, 1)
  e <- condition_of(inspectsim:::unwrap(out, quote(simulate())))
  expect_s3_class(e, "inspectsim_interrupted")
  seen <- numeric()
  inspectsim:::.simulate("", path, TRUE, 3 * 4096, "", 1, function(done, total) seen <<- c(seen, done / total),
                         NA_real_, NA_real_, "", 60)
  expect_identical(tail(seen, 1), 1)
})

test_that("a run stopped with a checkpoint resumes to the uninterrupted result", {
  path <- shipped("national-league.toml")
  checkpoint <- tempfile(fileext = ".checkpoint")
  on.exit(unlink(checkpoint))
  # Stopped by SIGTERM (a scheduler's pre-emption) half a second in: the CLI saves its progress.
  status <- system(paste("sh -c", shQuote(paste(
    shQuote(cli_binary()), "simulate", shQuote(path), "--replicates 20000000 --quiet --checkpoint",
    shQuote(checkpoint), ">/dev/null 2>&1 & pid=$!; sleep 0.5; kill -TERM $pid; wait $pid"))))
  expect_equal(status, 128 + 15)
  expect_true(file.exists(checkpoint))
  whole <- simulate(path, replicates = 2e7, threads = 2)
  resumed <- simulate(path, replicates = 2e7, threads = 1, checkpoint = checkpoint)
  expect_identical(attr(resumed, "json"), attr(whole, "json"))
  expect_false(file.exists(checkpoint))  # removed once the result is returned
})

test_that("a checkpoint of another run is refused, saying what differs", {
  path <- shipped("two-forces.toml")
  checkpoint <- tempfile(fileext = ".checkpoint")
  on.exit(unlink(checkpoint))
  writeLines("not a checkpoint", checkpoint)
  e <- condition_of(simulate(path, replicates = 1000, checkpoint = checkpoint))
  expect_s3_class(e, "inspectsim_input_error")
  expect_identical(conditionMessage(e), paste0(
    "checkpoint '", checkpoint, "' is not an inspectsim checkpoint (it is not JSON): give another ",
    "checkpoint path, or remove the file"))
  expect_true(file.exists(checkpoint))  # never removed
  e <- condition_of(simulate(path, replicates = 1000, checkpoint = 3))
  expect_s3_class(e, "inspectsim_input_error")
})
