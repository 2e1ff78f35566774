"""Measuring the product: question sets (`qa eval`), SQuAD-format retrieval (`qa bench squad`), setting sweeps
(`qa bench sweep`), speed (`qa bench speed`). Each runs the product's own ``Assistant`` with settings changed;
metrics come from ``qa.evaluation.metrics`` only."""
