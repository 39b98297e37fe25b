"""The applications floor: applicant profiles, applications, documents, 初审 and 复核."""
