"""The salary simulator: the questions it reads, its API, its page and its chart."""
