// Entry point of the broker service: wiring only.
