# inspectsim's R front end. The NAMESPACE loads the shared library (useDynLib): the Rcpp glue in
# src/ compiled with the inspectsim core library's own sources (src/Makevars.in). The functions:
# assess.R, compare.R, simulate.R (with scenario_from_results), plan.R, report.R; argument checks,
# conditions and the sources (scenarios, results) functions share: conditions.R.
NULL
