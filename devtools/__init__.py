"""Developer tooling outside the runtime package: benchmark, corpus generator, quality evaluations."""
