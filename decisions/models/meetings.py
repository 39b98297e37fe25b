"""The leading group's deliberation (审议): meetings, ballots, counts, seats and resolutions.

第四条 caps each category at the rulebook's number per cycle. The cap lives in the database:
a cycle has exactly that many `Seat` rows per category, and a resolution that proposes a
candidate must hold a seat of its own (one-to-one), so a ninth can never be saved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from award.enums import AwardCategory
from award.models.choices import CachedChoiceLabelsMixin
from decisions.enums import MeetingState, VoteChoice


class Meeting(CachedChoiceLabelsMixin, models.Model):
    cycle = models.ForeignKey(
        "award.Cycle", verbose_name=_("评选届次"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100)
    secret_ballot = models.BooleanField(
        _("无记名投票"), default=False, help_text=_("无记名投票只保留票数，不记录谁投了什么票。")
    )
    members_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出席成员"),
        related_name="meetings_attended",
    )
    member_count = models.PositiveSmallIntegerField(_("领导小组成员总数"))
    quorum = models.PositiveSmallIntegerField(_("法定出席人数"))
    state = models.CharField(
        _("状态"), max_length=10, choices=MeetingState.choices, default=MeetingState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("召集人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("领导小组审议会议")
        verbose_name_plural = _("领导小组审议会议")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(state=MeetingState.OPEN),
                name="one_open_meeting_per_cycle",
                violation_error_message=_("本届已有一次正在进行的审议会议。"),
            )
        ]

    def __str__(self):
        return str(_("%(date)s审议会议") % {"date": self.held_on})


class Ballot(models.Model):
    """That a member present has voted at the meeting (one ballot covers every candidate)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("审议会议"), on_delete=models.CASCADE, related_name="ballots"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投票成员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("投票时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="one_ballot_per_member_per_meeting",
                violation_error_message=_("您已在本次会议投过票，不能重复投票。"),
            )
        ]

    def __str__(self):
        return str(_("%(member)s的选票") % {"member": self.member})


class BallotChoice(CachedChoiceLabelsMixin, models.Model):
    """Who voted what on one candidate; kept only when the vote is not secret."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("选票"), on_delete=models.CASCADE, related_name="choices"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("候选对象"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("表决意见"), max_length=12, choices=VoteChoice.choices)

    class Meta:
        verbose_name = _("表决意见")
        verbose_name_plural = _("表决意见")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "application"], name="one_choice_per_candidate_per_ballot"
            )
        ]

    def __str__(self):
        return self.get_choice_display()


class Tally(CachedChoiceLabelsMixin, models.Model):
    """The count of one choice for one candidate at one meeting (kept for every vote)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("审议会议"), on_delete=models.CASCADE, related_name="tallies"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("候选对象"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("表决意见"), max_length=12, choices=VoteChoice.choices)
    count = models.PositiveSmallIntegerField(_("票数"), default=0)

    class Meta:
        verbose_name = _("计票")
        verbose_name_plural = _("计票")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application", "choice"], name="one_count_per_choice"
            )
        ]

    def __str__(self):
        return f"{self.get_choice_display()} {self.count}"


class Seat(CachedChoiceLabelsMixin, models.Model):
    """One of a category's places in a cycle (第四条): the rulebook's number per category."""

    cycle = models.ForeignKey(
        "award.Cycle", verbose_name=_("评选届次"), on_delete=models.PROTECT, related_name="seats"
    )
    category = models.CharField(_("奖项类别"), max_length=12, choices=AwardCategory.choices)
    number = models.PositiveSmallIntegerField(_("名额序号"))

    class Meta:
        verbose_name = _("获评名额")
        verbose_name_plural = _("获评名额")
        ordering = ["cycle", "category", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "category", "number"], name="one_seat_per_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="seat_number_from_one"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.number}"


class Resolution(CachedChoiceLabelsMixin, models.Model):
    """The leading group's resolution on one candidate, recorded by the office from the counts."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("审议会议"), on_delete=models.PROTECT, related_name="resolutions"
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("候选对象"),
        on_delete=models.PROTECT,
        related_name="resolution",
    )
    outcome = models.CharField(_("审议结果"), max_length=12, choices=VoteChoice.choices)
    seat = models.OneToOneField(
        Seat,
        verbose_name=_("获评名额"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolution",
    )
    counts = models.JSONField(_("票数"), default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审议决议")
        verbose_name_plural = _("审议决议")
        constraints = [
            # A winner holds a seat; a candidate passed over holds none.
            models.CheckConstraint(
                condition=(Q(outcome=VoteChoice.NONE) & Q(seat__isnull=True))
                | (~Q(outcome=VoteChoice.NONE) & Q(seat__isnull=False)),
                name="seat_iff_selected",
            )
        ]

    def __str__(self):
        return f"{self.application} {self.get_outcome_display()}"
