# GVC participation (Wang, Wei, Yu and Zhu 2017, NBER w23222) as implemented by the
# R package MeasureGVC 0.0.1 (Pu Chen, GPL-3), function partici_idx() in R/partici_idx.R:
#
#   forward  (up): rowSums(Vhat L Am B Yhat) / (Vhat B y)
#   backward (dw): colSums(Vhat L Am B Yhat) / (V B Yhat)
#   inner        : Vhat L Yd_hat in place of Vhat L Am B Yhat (Chen and Fu 2022)
#   with decompr's objects: Vhat = diag(Vc), L = (I - Ad)^{-1} (domestic Leontief),
#   Am = foreign-only coefficients, B = (I - A)^{-1}, y = rowSums(Y), Yd = domestic FD.
#
# Regenerate (from the repository root; decompr 6.8.0 and MeasureGVC 0.0.1 in /tmp/Rlib,
# Debian r-cran-matlab 1.0.4 and r-cran-dplyr 1.0.10 from apt):
#   R_LIBS=/tmp/Rlib Rscript tests/coupling/inputoutput/reference/measuregvc_reference.R
#
# MeasureGVC 0.0.1 = GitHub common2016/MeasureGVC commit
# 0698088754b1607c258bc7dbfae1430d6aeeddb9, installed unmodified with
# R CMD INSTALL -l /tmp/Rlib (no shim was needed: matlab and dplyr come from apt).
#
# Outputs: measuregvc_partici_leather.csv (9 rows), measuregvc_partici_wiodtest.csv (18 rows).

suppressPackageStartupMessages({library(decompr); library(MeasureGVC)})
stopifnot(packageVersion("decompr") == "6.8.0", packageVersion("MeasureGVC") == "0.0.1")

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
outdir <- if (length(script)) dirname(normalizePath(script)) else getwd()
datadir <- "/work/shared/data"

cat("== MeasureGVC::partici_idx ==\n"); print(MeasureGVC::partici_idx)

run <- function(dobj, x_inter, label, file) {
  fw <- partici_idx(dobj, "forward")
  bw <- partici_idx(dobj, "backward")
  inn <- partici_idx(dobj, "inner")
  stopifnot(identical(fw$cnts, bw$cnts), identical(fw$industry, bw$industry))
  res <- data.frame(cnts = fw$cnts, industry = fw$industry, up = fw$up, dw = bw$dw,
                    up_inner = inn$up_inner, dw_inner = inn$dw_inner,
                    stringsAsFactors = FALSE)
  ## sanity checks on the inputs of the formula (not a change of it):
  ## forward denominator Vhat B y = value added v = x - colSums(Z);
  ## backward denominator V B Yhat = final output, sums to world GDP.
  v <- dobj$X - colSums(x_inter)
  VB <- dobj$Vc * dobj$B
  cat(sprintf("\n[%s] max |Vhat B y - (x - colSums Z)| = %.3g; sum(V B Yhat) - sum(v) = %.3g\n",
              label, max(abs(rowSums(VB %*% dobj$Y) - v)),
              sum(colSums(VB) * rowSums(dobj$Y)) - sum(v)))
  ## forward and backward numerators are the same total GVC value added
  num <- dobj$Vc * (dobj$L %*% dobj$Am %*% dobj$B %*% diag(rowSums(dobj$Y)))
  cat(sprintf("[%s] sum(up * v) = %.12g, sum(dw * V B Yhat) = %.12g, sum(numerator) = %.12g\n",
              label, sum(res$up * v), sum(res$dw * colSums(VB) * rowSums(dobj$Y)), sum(num)))
  print(res, digits = 10)
  f <- res
  for (j in 3:6) f[[j]] <- sprintf("%.17g", f[[j]])
  write.csv(f, file.path(outdir, file), row.names = FALSE, quote = 1:2)
  cat("wrote", file, "\n")
}

## leather, as in the package's example: load_tables_vectors(leather) (o = rowsums)
data(leather, package = "decompr")
dl <- decompr::load_tables_vectors(leather)
run(dl, leather$inter, "leather", "measuregvc_partici_leather.csv")

## wiodtest (exvatools random table), o = rowsums
w <- read.csv(file.path(datadir, "gvc_testtables/wiodtest_iot.csv"), check.names = FALSE)
wx <- as.matrix(w[, 2:19]); dimnames(wx) <- NULL
wy <- as.matrix(w[, 20:31]); dimnames(wy) <- NULL
wk <- c("ESP", "FRA", "MEX", "USA", "CHN", "ROW")
wi <- c("D01T09", "D10T39", "D41T98")
dw <- load_tables_vectors(x = wx, y = wy, k = wk, i = wi)
run(dw, wx, "wiodtest", "measuregvc_partici_wiodtest.csv")
