"""Forms of the review floor: the agency's and office's (`agency`), the experts' and group
leader's (`scoring`)."""
