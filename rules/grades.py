"""Grade rules: history overrides, not-a-buyer overrides and the grade 2 / 3 / 4 criteria.

Each rule votes for the grade of its stage; which stage wins is stated in
`rulebook.yaml` (`precedence`), not here. Thresholds come from its `params`.
"""

from __future__ import annotations

import numpy as np

from rules.registry import RuleInputs, rule

# -- grade 1 by history (override) -----------------------------------------


@rule(
    "HISTORY_ORDER",
    kind="override",
    stage="history",
    en="Buyer has placed a formal order before",
    zh="已下过正式订单",
    domain="1. Closed / near-closed: placed a formal or sample order",
    reads=("hist_prior_orders",),
)
def history_order(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("hist_prior_orders") > 0


@rule(
    "HISTORY_SAMPLE_ORDER",
    kind="override",
    stage="history",
    en="Buyer has placed a paid sample order before",
    zh="已下过样品单",
    domain="1. Closed / near-closed: placed a formal or sample order",
    reads=("hist_sample_orders",),
)
def history_sample_order(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("hist_sample_orders") > 0


@rule(
    "HISTORY_VISIT",
    kind="override",
    stage="history",
    en="Buyer has visited the seller in person",
    zh="客户曾来我公司参观",
    domain="visited the seller in person",
    reads=("hist_visited_factory",),
)
def history_visit(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("hist_visited_factory") > 0


# -- not a buyer (override to grade 4, not fraud) --------------------------


@rule(
    "NOT_A_BUYER_VENDOR",
    kind="override",
    stage="not_a_buyer",
    en="Service vendor, job seeker or would-be agent, not a buyer",
    zh="服务推销、求职或代理自荐,并非买家",
    domain="C: adverts, spam",
    reads=("scam_not_a_buyer",),
)
def not_a_buyer_vendor(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_not_a_buyer") > 0


@rule(
    "NOT_A_BUYER_COMPETITOR_PROBE",
    kind="override",
    stage="not_a_buyer",
    en="Same product asked from the same region by several mailboxes (competitor probing prices)",
    zh="同一地区多个邮箱询问同一产品(疑似同行套价)",
    domain="the same product asked from the same region by several mailboxes: a competitor probing prices",
    reads=("scam_competitor_probe",),
)
def not_a_buyer_competitor_probe(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("scam_competitor_probe") > 0


# -- grade 2: clear intent, strong interest --------------------------------


def _complete_contact(inputs: RuleInputs) -> np.ndarray:
    """A name, a company, and a way to reach or check them (phone, address or website)."""
    reachable = (
        (inputs.signal("contact_has_phone") > 0)
        | (inputs.signal("contact_has_address") > 0)
        | (inputs.signal("contact_has_website") > 0)
    )
    named = (inputs.signal("contact_has_name") > 0) & (inputs.signal("contact_has_company") > 0)
    return named & reachable & (inputs.signal("contact_completeness") >= inputs.param("complete_contact_min"))


@rule(
    "GRADE2_DETAILED_RFQ",
    kind="grade_vote",
    stage="strong_interest",
    en="Detailed questions on a named product, with complete contact details",
    zh="详细询问具体产品(图片、参数、包装运输等)且客户资料完整",
    domain="detailed questions on named products (pictures, technical parameters, packaging and shipping)",
    reads=(
        "spec_products_named",
        "spec_requirement_areas",
        "contact_has_name",
        "contact_has_company",
        "contact_has_phone",
        "contact_has_address",
        "contact_has_website",
        "contact_completeness",
    ),
    evidence_from=("spec_products_named",),
)
def grade2_detailed_rfq(inputs: RuleInputs) -> np.ndarray:
    detailed = inputs.signal("spec_requirement_areas") >= inputs.param("detailed_min_areas")
    return (inputs.signal("spec_products_named") > 0) & detailed & _complete_contact(inputs)


@rule(
    "GRADE2_LONG_THREAD",
    kind="grade_vote",
    stage="strong_interest",
    en="Long thread with the buyer (6+ messages)",
    zh="往返邮件不少于6封",
    domain="6+ messages in the thread",
    reads=("hist_thread_messages",),
)
def grade2_long_thread(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("hist_thread_messages") >= inputs.param("long_thread_min_messages")


# -- grade 3: clear intent --------------------------------------------------


@rule(
    "GRADE3_PRODUCT_NAMED",
    kind="grade_vote",
    stage="clear_intent",
    en="Names a product of the seller's catalogue",
    zh="邮件中明确提到我公司的产品",
    domain="3. Clear intent: mentions the seller's products explicitly",
    reads=("spec_products_named",),
)
def grade3_product_named(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("spec_products_named") > 0


@rule(
    "GRADE3_EXPLICIT_REQUIREMENT",
    kind="grade_vote",
    stage="clear_intent",
    en="States an explicit quantity, size or target price",
    zh="有明确的数量、尺寸或价格要求",
    domain="explicit product, quantity or price requirements",
    reads=("spec_quantity", "spec_dimensions", "spec_target_price"),
)
def grade3_explicit_requirement(inputs: RuleInputs) -> np.ndarray:
    return (
        (inputs.signal("spec_quantity") > 0)
        | (inputs.signal("spec_dimensions") > 0)
        | (inputs.signal("spec_target_price") > 0)
    )


# -- grade 4: no clear intent -----------------------------------------------


@rule(
    "GRADE4_ALL_PRODUCTS_REQUEST",
    kind="grade_vote",
    stage="no_intent",
    en="Asks for all products / the full price list or catalogue, no product named",
    zh="笼统索要全部产品报价或目录,未提具体产品",
    domain="\"send all products and prices\"",
    reads=("spec_all_products_request", "spec_products_named"),
    evidence_from=("spec_all_products_request",),
)
def grade4_all_products_request(inputs: RuleInputs) -> np.ndarray:
    return (inputs.signal("spec_all_products_request") > 0) & (inputs.signal("spec_products_named") == 0)


@rule(
    "GRADE4_NO_PRODUCT_NO_REQUIREMENT",
    kind="grade_vote",
    stage="no_intent",
    en="No specific product (an industry at most) and no requirements",
    zh="没有提到具体产品(最多提到行业),也没有任何要求",
    domain="4. No clear intent: no specific product (an industry at most), no requirements",
    reads=("spec_products_named", "spec_requirement_areas"),
    evidence_from=(),
)
def grade4_no_product_no_requirement(inputs: RuleInputs) -> np.ndarray:
    return (inputs.signal("spec_products_named") == 0) & (inputs.signal("spec_requirement_areas") == 0)


@rule(
    "GRADE4_EMPTY_BODY",
    kind="grade_vote",
    stage="no_intent",
    en="Empty or blank message",
    zh="邮件正文为空",
    domain="careless writing",
    reads=("lang_empty",),
    evidence_from=(),
)
def grade4_empty_body(inputs: RuleInputs) -> np.ndarray:
    return inputs.signal("lang_empty") > 0
