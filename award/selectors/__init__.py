"""Read queries shared by pages, one module per subject."""
