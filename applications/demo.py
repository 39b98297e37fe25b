"""Demo applicants and applications in every state up to 复核, built through the services."""

import dataclasses
import datetime
import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template import engines
from django.utils import timezone
from PIL import Image, ImageDraw

from applications.eligibility import full_years_between
from applications.enums import ApplicationState, DocumentKind, Education, Gender, UnitSize
from applications.form_data import key_figure_years
from applications.models import Application, IndividualProfile, UnitProfile
from applications.models.application import OFFICE_RECHECK_PHASES
from applications.services import (
    application_accept,
    application_create,
    application_decline,
    application_recommend,
    application_reject,
    application_return,
    application_save_draft,
    application_submit,
    application_withdraw,
    declarations_accept,
    document_add,
    profile_save_individual,
    profile_save_unit,
)
from applications.services.common import county_coordinators
from applications.validators import id_number_check_char, uscc_check_char
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import County, Cycle, User

S = ApplicationState
# Targets that need the office's 复核, which happens once the cycle is in 初审 or 复核.
RECHECK_TARGETS = {S.ACCEPTED: "accept", S.RECHECK_FAILED: "reject"}


@dataclass(frozen=True)
class DemoApplicant:
    """One fictional applicant, the state its application is brought to, and what is said."""

    username: str
    display_name: str
    kind: str
    target: str
    county_code: str
    serial: int  # makes its 统一社会信用代码 or ID number unique and valid
    profile: dict = field(default_factory=dict)
    county_opinion: str = ""
    office_opinion: str = ""
    withdraw_reason: str = ""


def _opinions(extra: dict) -> dict:
    """Take the opinion keywords out of `extra`, leaving the profile fields."""
    names = ("county_opinion", "office_opinion", "withdraw_reason")
    return {name: extra.pop(name) for name in names if name in extra}


def _unit(username, name, target, serial, *, county="371302", **extra) -> DemoApplicant:
    opinions = _opinions(extra)
    profile = {
        "name": name,
        "legal_representative": "王建国",
        "founded_on": datetime.date(2009, 4, 16),
        "industry": "通用设备制造业",
        "address": "临沂市兰山区示例路88号",
        "contact_name": "李质量",
        "contact_phone": f"0539-81{serial:05d}",
        "size": UnitSize.MEDIUM,
        "is_new_field": False,
        "main_products": "工程机械液压件及配套零部件",
        **extra,
    }
    return DemoApplicant(
        username, name, ApplicantKind.UNIT, target, county, serial, profile, **opinions
    )


def _person(username, name, target, serial, *, county="371302", **extra) -> DemoApplicant:
    opinions = _opinions(extra)
    profile = {
        "name": name,
        "gender": Gender.MALE,
        "birth_date": datetime.date(1976, 5, 18),
        "education": Education.BACHELOR,
        "title": "高级工程师",
        "employer": "临沂示例机械制造有限公司（演示）",
        "position": "质量总监",
        "quality_work_since": datetime.date(2006, 7, 1),
        "contact_phone": f"1390000{serial:04d}",
        **extra,
    }
    return DemoApplicant(
        username,
        f"{name}（演示）",
        ApplicantKind.INDIVIDUAL,
        target,
        county,
        serial,
        profile,
        **opinions,
    )


DEMO_APPLICANTS = (
    # The two demo logins printed by award.demo: work in progress.
    _unit("unit_demo", "临沂示例机械制造有限公司（演示）", S.DRAFT, 1),
    _person("person_demo", "张质量", S.DRAFT, 2),
    # Waiting for 兰山区's 初审, and one for 河东区's.
    _unit(
        "demo_food",
        "临沂沂蒙山示例食品有限公司（演示）",
        S.SUBMITTED,
        11,
        founded_on=datetime.date(2012, 9, 3),
        industry="农副食品加工业",
        legal_representative="刘德厚",
        contact_name="孙品质",
        main_products="沂蒙山特色罐头、速冻食品",
        size=UnitSize.LARGE,
    ),
    _person(
        "demo_person_li",
        "李卓越",
        S.SUBMITTED,
        12,
        gender=Gender.FEMALE,
        birth_date=datetime.date(1982, 11, 2),
        education=Education.MASTER,
        employer="临沂沂蒙山示例食品有限公司（演示）",
        position="质量管理部部长",
        quality_work_since=datetime.date(2009, 3, 1),
    ),
    _unit(
        "demo_logistics",
        "临沂示例商贸物流股份有限公司（演示）",
        S.SUBMITTED,
        13,
        county="371312",
        founded_on=datetime.date(2010, 6, 18),
        industry="道路运输业",
        address="临沂市河东区示例大道66号",
        legal_representative="赵通达",
        main_products="商贸物流、仓储配送服务",
    ),
    _unit(
        "demo_building",
        "临沂示例新型建材有限公司（演示）",
        S.RETURNED,
        14,
        industry="非金属矿物制品业",
        legal_representative="钱稳固",
        main_products="新型墙体材料、预拌砂浆",
        county_opinion="请补充近3年纳税证明及ISO 9001质量管理体系认证证书扫描件后重新提交。",
    ),
    _unit(
        "demo_electronics",
        "临沂示例电子科技有限公司（演示）",
        S.RECOMMENDED,
        15,
        founded_on=datetime.date(2011, 3, 28),
        industry="计算机、通信和其他电子设备制造业",
        legal_representative="周精密",
        main_products="工业传感器、智能控制模块",
        county_opinion="该单位质量管理体系健全，近3年主要经济指标稳步增长，材料齐全真实，同意推荐。",
    ),
    _unit(
        "demo_textile",
        "临沂示例纺织有限公司（演示）",
        S.DECLINED,
        16,
        industry="纺织业",
        legal_representative="吴锦绣",
        main_products="棉纺纱线、家纺面料",
        county_opinion="经核查，该单位2024年发生一般质量事故1起，不符合第十条第（五）项，不予推荐。",
    ),
    _unit(
        "demo_energy",
        "临沂示例新能源科技有限公司（演示）",
        S.ACCEPTED,
        17,
        founded_on=datetime.date(2020, 8, 8),
        is_new_field=True,
        industry="电气机械和器材制造业",
        legal_representative="郑远航",
        size=UnitSize.SMALL,
        main_products="储能电池管理系统",
        county_opinion="属“四新”领域单位，创新能力突出，材料齐全，同意推荐。",
        office_opinion="复核通过，申报材料符合《临沂市市长质量奖评定办法》要求。",
    ),
    _person(
        "demo_person_chen",
        "陈精益",
        S.ACCEPTED,
        18,
        birth_date=datetime.date(1972, 1, 9),
        title="正高级工程师",
        employer="临沂示例电子科技有限公司（演示）",
        position="副总经理",
        quality_work_since=datetime.date(1998, 9, 1),
        county_opinion="长期从事质量管理工作，业绩突出，同意推荐。",
        office_opinion="复核通过。",
    ),
    _unit(
        "demo_wood",
        "临沂示例木业有限公司（演示）",
        S.RECHECK_FAILED,
        19,
        industry="木材加工和木、竹、藤、棕、草制品业",
        legal_representative="冯森林",
        main_products="生态板、多层实木复合板",
        county_opinion="材料齐全，同意推荐。",
        office_opinion="复核不通过：经核查，该单位近3年内有环境行政处罚记录，"
        "不符合第十条第（五）项。",
    ),
    _unit(
        "demo_farm",
        "临沂示例农业发展有限公司（演示）",
        S.WITHDRAWN,
        20,
        industry="农业",
        legal_representative="何青禾",
        main_products="有机蔬菜种植与配送",
        withdraw_reason="因企业经营计划调整，本届暂不参评，申请撤回。",
    ),
)


_BY_USERNAME = {spec.username: spec for spec in DEMO_APPLICANTS}


def _again(username: str, target: str, **opinions) -> DemoApplicant:
    """An applicant of the current call as they were in an earlier one."""
    return dataclasses.replace(_BY_USERNAME[username], target=target, **opinions)


# 第一届 (2024): every application was recommended and accepted, then went to expert review
# (the review floor's demo takes them on). Two of them were not awarded and apply again now.
FIRST_CYCLE_APPLICANTS = (
    _unit(
        "demo_steel",
        "临沂示例特钢科技有限公司（演示）",
        S.ACCEPTED,
        31,
        founded_on=datetime.date(2003, 5, 20),
        industry="黑色金属冶炼和压延加工业",
        legal_representative="韩百炼",
        size=UnitSize.LARGE,
        main_products="高端轴承钢、齿轮钢及精密锻件",
        county_opinion="该单位实施卓越绩效管理多年，经济和社会效益突出，同意推荐。",
        office_opinion="复核通过。",
    ),
    _unit(
        "demo_pharma",
        "临沂示例药业股份有限公司（演示）",
        S.ACCEPTED,
        32,
        founded_on=datetime.date(2006, 11, 11),
        industry="医药制造业",
        legal_representative="秦仁和",
        size=UnitSize.LARGE,
        main_products="中成药制剂、原料药",
        county_opinion="质量管理体系完善，产品质量稳定，同意推荐。",
        office_opinion="复核通过。",
    ),
    _again(
        "demo_electronics",
        S.ACCEPTED,
        county_opinion="材料齐全，同意推荐。",
        office_opinion="复核通过。",
    ),
    _unit(
        "demo_chemical",
        "临沂示例化工有限公司（演示）",
        S.ACCEPTED,
        34,
        founded_on=datetime.date(2005, 7, 7),
        industry="化学原料和化学制品制造业",
        legal_representative="袁合成",
        main_products="精细化工中间体",
        county_opinion="材料齐全，同意推荐。",
        office_opinion="复核通过。",
    ),
    _person(
        "demo_person_wang",
        "王匠心",
        S.ACCEPTED,
        36,
        birth_date=datetime.date(1970, 3, 12),
        title="正高级工程师",
        employer="临沂示例特钢科技有限公司（演示）",
        position="首席质量官",
        quality_work_since=datetime.date(1993, 7, 1),
        county_opinion="长期扎根质量一线，业绩突出，同意推荐。",
        office_opinion="复核通过。",
    ),
    _again(
        "demo_person_li",
        S.ACCEPTED,
        county_opinion="同意推荐。",
        office_opinion="复核通过。",
    ),
)

# Each demo cycle's applicants, by the cycle's number (award.demo builds 第一届 and 第二届).
CASTS = {1: FIRST_CYCLE_APPLICANTS, 2: DEMO_APPLICANTS}


# Identifiers ----------------------------------------------------------------------------


def demo_uscc(county_code: str, serial: int) -> str:
    """A valid, fictional 统一社会信用代码 (GB 32100-2015) registered in `county_code`."""
    body = f"91{county_code}MA3D{serial:05d}"
    return body + uscc_check_char(body)


def demo_id_number(county_code: str, birth: datetime.date, gender: str, serial: int) -> str:
    """A valid, fictional ID number (GB 11643-1999): odd 17th digit for men."""
    sequence = f"{serial % 100:02d}{1 if gender == Gender.MALE else 2}"
    body = f"{county_code}{birth:%Y%m%d}{sequence}"
    return body + id_number_check_char(body)


# Files ----------------------------------------------------------------------------------

DOCUMENT_TEMPLATE = """{% extends "pdf/base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<h1>{{ title }}</h1>
<p class="muted">{{ name }} · {{ cycle }} · 演示数据，内容虚构</p>
{% for heading, text in sections %}<h2>{{ heading }}</h2><p>{{ text }}</p>{% endfor %}
{% endblock %}"""

UNIT_SECTIONS = (
    ("一、领导", "高层领导确立“质量第一、诚信为本”的使命和愿景，每季度主持质量例会。"),
    ("二、战略", "围绕主营业务制定五年发展规划，质量目标分解到部门和岗位。"),
    ("三、顾客与市场", "建立顾客满意度测评机制，近3年顾客满意度保持在92分以上。"),
    ("四、资源", "近3年研发投入占营业收入比例不低于3%，建成市级技术中心。"),
    ("五、过程管理", "推行精益生产和全面质量管理，关键过程能力指数Cpk达到1.33以上。"),
    ("六、测量、分析与改进", "建立质量数据平台，开展QC小组活动，年均改进项目20项以上。"),
    ("七、结果", "近3年产品一次交验合格率99.6%以上，无重大质量、安全、环境事故。"),
)
PERSON_SECTIONS = (
    ("一、主要质量工作经历", "长期在本市从事质量管理工作，主持建立企业质量管理体系。"),
    ("二、主要业绩", "推动实施卓越绩效管理模式，带领团队完成质量改进项目30余项。"),
    ("三、示范作用", "培养质量管理骨干50余名，多次在全市质量工作交流会上介绍经验。"),
)


@functools.lru_cache(maxsize=32)
def _pdf_bytes(title: str, name: str, cycle_label: str, sections: tuple) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango

    html = (
        engines["django"]
        .from_string(DOCUMENT_TEMPLATE)
        .render({"title": title, "name": name, "cycle": cycle_label, "sections": sections})
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _pdf(title: str, name: str, cycle: Cycle, sections) -> SimpleUploadedFile:
    """A real, small PDF rendered by WeasyPrint in the house style of templates/pdf/."""
    data = _pdf_bytes(title, name, str(cycle), tuple(sections))
    return SimpleUploadedFile(f"{title}.pdf", data, content_type="application/pdf")


def _photo() -> SimpleUploadedFile:
    """A placeholder 一寸照: a grey silhouette on the usual blue background."""
    image = Image.new("RGB", (295, 413), (67, 142, 219))
    draw = ImageDraw.Draw(image)
    draw.ellipse((92, 70, 203, 200), fill=(225, 225, 225))
    draw.ellipse((40, 215, 255, 470), fill=(225, 225, 225))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("个人照片.png", buffer.getvalue(), content_type="image/png")


# Accounts and profiles ------------------------------------------------------------------


def _account(spec: DemoApplicant) -> User:
    from award.demo import set_demo_password  # late: award.demo runs this floor's seeder

    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "email": f"{spec.username}@demo.linyi.invalid",
            "display_name": spec.display_name,
            "applicant_kind": spec.kind,
            "mobile": f"138000{spec.serial:05d}",
        },
    )
    if created:
        set_demo_password(user)
    user.groups.add(Group.objects.get(name=Role.APPLICANT))
    user.__dict__.pop("role_codes", None)
    return user


def _ensure_profile(spec: DemoApplicant, user: User) -> None:
    county = County.objects.get(code=spec.county_code)
    if spec.kind == ApplicantKind.UNIT:
        if not UnitProfile.objects.filter(user=user).exists():
            profile_save_unit(
                by=user,
                county=county,
                uscc=demo_uscc(spec.county_code, spec.serial),
                **spec.profile,
            )
        return
    if not IndividualProfile.objects.filter(user=user).exists():
        fields = dict(spec.profile)
        fields["quality_work_years"] = full_years_between(
            fields["quality_work_since"], timezone.localdate()
        )
        profile_save_individual(
            by=user,
            county=county,
            id_number=demo_id_number(
                spec.county_code, fields["birth_date"], fields["gender"], spec.serial
            ),
            **fields,
        )


# Applications ---------------------------------------------------------------------------


def _unit_form(cycle: Cycle, serial: int) -> dict:
    base = Decimal(20000 + serial * 1500)
    figures = {}
    for step, year in enumerate(key_figure_years(cycle)):
        revenue = base * (Decimal("1.08") ** step)
        figures[str(year)] = {
            "revenue": f"{revenue:.2f}",
            "profit": f"{revenue * Decimal('0.07'):.2f}",
            "tax": f"{revenue * Decimal('0.045'):.2f}",
            "rd_spend": f"{revenue * Decimal('0.035'):.2f}",
            "exports": f"{revenue * Decimal('0.12'):.2f}",
        }
    return {
        "key_figures": figures,
        "certifications": "ISO 9001质量管理体系、ISO 14001环境管理体系、ISO 45001职业健康安全"
        "管理体系认证",
        "honours": "临沂市“专精特新”中小企业（演示）",
    }


PERSON_FORM = {
    "achievements": "主持推行卓越绩效管理模式，所在企业产品一次交验合格率由97.2%提升至99.6%；"
    "带领QC小组获山东省优秀质量管理小组成果2项。",
    "honours": "临沂市质量标兵（演示）",
    "contest_results": "全市质量技能大赛二等奖（演示）",
}


def _signer(user: User, kind: str) -> str:
    if kind == ApplicantKind.UNIT:
        return user.unit_profile.legal_representative
    return user.individual_profile.name


def _complete(spec: DemoApplicant, user: User, cycle: Cycle) -> Application:
    """A draft with the 申报表 filled, the documents uploaded and the 承诺书 signed."""
    application = application_create(cycle=cycle, by=user)
    is_unit = spec.kind == ApplicantKind.UNIT
    form = _unit_form(cycle, spec.serial) if is_unit else PERSON_FORM
    application_save_draft(application=application, by=user, form_data=form)
    title = "自我评价报告" if is_unit else "个人事迹材料"
    sections = UNIT_SECTIONS if is_unit else PERSON_SECTIONS
    document_add(
        application=application,
        by=user,
        kind=DocumentKind.SELF_ASSESSMENT,
        file=_pdf(title, application.name, cycle, sections),
    )
    if is_unit:
        document_add(
            application=application,
            by=user,
            kind=DocumentKind.EVIDENCE,
            title="ISO 9001质量管理体系认证证书",
            file=_pdf(
                "ISO 9001质量管理体系认证证书",
                application.name,
                cycle,
                (("认证范围", spec.profile["main_products"]),),
            ),
        )
    else:
        document_add(application=application, by=user, kind=DocumentKind.PHOTO, file=_photo())
    return declarations_accept(
        application=application, by=user, signed_name=_signer(user, spec.kind)
    )


def _work_in_progress(spec: DemoApplicant, user: User, cycle: Cycle) -> Application:
    """A partly filled draft, so the demo login shows what is still missing."""
    application = application_create(cycle=cycle, by=user)
    if spec.kind == ApplicantKind.UNIT:
        form = _unit_form(cycle, spec.serial)
        form.pop("honours")
        application_save_draft(application=application, by=user, form_data=form)
        document_add(
            application=application,
            by=user,
            kind=DocumentKind.SELF_ASSESSMENT,
            file=_pdf("自我评价报告", application.name, cycle, UNIT_SECTIONS),
        )
    else:
        form = {"achievements": PERSON_FORM["achievements"]}
        application_save_draft(application=application, by=user, form_data=form)
    return application


def _open_phase_steps(spec, user, cycle, coordinator) -> Application:
    """Create the application and take it as far towards its target as an open cycle allows."""
    if spec.target == S.DRAFT:
        return _work_in_progress(spec, user, cycle)
    application = application_submit(application=_complete(spec, user, cycle), by=user)
    if spec.target == S.SUBMITTED:
        return application
    if spec.target == S.WITHDRAWN:
        return application_withdraw(application=application, by=user, reason=spec.withdraw_reason)
    if coordinator is None:
        raise RuntimeError(f"county {spec.county_code} has no coordinator: run seed_accounts()")
    if spec.target == S.RETURNED:
        return application_return(
            application=application, by=coordinator, reason=spec.county_opinion
        )
    if spec.target == S.DECLINED:
        return application_decline(
            application=application, by=coordinator, reason=spec.county_opinion
        )
    return application_recommend(
        application=application, by=coordinator, opinion=spec.county_opinion
    )


def _recheck_step(spec, application, office) -> Application:
    if RECHECK_TARGETS[spec.target] == "accept":
        return application_accept(application=application, by=office, opinion=spec.office_opinion)
    return application_reject(application=application, by=office, reason=spec.office_opinion)


@transaction.atomic
def seed_applications(*, cycle: Cycle, office: User) -> list[Application]:
    """Demo applicants of both kinds and their applications in `cycle`, through the services.

    The cast depends on the cycle (CASTS). 第一届's applications are all accepted, for the
    review floor's demo to take on. In 第二届, the open call, they are taken to every state
    up to 复核: 草稿 (unit_demo and person_demo, partly filled), 已提报, 退回修改, 县区推荐,
    初审不推荐, 复核通过, 复核不通过 and 已撤回. 复核 is rolling, like 初审
    (第十四条第（三）项), so an open call has them all. County steps are taken by the county's
    coordinator (兰山区: county_lanshan, from award.demo.seed_accounts). Idempotent: an
    applicant that already has an application in the cycle is not given another. Returns the
    applications it created or moved, in order.
    """
    cycle = Cycle.objects.get(pk=cycle.pk)
    touched = []
    for spec in CASTS.get(cycle.number, ()):
        user = _account(spec)
        _ensure_profile(spec, user)
        application = Application.objects.filter(cycle=cycle, applicant=user).first()
        if application is None and cycle.accepts_applications:
            coordinator = (
                county_coordinators(County.objects.get(code=spec.county_code).pk)
                .order_by("pk")
                .first()
            )
            application = _open_phase_steps(spec, user, cycle, coordinator)
            touched.append(application)
        if (
            application is not None
            and spec.target in RECHECK_TARGETS
            and application.state == S.RECOMMENDED
            and cycle.phase in OFFICE_RECHECK_PHASES
        ):
            touched.append(_recheck_step(spec, application, office))
    touched += _finish_open_work(cycle, office)
    return touched


def _finish_open_work(cycle: Cycle, office: User) -> list[Application]:
    """A cycle the demo plays on (seed_demo --until) leaves no 初审 or 复核 behind it: each
    county recommends what waits for it, then the office accepts what its counties sent."""
    from award.demo import is_resting  # late: award.demo runs this floor's seeder

    if is_resting(cycle) or cycle.phase not in (CyclePhase.PRELIMINARY, CyclePhase.RECHECK):
        return []
    touched = []
    waiting = S.SUBMITTED if cycle.phase == CyclePhase.PRELIMINARY else S.RECOMMENDED
    for application in Application.objects.filter(cycle=cycle, state=waiting).order_by("pk"):
        if waiting == S.SUBMITTED:
            coordinator = county_coordinators(application.county_id).order_by("pk").first()
            touched.append(
                application_recommend(
                    application=application,
                    by=coordinator,
                    opinion="材料齐全，符合第十条规定的申报条件，同意推荐。",
                )
            )
        else:
            touched.append(
                application_accept(
                    application=application, by=office, opinion="复核通过，材料真实完整。"
                )
            )
    return touched
