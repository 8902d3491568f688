#!/usr/bin/env Rscript
# Reference results from R's splm on the Munnell (1990) US states production panel
# (plm's Produc, 48 states x 1970-1986) with splm's usaww weights (row-standardised
# queen contiguity).
#
# HOW SPLM WAS INSTALLED (splm is not packaged for Debian and CRAN was not reachable):
#   splm 1.6-5 (CRAN release 2023-12-20), from source OUTSIDE this repository:
#     GitHub mirror cran/splm commit 154febf2968967fcaec455cd6c8426b79c5e81cf (Version 1.6-5)
#     exported with git archive to /tmp/splm_src,
#     then  R CMD INSTALL -l /tmp/Rlib /tmp/splm_src  (pure R, NeedsCompilation: no).
#   All Imports were already present as Debian r-cran-* packages: plm 2.6-2, maxLik 1.5-2,
#   bdsmatrix 1.3-6, spam 2.9-1, spatialreg 1.2-6, spdep 1.2-7, stringr 1.5.0, and the
#   recommended MASS 7.3-58.2, nlme 3.1-162, Matrix 1.5-3.  R 4.2.2 Patched.
#   Run with:  R_LIBS=/tmp/Rlib Rscript tests/spatial/models/reference/splm_produc.R
# No splm code or data is stored in this repository; the data are read from the shared
# CSVs (see SOURCE.md there; usaww.csv is splm's usaww).
#
# Model: fm <- log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp,
#   data ordered by state then year, index = c("state", "year"),
#   listw = mat2listw(usaww, style = "W") in the CSV's state order (== Produc order).
#
# Contents of splm_produc_R.json:
#   bsktest: LM1, LM2 (raw and standardize=TRUE), LMH, CLMlambda, CLMmu, each statistic and
#     the p-value splm reports.  splm 1.6-5 has no test="LMJ"; "LMJ_derived" is computed
#     HERE (not by splm) as LM1^2 + LM2^2 (Baltagi-Song-Koh 2003 joint LM), p ~ chi2(2).
#   spml fits (ML): RE lag, FE(individual) lag, sphtest(FE lag, RE lag), RE error "b"
#     (BSK: RE + spatial error in the remainder), RE error "kkp" (Kapoor-Kelejian-Prucha),
#     FE(individual) SARAR (lag=TRUE, spatial.error="b").
#   For each fit: coefficients, SEs (sqrt(diag(vcov))), vcov, arcoef (lambda, spatial lag),
#     errcomp (phi = sigma_mu^2/sigma_e^2, rho = spatial error), their SEs, logLik, sigma2.
#   Note splm's FE vcov is block-diagonal (zero covariance between lambda/rho and beta);
#   for FE fits lambda (and rho) are the first entries of "coefficients"/"se"; for RE fits
#   they are in arcoef/errcomp.  RE sigma2 = {one: s2_mu + s2_e, idios: s2_e, id: s2_mu}.
#   splm returns no logLik for the FE SARAR fit.  FE fits also carry effects.splm output
#   (intercept and the 48 individual effects, with SEs).
#
# Writes splm_produc_R.json next to this script.
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

Produc <- read.csv(file.path(data_dir, "Produc.csv"))
usaww <- as.matrix(read.csv(file.path(data_dir, "usaww.csv"), row.names = 1,
                            check.names = FALSE))
Produc <- Produc[order(Produc$state, Produc$year), ]
rownames(Produc) <- NULL
stopifnot(nrow(Produc) == 816L,
          identical(unique(Produc$state), rownames(usaww)),
          identical(colnames(usaww), rownames(usaww)))
lw <- mat2listw(as.matrix(usaww), style = "W")
idx <- c("state", "year")
fm <- log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp

htest_out <- function(h) {
  o <- list(statistic = unname(as.numeric(h$statistic)),
            statistic_name = names(h$statistic),
            p_value = unname(as.numeric(h$p.value)),
            method = h$method)
  if (!is.null(h$parameter)) o$parameter <- as.list(h$parameter)
  o
}

# ---- bsktest -----------------------------------------------------------------
bsk <- list()
bsk$LM1 <- bsktest(fm, data = Produc, index = idx, listw = lw, test = "LM1")
bsk$SLM1 <- bsktest(fm, data = Produc, index = idx, listw = lw, test = "LM1",
                    standardize = TRUE)
bsk$LM2 <- bsktest(fm, data = Produc, index = idx, listw = lw, test = "LM2")
bsk$SLM2 <- bsktest(fm, data = Produc, index = idx, listw = lw, test = "LM2",
                    standardize = TRUE)
bsk$LMH <- bsktest(fm, data = Produc, index = idx, listw = lw, test = "LMH")
bsk$CLMlambda <- bsktest(fm, data = Produc, index = idx, listw = lw, test = "CLMlambda")
bsk$CLMmu <- bsktest(fm, data = Produc, index = idx, listw = lw, test = "CLMmu")
bsk_out <- lapply(bsk, htest_out)
bsk_out$LM1$standardized <- FALSE
bsk_out$SLM1$standardized <- TRUE
bsk_out$LM2$standardized <- FALSE
bsk_out$SLM2$standardized <- TRUE
bsk_out$LMH$standardized <- FALSE
bsk_out$CLMlambda$standardized <- TRUE   # LM*-lambda, asymptotically N(0,1)
bsk_out$CLMmu$standardized <- TRUE       # LM*-mu, asymptotically N(0,1)
bsk_out$p_value_note <- paste(
  "as reported by splm: LM1/SLM1/LM2/SLM2/CLMlambda/CLMmu use 2*pnorm(stat, lower.tail=FALSE);",
  "LMH uses 1 - pchibar(stat, df=0:2, wt=c(.25,.5,.25))")
lmj <- bsk_out$LM1$statistic^2 + bsk_out$LM2$statistic^2
bsk_out$LMJ_derived <- list(statistic = lmj,
                            p_value = pchisq(lmj, df = 2, lower.tail = FALSE),
                            note = "computed in this script as LM1^2 + LM2^2, chi2(2); not an splm test")

# ---- spml fits -----------------------------------------------------------------
fit_out <- function(m) {
  cf <- coef(m)  # for FE: c(arcoef/errcoef..., beta); for RE: beta only
  V <- m$vcov
  beta <- m$coefficients
  o <- list(type = m$type, call = paste(deparse(m$call), collapse = " "))
  if (is.null(dimnames(V))) dimnames(V) <- list(names(beta), names(beta))
  o$coefficients <- as.list(beta)
  o$se <- as.list(sqrt(diag(V)))
  o$vcov <- list(names = rownames(V), matrix = unname(V))
  if (!is.null(m$arcoef)) {
    o$arcoef <- as.list(m$arcoef)
    if (!is.null(m$vcov.arcoef)) o$arcoef_se <- as.list(setNames(sqrt(diag(as.matrix(m$vcov.arcoef))), names(m$arcoef)))
  }
  if (!is.null(m$errcomp)) {
    o$errcomp <- as.list(m$errcomp)
    if (!is.null(m$vcov.errcomp)) {
      ve <- as.matrix(m$vcov.errcomp)
      o$errcomp_se <- as.list(setNames(sqrt(diag(ve)), names(m$errcomp)))
      o$vcov_errcomp <- list(names = names(m$errcomp), matrix = unname(ve))
    }
  }
  if (!is.null(m$logLik)) o$logLik <- as.numeric(m$logLik)
  if (!is.null(m$sigma2)) o$sigma2 <- if (is.list(m$sigma2)) lapply(m$sigma2, as.numeric) else as.numeric(m$sigma2)
  o
}

fits <- list()
fits$re_lag <- spml(fm, data = Produc, index = idx, listw = lw, model = "random",
                    lag = TRUE, spatial.error = "none")
fits$fe_lag <- spml(fm, data = Produc, index = idx, listw = lw, model = "within",
                    effect = "individual", lag = TRUE, spatial.error = "none")
fits$re_sem_b <- spml(fm, data = Produc, index = idx, listw = lw, model = "random",
                      lag = FALSE, spatial.error = "b")
fits$re_sem_kkp <- spml(fm, data = Produc, index = idx, listw = lw, model = "random",
                        lag = FALSE, spatial.error = "kkp")
fits$fe_sarar <- spml(fm, data = Produc, index = idx, listw = lw, model = "within",
                      effect = "individual", lag = TRUE, spatial.error = "b")
fits_out <- lapply(fits, fit_out)

# FE intercept and individual effects (splm's effects.splm), for the FE fits
for (nm in c("fe_lag", "fe_sarar")) {
  ef <- effects(fits[[nm]])
  stopifnot(nrow(ef$SETable) == 48L)
  fits_out[[nm]]$effects_intercept <- list(estimate = ef$INTTable[1, 1], se = ef$INTTable[1, 2])
  # SETable rows are the states in Produc order (splm labels them 1..48)
  fits_out[[nm]]$effects_individual <- list(state = unique(Produc$state),
                                            estimate = unname(ef$SETable[, 1]),
                                            se = unname(ef$SETable[, 2]))
}

hs <- sphtest(fits$fe_lag, fits$re_lag)
sph_out <- htest_out(hs)
sph_out$df <- unname(as.numeric(hs$parameter))
sph_out$note <- "sphtest(fe_lag, re_lag): Hausman on the common beta (lambda excluded)"

out <- list(
  source = paste("R splm", as.character(packageVersion("splm")),
                 "built from GitHub mirror cran/splm outside the repository"),
  versions = list(R = R.version.string,
                  splm = as.character(packageVersion("splm")),
                  plm = as.character(packageVersion("plm")),
                  spdep = as.character(packageVersion("spdep")),
                  spatialreg = as.character(packageVersion("spatialreg")),
                  maxLik = as.character(packageVersion("maxLik")),
                  Matrix = as.character(packageVersion("Matrix"))),
  data = list(formula = deparse(fm), N = 48L, T = 17L, NT = nrow(Produc),
              order = "state then year", listw = "mat2listw(usaww, style='W')"),
  bsktest = bsk_out,
  sphtest = sph_out,
  spml = fits_out
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(script_dir, "splm_produc_R.json"))
cat("wrote", file.path(script_dir, "splm_produc_R.json"), "\n")
