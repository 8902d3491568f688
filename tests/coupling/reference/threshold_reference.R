# Reference numbers for coupling.drivers.threshold (tests/coupling/drivers/test_threshold.py).
#
# An independent implementation of Hansen's (1999) fixed-effects panel threshold
# procedure in R 4.2 (stats::lm.fit on data demeaned by region with ave(); the final
# regression by stats::lm with explicit region dummies and sandwich::vcovCL clustered by
# region, type "HC1"). It follows the documented rules of the module: candidates are the
# distinct values of q at the quantiles trim, trim + 1/grid, ... of those values; each
# regime keeps at least ceil(trim * N T) observations; thresholds are estimated
# sequentially (gamma1; gamma2 given gamma1; gamma1 refined given gamma2; gamma3 given
# both); F = (S_{j-1} - S_j) / (S_j / (N (T - 1))); the 95% set {LR <= -2 log(1 - sqrt(0.95))}.
#
# Run from this folder: Rscript threshold_reference.R  (writes threshold_reference.json)
# Inputs: ../../../../shared/data/hansen1999/hansen1999.csv (Hansen's investment panel)
# and threshold_sim.csv (shipped, simulated).
library(sandwich)
library(jsonlite)

threshold_case <- function(d, y, x, q, r, id, year, trims, grid, twoways) {
  d <- d[order(d[[year]], d[[id]]), ]
  n_obs <- nrow(d); n <- length(unique(d[[id]])); tt <- length(unique(d[[year]]))
  nu <- n * (tt - 1)
  qv <- d[[q]]; rv <- d[[r]]
  demean <- function(v) {
    out <- v - ave(v, d[[id]])
    if (twoways) out <- out - ave(v, d[[year]]) + mean(v)
    out
  }
  yt <- demean(d[[y]])
  base <- sapply(c(x, r), function(v) demean(d[[v]]))
  dd <- sort(unique(qv))
  steps <- seq(trims[1], 1 - trims[1] + 1e-12, by = 1 / grid)
  cand <- unique(dd[pmax(1, floor(steps * length(dd)))])
  sse_of <- function(gammas) {
    cols <- base
    for (g in gammas) cols <- cbind(cols, demean(rv * (qv <= g)))
    e <- lm.fit(cols, yt)$residuals
    sum(e^2)
  }
  curve <- function(fixed, trim) {
    floor_n <- max(1, ceiling(trim * n_obs))
    sapply(cand, function(g) {
      b <- sort(c(fixed, g))
      counts <- diff(c(0, sapply(b, function(v) sum(qv <= v)), n_obs))
      if (any(counts < floor_n)) return(Inf)
      sse_of(c(fixed, g))
    })
  }
  stage <- function(fixed, trim) {
    s <- curve(fixed, trim)
    k <- which.min(s)
    lr <- (s - s[k]) / (s[k] / nu)
    inside <- cand[is.finite(lr) & lr <= -2 * log(1 - sqrt(0.95))]
    list(gamma = cand[k], sse = s[k], lower = min(inside), upper = max(inside))
  }
  s0 <- sse_of(c())
  th1 <- stage(c(), trims[1])
  th22 <- stage(th1$gamma, trims[2])
  th21 <- stage(th22$gamma, trims[2])
  s2r <- sse_of(c(th21$gamma, th22$gamma))
  th3 <- stage(c(th21$gamma, th22$gamma), trims[3])
  f <- c((s0 - th1$sse) / (th1$sse / nu), (th1$sse - th22$sse) / (th22$sse / nu),
         (s2r - th3$sse) / (th3$sse / nu))
  # the double-threshold model at (gamma1 refined, gamma2), regime coefficients by lm
  g <- sort(c(th21$gamma, th22$gamma))
  reg <- findInterval(qv, g, left.open = TRUE) + 1
  frame <- d[, c(y, x)]
  for (j in 1:3) frame[[paste0(r, "_r", j)]] <- rv * (reg == j)
  frame$id_f <- factor(d[[id]]); frame$year_f <- factor(d[[year]])
  rhs <- paste(c(x, paste0(r, "_r", 1:3), "id_f", if (twoways) "year_f"), collapse = " + ")
  fit <- lm(as.formula(paste(y, "~", rhs)), data = frame)
  names_out <- c(x, paste0(r, "_r", 1:3))
  vc <- vcovCL(fit, cluster = ~id_f, type = "HC1")
  list(
    candidates = length(cand), sse0 = s0,
    th1 = th1, th21 = th21, th22 = th22, th3 = th3, sse2_refined = s2r, F = f,
    coef = as.list(coef(fit)[names_out]),
    se_cluster = as.list(sqrt(diag(vc))[names_out]),
    rss_double = sum(residuals(fit)^2)
  )
}

hansen <- read.csv("../../../../shared/data/hansen1999/hansen1999.csv")
sim <- read.csv("threshold_sim.csv")
out <- list(
  source = paste("threshold_reference.R,", R.version.string, "; sandwich",
                 as.character(packageVersion("sandwich"))),
  hansen1999 = threshold_case(hansen, "i", c("q1", "q2", "q3", "d1", "qd1"), "d1", "c1",
                              "id", "year", c(0.01, 0.01, 0.05), 400, FALSE),
  sim_individual = threshold_case(sim, "y", c("x"), "q", "r", "region", "year",
                                  c(0.05, 0.05, 0.05), 100, FALSE),
  sim_twoways = threshold_case(sim, "y", c("x"), "q", "r", "region", "year",
                               c(0.05, 0.05, 0.05), 100, TRUE)
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "threshold_reference.json")
