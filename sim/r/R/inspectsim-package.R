# inspectsim's R front end. The NAMESPACE loads the shared library (useDynLib): the Rcpp glue in
# src/ compiled with the inspectsim core library's own sources (src/Makevars.in). The functions:
# assess.R, compare.R, simulate.R, plan.R, report.R; argument checks and conditions: conditions.R.
NULL
