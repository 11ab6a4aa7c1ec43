// Entry point of the router service: wiring only.
