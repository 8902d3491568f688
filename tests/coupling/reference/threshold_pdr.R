# Hansen's own algorithm, as ported to R in pdR 1.9.3 (ptm(), Ho Tsung-wu, GPL >= 2), on
# Hansen's investment panel: the second reference of tests/coupling/drivers/test_threshold.py.
# pdR's code is not part of this repository: fetch the package source (CRAN, or the GitHub
# mirror cran/pdR at version 1.9.3), extract R/ptm.R beside this script, then run
#   Rscript threshold_pdr.R > threshold_pdr.out
# No bootstrap (one draw); the printed thresholds are stored in threshold_pdr.txt.
source("ptm.R")
dat <- read.csv("../../../../shared/data/hansen1999/hansen1999.csv")
dat <- dat[order(dat$id, dat$year),]
n <- length(unique(dat$id)); t <- length(unique(dat$year))
pdf(NULL)
out <- ptm(as.matrix(dat$i), as.matrix(dat$c1), as.matrix(dat[,c("q1","q2","q3","d1","qd1")]), as.matrix(dat$d1),
           c(1,1,1), c(0.01,0.01,0.01), 400, 0.95, t, n)
