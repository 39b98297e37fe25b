"""Forms of the ground floor, one module per area."""
