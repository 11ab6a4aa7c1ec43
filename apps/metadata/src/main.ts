// Entry point of the metadata service: wiring only.
