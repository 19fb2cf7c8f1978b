"""Phrase and pattern pools for the synthetic page generator, each split into train and test halves.

Every pool reserves some of its variants for the test split (every fifth item, and at least one),
so documents synthesised for evaluation use wordings and templates a model trained on the train
split has never seen. Pools are registered by name so tests can check the halves are disjoint.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Any

SPLITS: tuple[str, ...] = ("train", "test")


def stable_bucket(key: str, modulo: int = 5) -> int:
    """A process-independent bucket for ``key`` (Python's ``hash`` is salted per process)."""
    return hashlib.sha1(key.encode("utf-8")).digest()[-1] % modulo


def split_of(key: str) -> str:
    """Held-out rule shared by source documents and lexicon terms: sha1 last byte % 5 == 0 is test."""
    return "test" if stable_bucket(key) == 0 else "train"


_ASSIGNED: dict[str, str] = {}
"""Split of every string variant seen so far: a wording shared by two pools is on the same side in both."""


class Pool:
    """A named list of variants; ``pick(rng, split)`` only ever returns that split's variants.

    Every fifth new variant goes to the test half (at least one per pool); a string already
    assigned by an earlier pool keeps its side, so no test wording is reachable from train.
    """

    def __init__(self, name: str, items: Sequence[Any]) -> None:
        if not items:
            raise ValueError(f"empty pool {name}")
        self.name = name
        self.items = tuple(dict.fromkeys(items))  # dedupe, keep order: a variant lives in one half only
        if len(self.items) == 1:  # a single variant cannot be split; it is shared (avoid such pools)
            self.halves = {"train": self.items, "test": self.items}
            return
        side: dict[int, str] = {}
        fresh = [i for i, x in enumerate(self.items) if not (isinstance(x, str) and x in _ASSIGNED)]
        for i, x in enumerate(self.items):
            if isinstance(x, str) and x in _ASSIGNED:
                side[i] = _ASSIGNED[x]
        for k, i in enumerate(fresh):
            side[i] = "test" if k % 5 == 4 else "train"
        if fresh and "test" not in side.values():
            side[fresh[-1]] = "test"
        if fresh and "train" not in side.values():
            side[fresh[0]] = "train"
        if set(side.values()) != {"train", "test"}:
            raise ValueError(f"pool {name} cannot be split: all its variants were assigned by other pools")
        for i, x in enumerate(self.items):
            if isinstance(x, str):
                _ASSIGNED.setdefault(x, side[i])
        self.halves = {
            "train": tuple(x for i, x in enumerate(self.items) if side[i] == "train"),
            "test": tuple(x for i, x in enumerate(self.items) if side[i] == "test"),
        }

    def of(self, split: str) -> tuple[Any, ...]:
        return self.halves[split]

    def pick(self, rng: random.Random, split: str) -> Any:
        return rng.choice(self.halves[split])

    def sample(self, rng: random.Random, split: str, k: int) -> list[Any]:
        """Up to ``k`` distinct variants (fewer when the half is smaller)."""
        half = self.halves[split]
        return rng.sample(half, min(k, len(half)))


REGISTRY: dict[str, Pool] = {}


def pool(name: str, items: Sequence[Any] | str) -> Pool:
    """Register a pool; a string is split on whitespace (``|`` stands for a space inside an item)."""
    if isinstance(items, str):
        items = [w.replace("|", " ") for w in items.split()]
    if name in REGISTRY:
        raise ValueError(f"duplicate pool {name}")
    p = Pool(name, items)
    REGISTRY[name] = p
    return p


def all_pools() -> dict[str, Pool]:
    return dict(REGISTRY)


# ---------------------------------------------------------------------------------------------
# People, places, organisations
# ---------------------------------------------------------------------------------------------

SURNAMES = pool(
    "surnames",
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 "
    "董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 "
    "邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 欧阳 司马",
)
GIVEN = pool(
    "given_chars",
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 秀 霞 平 刚 桂 英 华 玉 萍 红 娥 玲 芬 燕 辉 建 国 庆 文 斌 "
    "宇 浩 凯 鹏 欣 怡 佳 晨 阳 雪 琳 晓 颖 婷 海 波 亮 峰 飞 鑫 淼 志 新 立 鸿 翔 梅 兰 春 秋 东 南 光 荣 德 林 "
    "森 宁 安 乐 龙 云 雨 思 嘉 子 梓 轩 睿 博 瑞 泽 航 一 诗 雅 琪 倩 蕾 蓉 蕊 薇 菲 璐 瑶 悦 然 毅 彬 剑 锋 坤",
)
PROVINCES = pool(
    "provinces",
    "北京 上海 天津 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 "
    "贵州 云南 陕西 甘肃 青海 内蒙古 广西 西藏 宁夏 新疆",
)
CITIES = pool(
    "cities",
    "石家庄 太原 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 济南 郑州 武汉 长沙 广州 海口 成都 贵阳 昆明 西安 兰州 "
    "西宁 南宁 银川 苏州 无锡 徐州 宁波 温州 青岛 大连 厦门 深圳 东莞 佛山 洛阳 襄阳 宜昌 绵阳 桂林 江门 淮安 扬州 "
    "烟台 潍坊 邯郸 包头 泉州 绍兴 嘉兴 常州 南通 镇江 芜湖 赣州 九江 株洲 岳阳 湛江 汕头 柳州 遵义 曲靖 宝鸡 天水 "
    "大同 鞍山 吉林 齐齐哈尔 牡丹江 盐城 台州 金华 蚌埠 漳州 临沂 济宁 开封 南阳 荆州 衡阳 珠海 三亚",
)
ICP_ABBR = pool("icp_abbr", "京 沪 津 渝 冀 晋 辽 吉 黑 苏 浙 皖 闽 赣 鲁 豫 鄂 湘 粤 琼 川 黔 滇 陕 甘 青 蒙 桂 藏 宁 新")
ORG_UNITS = pool(
    "org_units",
    "民政局 教育局 卫生健康委员会 交通运输局 生态环境局 文化和旅游局 市场监督管理局 财政局 人力资源和社会保障局 "
    "农业农村局 住房和城乡建设局 自然资源局 应急管理局 统计局 税务局 商务局 水利局 科学技术局 体育局 审计局 "
    "公安局 司法局 发展和改革委员会 工业和信息化局 退役军人事务局 医疗保障局",
)
POSITIONS = pool("positions", "党组书记、局长 副局长 主任 副主任 调研员 处长 副处长 党委书记 院长 副院长 研究员 教授 秘书长 科长")
MEDIA = pool(
    "media",
    "新华社 人民网 中国新闻网 央视新闻 经济日报 光明日报 科技日报 法治日报 中国青年报 工人日报 澎湃新闻 新京报 "
    "南方都市报 扬子晚报 钱江晚报 齐鲁晚报 楚天都市报 华西都市报 北京青年报 羊城晚报 中国社会报 中国教育报 "
    "健康报 农民日报 证券时报 上海证券报 第一财经 环球时报 参考消息 大河报 现代快报 半岛晨报 新民晚报 解放日报 "
    "文汇报 北京日报 天津日报 重庆日报 四川日报 湖北日报 湖南日报 河南日报 中国网 央广网 国际在线 东方网 红网",
)
MEDIA_SUFFIX = pool("media_suffix", "日报 晚报 都市报 商报 新闻网 在线 晨报 时报 电视台 广播电视台 融媒体中心 发布")
SITE_TOPICS = pool(
    "site_topics",
    "新闻 资讯 健康 教育 财经 科技 汽车 房产 旅游 文化 体育 娱乐 军事 历史 法律 农业 医药 养生 育儿 美食 游戏 "
    "数码 手机 理财 职场 招生 留学 考试 环保 民生 社区 政务 艺术 读书 文学 摄影 家居 时尚 女性 IT 编程 技术",
)
SITE_SUFFIX = pool("site_suffix", "网 在线 之家 频道 门户 资讯网 信息网 新闻网 社区 论坛 博客 天地 中国 视窗 联盟")
PINYIN = pool(
    "pinyin",
    "xin wen zhong guo tian jia hao ren min sheng huo jian kang jiao yu cai jing ke ji qi che fang chan lv you "
    "wen hua ti yu yu le jun shi li shi fa lv nong ye yi yao yang er mei shi you xi shu ma shou li zhi chang kao "
    "shi huan bao she qu zheng wu yi shu du shu xue she ying ju shang hai bei nan dong xi an ning he long feng "
    "yun shan shui hua guang ming da xiao bao kuai le jin yin tong fu lu xing",
)
TLDS = pool("tlds", ".com .cn .com.cn .net .org .net.cn .gov.cn .org.cn .cc .edu.cn .info .top")
ROADS = pool("roads", "人民路 解放路 中山路 建设路 新华路 长江路 黄河路 文化路 和平路 胜利路 友谊路 北京路 南京路 延安路 民主路 迎宾大道 世纪大道 滨江路 科技路 学院路")

# ---------------------------------------------------------------------------------------------
# Navigation, headers, footers
# ---------------------------------------------------------------------------------------------

NAV_PORTAL = pool(
    "nav_portal",
    "首页 新闻 国内 国际 社会 财经 股票 基金 体育 NBA 中超 娱乐 明星 电影 电视 音乐 科技 数码 手机 汽车 房产 家居 "
    "教育 健康 旅游 军事 历史 文化 读书 时尚 女性 亲子 游戏 视频 图片 博客 论坛 专题 评论 滚动 要闻 原创 直播 "
    "公益 彩票 星座 美食 收藏 地方 政务 English 微博 客户端",
)
NAV_GOV = pool(
    "nav_gov",
    "首页 政务公开 政务服务 互动交流 新闻中心 通知公告 政策法规 政策解读 办事指南 领导信息 机构设置 专题专栏 "
    "人事信息 统计数据 规划计划 财政信息 工作动态 媒体报道 基层动态 网上信访 局长信箱 在线访谈 征求意见 "
    "依申请公开 信息公开指南 信息公开目录 年度报告 建议提案办理 政府文件 部门文件 走进本局 无障碍 繁体版 English",
)
NAV_BLOG = pool(
    "nav_blog",
    "首页 联系 RSS 登录 统计 管理 随笔 文章 相册 留言 关于 归档 标签 订阅 博客园 个人首页 发表随笔 博客管理 "
    "博客收藏 控制面板 写博客 我的博客 退出 帮助 搜索 新随笔 联系作者 友情链接 日志 收藏夹",
)
NAV_FORUM = pool(
    "nav_forum",
    "论坛首页 社区 版块 精华区 热帖 新帖 搜索 帮助 会员 排行 我的帖子 发帖 回复 注册 登录 设置 短消息 "
    "好友 勋章 任务 道具 积分 公告 版规 站务 灌水区 求助区 交易区 活动 导读",
)
NAV_EDU = pool(
    "nav_edu",
    "学校概况 学校简介 现任领导 历史沿革 院系设置 师资队伍 人才培养 本科教育 研究生教育 招生就业 科学研究 "
    "合作交流 校园文化 图书馆 信息公开 校友 人才招聘 党建工作 新闻网 通知公告 学术活动 媒体聚焦 人物聚焦 "
    "校园风光 English 快速通道 教务处 学生处",
)
NAV_TECH = pool(
    "nav_tech",
    "首页 博客 学院 下载 论坛 问答 商城 活动 专题 招聘 前端 后端 移动开发 人工智能 大数据 云计算 数据库 运维 "
    "安全 开源 架构 编程语言 Java Python JavaScript Android iOS 区块链 游戏开发 物联网 嵌入式 测试 "
    "资讯 教程 工具 文档 社区 API",
)
NAV_QA = pool(
    "nav_qa",
    "首页 疾病 症状 检查 药品 医院 医生 问答 找医生 查疾病 查药品 健康资讯 养生 母婴 两性 美容 心理 "
    "内科 外科 妇产科 儿科 五官科 皮肤科 中医科 肿瘤科 男科 精神科 营养科 急诊 体检 在线咨询 快速提问",
)
NAV_NOVEL = pool(
    "nav_novel",
    "首页 书库 排行榜 全本 玄幻 武侠 仙侠 都市 历史 军事 科幻 灵异 言情 古典名著 经典文学 完本小说 "
    "最新更新 我的书架 阅读记录 作者专区 书评 目录 上一章 下一章 加入书签 投推荐票",
)
NAV_WIKI = pool(
    "nav_wiki",
    "首页 分类 特色词条 随机词条 最近更改 帮助 社区 百科 词条 编辑 讨论 历史 收藏 分享 目录 参考资料 "
    "人物 地理 科学 自然 历史 文化 艺术 体育 社会 经济 技术 生活",
)
NAV_SHOP = pool(
    "nav_shop",
    "首页 全部分类 热卖 新品 特价 团购 品牌 女装 男装 鞋靴 箱包 美妆 母婴 家电 数码 食品 生鲜 酒店 外卖 "
    "机票 旅游 会员 购物车 我的订单 客服 收藏 评价 晒单 店铺",
)
NAV_POOLS: dict[str, Pool] = {
    "portal": NAV_PORTAL,
    "gov": NAV_GOV,
    "blog": NAV_BLOG,
    "forum": NAV_FORUM,
    "edu": NAV_EDU,
    "tech": NAV_TECH,
    "qa": NAV_QA,
    "novel": NAV_NOVEL,
    "wiki": NAV_WIKI,
    "shop": NAV_SHOP,
}
NAV_SEPS = pool("nav_seps", [" | ", "|", " - ", " · ", "·", " ", "  ", " / ", " | ", "　", " ┊ ", "｜", " • ", " 丨 "])
CRUMB_SEPS = pool("crumb_seps", [" > ", ">", " >> ", " » ", "»", " › ", "->", " / ", " → ", " - ", "＞", " >  "])
CRUMB_PREFIX = pool(
    "crumb_prefix",
    ["当前位置：", "当前位置:", "您现在的位置：", "您现在的位置:", "您的位置：", "位置：", "所在位置：", "当前位置: ",
     "现在位置：", "您当前的位置：", "", "", "首页 >", "你的位置：", "导航："],
)
CRUMB_HOME = pool("crumb_home", "首页 网站首页 主页 本站首页 Home 首页 返回首页 首頁 门户首页 网站首页")
CRUMB_SECTIONS = pool(
    "crumb_sections",
    "新闻中心 资讯频道 媒体报道 工作动态 通知公告 本地新闻 国内新闻 社会新闻 时政新闻 产经资讯 行业动态 "
    "人物聚焦 学术动态 政策法规 健康资讯 科学动态 天文航天 业界 文章详情 文章中心 专题报道 图片新闻 "
    "综合新闻 学院新闻 军事技术 艺术教育 经验分享 技术文章 问答详情 词条 章节阅读 评测 导购 行情",
)
CRUMB_LEAF = pool("crumb_leaf", "正文 详情 文章详情 内容 阅读 正文内容 浏览文章 查看内容 详细内容 文章")

HEADER_WIDGETS = pool(
    "header_widgets",
    ["设为首页", "加入收藏", "设为首页 | 加入收藏", "设为首页收藏本站", "手机版", "手机版 | 电脑版", "无障碍浏览",
     "简体版 | 繁体版", "简 | 繁", "English", "网站地图", "RSS订阅", "关注:", "关注我们：", "微信", "微博",
     "客户端下载", "下载APP", "登录", "注册", "登录 | 注册", "报料", "投稿", "搜索", "站内搜索", "高级搜索",
     "热门搜索：", "请输入关键词", "最新更新设为首页收藏本站", "长者模式", "智能问答", "网站导航", "快速导航",
     "查看网易地图", "切换导航", "返回旧版", "帮助中心", "意见反馈", "我要投稿", "订阅", "会员中心"],
)
LOGIN_LINES = pool(
    "login_lines",
    ["用户名", "密码", "通行证：用户名 密码", "用户名： 密码：", "登录", "注册", "忘记密码", "免费注册", "快速注册",
     "记住我", "下次自动登录", "忘记密码立即注册", "使用QQ登录", "微信登录", "欢迎您，请登录", "请登录后再关注",
     "用户登录", "确 定", "取 消", "安全退出", "个人中心", "帐号设置", "我的收藏", "我的关注", "退出", "验证码",
     "登录名", "注册说明", "找回密码", "第三方账号登录"],
)
SLOGANS = pool(
    "slogans",
    ["权威发布 服务民生", "传播正能量 服务老百姓", "让阅读更有价值", "有态度的新闻门户", "专业的健康咨询平台",
     "做最好的中文社区", "分享知识 传递价值", "记录时代 服务社会", "您身边的生活服务专家", "全球华人的精神家园",
     "技术成就梦想", "让学习更简单", "聚焦热点 关注民生", "真实 客观 公正", "连接你我 共享精彩", "中国领先的综合门户",
     "专注行业资讯二十年", "用心做好每一篇文章", "开放 共享 协作", "服务群众 服务基层"],
)
WEEKDAYS = pool("weekdays", ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日", "周一", "周二", "周三", "周四", "周五", "周六", "周日"])

FOOTER_LINKS = pool(
    "footer_links",
    "关于我们 联系我们 广告服务 广告业务 网站地图 版权声明 隐私政策 免责声明 法律声明 招聘信息 诚聘英才 合作伙伴 "
    "友情链接 意见反馈 网站留言 服务条款 帮助中心 投稿须知 商务合作 客户服务 人才招聘 网站导航 加入我们 "
    "会员积分 网站公告 使用须知 不良信息举报 隐私保护 用户协议 站长统计 本站简介 公司简介 About|Us 联系方式 "
    "网上投稿 版权所有 在线留言 RSS订阅 返回首页 产品答疑 网站律师 新闻热线 举报中心 家长监护",
)
COPYRIGHT_TPL = pool(
    "copyright_tpl",
    ["Copyright © {y0}-{y1} {site} 版权所有", "Copyright © {y0} - {y1} {domain} All Rights Reserved",
     "© {y0}-{y1} {site}版权所有", "版权所有：{site}", "{site} 版权所有", "CopyRight {y0}-{y1} {site} 版权所有",
     "Copyright © {y1} {site} All rights reserved.", "版权所有 © {site} 未经授权禁止复制或建立镜像",
     "Copyright(C){domain}, All Rights Reserved.", "{site}（{domain}）版权所有", "All Rights Reserved",
     "Copyright © {y0}~{y1} {site} All rights reserved.", "CopyRight@{y0}-{y1} All rights reserved",
     "版权所有 {site} Copyright © {y1}", "主办单位：{site}  版权所有", "{site}·{y0}-{y1} 版权所有",
     "本站版权归{site}所有", "Copyright © {y1} {domain} Inc. All Rights Reserved", "© {y1} {site}",
     "版权所有 不得转载 © {y1} {site}"],
)
POWERED_BY = pool(
    "powered_by",
    ["Powered by:", "Powered By Z-BlogPHP 1.5.2", "Powered by WordPress", "Powered by Discuz! X3.4",
     "Powered by DedeCMS", "技术支持：{site}", "网站建设：{site}", "Powered by PHPWind", "Theme By {site}",
     "Produced By 大汉网络 大汉版通发布系统", "Powered by: 博客园", "本站由{site}提供技术支持", "Powered by EmpireCMS",
     "Powered by .Text", "建议使用1024×768分辨率浏览"],
)
DISCLAIMERS = pool(
    "disclaimers",
    ["版权免责声明：凡本网未注明“来源：{site}”的文/图等稿件均转载自其它媒体，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。如转载涉及版权等问题，请作者在两周内来电或来函联系。",
     "特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
     "本站所有文章均系站长从网上收集，为了尊重作者的劳动，文中会尽量给出作者姓名和引用地址。如有版权争议，请联系站长：{email}",
     "网友评论仅供其表达个人看法，并不表明本站立场。",
     "请您注意：遵守国家有关法律、法规，尊重网上道德，承担一切因您的行为而直接或间接引起的法律责任。本站拥有管理笔名和留言的一切权利。",
     "声明：本文仅代表作者个人观点，与本站无关。其原创性以及文中陈述文字和内容未经本站证实，对本文以及其中全部或者部分内容、文字的真实性、完整性、及时性本站不作任何保证或承诺，请读者仅作参考，并请自行核实相关内容。",
     "免责声明：本站部分内容来源于网络，版权归原作者所有，如有侵权请联系删除。",
     "凡本网注明“来源：{site}”的所有作品，版权均属于{site}，未经本网授权不得转载、摘编或利用其它方式使用上述作品。",
     "本网站发布的所有信息均不收取任何费用，如遇到任何以本网站名义收取费用的情况请向相关部门举报。",
     "版权声明：本站是博客托管服务提供商。如本文牵涉版权问题，本站不承担相关责任，请版权拥有者直接与文章作者联系解决。",
     "本文为{site}原创文章，未经允许不得转载，如需转载请联系{email}",
     "{site}的所有内容均由其内容合作方根据协议提供。除著作权人声明或者上载该作品的网络服务提供者受著作权人的委托声明不得转载外，其他网站可以转载，但应注明出处。",
     "温馨提示：本文内容仅供参考，不能作为诊断及医疗的依据，如有不适请及时到正规医院就诊。",
     "郑重声明：本站提供的信息仅供参考，投资有风险，入市需谨慎。",
     "注：本站内容均来自网友上传或网络转载，如果侵犯了您的权益，请与我们联系，我们将在24小时内删除。",
     "您的发表的评论将在5分钟内被审核，请耐心等待",
     "凡注明来源为其他媒体的内容，均为转载，转载仅为传播更多信息，不代表本站观点。",
     "未经书面授权，任何单位及个人不得转载、摘编或以其他方式使用本网站内容。",
     "本网站部分信息转载自互联网，目的在于传递更多信息，若有侵权请联系我们删除。",
     "以上内容由{site}整理发布，转载请注明出处。"],
)
CONTACT_TPL = pool(
    "contact_tpl",
    ["联系电话：{tel}", "电话：{tel} 传真：{tel}", "地址：{addr} 邮编：{zip}", "电子邮箱：{email}", "联系邮箱：{email}",
     "客服热线：{hotline} 工作时间 8:30-22:00", "违法和不良信息举报电话：{tel} 举报邮箱：{email}", "QQ群：{qq}",
     "联系版主：{email}", "新闻热线：{tel}", "投稿邮箱：{email}", "地址：{addr} 电话：{tel}", "主办：{site} 承办：{org}",
     "主办单位：{org}", "技术支持：{site}", "{hotline} 欢迎批评指正", "举报电话：12377", "咨询电话：{tel}(传真)",
     "联系我们：{email}", "服务热线：{hotline}"],
)
ICP_TPL = pool(
    "icp_tpl",
    ["{p}ICP备{n8}号-{k}", "{p}ICP备{n8}号", "{p}ICP证{n6}号", "{p}公网安备 {n14}号", "{p}ICP备{n8}号-{k} {p}公网安备 {n14}号",
     "增值电信业务经营许可证：{p}B2-{n8}", "备案号:{p}ICP备{n8}号", "网站标识码：{n10}", "政府网站标识码：{n10}",
     "公安机关备案号:{n14}", "{p} ICP 备 {n8} 号 -{k}", "互联网新闻信息服务许可证：{n11}", "{p}ICP备{n8}号 网站标识码{n10}",
     "网络文化经营许可证：{p}网文〔{y1}〕{n4}-{n3}号", "ICP经营许可证 {p}B2-{n8}"],
)

# ---------------------------------------------------------------------------------------------
# Article-level template pieces
# ---------------------------------------------------------------------------------------------

TIME_LABELS = pool("time_labels", "时间 发布时间 发布日期 日期 发表于 更新时间 发文日期 发表时间 发布 更新 上传时间 录入时间 时间：")
SOURCE_LABELS = pool("source_labels", "来源 出处 信息来源 稿源 来自 文章来源 来源于 转自 消息来源 来源网站")
AUTHOR_LABELS = pool("author_labels", "作者 撰稿 文章作者 发布者 发布人 撰文 供稿 录入 作者名 发布单位")
EDITOR_LABELS = pool("editor_labels", "编辑 责任编辑 责编 审核 编审 校对 值班编辑 终审 审校 小编")
VIEW_LABELS = pool("view_labels", "浏览量 点击数 阅读 人气 浏览次数 访问量 点击 阅读量 浏览 热度 已阅读 围观")
COMMENT_LABELS = pool("comment_labels", "评论 跟帖 回复 条评论 评论数 参与 讨论 留言 回帖 点评")
COLONS = pool("colons", ["：", ":", "： ", ": ", " ", "∶", "：  ", ":　"])
FIELD_SEPS = pool("field_seps", ["  ", " | ", " ", "　", "|", "   ", " / ", "  ·  ", "	", " ｜ ", "  |  ", "，"])

FONT_WIDGETS = pool(
    "font_widgets",
    ["【字体：大 中 小】", "【字体：", "字号：大 中 小", "【字号 大 中 小】", "字体：大 中 小", "【打印】【关闭】",
     "【打印本页】 【关闭窗口】", "打印本页 关闭窗口", "【发表评论】【关闭窗口】", "【我要纠错】", "【收藏】【打印】",
     "[ 打印 ] [ 关闭 ]", "字号 超大 大 标准 小", "A+ A- 打印", "【大 中 小】", "【字体: 打印", "[大][中][小]",
     "【保存】【打印】【关闭】", "背景色：", "【 推荐给朋友 】", "打印", "关闭", "纠错", "收藏本文", "【返回顶部】"],
)
SHARE_WIDGETS = pool(
    "share_widgets",
    ["分享到：", "分享到", "分享到微博", "分享到:", "扫一扫在手机端打开当前页", "用微信扫描二维码", "分享至好友和朋友圈",
     "微信扫一扫", "扫描二维码分享", "QQ好友", "微信好友", "QQ空间", "复制链接", "一键分享", "分享", "收藏", "点赞",
     "用手机扫描二维码关注我们", "扫一扫 分享到朋友圈", "转发", "分享本页", "手机看新闻", "扫码阅读手机版",
     "打开微信，点击底部的“发现”，使用“扫一扫”即可将网页分享至朋友圈。", "复制地址"],
)
ARTICLE_TOOLS = pool(
    "article_tools",
    ["收藏本文", "已收藏!", "收藏成功", "查看我的收藏", "知道了", "自动播放", "play", "向前", "向后", "（点击看清晰大图）",
     "点击图片查看大图", "点击进入下一页", "上一页", "下一页", "展开全文", "阅读全文", "查看原文", "加载中...", "点击加载更多",
     "返回顶部", "TOP", "返回首页", "- THE END -", "（完）", "[返回]", "更多>>", "查看更多", "更多精彩内容",
     "投诉或建议", "文章纠错", "举报", "分享到朋友圈", "x", "×", "关闭", "广告", "赞助商链接", "推广"],
)
TAG_LABELS = pool("tag_labels", ["标签：", "标签:", "关键词：", "关键词:", "文章关键词：", "Tags:", "TAG：", "相关标签：", "关键字：", "热门标签", "本文标签：", "关键词 >> "])
RELATED_HEADINGS = pool(
    "related_headings",
    "相关阅读 相关新闻 相关文章 相关推荐 猜你喜欢 热门推荐 阅读排行榜 评论排行榜 热门文章 最新文章 推荐阅读 今日推荐 "
    "精彩推荐 延伸阅读 编辑推荐 热点新闻 本周热点 24小时热榜 最新资讯 大家都在看 您可能感兴趣的文章 看了本文的人还看了 "
    "点击排行 图片新闻 专题推荐 相关链接 最近发表 最新更新 热门标签 网友推荐 相关问题 其他人还问了 往期回顾 一周要闻回顾 "
    "精华推荐 人气排行 热门评论 最热文章 今日视点 热新闻 热话题 今日新闻 相关热门文章 最新报道 相关事件 媒体报道 "
    "推荐文章 热门资讯 近期文章 最新评论 随机文章 热门点击 最新发布 相关内容 同类文章 本类推荐 本类热门 "
    "精选文章 特别推荐 热门阅读 你可能还喜欢 为你推荐 周排行 月排行",
)
MORE_LINKS = pool("more_links", ["更多>>", "更多", "更多 >", "查看更多", "更多资讯>>", "more>>", "[更多]", "更多精彩文章", "查看更多>>", "MORE", "更多热门资讯", "点击查看更多"])
PREV_LABELS = pool("prev_labels", ["上一篇：", "上一篇:", "上一篇 ", "上一条：", "前一篇：", "« 上一篇", "上篇：", "上一篇文章：", "【上一篇】", "上一章："])
NEXT_LABELS = pool("next_labels", ["下一篇：", "下一篇:", "下一篇 ", "下一条：", "后一篇：", "下一篇 »", "下篇：", "下一篇文章：", "【下一篇】", "下一章："])
PAGE_NAV = pool("page_nav", ["第1页/共1页", "<< 上一页 | 下一页 >>", "上一页 1 2 3 下一页", "共2页 1 2 下一页", "1 2 3 4 5 ... 下一页", "首页 上一页 下一页 尾页", "第 1 页", "阅读下一篇", "下一页", "上一页"])
DOWNLOAD_LINES = pool(
    "download_lines",
    ["下载Doc文档", "下载PDF", "点击下载", "下载本文", "附件下载：", "PDF, HTML, XML,", "下载全文", "立即下载", "下载Word文档",
     "免费下载", "附件：", "本地下载", "下载地址", "下载链接：", "打包下载", "下载客户端", "下载网易新闻客户端", "下载APP 阅读更多"],
)
COMMENT_PROMPTS = pool(
    "comment_prompts",
    ["发表评论", "网友评论", "已有{n}条评论", "验证码:", "验证码：", "发表", "提交", "评论", "我要评论", "我要跟帖",
     "已输入0字", "网友评论仅供其表达个人看法，并不表明本站立场。", "目前没有评论，欢迎你发表观点", "查看全部{n}条评论 >",
     "{n}条评论|{m}人参与网友评论", "最热评论", "最新评论", "热门评论", "查看更多评论", "去跟贴广场看看", "马上发表",
     "评论({n})", "共{n}条评论", "参与讨论", "文明上网，理性发言", "登录后才能发表评论", "请先登录后再发表评论",
     "Post Comment", "匿名发表", "表情", "发布", "刷新", "我有话说({n}人参与)", "网友跟帖", "欢迎发表评论",
     "查看剩余{n}条回复", "发表名", "E-mail (不显示在评论中)", "个人主页", "主题", "姓名", "主页", "内容",
     "内容 *", "标题", "*", "记住我的信息", "校验码", "评论区", "写评论"],
)
SOURCE_NOTE_TPL = pool(
    "source_note_tpl",
    ["（来源：{media}{date}）", "来源：{media}", "信息来源：{org}", "原标题：{title}", "（原题为《{title}》）", "责任编辑：{name}",
     "(本文来自{media}，更多原创资讯请下载“{media}”APP)", "转载请注明出处：{site}", "本文为{site}原创文章，未经允许不得转载",
     "[编辑：{name}]", "来源: {name}", "文章来源：{media}", "（责任编辑：{name}）", "编辑：{name}", "（来源：{media}）",
     "稿件来源：{org}", "本文来源：{media} 作者：{name}", "【来源：{media}】", "(编辑：{name})", "责编：{name}",
     "（本文转自{media}）", "出处：{site}", "本文链接：{url}", "原文链接：{url}", "转载自：{url}",
     "来源：{media} | 作者：{name}", "（文章来源：{media}）", "审核：{name}", "校对：{name}", "监制：{name}"],
)
TITLE_SUFFIXES = pool(
    "title_suffixes",
    ["论文", "_新浪网", " - {site}", "_{site}", "-{site}", " | {site}", "_网易新闻", "_新闻中心", "_中国网", "_凤凰网",
     "范文", " - 百科", "_资讯频道", "_{site}手机版", "全文阅读", " - 博客", "_免费阅读", "(图)", "-手机版", " - 知乎",
     "_健康频道", "_文章详情", " - 技术文章", "在线阅读", "_正文"],
)
BYLINE_EXTRA = pool(
    "byline_extra",
    ["我有话说", "收藏本文", "打印", "关注", "+ 关注", "已关注", "分享", "举报", "字号", "A+", "A-", "原创", "转载", "置顶", "精华", "推荐"],
)
SPACERS = pool("spacers", ["\ue5e5\ue5e5", "-", "·", "|", "------------------------------", "*", "x", "×", "…", ">>", "\ue5e5", "--", "§", "|", "■", "※", "▲", "________________________________________", "----", "+"])

# ---------------------------------------------------------------------------------------------
# Sidebars, widgets, comments
# ---------------------------------------------------------------------------------------------

SIDEBAR_HEADINGS = pool(
    "sidebar_headings",
    "公告 存档 随笔分类 随笔档案 文章分类 文章档案 最新随笔 最新评论 阅读排行榜 评论排行榜 留言簿 友情链接 我的标签 "
    "日历 博主资料 个人档案 常用链接 统计 搜索 相册 最近访客 日志分类 栏目导航 推荐专题 热门搜索 关注我们 "
    "官方微信 客户端下载 关于作者 作者简介 分类目录 近期评论 功能 链接表 站点统计",
)
PROFILE_LINES = pool(
    "profile_lines",
    ["随笔 - {n}", "文章 - {n}", "评论 - {n}", "Trackbacks - {n}", "粉丝：{n}文章：{m}", "关注", "+ 关注", "访问量：{n}",
     "积分：{n}", "等级：{k}", "排名：{n}", "原创：{n}篇", "转载：{n}篇", "留言簿({n})", "·给我留言", "·查看私人留言",
     "{n}文章", "{n}粉丝", "发文累计获赞{n}，文章被{m}人收藏", "核心作者", "注册时间：{date}", "帖子：{n}", "精华：{k}",
     "在线时间：{n}小时", "私信", "加好友", "性别：保密", "来自：{place}", "[作者简介] (个人情况保密)", "(尚未设定个人链接)",
     "篇文章", "人关注", "博客等级：{k}", "博客积分：{n}", "昵称：{user}", "园龄：{k}年{k2}个月"],
)
CALENDAR_WEEK = pool("calendar_week", [("Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"), ("日", "一", "二", "三", "四", "五", "六"),
                                        ("一", "二", "三", "四", "五", "六", "日"), ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"),
                                        ("S", "M", "T", "W", "T", "F", "S")])
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CATEGORY_WORDS = pool(
    "category_words",
    "未归类 生活随笔 读书笔记 技术文章 心情日记 旅游 摄影 美食 电影 音乐 工作 学习 杂谈 时评 历史 军情 财金 文化 "
    "转载 原创 程序人生 随想 家庭 育儿 健康 运动 情感 职场 资料 收藏 教程 新闻 评论 诗歌 散文 小说",
)
APP_PROMO = pool(
    "app_promo",
    ["扫描左边二维码下载最新版本安卓客户端。", "手机浏览讨论更方便！", "关注官方微信，每日推送最新资讯。", "下载客户端，阅读更多精彩内容",
     "微信扫一扫关注，或者搜索（{site}）关注", "安卓客户端", "IOS客户端", "安卓客户端下载", "IOS客户端下载", "官方微信",
     "微信号：{wx}", "微博：{site}官方", "抖音：{site}", "今日头条：{site}", "扫描二维码,向{site}吐槽", "每日资讯快速浏览",
     "打开APP 阅读更多精彩内容", "下载{site}客户端", "新用户注册送好礼", "关注公众号，获取更多资讯", "手机版", "APP下载"],
)
TEMPLATE_ADS = pool(
    "template_ads",
    ["车爵仕汽车酷装美容", "韩国田园风情特色饰品", "加入大学招生业赚钱", "个性自助冰淇淋招商", "零风险铸就创业梦想",
     "住房装修污染敲警钟", "开冰淇淋店年赚60万", "特高差价惊叹代理商", "投资建材 年利百万", "真正的环保乳胶漆",
     "取代壁纸的金丝彩缎", "专利频道 广告招商", "诚征合作伙伴>>", "广告位招租", "火爆招商中", "小本创业好项目",
     "品牌童装加盟", "干洗店加盟首选", "特色小吃技术培训", "新型建材诚招代理", "广告服务", "商务合作 联系我们",
     "立马理财送8888", "888元现金券", "限时特惠", "今日限时抢购", "进口好货9.9元包邮", "免费试用", "新用户专享",
     "1000元现金礼包", "爆款直降", "品牌制造商爆款", "会员专享价", "领取优惠券", "限时秒杀", "全场包邮"],
)
VALUE_WIDGETS = pool(
    "value_widgets",
    ["文章价值打分", "有价值", "一般般", "没价值", "当前文章打分{n} 分，共有{m}人打分", "文章观点支持", "文章很值，打赏犒劳作者一下",
     "- {k}人已打赏 -", "赞({n})", "踩({k})", "顶", "踩", "好文要顶", "关注我", "收藏该文", "推荐({n})", "反对({k})",
     "喜欢", "不喜欢", "点赞 {n}", "觉得有用", "有用({n})", "没用({k})", "打赏", "我要投稿"],
)
TIME_AGO = pool("time_ago", ["{n}小时前", "{n}分钟前", "昨天", "今天", "{n}天前", "刚刚", "昨天 {hm}", "今天{hm}", "{n}秒前", "前天 {hm}"])

USER_ADJ = pool("user_adj", "快乐 孤独 安静 疯狂 沉默 勇敢 温柔 可爱 淡定 迷茫 幸福 骄傲 冷静 自由 寂寞 执着 阳光 微笑 飞翔 流浪 天真 倔强 闲散 暴躁")
USER_NOUN = pool("user_noun", "小猪 老猫 鱼 飞鸟 狐狸 石头 小熊 兔子 蜗牛 土豆 西瓜 苹果 大叔 少年 书生 剑客 行者 路人 游客 看客 旅人 农夫 码农 老王")
USER_EN = pool("user_en", "sunny tony jack lucy leo andy kevin amy ricky echo lily mike nancy peter alex coco jerry tom david allen bill cici eric frank grace")
GENERIC_COMMENTS = pool(
    "generic_comments",
    ["顶", "支持一下", "写得好", "沙发", "呵呵", "学习了", "谢谢分享", "好文章，收藏了", "楼主辛苦了", "不错不错", "同意楼上",
     "路过", "看看", "mark", "666", "说得太对了", "有道理", "不敢苟同", "坐等更新", "这个必须顶", "感谢楼主", "哈哈哈哈",
     "写的不错，期待下一篇", "好东西，谢谢", "前排围观", "什么时候更新啊", "涨知识了", "赞一个", "欢迎欢迎", "恭喜恭喜",
     "大家注意安全", "说得好！", "不明觉厉", "先收藏再看", "转走了，谢谢", "支持你！", "好好学习,天天向上...", "呵呵```",
     "小编辛苦了", "期待后续报道", "这种事情太多了", "希望有关部门重视", "长见识了", "我也遇到过类似的情况", "有没有人知道后续？"],
)
PRODUCT_SPAM = pool(
    "product_spam",
    "信号隔离器 离心机 冲击试验机 电磁流量计 液压升降机 不锈钢管 真空泵 塑料托盘 钢格板 电动葫芦 热缩管 铝单板 "
    "防火门 冷却塔 压力变送器 隔膜泵 玻璃钢储罐 橡胶密封圈 工业吸尘器 烘干机 粉碎机 激光切割机 二手叉车 "
    "环氧地坪 彩钢瓦 镀锌管 轴承座 螺旋输送机 脱水机 电子秤",
)
EMOTICONS = pool("emoticons", ["^_^,Pretty Good!", "^_~", "^_~,pretty good!", ":)", "O(∩_∩)O", "^o^", "=_=", "(*^__^*)", ":-)", "~~~", "^_^", "呵呵 支持 我来顶一下"])

# ---------------------------------------------------------------------------------------------
# Body pieces (content)
# ---------------------------------------------------------------------------------------------

AUTHOR_LINE_TPL = pool(
    "author_line_tpl",
    ["本报记者 {name}", "□ {place}{unit}调研组", "（作者系{place}{unit}{pos}）", "文/{name}", "记者 {name} 通讯员 {name2}",
     "采写：{media}记者 {name}", "（{name}）", "文：{name}", "本报记者 {name} 实习生 {name2}", "□ 本报记者 {name}",
     "（作者单位：{place}{unit}）", "{media}记者 {name}", "作者 {name}", "本报通讯员 {name}", "■ 本报记者 {name} 文/图",
     "（{name} {name2}）", "□ {name}", "记者 {name}", "（作者为{place}{unit}{pos}）", "本报讯（记者 {name}）",
     "文/图 {name}", "（本报记者 {name} 整理）", "撰文 / {name}", "——{name}", "本刊记者 {name}"],
)
CAPTION_TPL = pool(
    "caption_tpl",
    ["{clause}。 通讯员 {name} 摄", "图为{clause}。 {name} 摄", "{clause}。本报记者 {name} 摄", "资料图：{clause}",
     "{clause}（资料图）", "图：{clause}", "▲{clause}", "{clause}。 新华社记者 {name} 摄", "图片说明：{clause}",
     "{clause}。{media}记者 {name}/摄", "（图为{clause}）", "{clause}。 摄影/{name}", "{clause} 图/{name}",
     "{clause}。 受访者供图", "图片来源：{media}"],
)
HEADING_TPL = pool(
    "heading_tpl",
    ["{h}", "一、{h}", "（一）{h}", "●{h}", "{n}. {h}", "■ {h}", "【{h}】", "{cn}、{h}", "第{cn}部分 {h}", "◆{h}",
     "{h}", "0{n}", "▌{h}", "◎{h}", "{n}、{h}", "（{cn}）{h}", "小标题：{h}", "★{h}", "【{h}】", "{h}："],
)
SUBTITLE_TPL = pool(
    "subtitle_tpl",
    ["——{clause}", "——访{place}{unit}{pos}{name}", "——{place}{clause}综述", "——记{place}{unit}{name}", "—— {clause}",
     "——{clause}纪实", "——{clause}调查", "——写在{clause}之际", "——{place}推进{clause}侧记", "——{clause}观察"],
)
DIGEST_TITLES = pool(
    "digest_titles",
    ["{date}早报：{h}", "每日快讯丨{date}", "{date}新闻早知道", "今日要闻速览（{date}）", "晚间新闻精选 | {date}",
     "{date}科技快讯", "早报｜{h}", "一周要闻回顾（{date}）", "新闻联播要点 {date}", "{date}财经早餐",
     "{place}要闻汇总（{date}）", "午间快报：{h}", "热点速递 {date}", "{date}健康资讯汇总", "每日简报：{h}"],
)
DIGEST_INTRO = pool(
    "digest_intro",
    ["今天是{date}，{weekday}，以下是今日要闻：", "各位早上好，来看看今天有哪些值得关注的新闻。", "以下为今日重点新闻摘要：",
     "本期要闻如下：", "{date}，这些新闻值得关注。", "早上好！今天是{date}，农历{lunar}。", "一分钟了解今日热点：",
     "以下是过去24小时内的重要资讯。", "欢迎收看今日快讯。", "本周值得关注的几件大事："],
)
DIGEST_ITEM_TPL = pool("digest_item_tpl", ["{i}. {h}", "{i}、{h}", "【{cat}】{h}", "◆{h}", "{i}.{h}", "▲ {h}", "{h}", "・{h}", "{i}）{h}", "[{cat}]{h}"])
HARD_NEGATIVES = pool(
    "hard_negatives",
    ["{city}市中医院药剂科提醒，三黄片具有清热解毒的作用，但脾胃虚寒者应在医生指导下服用。",
     "该路口交通流量较大，交警部门在早晚高峰增派警力疏导。",
     "据统计，全市一次性塑料餐具的使用量较去年同期下降了三成。",
     "法院审理认为，此案性质恶劣、情节严重，依法应予从重处罚。",
     "税务部门提醒，消费者购买商品和服务时应主动索取发票，发票是维护自身权益的重要凭证。",
     "自然人申请代开发票的，须持本人身份证件到办税服务厅或通过电子税务局办理。",
     "受旅游业复苏带动，澳门博彩业收入连续三个月回升。",
     "彩票中心表示，本期一等奖共开出{n}注，奖池滚存{m}亿元。",
     "警方在行动中依法收缴非法枪支{n}支、子弹{m}发。",
     "禁毒宣传进校园活动在{city}举行，民警向学生讲解了毒品的危害和识别方法。",
     "网络刷单属于违法行为，消费者切勿轻信“高额返利”的宣传。",
     "兼职人员的劳动权益同样受法律保护，用人单位不得拖欠报酬。",
     "贷款利率下调后，首套房的月供有所减少。",
     "成人高考报名工作将于下月初开始，考生可登录省教育考试院网站报名。",
     "医生建议，出现尿频、尿急等症状时应及时就医，不要自行购买药物。",
     "这家酒店提供免费接送机服务，前台二十四小时有人值守。",
     "高速公路通行费发票可通过手机应用在线开具。",
     "学校开设了生理卫生和性别教育课程，帮助学生正确认识青春期变化。",
     "专家提醒，微信、QQ上要求转账的“熟人”很可能是骗子冒充，转账前务必电话核实。",
     "市场监管部门对销售假冒伪劣药品的行为开展了专项整治。",
     "该县依法打击赌博违法犯罪活动，共查处案件{n}起。",
     "新规明确，网络直播平台不得传播淫秽色情等违法信息。",
     "他在微信朋友圈写道：“坚持就是胜利。”",
     "工作人员提醒，办理身份证须本人到场采集指纹信息。",
     "展会期间，多家企业推出了一次性医用口罩自动化生产线。"],
)
PHOTO_CLAUSES = pool(
    "photo_clauses",
    ["志愿者在社区为老人测量血压", "工作人员正在检查设备运行情况", "市民在公园里晨练", "学生们在实验室里认真操作",
     "农民在田间收割水稻", "游客在景区拍照留念", "参会代表认真听取报告", "消防员正在进行实战演练", "医护人员为群众义诊",
     "施工人员在工地上紧张作业", "孩子们在操场上做游戏", "活动现场", "会议现场", "比赛现场", "展会现场一角",
     "新建成的大桥夜景", "村民在新居前合影", "工人在生产线上忙碌", "民警向群众发放宣传资料", "小朋友展示自己的作品"],
)

# ---------------------------------------------------------------------------------------------
# Spam templates (label spam)
# ---------------------------------------------------------------------------------------------

SPAM_JOINERS = pool("spam_joiners", [",", "，", " ", "|", "_", "、", " ", ",", "  ", "-", "，", "/", ";", " | "])
SPAM_AD_TPL = pool(
    "spam_ad_tpl",
    ["{t}请加微信 {wx} QQ:{qq} 电话{phone}", "{t}，联系QQ{qq}", "{t} 电话：{phone} 微信同号", "{t}{t2}，加微信：{wx}",
     "专业{t} 诚信经营 QQ{qq}", "{t} 咨询热线{phone}（微信同号）", "{t}找我 V信：{wx}", "{t}，详情请加QQ群{qq}",
     "{t} 手机{phone} 24小时在线", "诚招代理 {t} 加V：{wx}", "{t}，价格优惠，联系电话：{phone}", "{t}+Q{qq}",
     "{t}（微信：{wx}）", "{t}请联系{phone}王经理", "{t}{t2} 扣扣{qq} 信誉保证", "急需用钱？{t} 加微信{wx}",
     "{t}，速度快，保真，QQ：{qq}", "{t}|{t2}|联系:{phone}", "正规{t}，电话/微信：{phone}", "{t}找{name}，{phone}"],
)
SPAM_CASINO_TPL = pool(
    "spam_casino_tpl",
    ["{b} {url} 注册送{n}元", "{b}官网：{h}", "{b}|{url}", "{b}投注：{h}", "{h}-{b}", "{b} 首存送{n}% {url}",
     "{b}【{url}】信誉第一 提款秒到", "{b}娱乐城 {url} 真人视讯 彩票 体育", "{b}官方网站 {url}", "{b}开户 {url} 返水{k}%",
     "{b}app下载", "{b}：{h}", "点击进入{b} {url}", "{b} 唯一官网 {url} 日提款无上限", "{b}线上娱乐 注册就送{n}"],
)
SPAM_PREFIXES = pool("spam_prefixes", ["1000部", "免费", "在线", "最新", "高清", "2019", "国产", "日韩", "欧美", "午夜", "无码", "精品", "第一页", "永久", "最全"])
CASINO_SUFFIX = pool("casino_suffix", ["体育", "娱乐", "国际", "娱乐城", "棋牌", "彩票", "真人", "电竞", "官网", "平台", "集团", "网投"])
CASINO_STEMS = pool("casino_stems", "必威 十博 乐鱼 开云 九游 米乐 金沙 威尼斯人 新葡京 永利 太阳城 博彩 皇冠 银河 美高梅 亚博 万博 天博 宝盈 利来 博天堂 凯发 大发 鸿运 鼎盛")
OBFUSCATORS = pool("obfuscators", ["*", ".", " ", "\u200b", "-", "_", "·", "#", "^", "/", "〃", "丶"])


# ---------------------------------------------------------------------------------------------
# Smaller template pieces (kept in pools so that the test split has wordings of its own)
# ---------------------------------------------------------------------------------------------

WEATHER = pool("weather", "晴 多云 小雨 阴 雷阵雨 小雪 中雨 晴转多云 阵雨 雾")
ANON_AUTHORS = pool("anon_authors", ["佚名", "本站", "管理员", "admin", "网络", "小编", "未知", "匿名", "本网编辑", "站长"])
COUNT_FORMATS = pool("count_formats", ["{n}", "{n} 次", "({n})", "{n}次", "[{n}]", "{n}人", "{n} 人阅读", "{n}℃", "{n} 次浏览", "（{n}）"])
TAG_SEPS = pool("tag_seps", [" ", "  ", "，", ",", "、", " | ", ";", " / ", "　", " · "])
NO_COMMENT_LINES = pool("no_comment_lines", ["目前没有评论", "暂无评论", "还没有评论，快来抢沙发吧！", "目前没有跟贴，欢迎你发表观点", "暂无回复", "快来发表你的评论吧", "评论加载中...", "还没有人评论", "抢沙发", "暂时没有评论"])
AD_HEADINGS = pool("ad_headings", ["推广", "商家推荐", "赞助商链接", "广告", "点击财富", "合作推广", "热门推荐", "专题推荐", "精品推荐", "商业资讯", "品牌专区", "招商信息"])
ARCHIVE_HEADINGS = pool("archive_headings", ["存档", "随笔档案", "文章档案", "日志存档", "归档", "[博主]存档目录", "文章归档", "历史文章", "往期文章", "按月归档"])
CATEGORY_HEADINGS = pool("category_headings", ["随笔分类", "文章分类", "分类目录", "日志分类", "栏目导航", "个人类别", "分类", "文章类别", "博文分类", "专栏"])
CATEGORY_COUNTS = pool("category_counts", ["({n})", " ({n})", "(rss)", " (rss)", "", "[{n}]", "（{n}）", " {n}", "({n}篇)", " - {n}"])
RECENT_HEADINGS = pool("recent_headings", ["最新评论", "近期评论", "最新回复", "网友评论", "最新留言", "读者留言", "最近回复", "新评论", "热评", "网友热议"])
RECENT_FORMS = pool("recent_forms", ["{i}·{t}", "{t}", "〖{u}〗回复: 《{h}》\n{t}\n({d})", "{u}：{t}", "{u} 评论了 {h}\n{t}", "{u} 发表在《{h}》\n{t}", "Re:{h}\n{t}\n{u}", "{i}. {t}", "{u}\n{t}\n{d}", "{u} 说：{t}"])
LINK_HEADINGS = pool("link_headings", ["友情链接", "常用链接", "链接", "合作伙伴", "相关链接", "友情链接：", "友链", "合作媒体", "兄弟网站", "推荐网站"])
RATING_LABELS = pool("rating_labels", ["评分：", "总评：", "打分：", "综合评分：", "用户评分：", "星级："])
RATINGS = pool("ratings", ["★★★★★", "★★★★☆", "★★★☆☆", "4.5分", "5分", "3分", "4.8", "★★☆☆☆", "3.5分", "好评"])
HOT_ITEM_TPL = pool("hot_item_tpl", ["{h}", "· {h}", "{i}. {h}", "{i}{h}", "▪ {h}", "{h} {n}"])
HOT_LIST_TPL = pool("hot_list_tpl", ["{i}. {h}({n})", "{i}. {h} ({n})", "· {h}", "{h}", "{i}{h}{n}", "{h}阅读： {n}", "{i}、{h}", "[{i}] {h}", "{h}（{n}）", "No.{i} {h}"])
SEAT_WORDS = pool("seat_words", ["沙发", "板凳", "地板", "楼主", "地下室"])
COMMENT_LAYOUTS = pool("comment_layouts", list(range(12)))
NAV_EN = pool("nav_en", "Home News About|Us Contact Journals Research Services Products Login Register Search Sitemap Privacy Careers Events Media Resources Support Blog Forum Download Faculty Admissions Library Archives Subscribe")
JOURNALS = pool("journals", "现代市场营销 中国社会科学 经济研究 管理世界 教育研究 中国行政管理 图书情报工作 计算机学报 软件学报 物流技术 商业研究 江苏商论 情报杂志 科技导报 中华医学杂志 新闻与传播研究 社会学研究 法学研究 心理学报 地理学报")
REF_TYPES = pool("ref_types", ["J", "M", "D", "C", "N", "EB/OL"])
ABSTRACT_LABELS = pool("abstract_labels", ["摘要：", "摘要:", "【摘要】", "内容提要：", "摘 要：", "提要："])
KEYWORD_LABELS = pool("keyword_labels", ["关键词：", "关键词:", "【关键词】", "关键字：", "Key words:"])
REF_HEADINGS = pool("ref_headings", ["参考文献", "参考文献：", "【参考文献】", "注释", "References", "参考资料"])
LIST_ITEM_TPL = pool("list_item_tpl", ["{i}、{h}", "{i}. {h}", "（{i}）{h}", "{i}) {h}", "● {h}", "- {h}", "{cn}是{h}", "第{cn}，{h}", "◆ {h}", "{i}.{h}"])
CHANNEL_SLOGANS = pool(
    "channel_slogans",
    ["拉近你与现场距离", "深度记录社会冷暖", "看见新闻全球化", "洞悉中国动向的时政解读", "倾听复杂世界的弦外之音", "司法个案，法治调查",
     "快速专业的人事信息集合地", "发现历史之美", "微时代的首选书单", "旅途的旨趣、技艺以及乡愁", "更好生活，我们有一些意见", "理解孩子，认知自己",
     "专注汽车产经报道", "每日一条视频，与新闻同步", "聚焦前沿，展现新兴企业", "记录公益发展，共建责任生态", "人间真善美，社会正能量",
     "用态度引领时尚", "看体育如何改变世界", "探索身体的奥秘", "一线文艺生活", "名家专家，上天入地", "打破次元壁", "简单专业时尚的财富平台",
     "地产界所有你想知道的事儿", "跨界找寻市场常识", "金融创新灵感集散地", "让我们走近科学", "品牌课外书，生活经济学", "数字是骨骼，设计是灵魂"],
)
