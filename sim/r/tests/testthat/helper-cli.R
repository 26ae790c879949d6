# The CLI binary the package is checked against: $INSPECTSIM_BINARY (scripts/test-r sets it to
# build/test/inspectsim). Tests that need it are skipped without it.
cli_binary <- function() {
  bin <- Sys.getenv("INSPECTSIM_BINARY")
  if (!nzchar(bin) || !file.exists(bin)) skip("INSPECTSIM_BINARY is not set to the inspectsim binary")
  bin
}

# The CLI's standard output for these arguments, as one string (system2 splits it into lines).
cli <- function(...) {
  out <- suppressWarnings(system2(cli_binary(), shQuote(c(...)), stdout = TRUE, stderr = FALSE))
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) stop("inspectsim ", paste(c(...), collapse = " "), " exited ", status)
  paste0(paste(out, collapse = "\n"), "\n")
}

cli_json <- function(...) jsonlite::fromJSON(cli(..., "--format", "json"), simplifyVector = FALSE)

# A shipped file, as the package installs it.
shipped <- function(...) {
  path <- system.file("scenarios", ..., package = "inspectsim")
  if (!nzchar(path)) stop("not installed: scenarios/", paste(..., sep = "/"))
  path
}

# A JSON number or null as R reads it: null -> NA.
num <- function(value) if (is.null(value)) NA_real_ else as.double(value)

# The condition `expr` raises.
condition_of <- function(expr) tryCatch({ expr; NULL }, condition = function(c) c)
