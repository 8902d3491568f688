#!/usr/bin/env Rscript
# Diagnostic: how does SDPDmod 0.0.6 obtain its bias-corrected estimates for the
# vignette example mod5 (dynamic SDM, two-way effects, Lee-Yu transformation,
# Cigar data), and does its route to Sigma^{-1} b agree with an exact solve?
#
# SDPDmod is NOT stored in this repository. It was obtained for this check as
# the CRAN mirror github.com/cran/SDPDmod, commit 9ffbe2e ("version 0.0.6",
# Date/Publication 2025-04-11), exported with `git archive` to /tmp and
# installed with `R CMD INSTALL --no-build-vignettes -l /tmp/Rlib SDPDmod`.
# Set SDPDMOD_LIB to the library holding it (default /tmp/Rlib).
#
# The unmodified SDPDm() is run on the vignette's mod5 call. Its local frame is
# captured with trace(..., exit = ...) (no SDPDmod code is edited), giving:
#   SIG   = information matrix / (n t)      (n = 45 after the Lee-Yu time
#            transformation, t = T - 1 = 29 after dropping the first period)
#   SIGi  = solve(Matrix::nearPD(SIG)$mat)  (what SDPDmod uses)
#   bias1 = the bias vector b
#   theta = uncorrected (bhat, rho, sige); theta1 = theta + SIGi b / t.
# The script then recomputes the correction with solve(SIG, b) and compares.
#
# Data: <repo_root>/../shared/data/us_spatial_panel (or $US_SPATIAL_PANEL_DIR):
# Cigar.csv, spat_sym_us_46.csv (checked equal to SDPDmod's usa46).
# Writes sdpdmod_mod5_check_R.json next to this script.
suppressPackageStartupMessages({
  library(Matrix)
  library(jsonlite)
})
sdpd_lib <- Sys.getenv("SDPDMOD_LIB", "/tmp/Rlib")
suppressPackageStartupMessages(library(SDPDmod, lib.loc = sdpd_lib))
stopifnot(as.character(packageVersion("SDPDmod", lib.loc = sdpd_lib)) == "0.0.6")

script_dir <- local({
  a <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else getwd()
})
data_dir <- Sys.getenv("US_SPATIAL_PANEL_DIR",
  file.path(script_dir, "..", "..", "..", "..", "..", "shared", "data", "us_spatial_panel"))

data1 <- read.csv(file.path(data_dir, "Cigar.csv"))
data1$logc <- log(data1$sales)
data1$logp <- log(data1$price / data1$cpi)
data1$logy <- log(data1$ndi / data1$cpi)
Wb <- as.matrix(read.csv(file.path(data_dir, "spat_sym_us_46.csv"), header = FALSE))
dimnames(Wb) <- NULL
data("usa46", package = "SDPDmod", lib.loc = sdpd_lib)
w_diff_usa46 <- sum(abs(Wb - as.matrix(usa46)))
W <- rownor(Wb)

# capture SDPDm's frame on exit
cap <- new.env()
trace("SDPDm", where = asNamespace("SDPDmod"), print = FALSE,
      exit = bquote(assign("frame", environment(), envir = .(cap))))
mod5 <- SDPDmod:::SDPDm(formula = logc ~ logp + logy, data = data1, W = W,
              index = c("state", "year"), model = "sdm", effect = "twoways",
              LYtrans = TRUE, dynamic = TRUE,
              tlaginfo = list(ind = NULL, tl = TRUE, stl = TRUE))
untrace("SDPDm", where = asNamespace("SDPDmod"))
f <- cap$frame

nm <- c("y_lag", "W_y_lag", "logp", "logy", "W_logp", "W_logy", "rho", "sigma2")
SIG <- f$SIG; b <- as.vector(f$bias1); theta <- as.vector(f$theta)
tt <- f$t; nn <- f$n
stopifnot(isTRUE(all.equal(as.vector(f$theta1), as.vector(theta + f$SIGi %*% b / tt))))

ev <- eigen(SIG, symmetric = TRUE)$values
npd <- Matrix::nearPD(SIG)
SIGnpd <- as.matrix(npd$mat)
ev_npd <- eigen(SIGnpd, symmetric = TRUE)$values
# nearPD (defaults eig.tol = 1e-6, posd.tol = 1e-8): eigenvalues below
# 1e-6 * lambda_max are zeroed, then floored at 1e-8 * lambda_max. The weakest
# direction v_min of Sigma is thereby shrunk (not removed), inflating its share
# of Sigma^{-1} b by lambda_min / lambda_floor.
es <- eigen(SIG, symmetric = TRUE); v_min <- es$vectors[, ncol(SIG)]
weak_dir <- list(lambda_min = ev_min <- min(es$values),
                 eig_tol_cutoff = 1e-6 * max(es$values),
                 posd_tol_floor = 1e-8 * max(es$values),
                 lambda_min_after_nearPD = min(ev_npd),
                 inflation_factor = ev_min / min(ev_npd),
                 v_min = signif(v_min, 6),
                 v_min_dot_b = sum(v_min * b))

x_exact  <- solve(SIG, b)            # exact Sigma^{-1} b
x_nearpd <- as.vector(f$SIGi %*% b)  # SDPDmod: solve(nearPD(Sigma)) b
theta_exact  <- theta + x_exact / tt
theta_nearpd <- theta + x_nearpd / tt
names(b) <- names(theta) <- names(x_exact) <- names(x_nearpd) <-
  names(theta_exact) <- names(theta_nearpd) <- names(ev) <- NULL

published <- c(y_lag = 0.864412, W_y_lag = -0.096270, logp = -0.270872,
               logy = 0.104262, W_logp = 0.195595, W_logy = -0.032464,
               rho = 0.162189)
k7 <- 1:7
dev_exact  <- max(abs(theta_exact[k7] - published))
dev_nearpd <- max(abs(theta_nearpd[k7] - published))

nv <- function(v) as.list(setNames(signif(v, 10), nm[seq_along(v)]))
out <- list(
  source = paste("SDPDmod 0.0.6 (github.com/cran/SDPDmod commit 9ffbe2e), run",
                 "unmodified from a /tmp install; frame captured with trace()."),
  call = paste("SDPDm(logc ~ logp + logy, model='sdm', effect='twoways',",
               "LYtrans=TRUE, dynamic=TRUE, tlaginfo=list(ind=NULL, tl=TRUE, stl=TRUE))"),
  w_sum_abs_diff_csv_vs_usa46 = w_diff_usa46,
  n_after_LY = nn, t_after_lag = tt,
  Sigma = unname(lapply(seq_len(nrow(SIG)), function(i) signif(SIG[i, ], 12))),
  Sigma_eigenvalues = signif(ev, 10),
  Sigma_positive_definite = all(ev > 0),
  Sigma_condition_number = signif(max(ev) / min(ev), 6),
  nearPD = list(converged = npd$converged, iterations = npd$iterations,
                frobenius_change = signif(npd$normF, 6),
                eigenvalues = signif(ev_npd, 10),
                max_abs_change_entry = signif(max(abs(SIGnpd - SIG)), 6)),
  weakest_direction = lapply(weak_dir, function(v) signif(v, 8)),
  b = nv(b),
  uncorrected = nv(theta),
  Sigma_inv_b_exact = nv(x_exact),
  Sigma_inv_b_nearPD = nv(x_nearpd),
  corrected_exact_solve = nv(theta_exact),
  corrected_nearPD_sdpdmod = nv(theta_nearpd),
  sdpdmod_reported_theta1 = nv(as.vector(f$theta1)),
  printed_vignette = as.list(published),
  max_abs_dev_from_vignette = list(exact_solve = signif(dev_exact, 6),
                                   nearPD = signif(dev_nearpd, 6)),
  matches_printed_vignette = if (dev_nearpd < 5e-6) "nearPD" else
    if (dev_exact < 5e-6) "exact_solve" else "neither"
)
write_json(out, file.path(script_dir, "sdpdmod_mod5_check_R.json"),
           auto_unbox = TRUE, pretty = TRUE, digits = NA)

cat("eigen(Sigma):", format(ev, digits = 6), "\n")
cat("nearPD converged:", npd$converged, " normF:", npd$normF, "\n")
print(rbind(b = b, uncorrected = theta, exact = theta_exact, nearPD = theta_nearpd,
            sdpdmod = as.vector(f$theta1), published = c(published, NA)))
cat("max dev from vignette: exact", dev_exact, " nearPD", dev_nearpd, "\n")
