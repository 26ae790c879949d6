test_that("assess(9, 17) gives the CLI's JSON and its numbers bit for bit", {
  a <- assess(9, 17)
  expect_s3_class(a, "data.frame")
  expect_named(a, c("method", "x", "n", "estimate", "lower", "upper", "lower_count", "upper_count", "note"))
  expect_equal(a$method, c("wilson", "clopper-pearson", "jeffreys"))
  expect_identical(attr(a, "json"), cli("assess", "9", "17", "--format", "json"))
  j <- jsonlite::fromJSON(attr(a, "json"), simplifyVector = FALSE)
  expect_identical(a$lower, vapply(j$intervals, function(r) num(r$lower), 0))
  expect_identical(a$upper, vapply(j$intervals, function(r) num(r$upper), 0))
  expect_identical(a$estimate, rep(num(j$estimate), 3))
  expect_true(all(is.na(a$lower_count)) && all(is.na(a$note)))
})

test_that("the Wilson interval matches its definition (Wilson 1927; Newcombe 1998, method 3)", {
  a <- assess(9, 17, methods = "wilson")
  z <- qnorm(0.975); n <- 17; p <- 9 / 17
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  expect_equal(c(a$lower, a$upper), c(centre - half, centre + half), tolerance = 1e-12)
  # The README's sentence: 31.0% to 73.8%.
  expect_equal(round(100 * c(a$lower, a$upper), 1), c(31.0, 73.8))
})

test_that("population, threshold, prior and side reach the library as the CLI's options do", {
  a <- assess(9, 17, methods = c("wilson", "mid-p"), confidence = 0.9, side = "upper", population = 60,
              prior = c(1, 1), threshold = c(0.25, 0.5))
  expect_identical(attr(a, "json"),
                   cli("assess", "9", "17", "--methods", "wilson,mid-p", "--confidence", "0.9", "--side",
                       "upper", "--population", "60", "--prior", "1,1", "--threshold", "0.25",
                       "--threshold", "0.5", "--format", "json"))
  expect_equal(a$method, c("wilson", "mid-p", "hypergeometric"))
  j <- jsonlite::fromJSON(attr(a, "json"), simplifyVector = FALSE)
  expect_identical(a$upper_count[3], num(j$intervals[[3]]$upper_count))
  post <- attr(a, "posterior")
  expect_identical(c(post$a, post$b, post$mean, post$lower, post$upper),
                   c(10, 9, num(j$posterior$mean), num(j$posterior$lower), num(j$posterior$upper)))
  ex <- attr(a, "exceedance")
  expect_identical(ex$threshold, c(0.25, 0.5))
  expect_identical(ex$probability, vapply(j$posterior$exceedance, function(e) num(e$probability), 0))
})

test_that("assess is vectorised over x and n, one row per (x, n, method), recycling like binom", {
  v <- assess(c(0, 9, 20), c(17, 17, 20))
  expect_equal(nrow(v), 9)
  expect_equal(v$x, rep(c(0, 9, 20), each = 3))
  for (i in 1:3) {
    one <- assess(c(0, 9, 20)[i], c(17, 17, 20)[i])
    expect_identical(v[v$x == one$x[1], c("lower", "upper")], one[c("lower", "upper")],
                     ignore_attr = TRUE)
    expect_identical(attr(v, "json")[i], attr(one, "json"))
  }
  expect_equal(assess(1:3, 10)$n, rep(10, 9))
  expect_equal(nrow(attr(assess(1:3, 10, threshold = 0.1), "exceedance")), 3)
  expect_error(assess(1:2, c(10, 10, 10)), class = "inspectsim_input_error")
})

test_that("NA in x or n gives rows of NA figures in their place", {
  v <- assess(c(9, NA, 1), c(17, 17, NA))
  expect_equal(nrow(v), 9)
  expect_equal(v$method, rep(c("wilson", "clopper-pearson", "jeffreys"), 3))
  expect_true(all(is.na(v$lower[4:9])) && all(is.na(v$estimate[4:9])))
  expect_identical(v$lower[1:3], assess(9, 17)$lower)
  expect_identical(is.na(attr(v, "json")), c(FALSE, TRUE, TRUE))
  all_na <- assess(NA, 10)
  expect_equal(nrow(all_na), 3)
  expect_true(all(is.na(all_na$upper)))
})

test_that("bad input raises inspectsim_input_error naming the argument, never a flag", {
  e <- condition_of(assess(9, 17, confidence = 1.5))
  expect_s3_class(e, c("inspectsim_input_error", "error", "condition"), exact = TRUE)
  expect_identical(conditionMessage(e), "confidence is 1.5, but must be strictly between 0 and 1")
  expect_identical(conditionMessage(condition_of(assess(18, 17))),
                   "x is 18, but must be a whole number from 0 to n (17)")
  expect_identical(conditionMessage(condition_of(assess(c(1, 18), 17))),
                   "x[2] is 18, but must be a whole number from 0 to n[2] (17)")
  expect_identical(conditionMessage(condition_of(assess(1, 0))),
                   "n is 0, but must be a whole number from 1 to 2147483647")
  expect_identical(conditionMessage(condition_of(assess(9, 17, threshold = 2))),
                   "threshold is 2, but must be between 0 and 1")
  expect_match(conditionMessage(condition_of(assess(9, 17, methods = "wilsn"))), "methods lists 'wilsn'")
  expect_error(assess("9", 17), class = "inspectsim_input_error")
  expect_error(assess(9, 17, confidence = "high"), "confidence is 'high', but must be a number")
  expect_error(assess(9, 17, population = 10), "population is 10, but must be at least n \\(17\\)")
  for (e in list(condition_of(assess(9, 17, side = "up")), condition_of(assess(9, 17, prior = "flat"))))
    expect_false(grepl("--", conditionMessage(e)))
})
