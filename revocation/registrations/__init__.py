"""What each part of the revocation floor plugs into the registries below: one module per
part (guards, listeners, workbench items, demo seeders), imported in RevocationConfig.ready()."""
