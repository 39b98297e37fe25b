"""Pages of the review floor, one module per what they serve: the agency's (`experts`,
`groups`, `board`, `application`), the office's (`office`), the report (`report`), the
experts' (`expert`) and the group leader's (`group_leader`); their URLs in review/urls.py."""
