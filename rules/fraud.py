"""Fraud rules: each one a scam marker turned into a weighted vote for the fraud flag.

The weights and the threshold live in `rulebook.yaml` (a SpamAssassin-style
score): a strong marker reaches the threshold alone, a weak one needs company.
Markers that an existing customer can legitimately trip (a visa letter, a big
order, a trip to sign) abstain when the buyer has order or visit history; a
bank-detail change never does, because spoofing a real customer is the scam.
"""

from __future__ import annotations

import numpy as np

from rules.registry import RuleInputs, rule


@rule(
    "FRAUD_LOGIN_LINK",
    kind="fraud_flag",
    stage="fraud",
    en="Link to a login page to 'view the inquiry' on a site that is neither the sender's nor a known marketplace",
    zh="要求点击链接登录查看询盘,链接域名既非发件人也非已知平台(盗号钓鱼)",
    domain="links that lead to a login page to \"view the inquiry\" (account phishing)",
    reads=("scam_login_link",),
)
def fraud_login_link(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_login_link") > 0


@rule(
    "FRAUD_URL_SHORTENER",
    kind="fraud_flag",
    stage="fraud",
    en="Shortened link hiding where it leads",
    zh="使用短链接隐藏真实地址",
    domain="links that lead to a login page to \"view the inquiry\"",
    reads=("scam_url_shortener",),
)
def fraud_url_shortener(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_url_shortener") > 0


@rule(
    "FRAUD_DANGEROUS_ATTACHMENT",
    kind="fraud_flag",
    stage="fraud",
    en="Dangerous attachment (executable, script, web page, disk image or order-named archive)",
    zh="可疑附件(可执行文件、脚本、网页、镜像或以订单/发票命名的压缩包)",
    domain="suspicious attachments",
    reads=("scam_dangerous_attachment",),
)
def fraud_dangerous_attachment(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_dangerous_attachment") > 0


@rule(
    "FRAUD_INVITATION_VISA",
    kind="fraud_flag",
    stage="fraud",
    en="Asks for an invitation letter or visa help without any trade history",
    zh="无交易记录却索要邀请函或签证协助",
    domain="asks for an invitation letter / visa help",
    reads=("scam_invitation_visa", "hist_prior_orders", "hist_sample_orders", "hist_visited_factory"),
    evidence_from=("scam_invitation_visa",),
)
def fraud_invitation_visa(inputs: RuleInputs) -> np.ndarray:
    return (inputs.signal("scam_invitation_visa") > 0) & ~inputs.has_history()


@rule(
    "FRAUD_URGENT_TRAVEL",
    kind="fraud_flag",
    stage="fraud",
    en="Urges the seller to fly over and sign at once",
    zh="催促我方立即赴对方公司面谈签约",
    domain="urges the seller to fly over and sign at once (\"millions lost every minute\")",
    reads=("scam_urgent_travel", "hist_prior_orders", "hist_sample_orders", "hist_visited_factory"),
    evidence_from=("scam_urgent_travel",),
)
def fraud_urgent_travel(inputs: RuleInputs) -> np.ndarray:
    return (inputs.signal("scam_urgent_travel") > 0) & ~inputs.has_history()


@rule(
    "FRAUD_HUGE_ORDER",
    kind="fraud_flag",
    stage="fraud",
    en="Very large order before knowing anything about the products",
    zh="未详细了解产品即下巨额订单",
    domain="a very large order before the buyer knows anything about the products",
    reads=("scam_huge_order_no_knowledge", "hist_prior_orders", "hist_sample_orders", "hist_visited_factory"),
    evidence_from=("scam_huge_order_no_knowledge",),
)
def fraud_huge_order(inputs: RuleInputs) -> np.ndarray:
    return (inputs.signal("scam_huge_order_no_knowledge") > 0) & ~inputs.has_history()


@rule(
    "FRAUD_ABSURD_UNITS",
    kind="fraud_flag",
    stage="fraud",
    en="Quantity unit that makes no sense for the product (e.g. per kilo for chairs)",
    zh="计量单位与产品不符(如按公斤询问椅子价格)",
    domain="units that make no sense for the product (price per kilo for chairs)",
    reads=("scam_absurd_units",),
)
def fraud_absurd_units(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_absurd_units") > 0


@rule(
    "FRAUD_FREE_SAMPLES",
    kind="fraud_flag",
    stage="fraud",
    en="Demands free samples of many or all products by courier",
    zh="一开始就索要大量/全部产品的免费样品并要求快递",
    domain="wants many samples at once; free-sample hunters",
    reads=("scam_free_samples", "hist_prior_orders", "hist_sample_orders", "hist_visited_factory"),
    evidence_from=("scam_free_samples",),
)
def fraud_free_samples(inputs: RuleInputs) -> np.ndarray:
    return (inputs.signal("scam_free_samples") > 0) & ~inputs.has_history()


@rule(
    "FRAUD_ADVANCE_FEE",
    kind="fraud_flag",
    stage="fraud",
    en="Asks for a fee in advance (registration, processing, directory listing, stamp duty)",
    zh="要求预付费用(注册费、手续费、名录登记费、印花税等)",
    domain="fees in advance",
    reads=("scam_advance_fee",),
)
def fraud_advance_fee(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_advance_fee") > 0


@rule(
    "FRAUD_BANK_CHANGE",
    kind="fraud_flag",
    stage="fraud",
    en="Asks to change bank details or pay into a new account",
    zh="要求更改收款银行信息或汇入新账户",
    domain="requests to change bank details",
    reads=("scam_bank_change",),
)
def fraud_bank_change(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_bank_change") > 0


@rule(
    "FRAUD_BUSINESS_PROPOSAL",
    kind="fraud_flag",
    stage="fraud",
    en="Business-proposal / investment / fund pitch instead of a purchase",
    zh="以商业提案、投资、基金、受益人为名的诈骗信",
    domain="a self-declared big company that leaves no trace",
    reads=("scam_business_proposal",),
)
def fraud_business_proposal(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_business_proposal") > 0


@rule(
    "FRAUD_TEMPLATE_POLISH",
    kind="fraud_flag",
    stage="fraud",
    en="Over-polished template wording",
    zh="格式过于工整、模板化措辞",
    domain="over-polished, template-perfect formatting (real inquiries are informal)",
    reads=("scam_template_polish",),
)
def fraud_template_polish(inputs: RuleInputs) -> np.ndarray:
    # The score itself (0..1) is the strength: a faint polish adds little.
    score = inputs.signal("scam_template_polish")
    return np.where(score >= inputs.param("template_polish_min"), score, 0.0)


@rule(
    "FRAUD_THIN_IDENTITY",
    kind="fraud_flag",
    stage="fraud",
    en="No company and no phone behind a free-mail or masked sender",
    zh="无公司名、无电话,使用免费邮箱或无邮箱(身份不可查)",
    domain="a self-declared big company that leaves no trace, or only bad ones",
    reads=("contact_has_company", "contact_has_phone", "contact_freemail", "contact_corporate_domain"),
    evidence_from=(),
)
def fraud_thin_identity(inputs: RuleInputs) -> np.ndarray:
    no_trace = (inputs.signal("contact_has_company") == 0) & (inputs.signal("contact_has_phone") == 0)
    return no_trace & (inputs.signal("contact_corporate_domain") == 0)


@rule(
    "FRAUD_COUNTRY_PENALTY",
    kind="fraud_flag",
    stage="fraud",
    en="Buyer's country is on the profile's penalised list (off unless configured)",
    zh="买家所在国家在公司设定的高风险名单中(默认关闭)",
    domain="A country-based penalty is a configurable rule, off by default",
    reads=(),
    evidence_from=("inquiries.country_code",),
)
def fraud_country_penalty(inputs: RuleInputs) -> np.ndarray:
    penalised = {str(code).strip().upper() for code in (inputs.settings.get("fraud") or {}).get("penalised_countries") or []}
    if not penalised:
        return np.zeros(len(inputs.signals))
    if inputs.inquiries is None or "country_code" not in inputs.inquiries.columns:
        raise ValueError("penalised_countries is set but no inquiries with a country_code column were given")
    codes = inputs.inquiries["country_code"].reindex(inputs.signals.index)
    return codes.map(lambda code: isinstance(code, str) and code.upper() in penalised).to_numpy(dtype=bool)
