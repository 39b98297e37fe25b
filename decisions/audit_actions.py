"""The audit actions the decisions floor writes, in Chinese; one block per part of the floor."""

from award.audit_labels import register_actions

# Candidate list and deliberation (候选名单、领导小组审议).
register_actions({})

# 公示 and objections.
register_actions({})

# Approval, 公布, honours and rewards.
register_actions({})

# Feedback reports and batch files.
register_actions({})
