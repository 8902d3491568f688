"""Reference matrices from pymrio 0.7.0 (IndEcol/pymrio, GPL-3) on its bundled test MRIO.

Regenerate (from the repository root; a throw-away virtualenv outside the repo):
    python3 -m venv /tmp/pymrio_venv
    /tmp/pymrio_venv/bin/pip install pymrio==0.7.0
    /tmp/pymrio_venv/bin/python tests/coupling/inputoutput/reference/pymrio_reference.py

Writes, next to this script, with float_format %.17g, the numbers pymrio computes (its
test MRIO itself, Z and Y, stays in pymrio: the tests rebuild the flows as Z = A xhat and
final demand as x - Z 1):
    pymrio_test_x.csv  gross output x (48 x 1, column "indout")
    pymrio_test_A.csv  technical coefficients A = Z xhat^-1
    pymrio_test_L.csv  Leontief inverse L = (I - A)^-1
    pymrio_test_B.csv  allocation coefficients B = xhat^-1 Z (pymrio calc_B)
    pymrio_test_G.csv  Ghosh inverse G as pymrio computes it (calc_G(B) = (I - B)^-1)
Rows: two label columns "region","sector"; columns: "<region>:<sector>".

Note: pymrio's calc_all() computes B and G only with include_ghosh=True (the default
include_ghosh=False leaves mrio.B and mrio.G as None); this script checks and uses that.
"""

import os
import sys

import numpy as np
import pandas as pd

outdir = os.path.dirname(os.path.abspath(__file__))


def flat(cols):
    return [":".join(map(str, c)) for c in cols]


def write(df, name):
    df = df.copy()
    if isinstance(df.columns, pd.MultiIndex):
        df.columns = flat(df.columns)
    df.index = df.index.set_names(["region", "sector"])
    df.to_csv(os.path.join(outdir, name), float_format="%.17g")
    print(f"wrote {name} {df.shape}")


def main() -> None:
    import pymrio

    assert pymrio.__version__ == "0.7.0", pymrio.__version__
    # default calc_all(): no Ghosh
    m0 = pymrio.load_test().calc_all()
    print("calc_all() default: G is None:", m0.G is None, "; B is None:", m0.B is None)

    mrio = pymrio.load_test().calc_all(include_ghosh=True)
    Z, Y, x, A, L, B, G = mrio.Z, mrio.Y, mrio.x, mrio.A, mrio.L, mrio.B, mrio.G
    assert np.array_equal(A.to_numpy(), m0.A.to_numpy())
    assert np.array_equal(L.to_numpy(), m0.L.to_numpy())
    print("shapes: Z", Z.shape, "Y", Y.shape, "x", x.shape)

    # independent checks (numpy) of what pymrio computed
    z, y, xv = Z.to_numpy(), Y.to_numpy(), x.to_numpy().ravel()
    n = len(xv)
    eye = np.eye(n)
    print("min x:", xv.min(), "; zero outputs:", int((xv == 0).sum()))
    print("max |x - (Z 1 + Y 1)|       =", np.abs(xv - z.sum(1) - y.sum(1)).max())
    print("max |A - Z xhat^-1|         =", np.abs(A.to_numpy() - z / xv[None, :]).max())
    inverse = np.linalg.inv(eye - A.to_numpy())
    print("max |L - inv(I - A)|        =", np.abs(L.to_numpy() - inverse).max())
    print("max |B - xhat^-1 Z|         =", np.abs(B.to_numpy() - z / xv[:, None]).max())
    Gb = np.linalg.inv(eye - z / xv[:, None])
    Gl = (1 / xv)[:, None] * L.to_numpy() * xv[None, :]
    print("max |G - inv(I - B)|        =", np.abs(G.to_numpy() - Gb).max())
    print(
        "max |G - xhat^-1 L xhat|    =",
        np.abs(G.to_numpy() - Gl).max(),
        "(rel",
        (np.abs(G.to_numpy() - Gl) / np.abs(Gl).max()).max(),
        ")",
    )
    Galt = pymrio.calc_G(B, L=L, x=x)
    print("max |calc_G(B) - calc_G(B, L=L, x=x)| =", np.abs(G.to_numpy() - Galt.to_numpy()).max())
    print("max |G - inv(I - A)^T| (a wrong Ghosh) =", np.abs(G.to_numpy() - inverse.T).max())

    write(x, "pymrio_test_x.csv")
    write(A, "pymrio_test_A.csv")
    write(L, "pymrio_test_L.csv")
    write(B, "pymrio_test_B.csv")
    write(G, "pymrio_test_G.csv")
    print("python", sys.version.split()[0], "numpy", np.__version__, "pandas", pd.__version__)


if __name__ == "__main__":
    main()
