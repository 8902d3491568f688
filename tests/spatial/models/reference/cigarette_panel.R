#!/usr/bin/env Rscript
# Reference results for fixed-effects spatial panel models on the Baltagi
# cigarette demand data (46 US states, 1963-1992), Elhorst (2014) specification:
#   y = log(sales), logp = log(price/cpi), logy = log(ndi/cpi),
#   W = spat_sym_us_46 (binary contiguity) row-standardised, N = 46, T = 30,
#   observations stacked by year, then state (state code order inside a year).
#
# splm / SDPDmod are not packaged for Debian (no CRAN access here), so every
# spatial number below comes from spatialreg using Elhorst's "direct approach":
# demean y and X (by state, by year, or both), stack NT = 1380 rows, and fit a
# cross-sectional ML model with the block-diagonal weights kronecker(I_T, W).
# W is identical in every year, so W applied to entity-demeaned data equals the
# entity-demeaned spatial lag: for ENTITY effects this is the FE spatial Durbin
# model. For time and two-way effects it is not (W's column sums are not all 1),
# so those fits here are the demean-first estimator; the lag-first reference for
# them is cigarette_dummies.R (effects as explicit dummies).
#
# Writes cigarette_panel_R.json next to this script.
# Data directory: $US_SPATIAL_PANEL_DIR, else <repo_root>/../shared/data/us_spatial_panel
suppressPackageStartupMessages({
  library(spdep)
  library(spatialreg)
  library(plm)
  library(jsonlite)
})

script_dir <- local({
  a <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else getwd()
})
repo_root <- normalizePath(file.path(script_dir, "..", "..", "..", ".."))
data_dir <- Sys.getenv("US_SPATIAL_PANEL_DIR",
                       file.path(dirname(repo_root), "shared", "data", "us_spatial_panel"))

# --- data ------------------------------------------------------------------
cig <- read.csv(file.path(data_dir, "Cigar.csv"))
Wbin <- as.matrix(read.csv(file.path(data_dir, "spat_sym_us_46.csv"), header = FALSE))
dimnames(Wbin) <- NULL
N <- 46L; Tn <- 30L
stopifnot(nrow(cig) == N * Tn, all(dim(Wbin) == c(N, N)), isSymmetric(Wbin))
codes <- sort(unique(cig$state))
cig <- cig[order(cig$year, cig$state), ]
cig$sid <- match(cig$state, codes)               # 1..46 = row of spat_sym_us_46
stopifnot(all(cig$sid == rep(1:N, Tn)))
cig$logc <- log(cig$sales)
cig$logp <- log(cig$price / cig$cpi)
cig$logy <- log(cig$ndi / cig$cpi)

demean <- function(v, how) {
  mi <- ave(v, cig$sid); mt <- ave(v, cig$year); m <- mean(v)
  switch(how, individual = v - mi, time = v - mt, twoways = v - mi - mt + m)
}

# --- weights -----------------------------------------------------------------
lw46 <- mat2listw(Wbin, style = "W")
nb46 <- lw46$neighbours
big_nb <- vector("list", N * Tn)
for (t in seq_len(Tn)) for (i in seq_len(N)) big_nb[[(t - 1) * N + i]] <- nb46[[i]] + (t - 1L) * N
class(big_nb) <- "nb"
attr(big_nb, "region.id") <- as.character(seq_len(N * Tn))
attr(big_nb, "sym") <- TRUE
bigW <- nb2listw(big_nb, style = "W")             # = kronecker(I_T, rowstd(W))

# --- helpers -----------------------------------------------------------------
nv <- function(v) as.list(v)
htest_list <- function(h) {
  if (is.null(h)) return(NULL)
  if (!is.list(h)) return(list(statistic = as.numeric(h), df = 1,
                               p_value = 1 - pchisq(as.numeric(h), 1)))
  list(statistic = as.numeric(unclass(h$statistic)), df = as.numeric(h$parameter),
       p_value = as.numeric(unclass(h$p.value)))
}
coef_table <- function(s) {
  ct <- s$Coef
  list(estimate = nv(ct[, 1]), std_error = nv(ct[, 2]), z_value = nv(ct[, 3]),
       p_value = nv(ct[, 4]))
}
tr_big <- Tn * trW(as(lw46, "CsparseMatrix"), m = 40, type = "mult")  # traces of kron(I_T, W)^k
impacts_rec <- function(fit, R = 1000, seed = 20240601L) {
  ex <- impacts(fit, listw = bigW)                # exact: dense (I - rho W_NT)^-1
  bn <- attr(ex, "bnames")
  set.seed(seed)
  sim <- impacts(fit, tr = tr_big, R = R)         # trace-based (m = 40 powers) for the draws
  sdv <- function(m) setNames(as.list(apply(as.matrix(m), 2, sd)), bn)
  list(exact = list(direct = setNames(as.list(ex$direct), bn),
                    indirect = setNames(as.list(ex$indirect), bn),
                    total = setNames(as.list(ex$total), bn)),
       trace_based_point = list(direct = setNames(as.list(sim$res$direct), bn),
                                indirect = setNames(as.list(sim$res$indirect), bn),
                                total = setNames(as.list(sim$res$total), bn)),
       simulated_sd = list(R = R, seed = seed,
                           direct = sdv(sim$sres$direct), indirect = sdv(sim$sres$indirect),
                           total = sdv(sim$sres$total)),
       note = "exact = impacts(fit, listw = kron(I_T, W)); simulated sd from impacts(fit, tr = T * trW(W, m = 40), R = 1000) (MC draws from the asymptotic normal of the ML estimates)")
}
fit_record <- function(fit, kind, effect, seconds) {
  s <- summary(fit)
  r <- list(
    approach = paste0("spatialreg direct approach: ", effect,
                      "-demeaned y and X, NT = 1380 stacked rows, listw = kron(I_30, W) style W, method = '",
                      fit$method, "'"),
    call = paste(deparse(fit$call), collapse = " "),
    effect = effect, model = kind,
    coefficients = coef_table(s),
    sigma2 = fit$s2,
    sigma2_note = "spatialreg s2 = e'e/(NT) = Elhorst's direct-approach ML estimator without bias correction",
    loglik = as.numeric(logLik(fit)),
    loglik_note = "log-likelihood of the demeaned (direct-approach) model: -NT/2 log(2 pi s2) + T log|I - rho W| - e'e/(2 s2); fixed effects are concentrated out, not counted",
    n = length(fit$residuals),
    n_params_logLik = attr(logLik(fit), "df"),
    AIC = AIC(fit),
    asymptotic_vcov = list(names = colnames(fit$resvar), matrix = unname(fit$resvar)),
    analytical_asymptotic_se = isTRUE(fit$ase),
    seconds = unname(seconds["elapsed"])
  )
  if (inherits(fit, "Sarlm") && !is.null(fit$rho) && fit$type != "error") {
    r$rho <- unname(fit$rho); r$rho_se <- unname(fit$rho.se)
    r$LR_test_rho_0 <- htest_list(s$LR1)
    r$impacts <- impacts_rec(fit)
  } else {
    r$lambda <- unname(fit$lambda); r$lambda_se <- unname(fit$lambda.se)
    r$LR_test_lambda_0 <- htest_list(s$LR1)
  }
  if (effect == "individual") {
    r$sigma2_times_T_over_Tminus1 <- fit$s2 * Tn / (Tn - 1)
    r$sigma2_times_T_over_Tminus1_note <- "derived here (not a spatialreg output): e'e/(N(T-1)); for entity effects only, the Lee-Yu transformation approach gives the same rho/beta as the direct approach and this sigma2"
  }
  r
}

# --- fits ----------------------------------------------------------------------
results <- list()
for (eff in c("individual", "time", "twoways")) {
  d <- data.frame(y = demean(cig$logc, eff), logp = demean(cig$logp, eff),
                  logy = demean(cig$logy, eff))
  t1 <- system.time(f_sar <- lagsarlm(y ~ logp + logy - 1, data = d, listw = bigW,
                                      method = "eigen"))
  t2 <- system.time(f_sdm <- lagsarlm(y ~ logp + logy - 1, data = d, listw = bigW,
                                      Durbin = TRUE, method = "eigen"))
  t3 <- system.time(f_sem <- errorsarlm(y ~ logp + logy - 1, data = d, listw = bigW,
                                        method = "eigen"))
  results[[eff]] <- list(SAR = fit_record(f_sar, "SAR", eff, t1),
                         SDM = fit_record(f_sdm, "SDM", eff, t2),
                         SEM = fit_record(f_sem, "SEM", eff, t3))
}

# --- non-spatial within regressions (plm), sanity checks ------------------------
pd <- pdata.frame(cig[, c("state", "year", "logc", "logp", "logy")], index = c("state", "year"))
plm_rec <- function(eff) {
  m <- plm(logc ~ logp + logy, data = pd, model = "within", effect = eff)
  ct <- summary(m)$coefficients
  list(estimate = nv(ct[, 1]), std_error = nv(ct[, 2]),
       note = "plm within estimator; SE use the df-corrected residual variance")
}
plm_results <- list(individual = plm_rec("individual"), time = plm_rec("time"),
                    twoways = plm_rec("twoways"))

# --- published SDPDmod SAR (individual) check ---------------------------------
pub <- c(rho = 0.297576, logp = -0.5320053, logy = -0.0007088, sigma2 = 0.006667779,
         rho_se = 0.028444, logp_se = 0.0254445, logy_se = 0.0152139)
ind <- results$individual$SAR
got <- c(rho = ind$rho, logp = ind$coefficients$estimate$logp,
         logy = ind$coefficients$estimate$logy, sigma2 = ind$sigma2, rho_se = ind$rho_se,
         logp_se = ind$coefficients$std_error$logp, logy_se = ind$coefficients$std_error$logy)

out <- list(
  description = "Fixed-effects spatial panel models, Baltagi cigarette demand, Elhorst (2014) specification",
  produced_by = "Rscript tests/spatial/models/reference/cigarette_panel.R",
  software = list(
    R = R.version.string,
    spatialreg = as.character(packageVersion("spatialreg")),
    spdep = as.character(packageVersion("spdep")),
    plm = as.character(packageVersion("plm")),
    Matrix = as.character(packageVersion("Matrix")),
    jsonlite = as.character(packageVersion("jsonlite")),
    platform = R.version$platform
  ),
  specification = list(
    y = "log(sales)", x = c("logp = log(price/cpi)", "logy = log(ndi/cpi)"),
    W = "spat_sym_us_46.csv (46x46 binary symmetric contiguity, 188 links), row-standardised",
    N = N, T = Tn,
    stacking = "sorted by year then state code; row (t-1)*46 + i is state i (i-th smallest Cigar state code = row i of spat_sym_us_46) in year 62+t",
    data_dir = "shared/data/us_spatial_panel (Cigar.csv, spat_sym_us_46.csv)"
  ),
  splm = list(unavailable = "splm is not packaged for Debian (apt-cache policy r-cran-splm: no candidate) and CRAN is not reachable; spml(model='within', lag=TRUE) results were not produced. The spatialreg direct-approach results below are the substitute."),
  SDPDmod = list(unavailable = "SDPDmod is not packaged for Debian (apt-cache policy r-cran-sdpdmod: no candidate) and CRAN is not reachable; Lee-Yu corrected fits were not produced."),
  models = results,
  plm_within_nonspatial = plm_results,
  check_vs_SDPDmod_vignette_SAR_individual = list(
    source = "SDPDmod 0.0.4 vignette 'Spatial dynamic panel data modeling', mod1 (sar, effect='individual'): see published_values.json",
    published = nv(pub), reproduced = nv(got), abs_diff = nv(abs(got - pub)),
    note = "published values are rounded to the printed digits"
  )
)
write_json(out, file.path(script_dir, "cigarette_panel_R.json"), auto_unbox = TRUE,
           digits = NA, pretty = TRUE, null = "null", na = "null")
cat("wrote", file.path(script_dir, "cigarette_panel_R.json"), "\n")
