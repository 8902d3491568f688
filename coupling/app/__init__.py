"""The application: command line, demo and report."""
