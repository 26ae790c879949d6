test_that("every help page's examples run", {
  topics <- c("assess", "compare", "simulate", "scenario_from_results", "plan_claim", "plan_precision",
              "plan_detect", "plan_scenario", "report", "inspectsim-package")
  for (topic in topics) {
    expect_no_error(utils::example(topic, package = "inspectsim", character.only = TRUE, echo = FALSE,
                                   ask = FALSE))
  }
})

test_that("the package's version is the library's", {
  expect_identical(as.character(utils::packageVersion("inspectsim")), inspectsim:::.limits()$version)
})
