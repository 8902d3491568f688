"""Regional disparity and dynamics."""
