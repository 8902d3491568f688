#!/usr/bin/env Rscript
# Reference results: fixed-effects spatial models on the Baltagi cigarette data
# (46 US states, 1963-1992) with the fixed effects entered as EXPLICIT DUMMY
# REGRESSORS on the raw (not demeaned) data.
#
#   y = log(sales), logp = log(price/cpi), logy = log(ndi/cpi),
#   W = spat_sym_us_46 (binary contiguity) row-standardised ("W" style),
#   NT = 1380 rows stacked by year, then state; listw = kronecker(I_30, W).
#
# Because the dummies are ordinary regressors, spatialreg lags the RAW y (and,
# for the SDM, the raw logp and logy), and only afterwards are the fixed effects
# partialled out by least squares inside the likelihood. This is the "lag first,
# then remove the effects" estimator; a within-transformation implementation
# must reproduce these numbers exactly.
#
# Dummy coding (all three effects keep the intercept):
#   individual: (Intercept) + logp + logy + 45 state dummies        (48 columns)
#   time:       (Intercept) + logp + logy + 29 year dummies         (32 columns)
#   twoways:    (Intercept) + logp + logy + 45 state + 29 year      (77 columns)
# SAR: lagsarlm(method = "eigen"); SDM: lagsarlm(Durbin = ~ logp + logy) so
# only logp and logy are spatially lagged (never the dummies); SEM: errorsarlm.
#
# Writes cigarette_dummies_R.json next to this script.
# Data directory: $US_SPATIAL_PANEL_DIR, else <repo_root>/../shared/data/us_spatial_panel
suppressPackageStartupMessages({
  library(spdep)
  library(spatialreg)
  library(Matrix)
  library(jsonlite)
})

t_start <- proc.time()

script_dir <- local({
  a <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else getwd()
})
repo_root <- normalizePath(file.path(script_dir, "..", "..", "..", ".."))
data_dir <- Sys.getenv("US_SPATIAL_PANEL_DIR",
                       file.path(dirname(repo_root), "shared", "data", "us_spatial_panel"))

# --- data ----------------------------------------------------------------------
cig <- read.csv(file.path(data_dir, "Cigar.csv"))
Wbin <- as.matrix(read.csv(file.path(data_dir, "spat_sym_us_46.csv"), header = FALSE))
dimnames(Wbin) <- NULL
N <- 46L; Tn <- 30L; NT <- N * Tn
stopifnot(nrow(cig) == NT, all(dim(Wbin) == c(N, N)), isSymmetric(Wbin))
codes <- sort(unique(cig$state))
cig <- cig[order(cig$year, cig$state), ]
rownames(cig) <- NULL
cig$sid <- match(cig$state, codes)                 # 1..46 = row of spat_sym_us_46
stopifnot(all(cig$sid == rep(1:N, Tn)), all(cig$year == rep(sort(unique(cig$year)), each = N)))
cig$y <- log(cig$sales)
cig$logp <- log(cig$price / cig$cpi)
cig$logy <- log(cig$ndi / cig$cpi)
cig$state_f <- factor(cig$sid)
cig$year_f <- factor(cig$year)

# --- weights: block diagonal kronecker(I_30, row-standardised W) ----------------
lw46 <- mat2listw(Wbin, style = "W")
nb46 <- lw46$neighbours
big_nb <- vector("list", NT)
for (t in seq_len(Tn)) for (i in seq_len(N)) big_nb[[(t - 1) * N + i]] <- nb46[[i]] + (t - 1L) * N
class(big_nb) <- "nb"
attr(big_nb, "region.id") <- as.character(seq_len(NT))
attr(big_nb, "sym") <- TRUE
bigW <- nb2listw(big_nb, style = "W")
W46 <- as(lw46, "CsparseMatrix")
Wbig <- as(bigW, "CsparseMatrix")
stopifnot(max(abs(Wbig - kronecker(Diagonal(Tn), W46))) < 1e-15)

# --- model formulas ------------------------------------------------------------
formulas <- list(
  individual = y ~ logp + logy + state_f,
  time       = y ~ logp + logy + year_f,
  twoways    = y ~ logp + logy + state_f + year_f
)
dummy_coding <- list(
  individual = "(Intercept) + logp + logy + 45 state dummies (state_f2..state_f46; state 1 = smallest state code is the base)",
  time       = "(Intercept) + logp + logy + 29 year dummies (year_f64..year_f92; 1963 is the base)",
  twoways    = "(Intercept) + logp + logy + 45 state dummies + 29 year dummies (bases: state 1, 1963)"
)
# partialling-out projector for the fixed effects (for the internal checks only)
fe_resid <- function(v, eff) {
  mi <- ave(v, cig$sid); mt <- ave(v, cig$year); m <- mean(v)
  switch(eff, individual = v - mi, time = v - mt, twoways = v - mi - mt + m)
}

# --- helpers -------------------------------------------------------------------
focal <- c("logp", "logy", "lag.logp", "lag.logy")
pick <- function(v) { v <- v[intersect(focal, names(v))]; as.list(v) }

htest_list <- function(h) {
  if (is.null(h)) return(NULL)
  list(statistic = as.numeric(unclass(h$statistic)), df = as.numeric(h$parameter),
       p_value = as.numeric(unclass(h$p.value)))
}

# Internal check: at the ML spatial parameter, the dummy-variable coefficients
# of logp/logy (and lags) equal OLS on the fixed-effect-projected transformed data:
#   SAR/SDM: M (y - rho W y) on M [X, W X]      (W applied to RAW data first)
#   SEM:     M (I - lam W) y on M (I - lam W) X
# (for SEM, (I - lam W) D spans the same space as D for state and year dummies
# because W is row-standardised and block diagonal).
internal_check <- function(fit, kind, eff) {
  X <- cbind(logp = cig$logp, logy = cig$logy)
  if (kind == "SEM") {
    lam <- fit$lambda
    ty <- cig$y - lam * as.numeric(Wbig %*% cig$y)
    tX <- X - lam * as.matrix(Wbig %*% X)
  } else {
    rho <- fit$rho
    ty <- cig$y - rho * as.numeric(Wbig %*% cig$y)
    tX <- X
    if (kind == "SDM") {
      WX <- as.matrix(Wbig %*% X); colnames(WX) <- c("lag.logp", "lag.logy")
      tX <- cbind(X, WX)
    }
  }
  my <- fe_resid(ty, eff)
  mX <- apply(tX, 2, fe_resid, eff = eff)
  b <- qr.coef(qr(mX), my)
  e <- my - mX %*% b
  est <- coef(fit)[names(b)]
  list(max_abs_diff_beta = max(abs(b - est)),
       max_abs_diff_residuals = max(abs(as.numeric(e) - as.numeric(residuals(fit)))),
       rel_diff_sigma2 = abs(sum(e^2) / NT - fit$s2) / fit$s2,
       note = "OLS of the fixed-effect-projected (after spatial filtering of RAW data) y on X at the ML rho/lambda, compared with the dummy-variable fit")
}

fit_record <- function(fit, kind, eff, seconds) {
  s <- summary(fit)
  ct <- s$Coef
  cn <- rownames(ct)
  lag_names <- grep("^lag\\.", cn, value = TRUE)
  if (kind == "SDM") stopifnot(setequal(lag_names, c("lag.logp", "lag.logy")))
  else stopifnot(length(lag_names) == 0L)
  r <- list(
    effect = eff, model = kind,
    approach = paste0("spatialreg on RAW data with fixed effects as explicit dummy regressors; listw = kron(I_30, W) W-style; method = '",
                      fit$method, "'"),
    call = paste(deparse(fit$call), collapse = " "),
    dummy_coding = dummy_coding[[eff]],
    n_coefficients = length(cn),
    lagged_coefficient_names = lag_names,
    coefficients = list(estimate = pick(ct[, 1]), std_error = pick(ct[, 2]),
                        z_value = pick(ct[, 3]), p_value = pick(ct[, 4])),
    sigma2 = fit$s2,
    sigma2_note = "spatialreg s2 = e'e/(NT), NT = 1380 (ML, no degrees-of-freedom correction for the dummies)",
    loglik = as.numeric(logLik(fit)),
    loglik_note = "full-sample Gaussian log-likelihood of the dummy-variable fit; equals the concentrated within log-likelihood (same residuals, same s2 = e'e/NT, same log|I - rho W_NT|)",
    n = length(fit$residuals),
    analytical_asymptotic_se = isTRUE(fit$ase),
    se_note = "standard errors from spatialreg's asymptotic variance over ALL parameters, dummies included (summary(fit)$Coef; rho.se / lambda.se)",
    internal_check = internal_check(fit, kind, eff),
    seconds = unname(seconds["elapsed"])
  )
  if (kind == "SEM") {
    r$lambda <- unname(fit$lambda); r$lambda_se <- unname(fit$lambda.se)
    r$LR_test_lambda_0 <- htest_list(s$LR1)
  } else {
    r$rho <- unname(fit$rho); r$rho_se <- unname(fit$rho.se)
    r$LR_test_rho_0 <- htest_list(s$LR1)
  }
  r
}

# --- fits --------------------------------------------------------------------------
results <- list()
for (eff in c("individual", "time", "twoways")) {
  fml <- formulas[[eff]]
  cat("fitting", eff, "...\n")
  t1 <- system.time(f_sar <- lagsarlm(fml, data = cig, listw = bigW, method = "eigen"))
  t2 <- system.time(f_sdm <- lagsarlm(fml, data = cig, listw = bigW, method = "eigen",
                                      Durbin = ~ logp + logy))
  t3 <- system.time(f_sem <- errorsarlm(fml, data = cig, listw = bigW, method = "eigen"))
  results[[eff]] <- list(SAR = fit_record(f_sar, "SAR", eff, t1),
                         SDM = fit_record(f_sdm, "SDM", eff, t2),
                         SEM = fit_record(f_sem, "SEM", eff, t3))
}

# --- comparison with the demean-first results of cigarette_panel_R.json ------------
# cigarette_panel.R demeans first and then lags the demeaned data. That equals
# "lag first" only when the projector commutes with kron(I_T, W): true for
# individual effects, not for time / two-way effects with a row-standardised
# asymmetric W (1'W != 1'). Differences are recorded, not asserted.
compare_prev <- NULL
prev_file <- file.path(script_dir, "cigarette_panel_R.json")
if (file.exists(prev_file)) {
  prev <- fromJSON(prev_file, simplifyVector = FALSE)$models
  compare_prev <- list(
    source = "tests/spatial/models/reference/cigarette_panel_R.json (demean first, then lag the demeaned data)",
    note = "abs difference this-file minus demean-first; ~0 expected for individual effects only")
  for (eff in names(results)) for (k in names(results[[eff]])) {
    a <- results[[eff]][[k]]; b <- prev[[eff]][[k]]
    if (is.null(b)) next
    sp <- if (k == "SEM") "lambda" else "rho"
    d <- c(abs(a[[sp]] - b[[sp]]),
           sapply(names(a$coefficients$estimate),
                  function(nm) abs(a$coefficients$estimate[[nm]] - b$coefficients$estimate[[nm]])),
           abs(a$sigma2 - b$sigma2), abs(a$loglik - b$loglik))
    names(d) <- c(sp, names(a$coefficients$estimate), "sigma2", "loglik")
    compare_prev[[eff]][[k]] <- as.list(d)
  }
}

total <- proc.time() - t_start

out <- list(
  description = "Fixed-effects spatial models (SAR, SDM, SEM) on the Baltagi cigarette data with the fixed effects as explicit dummy regressors on the raw data: the 'lag first' estimator",
  produced_by = "Rscript tests/spatial/models/reference/cigarette_dummies.R",
  software = list(
    R = R.version.string,
    spatialreg = as.character(packageVersion("spatialreg")),
    spdep = as.character(packageVersion("spdep")),
    Matrix = as.character(packageVersion("Matrix")),
    jsonlite = as.character(packageVersion("jsonlite")),
    platform = R.version$platform
  ),
  specification = list(
    y = "log(sales)", x = c("logp = log(price/cpi)", "logy = log(ndi/cpi)"),
    W = "spat_sym_us_46.csv (46x46 binary symmetric contiguity), row-standardised (style 'W')",
    listw = "kronecker(I_30, W) block diagonal, NT = 1380, built as a listw of 30 copies of the 46-state neighbour list",
    N = N, T = Tn,
    stacking = "sorted by year then state code; row (t-1)*46 + i is state i (i-th smallest Cigar state code = row i of spat_sym_us_46) in year 62+t",
    fixed_effects = "explicit dummies on raw data, intercept kept in every model (see dummy_coding per model)",
    spatial_lags = "SAR/SDM lag the raw y; SDM lags only logp and logy (Durbin = ~ logp + logy), never the dummies; SEM filters the raw-data residual",
    method = "eigen for all nine fits",
    data_dir = "shared/data/us_spatial_panel (Cigar.csv, spat_sym_us_46.csv)"
  ),
  models = results,
  comparison_with_demean_first = compare_prev,
  total_seconds = unname(total["elapsed"])
)
write_json(out, file.path(script_dir, "cigarette_dummies_R.json"), auto_unbox = TRUE,
           digits = NA, pretty = TRUE, null = "null", na = "null")
cat("wrote", file.path(script_dir, "cigarette_dummies_R.json"),
    sprintf("(%.1f s)\n", total["elapsed"]))
