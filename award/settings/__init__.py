"""Settings: base plus one module per environment; everything else comes from the environment."""
