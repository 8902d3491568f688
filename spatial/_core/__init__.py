"""Private helpers shared by :mod:`spatial` and :mod:`coupling`."""
