"""The review floor: third-party agency, experts, conflicts, groups, criteria, scores, stages."""
