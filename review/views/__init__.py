"""Pages of the review floor: agency, office and report pages here; expert and leader pages."""
