"""Where effects differ: geodetector, geographically (and temporally) weighted regression."""
