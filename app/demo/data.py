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

# --- The ledger of graduates in difficulty (重点群体毕业生帮扶台账) ---

# Graduates on each university's ledger, per cohort: most in Hunan, whose 4.4万 困难毕业生 the
# report tells of, and Sichuan, whose 两本台账 it does; the 2022 cohort is there to compare with.
ASSISTED_GRADUATES: dict[int, dict[str, int]] = {
    2023: {
        "4143010532": 96, "4151010614": 70, "4111010001": 8, "4111010003": 6,
        "4111010004": 14, "4111010010": 12, "4112010056": 10, "4113010075": 18,
        "4131010264": 8, "4137010425": 10, "4137010431": 12, "4144010558": 10,
        "4154010694": 10, "4165010755": 16,
    },
    2022: {
        "4143010532": 32, "4151010614": 24, "4111010001": 3, "4111010003": 2,
        "4111010004": 4, "4111010010": 4, "4112010056": 3, "4113010075": 6,
        "4131010264": 3, "4137010425": 3, "4137010431": 4, "4144010558": 3,
        "4154010694": 4, "4165010755": 5,
    },
}  # fmt: skip

# Day ranges (month, day) of the cohort's year within which a status is recorded.
STATUS_WINDOWS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "spring": ((5, 5), (6, 30)),  # 升学: admissions settled after the 复试
    "summer": ((5, 8), (8, 31)),  # signed and flexible work, most of it around graduation
    "late_summer": ((7, 1), (8, 31)),  # 基层项目 results; 暂不就业 decided
    "august": ((8, 1), (8, 31)),  # 参军: approved as a 预定新兵
    "autumn": ((9, 10), (10, 31)),  # placed after leaving school (离校未就业, followed up)
}

# What became of each cohort's graduates, in percent: the statuses each went through after
# 未就业 (entered in March), with their windows. A cohort's graduates are apportioned to these
# exactly (largest remainders) and each university gets its share of each, about (rounded).
# 2023: 90% placed by 31 August, 5% placed in the autumn, 5% not placed.
# 2022: 84% by 31 August, 8% in the autumn, 8% not placed.
LEDGER_OUTCOMES: dict[int, list[tuple[int, tuple[tuple[str, str], ...]]]] = {
    2023: [
        (48, (("signed", "summer"),)),
        (10, (("flexible", "summer"),)),
        (2, (("flexible", "summer"), ("signed", "autumn"))),
        (12, (("further_study", "spring"),)),
        (3, (("military", "august"),)),
        (15, (("grassroots", "late_summer"),)),
        (3, (("signed", "autumn"),)),
        (1, (("military", "autumn"),)),
        (1, (("flexible", "autumn"),)),
        (1, (("not_seeking", "late_summer"),)),
        (4, ()),
    ],
    2022: [
        (44, (("signed", "summer"),)),
        (12, (("flexible", "summer"),)),
        (2, (("flexible", "summer"), ("signed", "autumn"))),
        (10, (("further_study", "spring"),)),
        (3, (("military", "august"),)),
        (13, (("grassroots", "late_summer"),)),
        (5, (("signed", "autumn"),)),
        (1, (("military", "autumn"),)),
        (2, (("flexible", "autumn"),)),
        (2, (("not_seeking", "late_summer"),)),
        (6, ()),
    ],
}

# Percent of a university's graduates NOT served to the 1-2-3 standard (一次单独咨询、两次简历
# 修改、三次就业推荐), per cohort and province ("" for the rest): Hunan, which set the rule,
# nearly all in 2023.
BELOW_STANDARD_PERCENT: dict[int, dict[str, int]] = {
    2023: {"43": 4, "": 12},
    2022: {"43": 25, "": 30},
}
# What a graduate below the standard is short of, relative weights: mostly a referral or two.
SHORTFALL_WEIGHTS: dict[str, int] = {"referral": 70, "resume": 20, "consultation": 10}
# Referrals of a graduate served to the standard, and how often each number is.
REFERRALS_WEIGHTS: dict[int, int] = {3: 65, 4: 25, 5: 10}
# Percent of graduates given a second consultation in May or June, and a third résumé revision.
SECOND_CONSULTATION_PERCENT = 5
THIRD_RESUME_PERCENT = 10

# 宏志助航计划: percent of each university's graduates trained, per cohort; the days its
# offline sessions began (Saturdays in April to June), and their length (3 days × 8 学时).
HONGZHI_PERCENT: dict[int, int] = {2023: 35, 2022: 25}
HONGZHI_PROGRAMME = "宏志助航计划"
HONGZHI_HOURS = 24
HONGZHI_SESSIONS: dict[int, list[dt.date]] = {
    2023: [dt.date(2023, 4, 15), dt.date(2023, 5, 13), dt.date(2023, 6, 10)],
    2022: [dt.date(2022, 4, 16), dt.date(2022, 5, 14), dt.date(2022, 6, 11)],
}
HONGZHI_NOTES: list[str] = [
    "宏志助航计划线下培训：职业生涯规划、求职技能、模拟面试",
    "宏志助航计划线下培训：简历制作、面试礼仪、职场适应",
    "宏志助航计划专题培训：求职心理调适与职业素养",
]
# Universities that ran a camp for their graduates not placed on leaving (北京交通大学's 线上
# 就业指导训练营, in the report), in September: programme, hours, note.
FOLLOW_UP_CAMPS: dict[str, tuple[str, int, str]] = {
    "4111010004": (
        "线上就业指导训练营",
        12,
        "离校未就业毕业生线上训练营：心理调适、简历诊断、模拟面试",
    ),
}
# 一次性求职创业补贴 (the demo's amount, in yuan), for the graduates of these key groups.
SUBSIDY_AMOUNT = 1000
SUBSIDY_GROUPS = {"poverty_registered", "minimum_living", "disabled"}
# Percent of graduates given a counselling session along the way (those still not placed in
# October all are).
COUNSELLING_PERCENT = 8

# Key groups: the first one of each graduate, relative weights; then, for some, a second.
GROUP_WEIGHTS: dict[str, int] = {
    "poverty_registered": 45, "minimum_living": 25, "zero_employment": 6, "disabled": 6,
    "other": 18,
}  # fmt: skip
SECOND_GROUP_PERCENT = 12
SECOND_GROUPS: dict[str, list[str]] = {
    "poverty_registered": ["disabled", "zero_employment"],
    "minimum_living": ["disabled", "zero_employment"],
    "zero_employment": ["minimum_living"],
    "disabled": ["minimum_living", "poverty_registered"],
    "other": ["disabled"],
}

# Percent of each cohort's graduates who finish a master's degree (the rest a bachelor's); all
# are born in 2000–2002, so the 2022 cohort's are bachelors only.
MASTER_PERCENT: dict[int, int] = {2023: 15, 2022: 0}

# Majors per university: bachelor's, then master's (专业学位类别 and 学科).
UNIVERSITY_MAJORS: dict[str, tuple[list[str], list[str]]] = {
    "4111010001": (
        ["汉语言文学", "历史学", "哲学", "社会学", "数学与应用数学", "物理学", "化学", "经济学", "法学"],
        ["法律", "社会工作", "新闻与传播", "应用统计"],
    ),
    "4111010003": (
        ["计算机科学与技术", "电气工程及其自动化", "土木工程", "机械工程", "建筑学", "化学工程与工艺"],
        ["电子信息", "机械", "土木水利", "能源动力"],
    ),
    "4111010004": (
        ["交通运输", "轨道交通信号与控制", "通信工程", "土木工程", "物流管理", "会计学"],
        ["交通运输", "电子信息", "土木水利", "会计"],
    ),
    "4111010010": (
        ["化学工程与工艺", "高分子材料与工程", "材料科学与工程", "制药工程", "环境工程", "应用化学"],
        ["材料与化工", "资源与环境", "化学工程与技术"],
    ),
    "4112010056": (
        ["建筑学", "土木工程", "化学工程与工艺", "测控技术与仪器", "水利水电工程", "药学"],
        ["土木水利", "材料与化工", "机械", "建筑学"],
    ),
    "4113010075": (
        ["汉语言文学", "新闻学", "法学", "会计学", "英语", "历史学", "临床医学", "数学与应用数学"],
        ["法律", "汉语国际教育", "会计", "学科教学（语文）"],
    ),
    "4131010264": (
        ["水产养殖学", "海洋科学", "食品科学与工程", "海洋渔业科学与技术", "生物科学", "物流管理"],
        ["渔业发展", "食品与营养", "资源与环境"],
    ),
    "4137010425": (
        ["石油工程", "资源勘查工程", "油气储运工程", "化学工程与工艺", "勘查技术与工程", "地质学"],
        ["资源与环境", "材料与化工", "能源动力"],
    ),
    "4137010431": (
        ["食品科学与工程", "轻化工程", "制药工程", "生物工程", "材料科学与工程", "机械设计制造及其自动化"],
        ["轻工技术与工程", "生物与医药", "材料与化工"],
    ),
    "4143010532": (
        [
            "土木工程", "机械设计制造及其自动化", "车辆工程", "电气工程及其自动化", "化学工程与工艺",
            "会计学", "金融学", "汉语言文学", "新闻学", "建筑学", "计算机科学与技术", "法学",
        ],
        ["机械", "土木水利", "电子信息", "会计", "法律", "金融"],
    ),
    "4144010558": (
        ["临床医学", "汉语言文学", "法学", "工商管理", "生物科学", "海洋科学", "软件工程", "社会学"],
        ["临床医学", "法律", "公共管理", "电子信息"],
    ),
    "4151010614": (
        [
            "电子信息工程", "通信工程", "微电子科学与工程", "集成电路设计与集成系统",
            "计算机科学与技术", "软件工程", "光电信息科学与工程", "自动化", "电子科学与技术",
        ],
        ["电子信息", "集成电路科学与工程", "计算机科学与技术"],
    ),
    "4154010694": (
        ["汉语言文学", "藏语言文学", "旅游管理", "临床医学", "思想政治教育", "数学与应用数学", "生态学"],
        ["中国少数民族语言文学", "教育", "旅游管理"],
    ),
    "4165010755": (
        ["汉语言文学", "石油工程", "计算机科学与技术", "化学工程与工艺", "法学", "旅游管理", "电气工程及其自动化"],
        ["法律", "资源与环境", "电子信息"],
    ),
}  # fmt: skip

# Where each university's graduates in difficulty come from (生源地), relative weights by
# province; the rest of the weight goes to HOME_PROVINCE_WEIGHTS.
OWN_PROVINCE_SHARE: dict[str, int] = {
    "4143010532": 80, "4151010614": 70, "4154010694": 80, "4165010755": 75, "4113010075": 75,
    "4137010425": 40, "4137010431": 80, "4144010558": 50, "4112010056": 20,
}  # fmt: skip
DEFAULT_OWN_PROVINCE_SHARE = 15
HOME_PROVINCE_WEIGHTS: dict[str, int] = {
    "43": 10, "51": 10, "41": 12, "52": 9, "53": 8, "62": 8, "36": 8, "42": 6, "45": 7,
    "13": 7, "50": 5, "61": 5, "63": 2, "54": 1, "65": 2,
}  # fmt: skip
# County-level 行政区划代码 (GB/T 2260) that python-stdnum knows, per province: the first six
# digits of a 居民身份证号.
HOME_REGIONS: dict[str, list[str]] = {
    "11": ["110101", "110102", "110105", "110106", "110108", "110111", "110114"],
    "12": ["120101", "120104", "120105", "120110", "120221", "120223"],
    "13": ["130102", "130203", "130602", "130624", "130702", "131002", "131102", "130426", "130921"],
    "31": ["310104", "310107", "310115", "310112", "310230"],
    "36": ["360102", "360321", "360722", "361121", "360428", "360521"],
    "37": ["370102", "370202", "370302", "370502", "370602", "370702", "370883", "371321", "371521"],
    "41": ["410102", "410322", "410425", "410522", "411321", "411523", "411623", "411721", "410926"],
    "42": ["420102", "420281", "420683", "421122", "422822", "421023"],
    "43": [
        "430102", "430104", "430111", "430121", "430181", "430203", "430302", "430421", "430521",
        "430602", "430703", "430802", "430902", "431003", "431102", "431202", "431302", "433101",
        "430524", "430626", "431023", "431121", "433122", "430722",
    ],
    "44": ["440106", "440304", "440802", "441581", "441881", "445224"],
    "45": ["450102", "450321", "452626", "452231"],
    "50": ["500112", "500105", "500231", "500236", "500237", "500243"],
    "51": [
        "510104", "510107", "510122", "510302", "510503", "510603", "510704", "511002", "511102",
        "511303", "511402", "511502", "511602", "511702", "511802", "512002", "513401", "510722",
        "511321", "511621", "511723", "513227", "513321",
    ],
    "52": ["520102", "520221", "520322", "522322", "522425", "522701"],
    "53": ["530102", "530321", "530421", "532331", "532621", "533102"],
    "54": ["540102", "540121", "542126", "542221", "542621", "542301", "540123"],
    "61": ["610113", "610322", "610426", "610527"],
    "62": ["620102", "620421", "620522", "622421"],
    "63": ["630102", "632122", "632221"],
    "65": ["650102", "650104", "653101", "653121", "653201", "652801", "652901"],
}  # fmt: skip

# Percent of the men among each university's graduates in difficulty (an engineering school
# has more), and elsewhere.
MALE_PERCENT: dict[str, int] = {"4151010614": 68, "4111010003": 65, "4137010425": 66}
DEFAULT_MALE_PERCENT = 52

# Names: family names (a province's own first, the common ones after), given names by gender.
FAMILY_NAMES: list[str] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "邓", "韩", "冯", "曹",
    "彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏",
    "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖",
    "石", "金", "贾", "夏", "韦", "付", "方", "邹", "熊", "白", "孟", "秦", "邱", "侯", "江",
    "尹", "薛", "段", "雷", "龙", "黎", "史", "陶", "贺", "毛", "郝", "龚", "邵", "万", "覃",
    "武", "向", "欧阳", "司马",
]  # fmt: skip
PROVINCE_FAMILY_NAMES: dict[str, list[str]] = {
    "43": ["刘", "李", "王", "陈", "张", "周", "谭", "罗", "彭", "曾", "邓", "唐", "胡", "欧阳", "向", "龙"],
    "51": ["李", "王", "张", "刘", "陈", "杨", "黄", "何", "罗", "赵", "邓", "蒋", "冯", "廖", "苟", "母"],
    "45": ["韦", "黄", "覃", "陆", "蒙", "莫", "梁", "李"],
    "52": ["王", "杨", "吴", "龙", "罗", "潘", "陈", "张"],
}  # fmt: skip
GIVEN_NAMES: dict[str, list[str]] = {
    "male": [
        "浩然", "宇航", "子轩", "俊杰", "志强", "文博", "明辉", "家豪", "海涛", "鹏飞", "晨阳",
        "思远", "泽宇", "天佑", "一鸣", "建华", "伟", "磊", "涛", "鑫", "杰", "帅", "凯", "博文",
        "梓豪", "浩宇", "昊天", "文杰", "宏伟", "承志", "子豪", "家乐", "振宇", "锦程", "成龙",
        "德明", "志鹏", "永康", "俊峰", "国栋", "少华", "嘉俊", "宇", "强", "勇", "林峰",
    ],
    "female": [
        "思雨", "雨涵", "佳怡", "欣怡", "诗琪", "梦瑶", "婷", "静", "丹", "敏", "慧", "悦",
        "雅琪", "晓燕", "玉兰", "美玲", "紫涵", "可欣", "心怡", "雪梅", "丽娟", "婉婷", "晓琳",
        "佳琪", "若曦", "文静", "梓萱", "雨欣", "海燕", "春兰", "秀英", "金凤", "彩霞", "艳",
        "倩", "颖", "娜", "思琪", "梦婷", "欣悦", "淑芬", "丽萍",
    ],
}  # fmt: skip
# Tibetan names (no family name), for most graduates from Tibet.
TIBETAN_NAME_PERCENT = 85
TIBETAN_NAMES: dict[str, list[str]] = {
    "male": [
        "扎西顿珠", "次仁多吉", "格桑平措", "旦增尼玛", "洛桑次仁", "索朗旺堆", "米玛扎西",
        "普布次仁", "边巴多吉", "拉巴次仁", "尼玛扎西", "平措旺杰", "顿珠欧珠", "达瓦次仁",
    ],
    "female": [
        "次仁卓玛", "格桑央金", "德吉拉姆", "白玛曲珍", "尼玛措姆", "央宗", "达瓦卓玛",
        "普布仓决", "拉巴卓嘎", "次旦央吉", "边巴普赤", "索朗德吉", "旦增曲珍", "米玛拉姆",
    ],
}  # fmt: skip
# Uyghur names: one's own name·the father's name, for some of the graduates from Xinjiang.
UYGHUR_GIVEN_NAMES: dict[str, list[str]] = {
    "male": [
        "阿卜杜拉", "艾力", "买买提江", "伊力哈木", "努尔艾力", "艾克拜尔", "麦麦提敏", "阿迪力",
        "亚森", "吾斯曼",
    ],
    "female": [
        "古丽娜尔", "阿依古丽", "热依拉", "迪丽努尔", "帕提古丽", "努尔古丽", "米热古丽",
        "阿依努尔", "祖丽皮亚", "再努尔",
    ],
}  # fmt: skip
UYGHUR_FATHER_NAMES: list[str] = [
    "买买提", "吐尔逊", "艾买提", "阿不都热合曼", "吐尔洪", "热合曼", "阿卜力克木", "艾力",
    "玉素甫", "托合提",
]  # fmt: skip
UYGHUR_NAME_PERCENT = 55

# Mobile numbers: the first three digits (China Mobile, Unicom, Telecom, Broadnet).
MOBILE_PREFIXES: list[str] = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182",
    "183", "186", "187", "188", "189", "191", "198", "199",
]  # fmt: skip

# Notes of services, per kind (referrals to a vacancy of the demo are noted with it).
SERVICE_NOTES: dict[str, list[str]] = {
    "consultation": [
        "一对一单独咨询，了解求职意向和家庭情况，建立“一人一策”帮扶档案",
        "梳理求职方向，解读求职创业补贴和基层项目政策",
        "分析求职困难，制定个性化帮扶计划",
        "了解考研、考公意向，商定求职与备考安排",
    ],
    "follow_up": [
        "离校后电话回访，了解求职进展，承诺服务不断线",
        "离校未就业回访：更新求职意向，推送公共就业服务信息",
        "回访并告知生源地公共就业服务机构对接方式",
    ],
    "resume": [
        "修改简历，突出实习和项目经历",
        "针对目标岗位调整简历，补充获奖和社会实践",
        "简历诊断并进行模拟面试",
        "完善求职信，调整简历排版",
    ],
    "referral": [
        "推荐参加校园双选会，提前对接用人单位",
        "推送省属国有企业招聘岗位信息",
        "推荐报名“三支一扶”计划",
        "推荐报名大学生志愿服务西部计划",
        "推荐至校友企业面试",
        "推荐参加“24365”网络招聘会岗位",
    ],
    "late_referral": [
        "推送离校未就业毕业生专场网上招聘会岗位",
        "推荐至生源地人社部门公共就业服务岗位",
        "推荐参加秋季招聘会",
    ],
    "counselling": [
        "求职焦虑心理疏导",
        "心理调适辅导，缓解家庭经济压力带来的焦虑",
        "面试受挫后的心理支持",
    ],
}

# The industries (GB/T 4754 sections) a graduate of each major is referred to, for the majors of
# UNIVERSITY_MAJORS that MAJORS (what employers look for) does not list.
MAJOR_INDUSTRIES: dict[str, str] = {
    "中国少数民族语言文学": "PRS", "藏语言文学": "PRS", "历史学": "PRS", "哲学": "PRS",
    "社会学": "SL", "公共管理": "S", "法律": "LS", "新闻与传播": "R", "教育": "P",
    "学科教学（语文）": "P", "汉语国际教育": "PT", "会计": "JLC", "金融": "J", "应用统计": "JIM",
    "光电信息科学与工程": "CI", "电子信息": "CI", "电子科学与技术": "CI",
    "集成电路科学与工程": "CI", "测控技术与仪器": "CM", "机械": "CG", "机械工程": "CG",
    "土木水利": "EN", "能源动力": "DB", "资源与环境": "NB", "勘查技术与工程": "BM",
    "地质学": "BM", "油气储运工程": "BDG", "化学工程与技术": "CB", "材料与化工": "CM",
    "应用化学": "CM", "高分子材料与工程": "CM", "轻化工程": "C", "轻工技术与工程": "C",
    "生物工程": "CM", "生物与医药": "CQ", "食品与营养": "CF", "水产养殖学": "A",
    "海洋渔业科学与技术": "A", "渔业发展": "A", "海洋科学": "MN", "生态学": "NM",
}  # fmt: skip
