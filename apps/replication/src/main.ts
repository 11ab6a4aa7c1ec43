// Entry point of the replication service: wiring only.
