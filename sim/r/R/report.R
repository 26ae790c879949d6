report <- function(result, path) {
  call <- match.call()
  path <- check_string(path, "path", call = call)
  glue <- if (inherits(result, "inspectsim_comparison")) .compare_report
          else if (inherits(result, "inspectsim_simulation")) .simulate_report
          else stop_input("result must be what compare() or simulate() returned", call, "result")
  invisible(unwrap(glue(attr(result, "result"), path.expand(path)), call))
}
