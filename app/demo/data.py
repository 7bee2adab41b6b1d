"""Fixed reference material for the demo data set.

The universities and the named events come from the Ministry of Education's report on the 2023
“百日冲刺” campaign (see SPEC.md); employers are made up from the building blocks below, and no
generated name is meant to be that of a real organisation.
"""

import datetime as dt

# --- Universities: (学校标识码, name, province, relative activity in visits and events) ---

UNIVERSITIES: list[tuple[str, str, str, int]] = [
    ("4111010001", "北京大学", "11", 9),
    ("4111010003", "清华大学", "11", 9),
    ("4111010004", "北京交通大学", "11", 6),
    ("4111010010", "北京化工大学", "11", 5),
    ("4112010056", "天津大学", "12", 7),
    ("4113010075", "河北大学", "13", 5),
    ("4131010264", "上海海洋大学", "31", 4),
    ("4137010425", "中国石油大学（华东）", "37", 6),
    ("4137010431", "齐鲁工业大学", "37", 5),
    ("4143010532", "湖南大学", "43", 7),
    ("4144010558", "中山大学", "44", 8),
    ("4151010614", "电子科技大学", "51", 8),
    ("4154010694", "西藏大学", "54", 3),
    ("4165010755", "新疆大学", "65", 4),
]

# --- Campaigns ---

CAMPAIGNS: list[dict] = [
    {
        "slug": "2022-sprint",
        "name": "2022届高校毕业生就业“百日冲刺”行动",
        "start_date": dt.date(2022, 5, 1),
        "end_date": dt.date(2022, 8, 31),
        "previous": None,
    },
    {
        "slug": "2023-sprint",
        "name": "2023届高校毕业生就业“百日冲刺”行动",
        "start_date": dt.date(2023, 5, 1),
        "end_date": dt.date(2023, 8, 31),
        "previous": "2022-sprint",
    },
]

# --- Employer names: city prefix + word stem + industry-appropriate suffix ---

# Per province: (6-digit GB/T 2260 division code used in the 统一社会信用代码, city prefix).
CITIES: dict[str, list[tuple[str, str]]] = {
    "11": [("110108", "北京"), ("110105", "北京"), ("110115", "北京")],
    "12": [("120116", "天津"), ("120104", "天津")],
    "13": [("130100", "石家庄"), ("130600", "保定"), ("130200", "唐山")],
    "14": [("140100", "太原")],
    "15": [("150100", "呼和浩特"), ("150200", "包头")],
    "21": [("210100", "沈阳"), ("210200", "大连")],
    "22": [("220100", "长春")],
    "23": [("230100", "哈尔滨")],
    "31": [("310115", "上海"), ("310104", "上海"), ("310112", "上海")],
    "32": [("320100", "南京"), ("320500", "苏州"), ("320200", "无锡")],
    "33": [("330100", "杭州"), ("330200", "宁波")],
    "34": [("340100", "合肥"), ("340200", "芜湖")],
    "35": [("350100", "福州"), ("350200", "厦门")],
    "36": [("360100", "南昌")],
    "37": [("370100", "济南"), ("370200", "青岛"), ("370500", "东营")],
    "41": [("410100", "郑州"), ("410300", "洛阳")],
    "42": [("420100", "武汉"), ("420500", "宜昌")],
    "43": [("430100", "长沙"), ("430200", "株洲")],
    "44": [("440100", "广州"), ("440300", "深圳"), ("440600", "佛山"), ("441900", "东莞")],
    "45": [("450100", "南宁"), ("450200", "柳州")],
    "46": [("460100", "海口")],
    "50": [("500112", "重庆"), ("500105", "重庆")],
    "51": [("510100", "成都"), ("510700", "绵阳")],
    "52": [("520100", "贵阳")],
    "53": [("530100", "昆明")],
    "54": [("540100", "拉萨")],
    "61": [("610100", "西安")],
    "62": [("620100", "兰州")],
    "63": [("630100", "西宁")],
    "64": [("640100", "银川")],
    "65": [("650100", "乌鲁木齐"), ("650200", "克拉玛依")],
}

# Relative number of employers per province: the big coastal economies host the most.
EMPLOYER_PROVINCE_WEIGHTS: dict[str, int] = {
    "44": 11, "32": 10, "11": 9, "33": 8, "31": 8, "37": 6, "51": 5, "42": 5,
    "43": 4, "41": 4, "65": 4, "12": 3, "13": 3, "35": 3, "34": 3, "61": 3,
    "50": 3, "21": 2, "36": 2, "45": 2, "53": 2, "54": 1, "52": 1, "14": 1,
    "22": 1, "23": 1, "15": 1, "46": 1, "62": 1, "63": 1, "64": 1,
}  # fmt: skip

WORD_STEMS: list[str] = [
    "华信", "恒通", "中科", "远景", "启明", "鼎盛", "博达", "天润", "新元", "瑞康",
    "联创", "金桥", "宏图", "海纳", "汇智", "致远", "嘉禾", "明德", "浩瀚", "晟达",
    "锐思", "卓越", "睿博", "云帆", "星辰", "长风", "弘毅", "鸿运", "润泽", "百川",
    "青禾", "骏驰", "盛世", "万维", "科华", "泰和", "安和", "永信", "东方", "创新",
    "蓝海", "同舟", "凯瑞", "君泰", "中恒", "华辰", "齐越", "天工", "峰岭", "知行",
]  # fmt: skip

# Suffixes per GB/T 4754 section; one without “公司” or “银行” names an institution, not a company.
INDUSTRY_SUFFIXES: dict[str, list[str]] = {
    "A": ["现代农业发展有限公司", "种业股份有限公司", "生态农业科技有限公司", "农牧集团有限公司"],
    "B": ["矿业集团有限公司", "石油技术服务有限公司", "能源开发股份有限公司", "煤业有限责任公司"],
    "C": [
        "精密机械股份有限公司", "微电子科技有限公司", "新能源汽车有限公司", "生物制药股份有限公司",
        "智能装备集团股份有限公司", "新材料科技有限公司", "化工集团股份有限公司", "电气有限公司",
        "食品股份有限公司", "集成电路设计有限公司", "光电科技有限公司", "纺织服饰有限公司",
    ],
    "D": ["电力集团有限公司", "燃气股份有限公司", "水务集团有限公司", "新能源发电有限公司"],
    "E": ["建设集团股份有限公司", "建工集团有限公司", "路桥工程有限公司", "建筑安装工程有限公司"],
    "F": ["商贸有限公司", "供应链管理有限公司", "医药连锁有限公司", "电子商务有限公司"],
    "G": ["物流股份有限公司", "轨道交通集团有限公司", "港务集团有限公司", "快递服务有限公司"],
    "H": ["酒店管理有限公司", "餐饮管理有限公司", "旅游度假酒店有限公司"],
    "I": [
        "科技有限公司", "网络科技有限公司", "软件股份有限公司", "信息技术有限公司",
        "数据服务有限公司", "云计算科技有限公司", "人工智能科技有限公司",
    ],
    "J": ["农村商业银行", "村镇银行", "证券股份有限公司", "人寿保险股份有限公司", "金融租赁有限公司"],
    "K": ["置业有限公司", "房地产开发集团有限公司", "物业服务股份有限公司"],
    "L": ["人力资源服务有限公司", "企业管理咨询有限公司", "会计师事务所有限公司", "会展服务有限公司"],
    "M": ["设计研究院有限公司", "检测技术有限公司", "工程咨询有限公司", "科学研究院", "设计研究院"],
    "N": ["环保科技有限公司", "水利工程有限公司", "环境治理股份有限公司", "园林绿化工程有限公司"],
    "O": ["家政服务有限公司", "汽车维修服务有限公司", "养老服务有限公司"],
    "P": ["实验学校", "外国语学校", "职业技术学校", "教育科技有限公司"],
    "Q": ["医院", "口腔医院", "康复医院", "中西医结合医院", "医疗集团有限公司"],
    "R": ["文化传媒有限公司", "影视制作有限公司", "出版传媒股份有限公司", "体育文化发展有限公司"],
    "S": ["人才发展服务中心", "社区服务中心", "公共就业服务中心", "社会工作服务中心"],
    "T": ["国际交流合作中心", "国际发展组织驻华代表处"],
}  # fmt: skip

# Relative number of employers per industry: manufacturing and IT hire the most graduates.
INDUSTRY_WEIGHTS: dict[str, int] = {
    "C": 26, "I": 16, "M": 8, "E": 6, "J": 6, "F": 5, "P": 5, "Q": 5, "G": 4, "L": 4,
    "D": 3, "K": 3, "B": 2, "A": 2, "N": 2, "R": 2, "S": 2, "H": 1, "O": 1, "T": 1,
}  # fmt: skip

# Ownership of companies, per industry; institutions are public, except international organisations.
_STATE_LED = {"state": 65, "private": 25, "foreign": 5, "other": 5}
_MARKET_LED = {"state": 20, "private": 62, "foreign": 12, "other": 6}
COMPANY_OWNERSHIP_WEIGHTS: dict[str, dict[str, int]] = {
    "A": {"state": 30, "private": 55, "other": 15},
    "B": _STATE_LED,
    "D": _STATE_LED,
    "G": _STATE_LED,
    "N": _STATE_LED,
    "J": {"state": 55, "private": 25, "foreign": 15, "other": 5},
}
DEFAULT_COMPANY_OWNERSHIP_WEIGHTS: dict[str, int] = _MARKET_LED
INSTITUTION_OWNERSHIP: dict[str, str] = {"T": "other"}
DEFAULT_INSTITUTION_OWNERSHIP = "public_institution"

# 统一社会信用代码 positions 1–2: registration authority and kind (GB 32100-2015).
USCC_REGISTRATION_PREFIX: dict[str, str] = {"public_institution": "12"}  # 机构编制, 事业单位
DEFAULT_USCC_REGISTRATION_PREFIX = "91"  # 工商, 企业
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

SIZE_WEIGHTS: dict[str, dict[str, int]] = {
    "state": {"large": 45, "medium": 40, "small": 15},
    "private": {"large": 10, "medium": 30, "small": 40, "micro": 20},
    "foreign": {"large": 35, "medium": 45, "small": 20},
    "public_institution": {"large": 20, "medium": 50, "small": 30},
    "other": {"medium": 30, "small": 50, "micro": 20},
}
# A group (集团) is never small, whoever owns it.
GROUP_SIZE_WEIGHTS: dict[str, int] = {"large": 60, "medium": 40}

# --- What employers look for ---

MAJORS: dict[str, list[str]] = {
    "A": ["农学", "动物科学", "园艺", "食品科学与工程", "农业资源与环境"],
    "B": ["石油工程", "采矿工程", "地质工程", "资源勘查工程", "安全工程"],
    "C": [
        "机械设计制造及其自动化", "电子信息工程", "集成电路设计与集成系统", "微电子科学与工程",
        "化学工程与工艺", "材料科学与工程", "车辆工程", "制药工程", "自动化",
    ],
    "D": ["电气工程及其自动化", "能源与动力工程", "新能源科学与工程", "给排水科学与工程"],
    "E": ["土木工程", "建筑学", "工程管理", "道路桥梁与渡河工程", "工程造价"],
    "F": ["市场营销", "电子商务", "物流管理", "国际经济与贸易"],
    "G": ["交通运输", "物流工程", "轨道交通信号与控制", "港口航道与海岸工程", "航海技术"],
    "H": ["酒店管理", "旅游管理", "烹饪与营养教育"],
    "I": ["计算机科学与技术", "软件工程", "数据科学与大数据技术", "人工智能", "网络工程", "通信工程"],
    "J": ["金融学", "会计学", "经济学", "保险学", "统计学", "金融工程"],
    "K": ["工程管理", "房地产开发与管理", "物业管理"],
    "L": ["人力资源管理", "工商管理", "会计学", "法学"],
    "M": ["化学", "物理学", "生物科学", "测绘工程", "环境工程", "材料物理"],
    "N": ["环境工程", "水利水电工程", "环境科学", "风景园林"],
    "O": ["社会工作", "老年服务与管理", "汽车服务工程"],
    "P": ["汉语言文学", "数学与应用数学", "英语", "学前教育", "体育教育", "思想政治教育"],
    "Q": ["临床医学", "护理学", "药学", "口腔医学", "中医学", "预防医学"],
    "R": ["新闻学", "广播电视编导", "数字媒体艺术", "体育经济与管理", "视觉传达设计"],
    "S": ["行政管理", "社会工作", "法学", "公共事业管理"],
    "T": ["国际政治", "外交学", "英语", "国际经济与贸易"],
}  # fmt: skip

JOB_TITLES: dict[str, list[str]] = {
    "A": ["农业技术员", "育种研发助理", "养殖技术员", "农产品质量检测员"],
    "B": ["采油工程师", "地质勘探技术员", "矿山安全工程师", "钻井工程师"],
    "C": [
        "机械设计工程师", "工艺工程师", "质量工程师", "电气工程师", "芯片验证工程师",
        "模拟IC设计工程师", "研发工程师", "生产管理培训生", "制药工艺员", "设备维护工程师",
    ],
    "D": ["变电运维值班员", "电气检修工程师", "新能源项目专员", "调度员"],
    "E": ["施工员", "造价工程师", "结构设计师", "项目技术员", "测量员"],
    "F": ["储备店长", "采购专员", "电商运营专员", "销售代表"],
    "G": ["调度员", "物流规划专员", "轨道交通信号工程师", "网点运营管理培训生"],
    "H": ["酒店管理培训生", "前厅主管储备", "餐饮运营专员"],
    "I": [
        "Java开发工程师", "前端开发工程师", "算法工程师", "测试工程师", "运维工程师",
        "数据分析师", "产品经理", "嵌入式软件工程师",
    ],
    "J": ["综合柜员", "客户经理", "风险管理岗", "金融科技岗", "理财顾问", "管理培训生"],
    "K": ["置业顾问", "工程管理岗", "物业管理员"],
    "L": ["人力资源专员", "审计助理", "咨询顾问", "会展策划专员"],
    "M": ["研发助理", "检测工程师", "设计师", "科研助理", "技术咨询工程师"],
    "N": ["环境监测员", "水利工程技术员", "环保工程师", "园林设计师"],
    "O": ["社工助理", "养老护理管理员", "汽车维修技师"],
    "P": ["语文教师", "数学教师", "英语教师", "幼儿教师", "体育教师", "教务管理岗"],
    "Q": ["住院医师", "护士", "药师", "康复治疗师", "医学检验技师"],
    "R": ["新媒体编辑", "视频剪辑师", "记者", "赛事运营专员"],
    "S": ["综合管理岗", "社区工作者", "就业服务专员"],
    "T": ["项目助理", "国际合作专员", "翻译"],
}  # fmt: skip

# Relative shares of the education a vacancy asks for; research and teaching ask for more.
EDUCATION_WEIGHTS: dict[str, int] = {
    "any": 10, "vocational": 12, "bachelor": 52, "master": 21, "doctorate": 5,
}  # fmt: skip
ADVANCED_EDUCATION_WEIGHTS: dict[str, int] = {
    "any": 3, "vocational": 2, "bachelor": 35, "master": 40, "doctorate": 20,
}  # fmt: skip
ADVANCED_EDUCATION_INDUSTRIES = "MP"

# --- Visits (访企拓岗) ---

LEADER_LEVEL_WEIGHTS: dict[str, int] = {
    "principal": 10,
    "leader": 25,
    "department": 40,
    "staff": 25,
}

VISIT_NOTES: list[str] = [
    "书记校长带队走访，达成校园招聘合作意向",
    "签订就业实习基地协议",
    "校企共建人才培养基地，商定下半年专场招聘",
    "回访校友企业，对接用人需求",
    "了解企业急需紧缺岗位，推荐重点群体毕业生",
    "邀请企业参加“万企进校园”双选会",
]

# --- Recruitment events (招聘活动) ---

# Named in the report; dates are plausible days within the campaign. `participants` says how many
# employers came and which ones are preferred; `positions`, when given, is the headcount their
# vacancies add up to.
NAMED_EVENTS_2023: list[dict] = [
    {
        "event": {
            "title": "“荟聚芯人 共创蓉城”集成电路行业专场招聘会",
            "kind": "industry_fair",
            "mode": "onsite",
            "start_date": dt.date(2023, 5, 27),
            "end_date": dt.date(2023, 5, 27),
            "province": "51",
            "university_code": "4151010614",
            "organizer_name": "电子科技大学",
            "industry": "C",
            "attendance": 2100,
        },
        "participants": {"count": 40, "industries": "CI", "provinces": ["51"]},
    },
    {
        "event": {
            "title": "广东省生态环保低碳节能专场供需见面活动",
            "kind": "industry_fair",
            "mode": "onsite",
            "start_date": dt.date(2023, 6, 9),
            "end_date": dt.date(2023, 6, 9),
            "province": "44",
            "organizer_name": "广东省教育厅",
            "industry": "N",
            "attendance": 3700,
        },
        # 300余家 in the report, scaled to the demo's employers.
        "participants": {"count": 60, "industries": "NDMC", "provinces": ["44"]},
        "positions": 6409,
        "vacancies": 100,
    },
    {
        "event": {
            "title": "新疆维吾尔自治区高校毕业生国企专场招聘会（网络招聘专区）",
            "kind": "online_fair",
            "mode": "online",
            "start_date": dt.date(2023, 6, 16),
            "end_date": dt.date(2023, 6, 30),
            "province": "65",
            "organizer_name": "新疆维吾尔自治区人力资源社会保障厅、教育厅、国资委",
            "attendance": 5600,
        },
        # 163家国有企业 in the report, scaled to the demo's employers.
        "participants": {"count": 45, "ownership": "state", "provinces": ["65"]},
        "positions": 2043,
        "vacancies": 60,
    },
    {
        "event": {
            "title": "上海海洋大学“直播带岗”水产与生命学院专场",
            "kind": "livestream",
            "mode": "online",
            "start_date": dt.date(2023, 5, 16),
            "end_date": dt.date(2023, 5, 16),
            "province": "31",
            "university_code": "4131010264",
            "organizer_name": "上海海洋大学",
            "industry": "A",
            "attendance": 1200,
        },
        "participants": {"count": 5, "industries": "ACF", "provinces": ["31"]},
    },
    {
        "event": {
            "title": "上海海洋大学“直播带岗”海洋科学学院专场",
            "kind": "livestream",
            "mode": "online",
            "start_date": dt.date(2023, 6, 6),
            "end_date": dt.date(2023, 6, 6),
            "province": "31",
            "university_code": "4131010264",
            "organizer_name": "上海海洋大学",
            "industry": "M",
            "attendance": 860,
        },
        "participants": {"count": 5, "industries": "MNG", "provinces": ["31"]},
    },
    {
        "event": {
            "title": "上海海洋大学“直播带岗”信息学院专场",
            "kind": "livestream",
            "mode": "hybrid",
            "start_date": dt.date(2023, 7, 11),
            "end_date": dt.date(2023, 7, 11),
            "province": "31",
            "university_code": "4131010264",
            "organizer_name": "上海海洋大学",
            "industry": "I",
            "attendance": 950,
        },
        "participants": {"count": 6, "industries": "I", "provinces": ["31"]},
    },
    {
        "event": {
            "title": "国家大学生就业服务平台“华东六省一市重点地区专场”",
            "kind": "online_fair",
            "mode": "online",
            "start_date": dt.date(2023, 6, 12),
            "end_date": dt.date(2023, 6, 25),
            "province": "11",
            "organizer_name": "国家大学生就业服务平台",
            "attendance": 86000,
        },
        "participants": {"count": 80, "provinces": ["31", "32", "33", "34", "35", "36", "37"]},
    },
    {
        "event": {
            "title": "国家大学生就业服务平台“交通运输与邮政快递行业专场”",
            "kind": "online_fair",
            "mode": "online",
            "start_date": dt.date(2023, 7, 3),
            "end_date": dt.date(2023, 7, 16),
            "province": "11",
            "organizer_name": "国家大学生就业服务平台",
            "industry": "G",
            "attendance": 32000,
        },
        "participants": {"count": 40, "industries": "G"},
    },
    {
        "event": {
            "title": "重点领域人才校企供需对接会",
            "kind": "industry_fair",
            "mode": "onsite",
            "start_date": dt.date(2023, 7, 7),
            "end_date": dt.date(2023, 7, 7),
            "province": "11",
            "organizer_name": "教育部",
            # Enterprises met universities, not graduates.
            "attendance": 0,
        },
        "participants": {"count": 35, "industries": "DCBM", "ownership": "state"},
    },
    {
        "event": {
            "title": "就业育人“政行企校”四方协作对接洽谈会",
            "kind": "job_fair",
            "mode": "onsite",
            "start_date": dt.date(2023, 6, 20),
            "end_date": dt.date(2023, 6, 20),
            "province": "37",
            "university_code": "4137010431",
            "organizer_name": "山东省人力资源社会保障厅、教育厅、齐鲁工业大学",
            "attendance": 1500,
        },
        "participants": {"count": 30, "industries": "CF", "provinces": ["37"]},
    },
    {
        "event": {
            "title": "“学石油、爱石油、献身石油”石油石化能源行业专场招聘会",
            "kind": "industry_fair",
            "mode": "onsite",
            "start_date": dt.date(2023, 5, 12),
            "end_date": dt.date(2023, 5, 12),
            "province": "37",
            "university_code": "4137010425",
            "organizer_name": "中国石油大学（华东）",
            "industry": "B",
            "attendance": 2800,
        },
        "participants": {"count": 30, "industries": "BDC", "ownership": "state"},
    },
    {
        "event": {
            "title": "湖南大学2023届困难毕业生就业帮扶专场双选会",
            "kind": "job_fair",
            "mode": "hybrid",
            "start_date": dt.date(2023, 7, 5),
            "end_date": dt.date(2023, 7, 6),
            "province": "43",
            "university_code": "4143010532",
            "organizer_name": "湖南大学",
            "attendance": 1100,
        },
        "participants": {"count": 25, "provinces": ["43"]},
    },
    {
        "event": {
            "title": "2023届高校毕业生离校未就业专场网上招聘会",
            "kind": "online_fair",
            "mode": "online",
            "start_date": dt.date(2023, 8, 1),
            "end_date": dt.date(2023, 8, 31),
            "province": "11",
            "organizer_name": "教育部",
            "attendance": 48000,
        },
        "participants": {"count": 60},
    },
    {
        "event": {
            "title": "高校残疾人毕业生网络招聘活动",
            "kind": "online_fair",
            "mode": "online",
            "start_date": dt.date(2023, 7, 20),
            "end_date": dt.date(2023, 8, 20),
            "province": "11",
            "organizer_name": "教育部",
            "attendance": 3200,
        },
        "participants": {"count": 25, "industries": "IFL"},
    },
]

# Generic events: relative share of each kind, and the modes each kind is held in.
EVENT_KIND_WEIGHTS: dict[str, int] = {
    "job_fair": 30, "info_session": 30, "industry_fair": 12, "livestream": 14, "online_fair": 14,
}  # fmt: skip
EVENT_MODE_WEIGHTS: dict[str, dict[str, int]] = {
    "job_fair": {"onsite": 70, "hybrid": 20, "online": 10},
    "info_session": {"onsite": 70, "online": 20, "hybrid": 10},
    "industry_fair": {"onsite": 70, "hybrid": 30},
    "livestream": {"online": 85, "hybrid": 15},
    "online_fair": {"online": 100},
}
# (fewest, most) employers at an event of each kind, and graduate attendances.
EVENT_PARTICIPANTS: dict[str, tuple[int, int]] = {
    "job_fair": (15, 45), "info_session": (1, 1), "industry_fair": (10, 30),
    "livestream": (2, 8), "online_fair": (30, 80),
}  # fmt: skip
EVENT_ATTENDANCE: dict[str, tuple[int, int]] = {
    "job_fair": (800, 5000), "info_session": (50, 400), "industry_fair": (500, 3000),
    "livestream": (200, 3000), "online_fair": (1000, 20000),
}  # fmt: skip
# Placeholders: {org} organizer, {year} graduating cohort, {theme} industry theme, {employer}.
EVENT_TITLES: dict[str, list[str]] = {
    "job_fair": [
        "{org}{year}届毕业生“百日冲刺”双选会",
        "{org}{year}届毕业生夏季校园双选会",
        "{org}“万企进校园”{year}届毕业生专场双选会",
    ],
    "info_session": ["{employer}{year}届校园招聘宣讲会"],
    "industry_fair": ["{org}{theme}行业专场招聘会", "{org}{year}届毕业生{theme}领域专场双选会"],
    "livestream": ["{org}“直播带岗”{theme}专场", "{org}就业“云直播”：{theme}名企带岗"],
    "online_fair": [
        "{org}{year}届毕业生网络招聘会",
        "{org}{year}届毕业生“24365”网络专场招聘会",
    ],
}
INDUSTRY_THEMES: dict[str, str] = {
    "A": "现代农业", "B": "能源矿业", "C": "智能制造", "D": "能源电力", "E": "建筑工程",
    "G": "交通运输", "I": "信息技术", "J": "金融", "M": "科研院所", "P": "教育", "Q": "医疗卫生",
}  # fmt: skip
# Events a provincial department runs, rather than a university.
EDUCATION_DEPARTMENTS: dict[str, str] = {
    "11": "北京市教育委员会",
    "32": "江苏省教育厅",
    "33": "浙江省教育厅",
    "36": "江西省教育厅",
    "42": "湖北省教育厅",
    "44": "广东省教育厅",
    "51": "四川省教育厅",
    "52": "贵州省教育厅",
}
DEPARTMENT_EVENT_SHARE = 0.15

# --- Policy positions (政策性岗位) ---

# Per program: the industries of its employers, the provinces it recruits for, and job titles.
WESTERN_PROVINCES = ["15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]
POLICY_PROGRAMS: dict[str, dict] = {
    "special_post_teacher": {
        "industries": "P",
        "provinces": ["13", "14", "36", "41", "42", "43", *WESTERN_PROVINCES],
        "titles": [
            "特岗教师（语文）",
            "特岗教师（数学）",
            "特岗教师（英语）",
            "特岗教师（音体美）",
        ],
    },
    "three_supports": {
        "industries": "AQS",
        "provinces": ["13", "14", "22", "23", "34", "35", "36", "37", "41", "43", "45", "52"],
        "titles": ["三支一扶（支农）", "三支一扶（支医）", "三支一扶（帮扶乡村振兴）"],
    },
    "western_volunteer": {
        "industries": "S",
        "provinces": WESTERN_PROVINCES,
        "titles": ["西部计划志愿者（基层社会管理）", "西部计划志愿者（基础教育）"],
    },
    "community": {
        "industries": "SO",
        # Not Tianjin ("12"): its positions are exactly those of TIANJIN_POLICY_POSITIONS.
        "provinces": ["11", "31", "32", "33", "35", "37", "44", "50"],
        "titles": ["城乡社区专项计划社区工作者", "社区综合服务岗"],
    },
    "rural_doctor": {
        "industries": "Q",
        "provinces": ["36", "41", "43", "45", "52", "53", "62"],
        "titles": ["大学生乡村医生", "村卫生室全科医生"],
    },
}
POLICY_EDUCATION: dict[str, str] = {
    "special_post_teacher": "bachelor",
    "three_supports": "any",
    "western_volunteer": "any",
    "community": "bachelor",
    "rural_doctor": "vocational",
}
# Tianjin's 1.68万 policy positions, 10.3% more than the year before, scaled down a hundredfold:
# campaign slug -> (vacancies, their total headcount).
TIANJIN_POLICY_POSITIONS: dict[str, tuple[int, int]] = {
    "2023-sprint": (12, 168),
    "2022-sprint": (11, 152),
}
TIANJIN_POLICY_PROGRAMS = ["three_supports", "community", "special_post_teacher"]
