import type { FunctionComponent } from 'preact';
import { ApiKeysSection } from './api-keys';
import { AuditSection } from './audit';
import { CalendarSection } from './calendar';
import { CatalogueSection } from './catalogue';
import { ChiefsSection } from './chiefs';
import { DepartmentsSection } from './departments';
import { DispatchAccuracySection } from './dispatch-accuracy';
import { FormulasSection } from './formulas';
import { ImportsSection } from './imports';
import { InspectionPlansSection } from './inspection-plans';
import { NotificationChannelsSection } from './notification-channels';
import { PeopleSection } from './people';
import { StageLimitsSection } from './stage-limits';
import { StageTimelinessSection } from './stage-timeliness';

/** One tab of `/admin`: its path segment, its name in both languages, and its page. */
export interface AdminSection {
  id: string;
  name: readonly [zh: string, en: string];
  page: FunctionComponent;
  /** District admins only (a street-level admin does not see the tab). */
  districtOnly?: boolean;
}

/** The tabs of `/admin`, in this order. One line per section: add yours. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: 'audit', name: ['审计记录', 'Audit trail'], page: AuditSection },
  { id: 'people', name: ['人员', 'People'], page: PeopleSection },
  { id: 'catalogue', name: ['类别与标准', 'Categories'], page: CatalogueSection, districtOnly: true },
  { id: 'calendar', name: ['节假日', 'Holidays'], page: CalendarSection, districtOnly: true },
  { id: 'formulas', name: ['考核公式', 'Formulas'], page: FormulasSection, districtOnly: true },
  { id: 'dispatch', name: ['派遣准确率', 'Dispatch accuracy'], page: DispatchAccuracySection },
  { id: 'stages', name: ['环节按时率', 'Stage timeliness'], page: StageTimelinessSection },
  { id: 'stage-limits', name: ['环节时限', 'Stage limits'], page: StageLimitsSection, districtOnly: true },
  { id: 'api-keys', name: ['API 密钥', 'API keys'], page: ApiKeysSection, districtOnly: true },
  { id: 'chiefs', name: ['路长值班', 'Chiefs on duty'], page: ChiefsSection },
  { id: 'departments', name: ['部门', 'Departments'], page: DepartmentsSection, districtOnly: true },
  { id: 'inspections', name: ['巡查与值守', 'Inspections and duty'], page: InspectionPlansSection },
  { id: 'imports', name: ['导入', 'Imports'], page: ImportsSection, districtOnly: true },
  { id: 'notifications', name: ['通知渠道', 'Notifications'], page: NotificationChannelsSection, districtOnly: true },
];
