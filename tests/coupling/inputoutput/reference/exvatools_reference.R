# Reference numbers from the R package exvatools 0.9.0 (GPL-3, E. Feas) on its
# ICIO-type test table "iciotest".
#
# Regenerate (from the repository root, exvatools 0.9.0 and decompr 6.8.0 in /tmp/Rlib):
#   R_LIBS=/tmp/Rlib Rscript tests/coupling/inputoutput/reference/exvatools_reference.R
#
# exvatools 0.9.0 was built from the GitHub repository cran/exvatools, commit
# 8e973b9f7aa0f28c3bcf8316f2da85aae3253630 (DESCRIPTION Version: 0.9.0):
#   git --git-dir=<mirror> archive 8e973b9f | tar -x -C /tmp/x/exvatools
#   R CMD INSTALL -l /tmp/Rlib /tmp/x/exvatools
# Its imports (cli, data.table, openxlsx, reshape2) were already present as
# Debian r-cran-* packages.
#
# Inputs (read-only): the package's own test data (make_wio("iciotest"),
#   make_wio("wiodtest")), and for side checks /work/shared/data/gvc_testtables
#   and wiodtest_kww_decompr680.csv next to this script.
# Outputs: CSV files next to this script, numbers printed with %.17g.
#
# How exvatools treats the CN1/CN2 and MX1/MX2 split (read from R/make_wio.R,
# R/meld.R, R/make_exvadec_wwz.R):
#   * make_wio("iciotest") does NOT fold the table. wio$Z is 30 x 30 (rows and
#     columns ESP FRA MEX USA CHN ROW MX1 MX2 CN1 CN2, 3 sectors each); the MEX
#     and CHN rows/columns are all zero (X = 0 there). A = Z / X (0/0 -> 0),
#     B = (I - A)^-1 on the 30 x 30, then the MEX and CHN rows of B are set to 0.
#     The domestic block of CHN is CN1 u CN2 (6 x 6), of MEX is MX1 u MX2.
#   * The decomposition is computed on that 30-row system; its results are then
#     "melded" with exvatools::meld(): the CHN rows (and columns) are replaced by
#     the sum of the CN1 and CN2 rows (columns), sector by sector, and the CN1/CN2
#     rows (columns) are dropped (the same for MEX <- MX1 + MX2). meld() warns if
#     the CHN/MEX row it overwrites is not zero; here they are zero, so
#     "replace" equals "add".
#   * The folded table is meld() applied to the input table itself (rows and
#     columns summed; kept in memory only). exvatools does not decompose this
#     folded 18 x 18 table for "iciotest"; it is decomposed here separately
#     through make_custom_wio() (the *_folded_* files), and the two results
#     differ (only EXGR is the same).

suppressPackageStartupMessages({
  library(exvatools)
  library(decompr)
})
stopifnot(packageVersion("exvatools") == "0.9.0")
stopifnot(packageVersion("decompr") == "6.8.0")

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
outdir <- if (length(script)) dirname(normalizePath(script)) else getwd()
datadir <- "/work/shared/data/gvc_testtables"

## write a data.frame with every double as %.17g
write_full <- function(df, file) {
  df <- as.data.frame(df, stringsAsFactors = FALSE)
  quote_cols <- integer(0)
  for (j in seq_along(df)) {
    if (is.factor(df[[j]])) df[[j]] <- as.character(df[[j]])
    if (is.double(df[[j]])) {
      df[[j]] <- sprintf("%.17g", df[[j]])
    } else {
      quote_cols <- c(quote_cols, j)
    }
  }
  write.csv(df, file.path(outdir, file), row.names = FALSE,
            quote = if (length(quote_cols)) quote_cols else FALSE)
  cat("wrote", file, "(", nrow(df), "x", ncol(df), ")\n")
}
check <- function(what, value, tol) {
  cat(sprintf("  %-70s %.3g  %s\n", what, value, if (value <= tol) "ok" else "FAIL"))
  if (value > tol) stop("check failed: ", what)
}

g_names <- c("ESP", "FRA", "MEX", "USA", "CHN", "ROW")
exporters <- c("CHN", "MEX", "ESP")

############################################################################
## a. the table
############################################################################
wio <- make_wio("iciotest", quiet = TRUE)
cat("make_wio('iciotest'): Z", dim(wio$Z), " Yfd", dim(wio$Yfd), "\n")

raw <- read.csv(file.path(datadir, "iciotest_iot.csv"), check.names = FALSE)
rawm <- as.matrix(raw[, -1]); rownames(rawm) <- raw[[1]]
check("wio$Z equals shared iciotest_iot.csv (max abs diff)",
      max(abs(rawm[, colnames(wio$Z)] - wio$Z)), 0)
check("wio$Yfd equals shared iciotest_iot.csv (max abs diff)",
      max(abs(rawm[, colnames(wio$Yfd)] - wio$Yfd)), 0)
pz <- grep("^(CHN|MEX)_", rownames(wio$Z))
check("CHN/MEX rows+cols of Z, rows of Yfd, X, VA in make_wio: sum of |.|",
      sum(abs(wio$Z[pz, ])) + sum(abs(wio$Z[, pz])) + sum(abs(wio$Yfd[pz, ])) +
        sum(abs(wio$X[pz])) + sum(abs(wio$VA[pz])), 0)

Zf <- meld(wio$Z)                        # rows and columns folded, 18 x 18
Yf <- meld(wio$Yfd, meld_cols = FALSE)   # rows folded, 18 x 12
Xf <- meld(wio$X)[, 1]
VAf <- meld(wio$VA)[, 1]
stopifnot(identical(rownames(Zf), colnames(Zf)), identical(rownames(Zf), rownames(Yf)))
check("folded X = rowSums(Z) + rowSums(Yfd)", max(abs(Xf - rowSums(Zf) - rowSums(Yf))), 1e-10)
check("folded VA = X - colSums(Z)", max(abs(VAf - (Xf - colSums(Zf)))), 1e-10)
## fold by hand, independent of meld()
lab <- rownames(wio$Z)
lab2 <- sub("^(MX1|MX2)_", "MEX_", sub("^(CN1|CN2)_", "CHN_", lab))
Zh <- t(rowsum(t(rowsum(wio$Z, lab2, reorder = FALSE)), lab2, reorder = FALSE))
check("meld(Z) equals rowsum/colsum fold by hand", max(abs(Zh[rownames(Zf), colnames(Zf)] - Zf)), 1e-12)

tab <- data.frame(row = rownames(Zf), Zf, Yf, X = Xf, VA = VAf,
                  check.names = FALSE, stringsAsFactors = FALSE)
## (the folded table itself is exvatools' test data: it stays out of the repository;
## the tests fold the raw table of shared/data/gvc_testtables with read_icio)

## exports of the folded table, computed here without exvatools
cty <- sub("_.*", "", rownames(Zf))
Zc <- t(rowsum(t(Zf), cty, reorder = FALSE))[, g_names]        # 18 x 6
Yc <- t(rowsum(t(Yf), sub("_.*", "", colnames(Yf)), reorder = FALSE))[, g_names]
EXf <- Zc + Yc
for (i in seq_along(cty)) EXf[i, cty[i]] <- 0
exgr_own <- c(WLD = sum(EXf), sapply(exporters, function(e) sum(EXf[cty == e, ])))

############################################################################
## b./c. wwz and kww terms: world totals and exporters CHN, MEX, ESP
############################################################################
totals <- function(w, method) {
  all <- make_exvadec(w, exporter = "all", method = method, output = "terms", quiet = TRUE)
  terms <- names(all)[vapply(all, is.matrix, TRUE)]
  out <- data.frame(term = terms, WLD = vapply(terms, function(t) sum(all[[t]]), 0),
                    stringsAsFactors = FALSE)
  rn <- rownames(all[[terms[1]]])
  for (e in exporters) {
    x <- make_exvadec(w, exporter = e, method = method, output = "terms", quiet = TRUE)
    out[[e]] <- vapply(terms, function(t) sum(x[[t]]), 0)
    ## the single-exporter run against the exporter's rows of the "all" run
    sub_all <- vapply(terms, function(t) sum(all[[t]][grep(paste0("^", e, "_"), rn), ]), 0)
    check(sprintf("%s %s: exporter='%s' vs its rows of exporter='all'", w$type, method, e),
          max(abs(out[[e]] - sub_all)), 1e-9)
  }
  rownames(out) <- NULL
  list(tab = out, all = all)
}
sum_check <- function(res, label) {
  tb <- res$tab
  for (col in c("WLD", exporters)) {
    v <- setNames(tb[[col]], tb$term)
    check(sprintf("%s %s: sum of terms - EXGR", label, col), abs(sum(v[-1]) - v[["EXGR"]]), 1e-9)
    check(sprintf("%s %s: EXGR vs exports of the folded table", label, col),
          abs(v[["EXGR"]] - exgr_own[[col]]), 1e-9)
  }
  ## cell by cell: terms add up to EXGR for each exporting sector x importer
  a <- res$all; tn <- names(a)[vapply(a, is.matrix, TRUE)]
  check(sprintf("%s: max |sum of terms - EXGR| over cells", label),
        max(abs(Reduce("+", a[tn[-1]]) - a$EXGR)), 1e-9)
}

cat("wwz on make_wio('iciotest'):\n")
wwz_i <- totals(wio, "wwz"); sum_check(wwz_i, "iciotest wwz")
write_full(wwz_i$tab, "iciotest_wwz_exvatools090_totals.csv")
cat("kww on make_wio('iciotest'):\n")
kww_i <- totals(wio, "kww"); sum_check(kww_i, "iciotest kww")
write_full(kww_i$tab, "iciotest_kww_exvatools090_totals.csv")

## kww terms are sums of wwz terms (R/make_exvadec_kww.R)
kmap <- list(EXGR = "EXGR", VAX1 = "DVA_FIN", VAX2 = c("DVA_INT", "DVA_INTrex1"),
             VAX3 = c("DVA_INTrex2", "DVA_INTrex3"), REF1 = c("RDV_FIN1", "RDV_FIN2"),
             REF2 = "RDV_INT", DDC = c("DDC_FIN", "DDC_INT"),
             FVA1 = c("FVA_FIN1", "FVA_FIN2"), FVA2 = c("FVA_INT1", "FVA_INT2"),
             FDC = c("MDC", "ODC"))
stopifnot(identical(names(kmap), kww_i$tab$term))
wt <- as.matrix(wwz_i$tab[, -1]); rownames(wt) <- wwz_i$tab$term
kt <- as.matrix(kww_i$tab[, -1]); rownames(kt) <- kww_i$tab$term
kfromw <- t(sapply(kmap, function(m) colSums(wt[m, , drop = FALSE])))
check("iciotest: kww totals = sums of wwz totals (map above)", max(abs(kt - kfromw)), 1e-9)

## exvatools' own testthat expectations (tests/testthat/test-make_exvadec_wwz.R,
## output = "standard", round(., 2)) for ESP and CHN
std_expect <- list(
  ESP = c(EXGR = 4666.96, DC = 2165.17, DVA = 1880.60, VAX = 1624.18, REF = 256.41,
          DDC = 284.58, FC = 2501.78, FVA = 854.62, FDC = 1647.16),
  CHN = c(EXGR = 8575.51, DC = 4409.66, DVA = 3469.40, VAX = 3117.58, REF = 351.82,
          DDC = 940.27, FC = 4165.85, FVA = 1563.79, FDC = 2602.05))
for (e in names(std_expect)) {
  v <- wt[, e]
  mine <- c(EXGR = v[["EXGR"]],
            VAX = sum(v[c("DVA_FIN", "DVA_INT", "DVA_INTrex1", "DVA_INTrex2", "DVA_INTrex3")]),
            REF = sum(v[c("RDV_FIN1", "RDV_FIN2", "RDV_INT")]),
            DDC = sum(v[c("DDC_FIN", "DDC_INT")]),
            FVA = sum(v[c("FVA_FIN1", "FVA_FIN2", "FVA_INT1", "FVA_INT2")]),
            FDC = sum(v[c("MDC", "ODC")]))
  mine[["DVA"]] <- mine[["VAX"]] + mine[["REF"]]
  mine[["DC"]] <- mine[["DVA"]] + mine[["DDC"]]
  mine[["FC"]] <- mine[["FVA"]] + mine[["FDC"]]
  ex <- std_expect[[e]]
  check(sprintf("%s: rounded sums of terms vs exvatools' testthat values", e),
        max(abs(round(mine[names(ex)], 2) - ex)), 1e-9)
  std <- make_exvadec(wio, exporter = e, method = "wwz", output = "standard", quiet = TRUE)
  check(sprintf("%s: output='standard' vs sums of terms", e),
        max(abs(sapply(names(ex), function(k) sum(std[[k]])) - mine[names(ex)])), 1e-9)
}

############################################################################
## the folded 18 x 18 table decomposed by exvatools (make_custom_wio) and decompr
############################################################################
cw <- make_custom_wio(cbind(Zf, Yf), g_names = g_names,
                      n_names = c("01T09", "10T39", "41T98"),
                      fd_names = c("CONS", "INVST"), quiet = TRUE)
stopifnot(identical(rownames(cw$Z), rownames(Zf)))
check("custom wio Z, X equal the folded table", max(abs(cw$Z - Zf), abs(cw$X[, 1] - Xf)), 0)
cat("wwz on the folded table (make_custom_wio):\n")
wwz_f <- totals(cw, "wwz"); sum_check(wwz_f, "folded wwz")
write_full(wwz_f$tab, "iciotest_folded_wwz_exvatools090_totals.csv")
cat("kww on the folded table (make_custom_wio):\n")
kww_f <- totals(cw, "kww"); sum_check(kww_f, "folded kww")
write_full(kww_f$tab, "iciotest_folded_kww_exvatools090_totals.csv")

cat("\nfolded minus unfolded (make_wio('iciotest')), wwz:\n")
print(data.frame(term = wwz_i$tab$term,
                 round(as.matrix(wwz_f$tab[, -1]) - as.matrix(wwz_i$tab[, -1]), 6)))
cat("folded minus unfolded, kww:\n")
print(data.frame(term = kww_i$tab$term,
                 round(as.matrix(kww_f$tab[, -1]) - as.matrix(kww_i$tab[, -1]), 6)))

## decompr 6.8.0 on the same folded table (o = rowsums), cell by cell
dmap <- c(DVA_FIN = "DVA_FIN", DVA_INT = "DVA_INT", DVA_INTrex1 = "DVA_INTrexI1",
          DVA_INTrex2 = "DVA_INTrexF", DVA_INTrex3 = "DVA_INTrexI2",
          RDV_FIN1 = "RDV_FIN", RDV_FIN2 = "RDV_FIN2", RDV_INT = "RDV_INT",
          DDC_FIN = "DDC_FIN", DDC_INT = "DDC_INT", FVA_FIN1 = "MVA_FIN",
          FVA_FIN2 = "OVA_FIN", FVA_INT1 = "MVA_INT", FVA_INT2 = "OVA_INT",
          MDC = "MDC", ODC = "ODC", EXGR = "texp")
dx <- Zf; dimnames(dx) <- NULL
dy <- Yf; dimnames(dy) <- NULL
dl <- load_tables_vectors(x = dx, y = dy, k = g_names,
                          i = c("D01T09", "D10T39", "D41T98"))
dwz <- wwz(dl)
stopifnot(identical(as.character(dwz$Exporting_Country), rep(g_names, each = 18)))
dmax <- max(sapply(names(dmap), function(t)
  max(abs(as.vector(t(wwz_f$all[[t]])) - dwz[[dmap[[t]]]]))))
check("folded table: exvatools wwz vs decompr wwz, max abs diff over cells", dmax, 1e-9)

############################################################################
## side checks on wiodtest (no split countries)
############################################################################
ww <- make_wio("wiodtest", quiet = TRUE)
wa <- make_exvadec(ww, exporter = "all", method = "wwz", output = "terms", quiet = TRUE)
ref <- read.csv(file.path(datadir, "wiodtest_wwz_exvatools090_totals.csv"))
check("wiodtest wwz world totals vs shared exvatools090 totals",
      max(abs(sapply(ref$term, function(t) sum(wa[[t]])) - ref$total)), 1e-9)
dw <- read.csv(file.path(datadir, "wiodtest_wwz_decompr680.csv"))
check("wiodtest wwz vs shared decompr 6.8.0 wwz, max abs diff over cells",
      max(sapply(names(dmap), function(t) max(abs(as.vector(t(wa[[t]])) - dw[[dmap[[t]]]])))), 1e-9)
wk <- make_exvadec(ww, exporter = "all", method = "kww", output = "terms", quiet = TRUE)
kref <- read.csv(file.path(outdir, "wiodtest_kww_decompr680.csv"))
kcty <- sub("_.*", "", rownames(wk$VAX1))
kmine <- sapply(c("VAX1", "VAX2", "VAX3", "REF1", "REF2", "DDC", "FVA1", "FVA2", "FDC"),
                function(t) rowsum(wk[[t]][, 1], kcty, reorder = FALSE)[, 1])
check("wiodtest kww (VAX1..FDC) vs decompr kww (DVA_FIN..FDC), by country",
      max(abs(kmine[kref$Country, ] - as.matrix(kref[, -1]))), 1e-9)
## output = "terms2" labels: compare with decompr's MVA/OVA columns
w2 <- make_exvadec(ww, exporter = "all", method = "wwz", output = "terms2", quiet = TRUE)
cat("wiodtest terms2 vs decompr, world totals:\n")
for (n in c("MVA_FIN", "MVA_INT", "OVA_FIN", "OVA_INT"))
  cat(sprintf("  %-8s exvatools terms2 %.10g   decompr %.10g\n", n, sum(w2[[n]]), sum(dw[[n]])))
cat("done\n")
