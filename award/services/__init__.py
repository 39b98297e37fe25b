"""Write-side business actions of the ground floor, one module per behaviour."""
