"""Every URL of the review floor: the agency's, office's and report pages, the experts'
and the group leader's."""

from django.urls import path

from review.views.application import (
    ApplicationReviewView,
    CheckEvidenceView,
    CheckRecordView,
    ReviewCompleteView,
    ReviewStartView,
)
from review.views.board import AgencyHomeView, ReviewBoardView
from review.views.dashboard import ReviewDashboardView
from review.views.expert import (
    ConflictDeclareView,
    ExpertApplicationView,
    ExpertTaskListView,
    ScoreSaveView,
    ScoreSheetView,
    StageSubmitView,
)
from review.views.experts import ExpertCreateView, ExpertListView, ExpertUpdateView
from review.views.group_leader import (
    ConsensusSaveView,
    ConsensusView,
    ScoreCorrectView,
    SiteVisitView,
    StageSignView,
)
from review.views.groups import (
    AssignmentRemoveView,
    AssignView,
    AutoAssignResultView,
    AutoAssignView,
    ExclusionListView,
    GroupCreateView,
    GroupListView,
    PlanView,
)
from review.views.office import (
    CriteriaSetCopyView,
    CriteriaSetDetailView,
    CriteriaSetListView,
    CriterionUpdateView,
    ExpertDisqualifyView,
    OverviewIndexView,
    OverviewView,
)
from review.views.report import (
    ApplicationReportView,
    CycleReportPdfView,
    CycleReportView,
    CycleReportXlsxView,
)

app_name = "review"

urlpatterns = [
    # The agency's pages (第八条)
    path("agency/", AgencyHomeView.as_view(), name="agency_applications"),
    path("experts/", ExpertListView.as_view(), name="expert_list"),
    path("experts/new/", ExpertCreateView.as_view(), name="expert_create"),
    path("experts/<int:pk>/edit/", ExpertUpdateView.as_view(), name="expert_update"),
    path("cycles/<int:cycle>/plan/", PlanView.as_view(), name="plan"),
    path("cycles/<int:cycle>/groups/", GroupListView.as_view(), name="group_list"),
    path("cycles/<int:cycle>/groups/new/", GroupCreateView.as_view(), name="group_create"),
    path("cycles/<int:cycle>/assign/", AssignView.as_view(), name="assign"),
    path("cycles/<int:cycle>/assign/auto/", AutoAssignView.as_view(), name="auto_assign"),
    path(
        "cycles/<int:cycle>/assign/auto/result/",
        AutoAssignResultView.as_view(),
        name="auto_assign_result",
    ),
    path(
        "cycles/<int:cycle>/assignments/<int:pk>/remove/",
        AssignmentRemoveView.as_view(),
        name="assignment_remove",
    ),
    path("cycles/<int:cycle>/exclusions/", ExclusionListView.as_view(), name="exclusion_list"),
    path("cycles/<int:cycle>/applications/", ReviewBoardView.as_view(), name="board"),
    path("cycles/<int:cycle>/dashboard/", ReviewDashboardView.as_view(), name="dashboard"),
    path("applications/<int:pk>/", ApplicationReviewView.as_view(), name="application"),
    path(
        "applications/<int:pk>/checks/<slug:stage>/evidence/",
        CheckEvidenceView.as_view(),
        name="check_evidence",
    ),
    path(
        "applications/<int:pk>/checks/<slug:stage>/<slug:outcome>/",
        CheckRecordView.as_view(),
        name="check_record",
    ),
    path("applications/<int:pk>/start/", ReviewStartView.as_view(), name="start"),
    path("applications/<int:pk>/complete/", ReviewCompleteView.as_view(), name="complete"),
    # The office's pages (第七条)
    path("office/", OverviewIndexView.as_view(), name="office_overview_index"),
    path("office/cycles/<int:cycle>/", OverviewView.as_view(), name="office_overview"),
    path("experts/<int:pk>/disqualify/", ExpertDisqualifyView.as_view(), name="expert_disqualify"),
    path("office/criteria/", CriteriaSetListView.as_view(), name="criteria_list"),
    path("office/criteria/<int:pk>/", CriteriaSetDetailView.as_view(), name="criteria_detail"),
    path("office/criteria/<int:pk>/copy/", CriteriaSetCopyView.as_view(), name="criteria_copy"),
    path("office/criteria/items/<int:pk>/", CriterionUpdateView.as_view(), name="criterion_update"),
    # 情况报告
    path("cycles/<int:cycle>/report/", CycleReportView.as_view(), name="cycle_report"),
    path("cycles/<int:cycle>/report.xlsx", CycleReportXlsxView.as_view(), name="cycle_report_xlsx"),
    path("cycles/<int:cycle>/report.pdf", CycleReportPdfView.as_view(), name="cycle_report_pdf"),
    path(
        "applications/<int:pk>/report/",
        ApplicationReportView.as_view(),
        name="application_report",
    ),
    # The experts' pages
    path("expert/", ExpertTaskListView.as_view(), name="expert_tasks"),
    path("expert/<int:pk>/", ExpertApplicationView.as_view(), name="expert_application"),
    path("expert/<int:pk>/declare/", ConflictDeclareView.as_view(), name="expert_declare"),
    path("expert/<int:pk>/<slug:stage>/", ScoreSheetView.as_view(), name="expert_scoring"),
    path(
        "expert/<int:pk>/<slug:stage>/items/<int:criterion>/",
        ScoreSaveView.as_view(),
        name="expert_score_save",
    ),
    path(
        "expert/<int:pk>/<slug:stage>/submit/",
        StageSubmitView.as_view(),
        name="expert_stage_submit",
    ),
    # The group leader's pages (组长)
    path(
        "group-leader/<int:pk>/<slug:stage>/",
        ConsensusView.as_view(),
        name="group_leader_consensus",
    ),
    path(
        "group-leader/<int:pk>/<slug:stage>/items/<int:criterion>/",
        ConsensusSaveView.as_view(),
        name="group_leader_consensus_save",
    ),
    path(
        "group-leader/<int:pk>/<slug:stage>/site-visit/",
        SiteVisitView.as_view(),
        name="group_leader_site_visit",
    ),
    path(
        "group-leader/<int:pk>/<slug:stage>/sign/",
        StageSignView.as_view(),
        name="group_leader_sign",
    ),
    path(
        "group-leader/<int:pk>/<slug:stage>/correct/",
        ScoreCorrectView.as_view(),
        name="group_leader_correct",
    ),
]
