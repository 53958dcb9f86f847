import type { CategoryKind, ClockType } from '@wangge/domain';

/**
 * The standard catalogue a district starts with (`npm run setup`, and the demo seed): the management components (部件) and events (事件)
 * of GB/T 30428.2 / CJ/T 214 with their usual codes, the common minor classes only, and for each
 * version 1 of its standard (立结案标准): registration conditions (立案条件) with a time limit on a
 * clock, and a closing condition (结案条件). Event class 06 市政设施 follows the local practice of
 * Zhengzhou's districts (the national standard leaves 06 and up to local extension). Time limits
 * are typical of district standards; a deployment adjusts them through the admin API.
 */

export interface ConditionData {
  /** 立案条件 */
  zh: string;
  en: string;
  limit: number;
  clock: ClockType;
  /** 结案条件 */
  closeZh: string;
  closeEn: string;
}

export interface CategoryData {
  kind: CategoryKind;
  majorCode: string;
  minorCode: string;
  name: string;
  nameEn: string;
  /** False: even a warden's report waits for an operator (judgement or enforcement needed). */
  autoRegister: boolean;
  conditions: ConditionData[];
}

export const STANDARD_VERSION = 1;
export const STANDARD_EFFECTIVE_FROM = '2026-01-01';

export const MAJOR_CLASSES: Record<CategoryKind, Record<string, { zh: string; en: string }>> = {
  component: {
    '01': { zh: '公用设施', en: 'Public facilities' },
    '02': { zh: '道路交通', en: 'Roads and traffic' },
    '03': { zh: '市容环境', en: 'City appearance' },
    '04': { zh: '园林绿化', en: 'Landscaping' },
    '05': { zh: '房屋土地', en: 'Buildings and land' },
  },
  event: {
    '01': { zh: '市容环境', en: 'City appearance' },
    '02': { zh: '宣传广告', en: 'Advertising' },
    '03': { zh: '施工管理', en: 'Construction management' },
    '04': { zh: '突发事件', en: 'Emergencies' },
    '05': { zh: '街面秩序', en: 'Street order' },
    '06': { zh: '市政设施', en: 'Municipal facilities' },
  },
};

type Row = [minorCode: string, name: string, nameEn: string, conditions: ConditionData[], autoRegister?: boolean];

function when(zh: string, en: string, limit: number, clock: ClockType, closeZh: string, closeEn: string): ConditionData {
  return { zh, en, limit, clock, closeZh, closeEn };
}

/** The three conditions every kind of manhole cover shares. */
function manholeCover(zh: string, en: string): ConditionData[] {
  return [
    when(`${zh}缺失`, `${en} missing`, 2, 'urgent_hours', '已补装井盖，与路面平顺', 'a cover is back in place, flush with the surface'),
    when(`${zh}破损、移位或松动`, `${en} broken, displaced or loose`, 8, 'work_hours', '井盖已更换或复位，稳固无异响', 'the cover is replaced or reseated, firm and silent'),
    when(`${zh}与路面高差超过 2 厘米`, `${en} more than 2 cm above or below the surface`, 5, 'work_days', '井盖与路面高差不超过 1 厘米', 'the cover is within 1 cm of the surface'),
  ];
}

function group(kind: CategoryKind, majorCode: string, rows: Row[]): CategoryData[] {
  return rows.map(([minorCode, name, nameEn, conditions, autoRegister = true]) => ({
    kind,
    majorCode,
    minorCode,
    name,
    nameEn,
    autoRegister,
    conditions,
  }));
}

export const CATALOGUE: CategoryData[] = [
  ...group('component', '01', [
    ['01', '上水井盖', 'Water supply manhole cover', manholeCover('上水井盖', 'Water supply manhole cover')],
    ['02', '污水井盖', 'Sewer manhole cover', manholeCover('污水井盖', 'Sewer manhole cover')],
    ['03', '雨水井盖', 'Storm drain manhole cover', manholeCover('雨水井盖', 'Storm drain manhole cover')],
    ['04', '雨水箅子', 'Storm drain grate', [
      when('雨水箅子缺失', 'Storm drain grate missing', 2, 'urgent_hours', '已补装雨水箅子', 'a grate is back in place'),
      when('雨水箅子破损或堵塞', 'Storm drain grate broken or blocked', 8, 'work_hours', '箅子完好，进水口通畅', 'the grate is whole and the inlet drains freely'),
    ]],
    ['05', '电力井盖', 'Power manhole cover', manholeCover('电力井盖', 'Power manhole cover')],
    ['06', '路灯井盖', 'Street light manhole cover', manholeCover('路灯井盖', 'Street light manhole cover')],
    ['07', '通讯井盖', 'Telecom manhole cover', manholeCover('通讯井盖', 'Telecom manhole cover')],
    ['11', '燃气井盖', 'Gas manhole cover', manholeCover('燃气井盖', 'Gas manhole cover')],
    ['13', '消防设施', 'Fire hydrant', [
      when('消火栓损坏或漏水', 'Fire hydrant damaged or leaking', 8, 'work_hours', '消火栓修复，无渗漏', 'the hydrant is repaired and does not leak'),
      when('消防设施被圈占、遮挡或埋压', 'Fire hydrant fenced in, blocked or buried', 4, 'work_hours', '障碍物已清除，可正常取水', 'the obstruction is gone and the hydrant is usable'),
    ]],
    ['14', '无主井盖', 'Manhole cover of unknown owner', manholeCover('无主井盖', 'Manhole cover of unknown owner')],
    ['18', '路灯', 'Street light', [
      when('路灯夜间不亮或白天常亮', 'Street light dark at night or lit by day', 2, 'work_days', '路灯按时亮灭', 'the light switches on and off on time'),
      when('灯杆倾斜、灯具松脱等安全隐患', 'Leaning pole or loose lamp: a hazard', 4, 'urgent_hours', '隐患已排除，灯杆灯具稳固', 'the hazard is removed, pole and lamp are secure'),
    ]],
    ['26', '健身设施', 'Fitness equipment', [
      when('健身器材损坏', 'Fitness equipment broken', 5, 'work_days', '器材已修复或更换', 'the equipment is repaired or replaced'),
      when('健身器材存在安全隐患', 'Fitness equipment unsafe to use', 8, 'work_hours', '已停用围挡或修复', 'the equipment is fenced off or repaired'),
    ]],
  ]),
  ...group('component', '02', [
    ['03', '公交站亭', 'Bus shelter', [
      when('站亭顶棚、玻璃或座椅破损', 'Bus shelter roof, glass or seat damaged', 3, 'work_days', '站亭修复完好', 'the shelter is repaired'),
      when('站亭玻璃碎裂有伤人隐患', 'Broken glass at a bus shelter endangers people', 4, 'urgent_hours', '碎玻璃已清除并围护', 'the glass is cleared and the spot secured'),
    ]],
    ['05', '过街天桥', 'Pedestrian bridge', [
      when('桥面、栏杆或梯步破损', 'Deck, railing or steps of a pedestrian bridge damaged', 3, 'work_days', '破损部位修复', 'the damage is repaired'),
      when('桥面积存垃圾或污物', 'Litter or dirt on a pedestrian bridge', 8, 'work_hours', '桥面清洁', 'the bridge is clean'),
    ]],
    ['09', '交通标志牌', 'Traffic sign', [
      when('交通标志牌缺失、破损或倾斜', 'Traffic sign missing, damaged or leaning', 3, 'work_days', '标志牌完好、端正', 'the sign is complete and upright'),
      when('交通标志牌被树木或广告遮挡', 'Traffic sign hidden by trees or advertising', 2, 'work_days', '遮挡物已清除，标志清晰可见', 'the sign is clearly visible'),
    ]],
    ['10', '交通信号灯', 'Traffic signal', [
      when('交通信号灯不亮、闪烁异常或损坏', 'Traffic signal dark, flashing abnormally or damaged', 4, 'urgent_hours', '信号灯恢复正常运行', 'the signal works normally'),
    ]],
    ['11', '交通护栏', 'Traffic barrier', [
      when('交通护栏缺失、破损或倾倒', 'Traffic barrier missing, broken or knocked over', 2, 'work_days', '护栏修复、连续完好', 'the barrier is repaired and continuous'),
      when('护栏倒伏侵入车行道', 'A fallen barrier lies in the carriageway', 2, 'urgent_hours', '已扶正或移出车行道', 'the barrier is righted or removed from the carriageway'),
    ]],
    ['13', '路名牌', 'Street name sign', [
      when('路名牌缺失、破损或内容错误', 'Street name sign missing, damaged or wrong', 5, 'work_days', '路名牌完好、内容正确', 'the sign is complete and correct'),
    ]],
  ]),
  ...group('component', '03', [
    ['01', '公共厕所', 'Public toilet', [
      when('公厕设施损坏', 'Public toilet fixtures broken', 2, 'work_days', '设施修复，正常使用', 'the fixtures are repaired and in use'),
      when('公厕卫生不洁、有明显异味', 'Public toilet dirty or smelling', 4, 'work_hours', '保洁到位，无明显异味', 'the toilet is clean and does not smell'),
      when('公厕未按规定时间开放', 'Public toilet closed during opening hours', 8, 'work_hours', '按规定时间开放', 'the toilet opens as posted'),
    ]],
    ['05', '垃圾箱', 'Litter bin', [
      when('垃圾箱缺失或破损', 'Litter bin missing or broken', 3, 'work_days', '垃圾箱补设或更换', 'the bin is replaced'),
      when('垃圾箱满溢', 'Litter bin overflowing', 2, 'work_hours', '垃圾已清运，箱体周边干净', 'the bin is emptied and its surroundings clean'),
    ]],
    ['06', '灯箱霓虹灯', 'Light box or neon sign', [
      when('灯箱霓虹灯破损、缺亮', 'Light box or neon sign damaged or partly dark', 5, 'work_days', '修复或拆除', 'repaired or removed'),
      when('灯箱松动有坠落隐患', 'Light box loose, in danger of falling', 4, 'urgent_hours', '已加固或拆除', 'secured or removed'),
    ]],
    ['07', '广告牌匾', 'Shop sign or billboard', [
      when('牌匾破损、字迹残缺', 'Shop sign damaged or missing letters', 5, 'work_days', '牌匾修复完整', 'the sign is repaired'),
      when('牌匾松动有坠落隐患', 'Shop sign loose, in danger of falling', 4, 'urgent_hours', '已加固或拆除', 'secured or removed'),
    ]],
  ]),
  ...group('component', '04', [
    ['01', '古树名木', 'Heritage tree', [
      when('古树名木受损或发生病虫害', 'Heritage tree damaged or diseased', 3, 'work_days', '已采取救治保护措施', 'treatment and protection are in place'),
      when('古树名木倾斜有倒伏危险', 'Heritage tree leaning, in danger of falling', 4, 'urgent_hours', '已支撑加固', 'the tree is propped and secured'),
    ]],
    ['02', '行道树', 'Street tree', [
      when('行道树缺株或枯死', 'Street tree missing or dead', 10, 'work_days', '已补植', 'a tree is replanted'),
      when('行道树倾斜、断枝危及安全', 'Street tree leaning or broken branch endangering people', 4, 'urgent_hours', '隐患已排除', 'the hazard is removed'),
      when('树枝遮挡交通标志、信号灯或路灯', 'Branches hide a traffic sign, signal or street light', 5, 'work_days', '已修剪，遮挡消除', 'pruned, nothing is hidden'),
    ]],
    ['05', '绿地', 'Green space', [
      when('绿地黄土裸露、植物缺株或枯死', 'Bare soil, missing or dead plants in a green space', 10, 'work_days', '已补植复绿', 'replanted'),
      when('绿地被踩踏、占用或毁坏', 'Green space trampled, occupied or destroyed', 3, 'work_days', '已恢复绿化', 'the planting is restored'),
    ]],
    ['07', '街头坐椅', 'Street bench', [
      when('街头坐椅破损或缺失', 'Street bench broken or missing', 5, 'work_days', '坐椅修复或补设', 'the bench is repaired or replaced'),
    ]],
  ]),
  ...group('component', '05', [
    ['01', '宣传栏', 'Notice board', [
      when('宣传栏破损或内容过期', 'Notice board damaged or out of date', 5, 'work_days', '宣传栏修复，内容更新', 'the board is repaired and up to date'),
    ]],
    ['02', '人防工事', 'Civil air defence works', [
      when('人防工事出入口破损或被占用', 'Entrance to civil air defence works damaged or occupied', 10, 'work_days', '出入口修复、清理通畅', 'the entrance is repaired and clear'),
    ]],
  ]),

  ...group('event', '01', [
    ['01', '私搭乱建', 'Illegal structure', [
      when('正在搭建的违法建筑', 'Illegal structure under construction', 1, 'work_days', '已制止搭建并依法处理', 'construction is stopped and the case handed to enforcement'),
      when('已建成的违法建筑', 'Completed illegal structure', 30, 'natural_days', '已拆除或依法处理完毕', 'demolished or otherwise settled by enforcement'),
    ], false],
    ['02', '暴露垃圾', 'Exposed garbage', [
      when('道路、广场等公共区域暴露垃圾', 'Garbage lying in a road, square or other public space', 2, 'work_hours', '垃圾清理干净', 'the garbage is cleared'),
    ]],
    ['03', '积存垃圾渣土', 'Accumulated garbage or spoil', [
      when('积存垃圾渣土 1 立方米以上', 'One cubic metre or more of accumulated garbage or spoil', 8, 'work_hours', '积存垃圾渣土清运完毕', 'the garbage or spoil is removed'),
      when('大量积存垃圾渣土（10 立方米以上）', 'Large heap of garbage or spoil (10 cubic metres or more)', 3, 'work_days', '清运完毕，场地平整', 'removed and the ground levelled'),
    ]],
    ['04', '道路不洁', 'Dirty road', [
      when('路面有明显污渍、油渍或散落杂物', 'Road surface visibly stained, oily or littered', 4, 'work_hours', '路面清洁', 'the road is clean'),
    ]],
    ['05', '水域不洁', 'Dirty water surface', [
      when('河道、水面有漂浮垃圾', 'Floating garbage on a river or pond', 8, 'work_hours', '水面漂浮物清理干净', 'the floating garbage is removed'),
    ]],
    ['06', '绿地脏乱', 'Littered green space', [
      when('绿地内有垃圾、杂物', 'Garbage or rubbish in a green space', 4, 'work_hours', '绿地清洁', 'the green space is clean'),
    ]],
    ['07', '废弃车辆', 'Abandoned vehicle', [
      when('道路或公共区域长期停放的无牌、破损车辆', 'Unregistered or wrecked vehicle left on a road or public space', 10, 'work_days', '车辆已移走', 'the vehicle is removed'),
    ], false],
    ['08', '废弃家具设备', 'Discarded furniture or appliances', [
      when('公共区域堆放废弃家具、设备', 'Discarded furniture or appliances left in a public space', 8, 'work_hours', '已清运', 'removed'),
    ]],
    ['09', '非装饰性树挂', 'Things hung on trees', [
      when('树木上悬挂晾晒衣物、横幅或杂物', 'Laundry, banners or rubbish hung on trees', 4, 'work_hours', '悬挂物已清除', 'the things are taken down'),
    ]],
    ['16', '油烟污染', 'Cooking fume pollution', [
      when('餐饮单位油烟未经净化直排', 'Restaurant fumes discharged without a purifier', 5, 'work_days', '已安装净化设施或停止直排', 'a purifier is installed or the discharge has stopped'),
    ], false],
  ]),
  ...group('event', '02', [
    ['01', '非法小广告', 'Illegal small advertisements', [
      when('张贴、涂写、刻画的非法小广告', 'Illegal small advertisements posted, painted or carved', 8, 'work_hours', '小广告清除干净，无明显痕迹', 'removed without visible traces'),
    ]],
    ['02', '违章张贴悬挂广告牌匾', 'Unauthorised banners and signs', [
      when('未经批准悬挂横幅、条幅或设置牌匾', 'Banners, streamers or signs put up without approval', 2, 'work_days', '已拆除', 'taken down'),
    ]],
    ['03', '占道广告牌', 'Advertising board on the pavement', [
      when('占用道路设置的广告牌、展板', 'Advertising board or display standing on the road or pavement', 4, 'work_hours', '广告牌已撤离', 'the board is removed'),
    ]],
    ['04', '街头散发广告', 'Handing out flyers', [
      when('街头散发广告、传单', 'Flyers handed out in the street', 2, 'work_hours', '散发行为已制止，散落传单清理', 'stopped and the scattered flyers cleared'),
    ]],
  ]),
  ...group('event', '03', [
    ['01', '施工扰民', 'Construction noise at night', [
      when('夜间（22:00-6:00）未经许可施工产生噪声', 'Construction noise at night (22:00-06:00) without a permit', 2, 'urgent_hours', '已停止夜间施工', 'night work has stopped'),
    ]],
    ['02', '工地扬尘', 'Construction dust', [
      when('工地裸土未覆盖、未洒水降尘', 'Bare soil on a site uncovered or not sprayed', 8, 'work_hours', '裸土已覆盖，降尘措施到位', 'covered and dust suppressed'),
      when('出入车辆未冲洗带泥上路', 'Vehicles leave the site with muddy wheels', 4, 'work_hours', '冲洗设施运行，路面清洁', 'wheel washing works and the road is clean'),
    ]],
    ['03', '施工废弃料', 'Construction waste', [
      when('施工废弃料堆放在工地外公共区域', 'Construction waste left outside the site', 1, 'work_days', '废弃料已清运', 'the waste is removed'),
    ]],
    ['04', '施工占道', 'Construction occupying the road', [
      when('施工超范围占用道路或未设警示围挡', 'Works occupy more road than permitted or lack warning fences', 2, 'work_days', '占道范围合规，围挡警示到位', 'within the permitted area, fenced and signed'),
    ]],
    ['05', '无证掘路', 'Unlicensed road excavation', [
      when('未经许可挖掘城市道路', 'A city road dug up without a permit', 4, 'urgent_hours', '已制止并恢复路面或补办手续', 'stopped, and the road restored or the permit obtained'),
    ], false],
    // The items of the construction sites' "8个100%" checklist that no class above names (issue 17).
    ['06', '渣土车未密闭运输', 'Muck truck not sealed', [
      when('渣土车未密闭、带泥上路或沿途撒漏', 'A muck truck runs unsealed, muddy or spilling', 2, 'urgent_hours', '车辆已密闭，撒漏已清理', 'the truck is sealed and the spill cleaned'),
    ]],
    ['07', '扬尘监测监控缺失', 'Dust monitor or camera missing', [
      when('工地未安装或未运行扬尘在线监测、视频监控', 'A site has no working online dust monitor or video camera', 3, 'work_days', '监测和监控设备运行并联网', 'the monitor and camera run and report'),
    ]],
    ['08', '非道路移动机械不达标', 'Non-road machinery not compliant', [
      when('非道路移动机械未登记或排放超标', 'Non-road mobile machinery unregistered or over its emission limit', 3, 'work_days', '机械已登记并达标或已撤场', 'the machine is registered and compliant, or gone'),
    ]],
  ]),
  ...group('event', '04', [
    ['01', '路面塌陷', 'Road collapse', [
      when('路面塌陷或出现空洞', 'Road surface collapsed or hollow', 2, 'urgent_hours', '已设置警示围挡并修复路面', 'fenced off with warnings and the road repaired'),
    ]],
    ['02', '自来水管破裂', 'Burst water main', [
      when('供水管道破裂跑水', 'Water main burst and leaking', 2, 'urgent_hours', '已关阀止水并修复', 'the valve is closed and the main repaired'),
    ]],
    ['03', '燃气管道破裂', 'Gas leak', [
      when('燃气管道破裂或闻到燃气泄漏', 'Gas pipe broken or a smell of gas', 1, 'urgent_hours', '泄漏已控制并修复', 'the leak is stopped and the pipe repaired'),
    ]],
    ['04', '下水道堵塞或破损', 'Blocked or broken sewer', [
      when('下水道堵塞，污水冒溢', 'Sewer blocked and overflowing', 4, 'urgent_hours', '疏通完毕，无冒溢', 'cleared, no more overflow'),
      when('下水道破损', 'Sewer damaged', 3, 'work_days', '已修复', 'repaired'),
    ]],
    ['06', '道路积水', 'Waterlogged road', [
      when('道路积水深度超过 10 厘米，影响通行', 'Water more than 10 cm deep on a road, hindering traffic', 4, 'urgent_hours', '积水已排除', 'the water has drained'),
    ]],
    ['08', '架空线缆损坏', 'Damaged overhead cable', [
      when('架空线缆垂落、断裂', 'Overhead cable hanging down or broken', 2, 'urgent_hours', '线缆已收拢固定或修复', 'the cable is secured or repaired'),
      when('架空线缆凌乱、缠绕树木', 'Overhead cables tangled or wound round trees', 5, 'work_days', '线缆已规整', 'the cables are tidied'),
    ]],
  ]),
  ...group('event', '05', [
    ['01', '无照经营游商', 'Unlicensed street vendor', [
      when('流动摊贩在道路、广场占道经营', 'Mobile vendor trading on a road or square', 2, 'work_hours', '摊贩已离开，现场清洁', 'the vendor has left and the place is clean'),
    ]],
    ['03', '占道废品收购', 'Scrap collection on the road', [
      when('占用道路收购、堆放废品', 'Scrap bought or stored on the road', 4, 'work_hours', '废品已清走，道路恢复', 'the scrap is gone and the road clear'),
    ]],
    ['04', '店外经营', 'Trading outside the shop', [
      when('商户超出门窗、外墙经营或摆放商品', 'A shop trades or displays goods outside its front', 2, 'work_hours', '已退回店内经营', 'trade is back inside the shop'),
    ]],
    ['05', '机动车乱停放', 'Illegally parked car', [
      when('机动车占用人行道、盲道或消防通道停放', 'Car parked on a pavement, tactile path or fire lane', 2, 'work_hours', '车辆已驶离', 'the car has been moved'),
    ]],
    ['06', '非机动车乱停放', 'Badly parked bicycles', [
      when('非机动车、共享单车无序停放，影响通行', 'Bicycles or shared bikes parked in disorder, blocking the way', 2, 'work_hours', '车辆摆放整齐，通道畅通', 'the bikes are lined up and the way is clear'),
    ]],
    ['07', '乱堆物堆料', 'Goods or materials piled up', [
      when('公共区域乱堆物料', 'Goods or materials piled up in a public space', 8, 'work_hours', '物料已清理', 'cleared'),
    ]],
    ['10', '露天烧烤', 'Open-air barbecue', [
      when('占道露天烧烤', 'Barbecue on the street', 2, 'urgent_hours', '烧烤已停止，现场清理', 'stopped and the place cleaned'),
    ]],
    ['11', '沿街晾挂', 'Laundry along the street', [
      when('沿街晾晒衣物、杂物', 'Laundry or things hung out along the street', 4, 'work_hours', '晾挂物已收回', 'taken in'),
    ]],
    // 卡点值守 (checkpoint duty, issue 17).
    ['12', '卡点值守不到位', 'Checkpoint not staffed', [
      when('卡点值守人员脱岗或勤务保障不到位', 'A checkpoint is left unstaffed or without its duty support', 1, 'urgent_hours', '人员到岗，勤务保障到位', 'staff are on post with their support'),
    ]],
    ['13', '重型货车违规通行', 'Heavy truck not diverted', [
      when('重型货车未按规定绕行通过卡点', 'A heavy truck passes the checkpoint instead of taking the diversion', 1, 'urgent_hours', '车辆已劝离绕行', 'the truck has been turned to the diversion'),
    ]],
  ]),
  ...group('event', '06', [
    ['01', '道路破损', 'Damaged road surface', [
      when('路面坑槽、裂缝，面积 0.5 平方米以上', 'Potholes or cracks of 0.5 square metres or more', 3, 'work_days', '路面修复平整', 'the road is repaired and even'),
      when('路面破损严重影响通行安全', 'Road damage seriously endangers traffic', 4, 'urgent_hours', '已设置警示并临时修补', 'signed and temporarily patched'),
    ]],
    ['02', '人行道板破损', 'Damaged paving', [
      when('人行道板松动、缺失或破碎', 'Paving slabs loose, missing or broken', 5, 'work_days', '人行道板修复平整', 'the paving is repaired and even'),
    ]],
    ['03', '盲道损坏或被占', 'Tactile paving damaged or blocked', [
      when('盲道砖破损、缺失或被占用', 'Tactile paving broken, missing or blocked', 3, 'work_days', '盲道完好、连续、通畅', 'the tactile path is whole, continuous and clear'),
    ]],
    ['04', '公共设施损坏', 'Damaged public facility', [
      when('隔离墩、防撞柱、路侧石等设施损坏', 'Bollards, kerbs or separators damaged', 5, 'work_days', '设施修复或更换', 'repaired or replaced'),
    ]],
  ]),
];
