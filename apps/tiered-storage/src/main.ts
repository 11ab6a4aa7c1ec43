// Entry point of the tiered-storage service: wiring only.
