# Reference numbers from the R package decompr 6.8.0 (GPL-3, B. Quast et al.).
#
# Regenerate (from the repository root, decompr 6.8.0 installed in /tmp/Rlib):
#   R_LIBS=/tmp/Rlib Rscript tests/coupling/inputoutput/reference/decompr_reference.R
#
# decompr 6.8.0 was built from the GitHub repository bquast/decompr, commit
# 0a0b823a71cbce37a962730909674cb3afd8bcbe (DESCRIPTION Version: 6.8.0):
#   git --git-dir=<mirror> archive 0a0b823a | tar -x -C /tmp/build/decompr
#   R CMD INSTALL -l /tmp/Rlib /tmp/build/decompr
#
# Inputs (read-only): /work/shared/data/{decompr_leather,gvc_testtables,wiod2013}
# Outputs: CSV files next to this script, numbers printed with %.17g.

suppressPackageStartupMessages(library(decompr))
stopifnot(packageVersion("decompr") == "6.8.0")

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
outdir <- if (length(script)) dirname(normalizePath(script)) else getwd()
datadir <- "/work/shared/data"

## write a data.frame / matrix with every double as %.17g
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
mat_df <- function(m) data.frame(row = rownames(m), m, check.names = FALSE,
                                 stringsAsFactors = FALSE)

############################################################################
## 1a. leather (package data, identical to leather_iot.csv): Leontief
############################################################################
data(leather, package = "decompr")
invisible(list2env(leather, environment()))

## the package data equal the shared CSV
csv <- read.csv(file.path(datadir, "decompr_leather/leather_iot.csv"),
                check.names = FALSE)
stopifnot(max(abs(as.matrix(csv[, 2:10]) - inter)) == 0,
          max(abs(as.matrix(csv[, 11:13]) - final)) == 0,
          max(abs(csv$output - out)) == 0)

le <- decomp(x = inter, y = final, k = countries, i = industries, o = out,
             method = "leontief", post = "exports")
lo <- decomp(x = inter, y = final, k = countries, i = industries, o = out,
             method = "leontief", post = "output")
lfd <- decomp(x = inter, y = final, k = countries, i = industries, o = out,
              method = "leontief", post = "final_demand")

cat("\n== decompr tests/testthat/test_leontief.R values (tolerance .002) ==\n")
chk <- function(label, got, want) {
  ok <- isTRUE(all.equal(got, want, tolerance = .002))
  cat(sprintf("%-24s got %.10f  expected %s  rel.err %.2e  %s\n", label, got,
              format(want, digits = 10), abs(got - want) / abs(want),
              if (ok) "OK" else "FAIL"))
  ok
}
ok <- c(chk("exports[1,5]", le[1, 5], 28.52278),
        chk("exports[81,5]", le[81, 5], 34.74381),
        chk("output[1,5]", lo[1, 5], 66.75361799),
        chk("output[81,5]", lo[81, 5], 96.78316785),
        chk("final_demand[1,4]", lfd[1, 4], 24.3345824),
        chk("final_demand[20,4]", lfd[20, 4], 23.6841309))
stopifnot(all(ok), dim(le) == c(81, 5), dim(lo) == c(81, 5), dim(lfd) == c(27, 4))

write_full(le, "leather_leontief_exports_decompr680.csv")
write_full(lo, "leather_leontief_output_decompr680.csv")
write_full(lfd, "leather_leontief_final_demand_decompr680.csv")

## the decompr object of leather (as gvc / MeasureGVC use it): Am and L
dl <- load_tables_vectors(x = inter, y = final, k = countries, i = industries,
                          o = out)
write_full(mat_df(dl$Am), "leather_Am_decompr680.csv")
write_full(mat_df(dl$L), "leather_L_decompr680.csv")

## side check against the shared leather kww/wwz files (made earlier with 6.8.0)
kl <- kww(dl)
kref <- read.csv(file.path(datadir, "decompr_leather/leather_kww_decompr680.csv"))
cat("leather kww vs shared file, max abs diff:",
    max(abs(as.matrix(kl[, -1]) - as.matrix(kref[, -1]))), "\n")

############################################################################
## 1b. wiodtest (exvatools random table): kww
############################################################################
w <- read.csv(file.path(datadir, "gvc_testtables/wiodtest_iot.csv"),
              check.names = FALSE)
wx <- as.matrix(w[, 2:19]); dimnames(wx) <- NULL
wy <- as.matrix(w[, 20:31]); dimnames(wy) <- NULL
wk <- c("ESP", "FRA", "MEX", "USA", "CHN", "ROW")
wi <- c("D01T09", "D10T39", "D41T98")
stopifnot(identical(names(w)[20:31],
                    as.vector(t(outer(wk, c("CONS", "INVST"), paste, sep = "_")))))
dw <- load_tables_vectors(x = wx, y = wy, k = wk, i = wi)   # o = rowsums
kw <- kww(dw)
write_full(kw, "wiodtest_kww_decompr680.csv")
cat("wiodtest kww: 9 terms sum vs total exports, max abs diff:",
    max(abs(rowSums(kw[, -1]) - rowsum(dw$E, rep(wk, each = 3), reorder = FALSE))), "\n")

############################################################################
## 1c. WIOD 2013 release, world table 2011: wwz for all exporters
############################################################################
## minimal reader for the .npy members of the .npz ('<f8' / '<U3', C or Fortran order)
read_npy <- function(npz, key) {
  td <- tempfile(); dir.create(td)
  f <- unzip(npz, files = paste0(key, ".npy"), exdir = td)
  con <- file(f, "rb"); on.exit({close(con); unlink(td, recursive = TRUE)})
  magic <- readBin(con, "raw", 6)
  stopifnot(identical(magic, as.raw(c(0x93, charToRaw("NUMPY")))))
  ver <- as.integer(readBin(con, "raw", 2))
  hlen <- if (ver[1] == 1) readBin(con, "integer", 1, size = 2, signed = FALSE,
                                   endian = "little")
          else readBin(con, "integer", 1, size = 4, endian = "little")
  hdr <- rawToChar(readBin(con, "raw", hlen))
  descr <- sub(".*'descr': *'([^']*)'.*", "\\1", hdr)
  fortran <- grepl("'fortran_order': *True", hdr)
  shp <- sub(".*'shape': *\\(([^)]*)\\).*", "\\1", hdr)
  shp <- as.integer(strsplit(gsub(" ", "", shp), ",")[[1]])
  n <- prod(shp)
  if (descr == "<f8") {
    v <- readBin(con, "double", n, size = 8, endian = "little")
  } else if (grepl("^<U[0-9]+$", descr)) {
    w <- as.integer(sub("<U", "", descr))
    r <- readBin(con, "integer", n * w, size = 4, endian = "little")
    v <- vapply(seq_len(n), function(j) {
      cp <- r[(j - 1) * w + seq_len(w)]; intToUtf8(cp[cp != 0])
    }, "")
  } else stop("dtype not handled: ", descr)
  if (length(shp) == 2) matrix(v, nrow = shp[1], ncol = shp[2], byrow = !fortran) else v
}
npz <- file.path(datadir, "wiod2013/wiot_2011.npz")
Z <- read_npy(npz, "Z"); Yw <- read_npy(npz, "Y")
kc <- read_npy(npz, "countries"); ic <- read_npy(npz, "industries")
stopifnot(dim(Z) == c(1435, 1435), dim(Yw) == c(1435, 205),
          length(kc) == 41, length(ic) == 35, is.double(Z), is.double(Yw))
o11 <- rowSums(Z) + rowSums(Yw)          # o = rowsums, as in the shared references
d11 <- load_tables_vectors(x = Z, y = Yw, k = kc, i = ic, o = o11)
t0 <- proc.time()
ww <- wwz(d11)
tw <- proc.time() - t0
cat(sprintf("\nwwz() on WIOD 2011 (1435 x 1435, 41 countries): elapsed %.2f s (user %.2f, system %.2f)\n",
            tw[["elapsed"]], tw[["user.self"]], tw[["sys.self"]]))
terms16 <- c("DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2",
             "RDV_INT", "RDV_FIN", "RDV_FIN2", "OVA_FIN", "MVA_FIN", "OVA_INT",
             "MVA_INT", "DDC_FIN", "DDC_INT", "ODC", "MDC")
tot <- rowsum(as.matrix(ww[, c(terms16, "texp")]), as.character(ww$Exporting_Country),
              reorder = FALSE)
tot <- data.frame(Exporting_Country = rownames(tot), tot, check.names = FALSE,
                  stringsAsFactors = FALSE)
stopifnot(identical(tot$Exporting_Country, kc))
write_full(tot, "wiot2011_wwz_country_totals_decompr680.csv")
cat("16 terms sum vs texp, max rel diff:",
    max(abs(rowSums(tot[, terms16]) - tot$texp) / tot$texp), "\n")
cref <- read.csv(file.path(datadir, "wiod2013/wiot2011_CHN_wwz_totals_decompr680.csv"))
chn <- unlist(tot[tot$Exporting_Country == "CHN", -1])
m <- match(cref$term, names(chn))
cat("CHN vs shared wiot2011_CHN_wwz_totals_decompr680.csv: terms compared",
    sum(!is.na(m)), ", max abs diff", max(abs(chn[m[!is.na(m)]] - cref$value[!is.na(m)])), "\n")
writeLines(sprintf("wwz_elapsed_seconds,%.2f\nwwz_user_seconds,%.2f\nR,%s\ndecompr,%s\nBLAS,%s",
                   tw[["elapsed"]], tw[["user.self"]], R.version.string,
                   packageVersion("decompr"), sessionInfo()$BLAS),
           file.path(outdir, "wiot2011_wwz_timing_decompr680.txt"))
