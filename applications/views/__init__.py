"""Pages of the applications floor, one module per audience."""
