"""The living demo's data set, as plain data (services/demo/steps_*.py create it through the
REST API). Keys ("bj-5g", "p-cnc", ...) name records inside this module; the API gives the ids.
Who acts: the demo accounts of services/gateway/seed.py (password `<username>-dev-pass`).

Timeline (services/demo/seeder.py): on a fresh instance the platform clock starts DAYS_BACK days
in the past; phase "past" (achievements approved into the 30-day notice, stations, incubators),
+31 days (notices concluded: REGISTERED), phase "registered" (packages, contracts, catalog, the
award, the case that will be overdue), +7 days, phase "recent" (more contracts), +7 days back
to today, phase "today" (the open demand, cases in every stage, work waiting for people)."""

DAYS_BACK = 45
STEPS = (31, 7, 7)          # clock advances between the phases; they add up to DAYS_BACK
INSTITUTIONS = {"BEIJING": "demo-institution", "TIANJIN": "demo-institution-tj", "HEBEI": "demo-institution-hb"}
ORGANISATIONS = {"BEIJING": "org-demo-university", "TIANJIN": "org-tianjin-university", "HEBEI": "org-hebei-academy"}

# --- registry: fiscal projects (operator) -----------------------------------------------------
# (ends: days after phase "past"; the first two end once their achievements are REGISTERED, the
# last has none by its end date — its achievement is still in notice: an overdue obligation)
FUNDED_PROJECTS = [
    ({"project_code": "Z231100001", "fiscal_plan": "北京市科技计划", "title": "5G小基站低功耗射频前端芯片研制",
      "holder": "org-demo-university"}, 35),
    ({"project_code": "Z231100004", "fiscal_plan": "北京市自然科学基金", "title": "PD-1单克隆抗体连续流制备工艺",
      "holder": "org-demo-university"}, 40),
    ({"project_code": "Z221100009", "fiscal_plan": "北京市科技计划", "title": "城市内涝智能预警模型",
      "holder": "org-demo-university"}, 10),
]

# --- registry: achievements (key, region, status at the end, record) ------------------------
def _a(title, abstract, field, type_, trl, keywords, modes, price, **extra) -> dict:
    return {"title": title, "abstract": abstract, "field": field, "type": type_, "trl": trl, "keywords": keywords,
            "transfer_modes": modes, "indicative_price": price, "submit": True, **extra}


def _fiscal(plan: str, code: str) -> dict:
    return {"funding": {"fiscal": True, "plan": plan, "project_code": code}}


ACHIEVEMENTS = [
    ("bj-5g", "BEIJING", "REGISTERED", _a(
        "面向5G小基站的低功耗射频前端芯片", "采用GaN工艺的射频前端模组，功耗较同类产品降低35%，已完成小批量流片。",
        "5g", "patent", 7, ["5G", "射频", "芯片"], ["licence", "transfer"], "1200000.00",
        team=[{"name": "张伟", "role": "项目负责人"}, {"name": "李娜", "role": "芯片设计"}],
        linked_ip=[{"kind": "patent", "reference": "CN202310123456.7", "title": "一种低功耗射频前端电路"}],
        **_fiscal("北京市科技计划", "Z231100001"))),
    ("bj-ai", "BEIJING", "REGISTERED", _a(
        "基于大模型的政务热线智能分派系统", "面向12345政务热线的工单语义理解与自动分派，分派准确率达93%。",
        "ai", "software", 8, ["人工智能", "大模型", "政务热线"], ["licence", "cooperation"], "800000.00")),
    ("bj-cnc", "BEIJING", "REGISTERED", _a(
        "五轴数控机床远程运维与预测性维护方法", "基于振动与电流信号的刀具磨损预测模型，故障预警准确率95%。",
        "digital-manufacturing", "patent", 7, ["数控机床", "预测性维护", "工业互联网"], ["licence"], "950000.00")),
    ("bj-pd1", "BEIJING", "REGISTERED", _a(
        "PD-1单克隆抗体连续流制备工艺", "连续流灌流培养结合一步层析纯化，抗体表达量提高2.1倍。",
        "biomedicine", "process", 6, ["单克隆抗体", "生物制药"], ["transfer", "equity"], "6000000.00",
        **_fiscal("北京市自然科学基金", "Z231100004"))),
    ("bj-pipe", "BEIJING", "REGISTERED", _a(
        "城市地下管网数字孪生监测系统", "融合光纤传感与GIS的地下管网实时监测与泄漏定位系统。",
        "urban-management", "software", 8, ["数字孪生", "地下管网", "城市管理"], ["licence", "cooperation"],
        "1500000.00")),
    ("bj-battery", "BEIJING", "REGISTERED", _a(
        "硫化物固态电解质规模化制备技术", "百公斤级硫化物固态电解质中试工艺，离子电导率1.2 mS/cm。",
        "energy", "material", 6, ["固态电池", "电解质"], ["licence", "equity"], "3000000.00")),
    ("tj-cathode", "TIANJIN", "REGISTERED", _a(
        "高镍三元正极材料低成本制备技术", "共沉淀-固相烧结一体化工艺，单吨成本下降18%。",
        "new-energy-vehicles", "process", 7, ["正极材料", "动力电池"], ["transfer", "licence"], "3500000.00")),
    ("tj-bearing", "TIANJIN", "REGISTERED", _a(
        "轨道交通车辆轴承故障声学诊断装置", "车载声学阵列在线识别轴承早期故障，误报率低于1%。",
        "rail-transit", "new_product", 7, ["轨道交通", "轴承", "故障诊断"], ["licence", "cooperation"],
        "2200000.00")),
    ("tj-membrane", "TIANJIN", "REGISTERED", _a(
        "海水淡化高通量反渗透膜材料", "界面聚合改性的复合反渗透膜，通量提升30%，脱盐率99.7%。",
        "new-materials", "material", 6, ["反渗透膜", "海水淡化"], ["transfer"], "2800000.00")),
    ("tj-port", "TIANJIN", "REGISTERED", _a(
        "港口智能集装箱调度算法", "面向自动化码头的岸桥-集卡协同调度，作业效率提升12%。",
        "ai", "software", 8, ["智慧港口", "调度算法", "人工智能"], ["licence"], "600000.00")),
    ("hb-irrigation", "HEBEI", "REGISTERED", _a(
        "冬小麦节水灌溉与水肥一体化技术", "基于土壤墒情监测的精准滴灌方案，亩均节水40%、增产8%。",
        "agriculture", "process", 8, ["节水灌溉", "水肥一体化", "冬小麦"], ["cooperation", "licence"],
        "500000.00")),
    ("hb-millet", "HEBEI", "REGISTERED", _a(
        "抗旱高产谷子新品种冀谷示范1号", "抗旱性强，亩产较对照增产11.3%，适宜冀中南旱作区种植。",
        "agriculture", "variety", 9, ["谷子", "新品种", "抗旱"], ["licence"], "300000.00")),
    ("hb-sinter", "HEBEI", "REGISTERED", _a(
        "钢铁烧结烟气超低排放协同治理技术", "活性炭吸附与SCR协同脱硫脱硝，颗粒物排放低于10 mg/m³。",
        "eco-environment", "process", 7, ["超低排放", "烧结烟气", "钢铁"], ["transfer", "cooperation"],
        "4500000.00")),
    ("hb-dairy", "HEBEI", "REGISTERED", _a(
        "奶制品兽药残留快速检测试纸", "胶体金免疫层析试纸条，10分钟检出四类兽药残留。",
        "food-safety", "new_product", 7, ["快速检测", "兽药残留", "乳制品"], ["licence"], "400000.00")),
    # work still waiting: one in its 公示 notice (with an open objection), one awaiting review
    ("bj-flood", "BEIJING", "IN_NOTICE", _a(
        "城市内涝智能预警模型", "融合雷达降水临近预报与管网水力模型，提前1小时预警积水点。",
        "urban-management", "software", 6, ["内涝预警", "城市管理"], ["licence"], "700000.00",
        **_fiscal("北京市科技计划", "Z221100009"))),
    ("tj-robot", "TIANJIN", "SUBMITTED", _a(
        "焊接机器人视觉引导系统", "结构光三维视觉引导焊缝跟踪，定位精度0.1 mm。",
        "digital-manufacturing", "software", 6, ["焊接机器人", "机器视觉"], ["licence"], "900000.00")),
]
OBJECTION = ("bj-flood", "demo-enterprise", "该模型所用管网数据的授权范围请核实")

TECH_REPORTS = [  # one of each sharing level, filed by the holder
    ("bj-5g", "PUBLIC", "5G小基站射频前端芯片研制技术报告", "流片测试与可靠性评估结果", "Z231100001"),
    ("bj-ai", "RESTRICTED", "政务热线智能分派系统试运行报告", "试运行三个月的分派准确率与满意度", ""),
    ("bj-pd1", "CONFIDENTIAL", "PD-1单克隆抗体连续流工艺验证报告", "工艺验证批次数据（保密）", "Z231100004"),
]
ACCESS_REQUEST = ("bj-ai", "demo-enterprise", "京津器械拟评估该系统在天津12345热线的应用，申请查阅报告全文")

PACKAGES = [  # operator-curated, one version each
    ("agriculture", "京津冀节水农业成果包", "面向河北粮食主产区的节水灌溉与抗旱品种成果",
     ["hb-irrigation", "hb-millet"]),
    ("ai", "京津冀人工智能应用成果包", "政务与港口场景的人工智能成果", ["bj-ai", "tj-port"]),
]
TRANSFORMATIONS = [  # dated the day they are recorded
    ("bj-cnc", {"kind": "licence", "counterparty": "京津器械有限公司", "counterparty_region": "TIANJIN",
                "amount": "950000.00"}),
]

# --- registry: technology contracts (seller's institution files; phase; registered?) --------
CONTRACTS = [
    ("past", "BEIJING", True, "licence", "5G射频前端芯片专利实施许可合同",
     ("org-jingjin-devices", "京津器械有限公司", "TIANJIN"), "1200000.00", "5g", ["bj-5g"]),
    ("past", "HEBEI", True, "service", "节水灌溉技术推广技术服务合同",
     ("org-beijing-farm", "北京京郊现代农业集团", "BEIJING"), "500000.00", "agriculture", ["hb-irrigation"]),
    ("registered", "TIANJIN", True, "transfer", "高镍三元正极材料制备技术转让合同",
     ("org-hb-lvneng", "河北绿能新能源科技有限公司", "HEBEI"), "3500000.00", "new-energy-vehicles",
     ["tj-cathode"]),
    ("registered", "BEIJING", True, "development", "钢铁企业设备预测性维护系统技术开发合同",
     ("org-hb-tangsteel", "唐山示范钢铁集团", "HEBEI"), "2000000.00", "digital-manufacturing", ["bj-cnc"]),
    ("recent", "HEBEI", True, "transfer", "烧结烟气超低排放治理技术转让合同",
     ("org-tj-steel", "天津示范钢管制造有限公司", "TIANJIN"), "4500000.00", "eco-environment", ["hb-sinter"]),
    ("recent", "TIANJIN", True, "licence", "轴承声学诊断装置专利实施许可合同",
     ("org-bj-metro", "北京示范地铁运营有限公司", "BEIJING"), "2200000.00", "rail-transit", ["tj-bearing"]),
    ("today", "BEIJING", False, "licence", "政务热线智能分派系统软件许可合同",
     ("org-tj-binhai-gov", "天津滨海新区政务服务中心", "TIANJIN"), "800000.00", "ai", ["bj-ai"]),
]

# --- procurement: the catalog (vendor applies citing registered achievements; 3 experts) ----
EXPERTS = ("demo-expert", "demo-expert-2", "demo-expert-3")


def _p(name, category, description, indicators, price, region, cites) -> dict:
    return {"name": name, "category": category, "description": description, "price": price, "region": region,
            "indicators": [{"name": n, "value": v, "unit": u} for n, v, u in indicators], "achievement_ids": cites}


PRODUCTS = [  # key, vendor, body, expert scores (fewer than 3: still UNDER_REVIEW), first set?
    ("p-cnc", "demo-enterprise", _p(
        "智能数控机床远程运维系统", "advanced-manufacturing", "基于工业互联网的数控机床状态监测与预测性维护系统",
        [("故障预警准确率", "95", "%"), ("接入机床数", "200", "台")], "1200000.00", "TIANJIN", ["bj-cnc"]),
     (85, 78, 90), False),
    ("p-bearing", "demo-enterprise-bj", _p(
        "轨道交通轴承在线声学诊断装备", "advanced-manufacturing", "车载轴承故障在线声学诊断成套装备（首台套）",
        [("早期故障识别率", "97", "%"), ("误报率", "0.8", "%")], "3800000.00", "BEIJING", ["tj-bearing"]),
     (92, 88, 90), True),
    ("p-pipe", "demo-enterprise-bj", _p(
        "城市地下管网数字孪生监测平台", "urban-management", "地下管网 泄漏定位 数字孪生 监测平台",
        [("泄漏定位精度", "5", "m")], "1800000.00", "BEIJING", ["bj-pipe"]), (80, 82, 76), False),
    ("p-rf", "demo-enterprise-bj", _p(
        "5G小基站射频前端模组", "electronic-information", "低功耗GaN射频前端模组",
        [("功耗降低", "35", "%")], "450000.00", "BEIJING", ["bj-5g"]), (75, 70, 81), False),
    ("p-dairy", "demo-enterprise", _p(
        "乳制品兽药残留快速检测试剂盒", "biomedicine", "胶体金免疫层析快速检测试剂盒",
        [("检测时间", "10", "分钟")], "120000.00", "TIANJIN", ["hb-dairy"]), (70, 74, 68), False),
    # waiting for demo-expert's score (the third review decides)
    ("p-sinter", "demo-enterprise", _p(
        "钢铁烧结烟气超低排放治理成套装备", "energy-saving-environmental", "活性炭吸附与SCR协同脱硫脱硝成套装备",
        [("颗粒物排放", "10", "mg/m³")], "4200000.00", "TIANJIN", ["hb-sinter"]), (84, 79), False),
]
FIRST_SET = {"own_ip": True, "major_breakthrough": True, "units_sold_in_region": 1,
             "note": "京津冀首台套重大技术装备：轨道交通轴承在线诊断"}
AWARDED_DEMAND = {"need": "采购数控机床远程运维系统，覆盖20台五轴加工中心", "category": "advanced-manufacturing",
                  "budget": "1500000.00", "region": "BEIJING"}
AWARD = ("p-cnc", "1150000.00")
OPEN_DEMAND = {"need": "采购城市地下管网数字孪生监测平台，覆盖朝阳区主干管网泄漏定位", "category": "urban-management",
               "budget": "2000000.00", "region": "BEIJING"}
DEMAND_DAYS = 60             # demands' deadlines: this many days after publication

# --- incubation ---------------------------------------------------------------------------------
STATIONS = [  # key, applicant (station account), body, approved?, report of the year before phase "past"
    ("stn-hb", "demo-station", {"name": "首都科技条件平台河北保定合作站", "region": "HEBEI",
                                "services": ["instrument_sharing", "testing", "technology_transfer"],
                                "description": "为保定及周边企业提供仪器共享、检测与成果转化服务"},
     True, {"services_delivered": 128, "enterprises_served": 46, "achievements_landed": 9}),
    ("stn-tj", "demo-station-tj", {"name": "首都科技条件平台天津滨海合作站", "region": "TIANJIN",
                                   "services": ["instrument_sharing", "testing", "training", "financing"],
                                   "description": "为滨海新区企业提供大型仪器共享、检测与投融资服务"},
     True, {"services_delivered": 96, "enterprises_served": 58, "achievements_landed": 6}),
    ("stn-lf", "demo-station", {"name": "首都科技条件平台河北廊坊合作站", "region": "HEBEI",
                                "services": ["technology_transfer", "training"],
                                "description": "廊坊站（申请中，等待平台运营方审批）"}, False, None),
]
INCUBATORS = [  # sponsored by the Beijing university (demo-institution); enterprises (name, id, graduated?)
    ({"name": "示范大学保定创新中心", "region": "HEBEI", "city": "保定"},
     [("保定智造科技有限公司", "91130605MA0G4L2X3K", False), ("保定绿源农业科技有限公司", "91130600MA0H1B7Q2P", True)]),
    ({"name": "示范大学天津滨海孵化器", "region": "TIANJIN", "city": "天津"},
     [("天津海芯微电子有限公司", "91120116MA07C9XK1D", False),
      ("天津云港智能科技有限公司", "91120118MA06FF3L8R", False)]),
]

# Green-channel cases: key, achievement, station, receiver (org, name, region), mode, phase, the
# station's moves after submission (the last stage is where the case stays). "case-late" is
# accepted 14 days before today: past its 5-working-day SLA, the one overdue case.
_HB_RECEIVER = ("org-hb-baoding-zhizao", "保定智造科技有限公司", "HEBEI")
_TJ_RECEIVER = ("org-tj-haixin", "天津海芯微电子有限公司", "TIANJIN")
CASES = [
    ("case-late", "bj-cnc", "stn-hb", _HB_RECEIVER, "licence", "registered", ["accept"]),
    ("case-submitted", "bj-battery", "stn-hb", _HB_RECEIVER, "licence", "today", []),
    ("case-accepted", "bj-ai", "stn-tj", ("org-tj-binhai-gov", "天津滨海新区政务服务中心", "TIANJIN"), "licence",
     "today", ["accept"]),
    ("case-reviewed", "bj-pipe", "stn-hb", ("org-hb-langfang-water", "廊坊示范水务集团", "HEBEI"), "cooperation",
     "today", ["accept", "review"]),
    ("case-approved", "bj-5g", "stn-tj", _TJ_RECEIVER, "licence", "today", ["accept", "review", "approve"]),
    ("case-landed", "bj-pd1", "stn-tj", ("org-tj-biopharm", "天津示范生物制药有限公司", "TIANJIN"), "transfer",
     "today", ["accept", "review", "approve", "land"]),
    ("case-closed", "tj-cathode", "stn-hb", ("org-hb-lvneng", "河北绿能新能源科技有限公司", "HEBEI"), "transfer",
     "today", ["accept", "review", "approve", "land", "close"]),
    ("case-rejected", "hb-millet", "stn-tj", ("org-tj-seed", "天津示范种业有限公司", "TIANJIN"), "licence",
     "today", ["accept", "reject"]),
    ("case-withdrawn", "tj-membrane", "stn-hb", ("org-hb-cangzhou-water", "沧州示范海水淡化有限公司", "HEBEI"),
     "transfer", "today", ["withdraw"]),
]
LANDED_AMOUNT = {"case-landed": "6000000.00", "case-closed": "3500000.00"}
