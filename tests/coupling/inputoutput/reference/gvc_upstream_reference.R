# Upstreamness reference: R package gvc 6.4.0 upstream() versus the Antras, Chor,
# Fally and Hillberry (2012) formula computed by hand, on decompr's leather table.
#
# Regenerate (from the repository root; decompr 6.8.0, gvc 6.4.0, diagonals 6.4.0
# installed in /tmp/Rlib):
#   R_LIBS=/tmp/Rlib Rscript tests/coupling/inputoutput/reference/gvc_upstream_reference.R
#
# gvc 6.4.0 = GitHub cran/gvc commit 211242fcb8fc25c863d3e4d349f4a3271fb697f5;
# its dependency diagonals 6.4.0 = GitHub cran/diagonals commit
# 5b15929f9169f32be4b69c8e1dcb03d4d9ec1e61; both installed with R CMD INSTALL -l /tmp/Rlib.
#
# Output: gvc_upstream_leather.csv (9 rows): gvc::upstream(), the correct Antras et al.
# upstreamness U = (I - Delta)^{-1} 1 with Delta_ij = A_ij x_j / x_i (A = full technical
# coefficients Z / x_j), and the same formula with decompr's foreign-only Am in place of A.

suppressPackageStartupMessages({library(decompr); library(gvc)})
stopifnot(packageVersion("decompr") == "6.8.0", packageVersion("gvc") == "6.4.0")

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
outdir <- if (length(script)) dirname(normalizePath(script)) else getwd()

cat("== source of gvc::upstream (gvc", format(packageVersion("gvc")), ") ==\n")
print(gvc::upstream)

## as in gvc's documentation (man/upstream.Rd example)
data(leather, package = "decompr")
invisible(list2env(leather, environment()))
l <- load_tables_vectors(x = inter, y = final, k = countries, i = industries, o = out)

u_gvc <- drop(gvc::upstream(l))

## by hand
x <- l$X                                   # gross output (= out = rowsums here)
GN <- length(x)
A <- sweep(inter, 2, x, "/")               # full A, A_ij = Z_ij / x_j
A[!is.finite(A)] <- 0
antras <- function(A, x) {
  Delta <- sweep(sweep(A, 2, x, "*"), 1, x, "/")   # Delta_ij = A_ij x_j / x_i
  drop(solve(diag(length(x)) - Delta, rep(1, length(x))))
}
u_full <- antras(A, x)
u_Am <- antras(unname(l$Am), unname(x))

cat("\n== the decompr object has no element 'A'; x$A partially matches x$Am ==\n")
cat("'A' %in% names(l):", "A" %in% names(l), "\n")
cat("is.null(l[['A', exact = TRUE]]):", is.null(l[["A", exact = TRUE]]), "\n")
cat("identical(l$A, l$Am):", identical(l$A, l$Am), "\n")
cat("max |l$Am - A_full| (domestic blocks set to 0 in Am):", max(abs(l$Am - A)), "\n")

d_gvc_Am <- max(abs(u_gvc - u_Am))
d_gvc_full <- max(abs(u_gvc - u_full))
cat("\nmax |gvc::upstream - U(Am)|   =", format(d_gvc_Am, digits = 3), "\n")
cat("max |gvc::upstream - U(A)|    =", format(d_gvc_full, digits = 3), "\n")
cat("gvc::upstream equals the Am-based number (all.equal, tol 1e-12):",
    isTRUE(all.equal(u_gvc, u_Am, tolerance = 1e-12, check.attributes = FALSE)), "\n")

## sanity checks of the hand formula: U = 1 + Delta U, U >= 1, and U = Ghosh row sums
Bg <- sweep(inter, 1, x, "/")              # allocation coefficients B = xhat^-1 Z
G <- solve(diag(GN) - Bg)
cat("max |U(A) - rowSums(Ghosh)| =", format(max(abs(u_full - rowSums(G))), digits = 3),
    "; min U(A) =", format(min(u_full), digits = 6), "\n")

res <- data.frame(row = l$rownam,
                  gvc_upstream = u_gvc,
                  antras_full_A = u_full,
                  antras_Am = u_Am,
                  stringsAsFactors = FALSE)
print(res, digits = 10)
f <- res
for (j in 2:4) f[[j]] <- sprintf("%.17g", f[[j]])
write.csv(f, file.path(outdir, "gvc_upstream_leather.csv"), row.names = FALSE, quote = 1)
cat("wrote gvc_upstream_leather.csv\n")
