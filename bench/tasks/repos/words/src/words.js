// Word statistics.
