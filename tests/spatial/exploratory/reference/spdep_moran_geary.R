#!/usr/bin/env Rscript
# Reference: spdep's moran.test and geary.test (randomisation and normality) on the Columbus
# cross-section (49 neighbourhoods, CRIME and HOVAL) with the COL.nb contiguity, row-standardised
# ("W") and binary ("B").
#
# R 4.2.2, spdep 1.2-7 (Debian r-cran-spdep), jsonlite 1.8.4. The data are the CSVs stored
# beside the model references (tests/spatial/models/reference/columbus_data.csv and
# columbus_neighbors.csv, exported from spData by columbus_sdm.R; spData CC0).
#   Run with:  Rscript tests/spatial/exploratory/reference/spdep_moran_geary.R
# Writes spdep_moran_geary_R.json next to this script: for each variable and style, the
# statistic, its expectation and variance, the standard deviate and the p-value exactly as
# spdep returns them (alternative = "greater", its default), with randomisation = TRUE and
# FALSE.
suppressPackageStartupMessages({
  library(spdep)
  library(jsonlite)
})
script_dir <- local({
  a <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else getwd()
})
models <- file.path(script_dir, "..", "..", "models", "reference")
data <- read.csv(file.path(models, "columbus_data.csv"))
pairs <- read.csv(file.path(models, "columbus_neighbors.csv"))
stopifnot(nrow(data) == 49L, identical(data$POLYID, 1:49))
nb <- lapply(1:49, function(i) sort(as.integer(pairs$neighbor[pairs$id == i])))
class(nb) <- "nb"
attr(nb, "region.id") <- as.character(1:49)
nb <- sym.attr.nb(nb)

one <- function(h) {
  est <- h$estimate
  list(statistic = unname(est[1]), expectation = unname(est[2]), variance = unname(est[3]),
       standard_deviate = unname(h$statistic), p_value = unname(h$p.value),
       alternative = h$alternative, method = h$method)
}
out <- list(
  produced_by = "Rscript tests/spatial/exploratory/reference/spdep_moran_geary.R",
  versions = list(R = R.version.string, spdep = as.character(packageVersion("spdep"))),
  links = sum(card(nb))
)
for (style in c("W", "B")) {
  lw <- nb2listw(nb, style = style)
  for (v in c("CRIME", "HOVAL")) {
    x <- data[[v]]
    out[[paste(v, style, sep = "_")]] <- list(
      moran_randomisation = one(moran.test(x, lw, randomisation = TRUE)),
      moran_normality = one(moran.test(x, lw, randomisation = FALSE)),
      geary_randomisation = one(geary.test(x, lw, randomisation = TRUE)),
      geary_normality = one(geary.test(x, lw, randomisation = FALSE))
    )
  }
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(script_dir, "spdep_moran_geary_R.json"))
cat("wrote", file.path(script_dir, "spdep_moran_geary_R.json"), "\n")
