"""Reference data of the revocation floor: the grounds of 第二十三条 (units, 10 items) and
第二十四条 (individuals, 9 items) of 临政发〔2024〕8号, as data tied to the rulebook so that a
new regulation brings its own list. Kept present after a flush by a post_migrate handler."""

from award.enums import ApplicantKind

RULEBOOK_DOCUMENT = "临政发〔2024〕8号"

UNIT_GROUNDS = (
    "弄虚作假，采取不正当手段骗取市长质量奖的",
    "发生重大质量、生产安全、环境污染、公共卫生等责任事故的",
    "产品质量不稳定，单位产品连续3次以上经市级以上质量监督抽查判定为不合格的",
    "工程质量或者服务质量发生重大问题的",
    "出口产品因质量问题被国外通报或者索赔，造成国家形象和产品信誉受到较大损害的",
    "提供的商品或者服务被依法判定存在欺诈消费者行为的",
    "拒不履行本办法第六章规定的责任和义务，产生严重不良影响的",
    "发生严重失信行为，被依法列入严重违法失信名单的",
    "主体被注销或者主体重组、被收购发生本质性变化，导致市长质量奖难以存续或者将产生严重不良影响的",
    "发生其他严重违反法律法规行为应当撤销奖励的",
)
INDIVIDUAL_GROUNDS = (
    "弄虚作假、伪造事实，采取不正当手段骗取市长质量奖的",
    "发生严重违纪违法行为，被依法查处追究刑事责任的",
    "因个人履职不到位导致所在单位发生重大质量、生产、安全或者环境污染、公共卫生等事故的",
    "抄袭、剽窃他人研究或者技术成果的",
    "违反职业道德和社会规范，被媒体曝光并造成恶劣影响的",
    "利用获评证书、奖牌从事营利性活动，谋取非法利益的",
    "拒不履行本办法第六章规定的责任和义务，产生严重不良影响的",
    "发生严重失信行为，被依法列入严重违法失信名单的",
    "发生其他严重违反法律法规行为应当撤销奖励的",
)
GROUNDS = {
    (ApplicantKind.UNIT, "第二十三条"): UNIT_GROUNDS,
    (ApplicantKind.INDIVIDUAL, "第二十四条"): INDIVIDUAL_GROUNDS,
}
# The item a refusal of 第十八条's obligations falls under, per kind (第（七）项 in both).
OBLIGATION_ITEM = 7


def ensure_grounds(*, ground_model=None, rulebook_model=None) -> None:
    """Create the 2024 rulebook's grounds if it has none; never touch edited ones."""
    if ground_model is None:
        from award.models import Rulebook
        from revocation.models import Ground

        ground_model, rulebook_model = Ground, Rulebook
    rulebook = rulebook_model.objects.filter(document_number=RULEBOOK_DOCUMENT).first()
    if rulebook is None or ground_model.objects.filter(rulebook=rulebook).exists():
        return
    ground_model.objects.bulk_create(
        ground_model(rulebook=rulebook, kind=kind, article=article, item=item, text=text)
        for (kind, article), texts in GROUNDS.items()
        for item, text in enumerate(texts, start=1)
    )


def on_post_migrate(sender, **kwargs) -> None:
    if sender.name == "revocation":
        ensure_grounds()
