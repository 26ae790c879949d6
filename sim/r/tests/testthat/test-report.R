test_that("report() writes the same HTML as --report, for compare and for simulate", {
  csv <- shipped("data", "hmicfrs-cancelled-crimes.csv")
  mine <- tempfile(fileext = ".html")
  theirs <- tempfile(fileext = ".html")
  # With the pairs listed: the CLI's --report also tests every pair without --pairs (issue 16),
  # which a result from compare() has only with pairs = TRUE.
  report(compare(csv, pairs = TRUE), mine)
  cli("compare", csv, "--pairs", "--report", theirs)
  expect_identical(readLines(mine), readLines(theirs))

  toml <- shipped("two-forces.toml")
  report(simulate(toml, replicates = 2000, threads = 2), mine)
  cli("simulate", toml, "--replicates", "2000", "--threads", "2", "--quiet", "--report", theirs)
  expect_identical(readLines(mine), readLines(theirs))
})

test_that("report() refuses what it cannot draw, and a result whose pointer was lost", {
  expect_error(report(assess(9, 17), tempfile()), "result must be what compare\\(\\) or simulate\\(\\) returned",
               class = "inspectsim_input_error")
  saved <- tempfile(fileext = ".rds")
  saveRDS(compare(shipped("data", "hmicfrs-cancelled-crimes.csv")), saved)
  expect_error(report(readRDS(saved), tempfile()), "saved and loaded again", class = "inspectsim_input_error")
  expect_error(report(simulate(shipped("two-forces.toml"), replicates = 100, threads = 1),
                      file.path(tempdir(), "no", "such", "dir", "r.html")),
               class = "inspectsim_input_error")
})
