"""What drives D: panel threshold, mediation and moderation, grey relational analysis."""
