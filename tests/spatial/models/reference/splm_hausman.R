#!/usr/bin/env Rscript
# Reference: splm's spatial Hausman test (sphtest) on the Baltagi cigarette panel (Cigar)
# and the Munnell production panel (Produc), lag and error models, by ML.
#
# HOW SPLM WAS INSTALLED: as for splm_produc.R (splm 1.6-5 from the GitHub mirror cran/splm,
# commit 154febf2968967fcaec455cd6c8426b79c5e81cf, exported with git archive outside the
# repository and installed with R CMD INSTALL -l /tmp/Rlib; its Imports are Debian r-cran-*
# packages). R 4.2.2. No splm code or data is stored in this repository.
#   Run with:  R_LIBS=/tmp/Rlib Rscript tests/spatial/models/reference/splm_hausman.R
#
# Models (both with spml's defaults otherwise):
#   Cigar:  log(sales) ~ log(price/cpi) + log(ndi/cpi), W = spat_sym_us_46 row-standardised,
#           46 states x 30 years, data ordered by state then year.
#   Produc: log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp, W = usaww, 48 x 17.
#   Simulated (hausman_simulated.py writes the CSVs next to this script): y_re ~ x1 + x2 and
#           y_fe ~ x1 + x2, W = the 7 x 7 rook lattice row-standardised, 49 x 5 (random
#           effects hold for y_re; the effects are correlated with x1 for y_fe).
#   For each: sphtest(formula, spatial.model = "lag", method = "ML") and
#   sphtest(formula, spatial.model = "error", method = "ML", errors = "BSK"), plus the FE
#   (model = "within", effect = "individual") and RE fits behind them: coefficients and vcov.
#
# What sphtest computes (R/sphtest.R of splm 1.6-5): the coefficients common to coef(FE) and
# coef(RE), which for ML fits are the slopes only (coef() of an RE fit holds the intercept
# and the slopes; the spatial parameters sit in arcoef/errcomp), d = b_FE - b_RE,
# statistic = abs(d' (V_RE - V_FE)^-1 d), df = length(d). Also stored here, computed in this
# script from the same matrices: the eigenvalues of V_FE - V_RE (positive definite or not)
# and the signed quadratic form d' (V_FE - V_RE)^-1 d.
#
# Writes splm_hausman_R.json next to this script.
# Data directory: $US_SPATIAL_PANEL_DIR, else <repo_root>/../shared/data/us_spatial_panel
suppressPackageStartupMessages({
  library(splm)
  library(spdep)
  library(jsonlite)
})

script_dir <- local({
  a <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else getwd()
})
repo_root <- normalizePath(file.path(script_dir, "..", "..", "..", ".."))
data_dir <- Sys.getenv("US_SPATIAL_PANEL_DIR",
                       file.path(dirname(repo_root), "shared", "data", "us_spatial_panel"))

# ---- data ------------------------------------------------------------------------
cig <- read.csv(file.path(data_dir, "Cigar.csv"))
cig <- cig[order(cig$state, cig$year), ]
rownames(cig) <- NULL
cig$logc <- log(cig$sales)
cig$logp <- log(cig$price / cig$cpi)
cig$logy <- log(cig$ndi / cig$cpi)
binary <- as.matrix(read.csv(file.path(data_dir, "spat_sym_us_46.csv"), header = FALSE))
stopifnot(nrow(cig) == 1380L, nrow(binary) == 46L, length(unique(cig$state)) == 46L)
lw_cig <- mat2listw(unname(binary), style = "W")

produc <- read.csv(file.path(data_dir, "Produc.csv"))
produc <- produc[order(produc$state, produc$year), ]
rownames(produc) <- NULL
usaww <- as.matrix(read.csv(file.path(data_dir, "usaww.csv"), row.names = 1,
                            check.names = FALSE))
stopifnot(identical(unique(produc$state), rownames(usaww)))
lw_produc <- mat2listw(usaww, style = "W")

sim <- read.csv(file.path(script_dir, "hausman_simulated.csv"))
sim <- sim[order(sim$region, sim$year), ]
rownames(sim) <- NULL
lattice <- as.matrix(read.csv(file.path(script_dir, "hausman_simulated_w.csv"), header = FALSE))
stopifnot(nrow(sim) == 245L, nrow(lattice) == 49L)
lw_sim <- mat2listw(unname(lattice), style = "W")

cases <- list(
  cigar = list(formula = logc ~ logp + logy, data = cig, index = c("state", "year"),
               listw = lw_cig),
  produc = list(formula = log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp, data = produc,
                index = c("state", "year"), listw = lw_produc),
  simulated_re = list(formula = y_re ~ x1 + x2, data = sim, index = c("region", "year"),
                      listw = lw_sim),
  simulated_fe = list(formula = y_fe ~ x1 + x2, data = sim, index = c("region", "year"),
                      listw = lw_sim)
)

fit_out <- function(m) {
  V <- m$vcov
  beta <- m$coefficients
  if (is.null(dimnames(V))) dimnames(V) <- list(names(beta), names(beta))
  o <- list(coefficients = as.list(beta), vcov = list(names = rownames(V), matrix = unname(V)))
  if (!is.null(m$arcoef)) o$arcoef <- as.list(m$arcoef)
  if (!is.null(m$errcomp)) o$errcomp <- as.list(m$errcomp)
  if (!is.null(m$logLik)) o$logLik <- as.numeric(m$logLik)
  o
}

contrast <- function(fe, re) {
  # the same selection as sphtest.splm for ML fits
  tc <- intersect(names(coef(fe)), names(coef(re)))
  wtc <- match(tc, names(coef(fe)))
  d <- coef(fe)[wtc] - coef(re)[tc]
  v_fe <- fe$vcov[wtc, wtc]
  v_re <- re$vcov[tc, tc]
  diff <- v_fe - v_re
  list(names = tc, d = unname(d),
       eigenvalues_vfe_minus_vre = sort(eigen((diff + t(diff)) / 2, only.values = TRUE)$values),
       signed_statistic = as.numeric(t(d) %*% solve(diff) %*% d))
}

out <- list(
  source = paste("R splm", as.character(packageVersion("splm")),
                 "built from GitHub mirror cran/splm outside the repository"),
  produced_by = "R_LIBS=/tmp/Rlib Rscript tests/spatial/models/reference/splm_hausman.R",
  versions = list(R = R.version.string, splm = as.character(packageVersion("splm")),
                  plm = as.character(packageVersion("plm")),
                  spdep = as.character(packageVersion("spdep")),
                  maxLik = as.character(packageVersion("maxLik")))
)
for (name in names(cases)) {
  cs <- cases[[name]]
  res <- list(formula = deparse(cs$formula))
  for (spec in c("lag", "error")) {
    lag <- spec == "lag"
    err <- if (lag) "none" else "b"
    fe <- spml(cs$formula, data = cs$data, index = cs$index, listw = cs$listw,
               model = "within", effect = "individual", lag = lag, spatial.error = err)
    re <- spml(cs$formula, data = cs$data, index = cs$index, listw = cs$listw,
               model = "random", lag = lag, spatial.error = err)
    h <- if (lag) {
      sphtest(cs$formula, data = cs$data, index = cs$index, listw = cs$listw,
              spatial.model = "lag", method = "ML")
    } else {
      sphtest(cs$formula, data = cs$data, index = cs$index, listw = cs$listw,
              spatial.model = "error", method = "ML", errors = "BSK")
    }
    h2 <- sphtest(fe, re)
    stopifnot(isTRUE(all.equal(as.numeric(h$statistic), as.numeric(h2$statistic))))
    res[[spec]] <- list(
      sphtest = list(statistic = as.numeric(h$statistic), df = as.numeric(h$parameter),
                     p_value = as.numeric(h$p.value)),
      contrast = contrast(fe, re),
      fe = fit_out(fe), re = fit_out(re)
    )
  }
  out[[name]] <- res
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(script_dir, "splm_hausman_R.json"))
cat("wrote", file.path(script_dir, "splm_hausman_R.json"), "\n")
