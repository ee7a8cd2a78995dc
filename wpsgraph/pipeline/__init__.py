"""The build pipeline: load → reason (then validation) → write, and the synthetic data generator for scale runs."""
