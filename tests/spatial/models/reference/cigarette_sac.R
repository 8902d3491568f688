#!/usr/bin/env Rscript
# Reference results: the fixed-effects SAC (SARAR) model on the Baltagi cigarette data
# with the fixed effects entered as EXPLICIT DUMMY REGRESSORS on the raw data,
# by R spatialreg's sacsarlm (same W in the lag and in the error process).
#
#   y = log(sales), logp = log(price/cpi), logy = log(ndi/cpi),
#   W = spat_sym_us_46 (binary contiguity) row-standardised ("W" style),
#   NT = 1380 rows stacked by year, then state; listw = kronecker(I_30, W).
#
# As in cigarette_dummies.R, spatialreg lags the RAW y and filters the RAW data, and
# the dummies are ordinary regressors: the "lag first, then remove the effects"
# estimator without bias correction (liangye's SACPanel with bias_correction="none").
# Effects: individual (45 state dummies) and twoways (45 state + 29 year dummies),
# with the intercept. method = "eigen".
#
# Writes cigarette_sac_R.json next to this script.
# Data directory: $US_SPATIAL_PANEL_DIR, else <repo_root>/../shared/data/us_spatial_panel
suppressPackageStartupMessages({
  library(spdep)
  library(spatialreg)
  library(jsonlite)
})

script_dir <- local({
  a <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else getwd()
})
repo_root <- normalizePath(file.path(script_dir, "..", "..", "..", ".."))
data_dir <- Sys.getenv("US_SPATIAL_PANEL_DIR",
                       file.path(dirname(repo_root), "shared", "data", "us_spatial_panel"))

cig <- read.csv(file.path(data_dir, "Cigar.csv"))
Wbin <- as.matrix(read.csv(file.path(data_dir, "spat_sym_us_46.csv"), header = FALSE))
dimnames(Wbin) <- NULL
N <- 46L; Tn <- 30L; NT <- N * Tn
codes <- sort(unique(cig$state))
cig <- cig[order(cig$year, cig$state), ]
cig$sid <- match(cig$state, codes)
stopifnot(all(cig$sid == rep(1:N, Tn)))
cig$y <- log(cig$sales)
cig$logp <- log(cig$price / cig$cpi)
cig$logy <- log(cig$ndi / cig$cpi)
cig$state_f <- factor(cig$sid)
cig$year_f <- factor(cig$year)

nb46 <- mat2listw(Wbin, style = "W")$neighbours
big_nb <- vector("list", NT)
for (t in seq_len(Tn)) for (i in seq_len(N)) big_nb[[(t - 1) * N + i]] <- nb46[[i]] + (t - 1L) * N
class(big_nb) <- "nb"
attr(big_nb, "region.id") <- as.character(seq_len(NT))
attr(big_nb, "sym") <- TRUE
bigW <- nb2listw(big_nb, style = "W")

formulas <- list(individual = y ~ logp + logy + state_f,
                 twoways = y ~ logp + logy + state_f + year_f)
out <- list(
  source = paste("R", R.version.string, "spatialreg", as.character(packageVersion("spatialreg")),
                 "sacsarlm(method = 'eigen') with explicit dummies on the raw data"),
  data = "Cigar (plm 2.6-6) from shared/data/us_spatial_panel, W = spat_sym_us_46 row-standardised",
  fits = list()
)
for (eff in names(formulas)) {
  fit <- sacsarlm(formulas[[eff]], data = cig, listw = bigW, method = "eigen")
  s <- summary(fit)
  ct <- s$Coef
  out$fits[[eff]] <- list(
    coefficients = as.list(ct[c("logp", "logy"), 1]),
    std_errors = as.list(ct[c("logp", "logy"), 2]),
    rho = fit$rho, lambda = fit$lambda,
    rho_se = fit$rho.se, lambda_se = fit$lambda.se,
    sigma2 = fit$s2, loglik = as.numeric(logLik(fit))
  )
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(script_dir, "cigarette_sac_R.json"))
