"""The deployments of this repository, built with constructs_lib."""
