library(testthat)
library(inspectsim)

test_check("inspectsim")
