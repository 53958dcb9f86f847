/** A member of a demo department: a demo login of role `department` with the demo password. */
export interface DemoDepartmentMember {
  username: string;
  name: string;
  /** The department's leader (部门负责人): decides its members' appeals, gets its escalations. */
  leader: boolean;
}

/** A demo department as `POST /admin/departments` takes it, with its people. */
export interface DemoDepartment {
  code: string;
  name: string;
  /** The categories of its trade (管行业必须管…): their cases go to it, the road chief coordinating. */
  categoryCodes: string[];
  /** None: it serves every street of the district. */
  streetCodes: string[];
  members: DemoDepartmentMember[];
}

const department = (code: string, name: string, login: string, categoryCodes: string[], people: [string, string?]): DemoDepartment => ({
  code,
  name,
  categoryCodes: [...categoryCodes].sort(),
  streetCodes: [],
  members: people.flatMap((personName, i) => (personName ? [{ username: `dept-${login}${i + 1}`, name: personName, leader: i === 0 }] : [])),
});

/**
 * The demo district's departments (domain.md 9, issue 18): the trades a first look shows handling
 * their own problems, each over the whole district, with a leader and one or two members whose
 * logins are `dept-<trade>N` (the first one leads). No category belongs to two of them, so the
 * routing of a category is never a choice between departments.
 */
export function planDemoDepartments(): DemoDepartment[] {
  return [
    // 燃气管道破裂 (gas leak), 燃气井盖.
    department('GAS', '燃气公司', 'gas', ['E0403', 'C0111'], ['郑燃明', '马海波']),
    // 市政设施: 道路破损, 人行道板破损, 盲道, 公共设施损坏; 路面塌陷, 下水道.
    department('MUNI', '市政局', 'muni', ['E0601', 'E0602', 'E0603', 'E0604', 'E0401', 'E0404'], ['管建华', '白志宏']),
    // 油烟污染, 工地扬尘, 渣土车未密闭运输, 扬尘监测监控缺失, 非道路移动机械不达标.
    department('ENV', '环保局', 'env', ['E0116', 'E0302', 'E0306', 'E0307', 'E0308'], ['蓝天宇']),
    // 私搭乱建, 无照经营游商, 店外经营, 露天烧烤.
    department('LAW', '执法局', 'law', ['E0101', 'E0501', 'E0504', 'E0510'], ['穆振东', '沙立新']),
  ];
}
