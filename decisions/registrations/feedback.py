"""What the feedback part of the decisions floor plugs into the registries of the floors below:
guards, listeners, workbench items, demo seeders."""
