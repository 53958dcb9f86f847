import { cornerLat, cornerLng, DEMO_FRAME } from './grid-layout';
import { EAST_WEST_ROADS, NORTH_SOUTH_ROADS, planRoads } from './road-network';

const DAY_MS = 86_400_000;

export interface DemoPlace {
  kind: 'site' | 'market' | 'checkpoint';
  name: string;
  address: string;
  lng: number;
  lat: number;
  /** Demo login of the person responsible. */
  responsible: string;
}

export interface DemoProgress {
  /** Days before the plan's end. */
  daysAgo: number;
  milestoneCode?: string;
  done?: boolean;
  percent?: number;
  note: string;
}

export interface DemoCampaignPlan {
  /** Construction sites under the 8个100% checklist (their plans are the inspection plans' to make). */
  sites: DemoPlace[];
  /** Checkpoints at junctions (卡点), diverting heavy trucks; their responsible person is a leader (值班长), whom a missed shift reaches. */
  checkpoints: DemoPlace[];
  campaign: {
    name: string;
    kind: string;
    from: Date;
    to: Date;
    owner: string;
    milestones: { code: string; name: string; dueAt: Date }[];
  };
  /** The five markets of 市场外迁, each with its owner (分包领导) and what was reported so far. */
  markets: (DemoPlace & { owner: string; progress: DemoProgress[] })[];
}

/** The centre of the cell south-east of a junction of two roads, nudged `cells` cells east. */
function nearJunction(eastWest: (typeof EAST_WEST_ROADS)[number], northSouth: (typeof NORTH_SOUTH_ROADS)[number], cells = 0): { lng: number; lat: number } {
  const roads = planRoads(DEMO_FRAME);
  const row = roads.find((r) => r.name === eastWest)!.segments[0].from.row;
  const col = roads.find((r) => r.name === northSouth)!.segments[0].from.col;
  return { lng: round(cornerLng(DEMO_FRAME, col + cells + 0.5)), lat: round(cornerLat(DEMO_FRAME, row + 0.5)) };
}

const round = (v: number) => Math.round(v * 1e7) / 1e7;

/**
 * The demo district's campaigns and inspections (issue 17 item 8): a handful of construction sites
 * inspected under 8个100%, two checkpoints at 通站路 junctions, and the 市场外迁 campaign of five
 * markets with its milestones (摸清底数, 限期关停, 年底外迁) relative to `end` (now): four markets
 * surveyed in time and one not (overdue once the dispatcher's timers run), two closed, none moved.
 */
export function planDemoCampaign(end: Date): DemoCampaignPlan {
  const ago = (days: number) => new Date(end.getTime() - days * DAY_MS);
  const yearEnd = new Date(Date.UTC(end.getUTCFullYear(), 11, 31, 10, 0, 0));
  const moveDue = yearEnd.getTime() > end.getTime() + 14 * DAY_MS ? yearEnd : new Date(end.getTime() + 45 * DAY_MS);
  const site = (name: string, at: { lng: number; lat: number }, address: string): DemoPlace => ({ kind: 'site', name, address, ...at, responsible: 'warden1' });
  const market = (name: string, at: { lng: number; lat: number }, owner: string, progress: DemoProgress[]) => ({
    kind: 'market' as const,
    name,
    address: `${name}（管城回族区）`,
    ...at,
    responsible: owner,
    owner,
    progress,
  });
  return {
    sites: [
      site('紫荆山路东侧安置房项目工地', nearJunction('陇海路', '紫荆山路', 2), '紫荆山路与陇海路交叉口东南'),
      site('航海东路地铁站工地', nearJunction('航海东路', '未来路', 1), '航海东路与未来路交叉口'),
      site('南三环快速路改造工地', nearJunction('南三环', '城东路', 3), '南三环城东路段'),
      site('文治路商住项目工地', nearJunction('文治路', '港湾路', 2), '文治路与港湾路交叉口'),
      site('商都路学校扩建工地', nearJunction('商都路', '中州大道', 1), '商都路中州大道段'),
    ],
    checkpoints: [
      { kind: 'checkpoint', name: '通站路与南三环卡点', address: '通站路与南三环交叉口', ...nearJunction('南三环', '通站路'), responsible: 'zhiban1' },
      { kind: 'checkpoint', name: '通站路与文治路卡点', address: '通站路与文治路交叉口', ...nearJunction('文治路', '通站路'), responsible: 'zhiban1' },
    ],
    campaign: {
      name: '市场外迁',
      kind: 'market_relocation',
      from: ago(30),
      to: new Date(moveDue.getTime() + DAY_MS),
      owner: 'leader',
      milestones: [
        { code: 'survey', name: '摸清底数', dueAt: ago(7) },
        { code: 'close', name: '限期关停', dueAt: new Date(end.getTime() + 5 * DAY_MS) },
        { code: 'move', name: '年底外迁', dueAt: moveDue },
      ],
    },
    markets: [
      market('南三环建材市场', nearJunction('南三环', '未来路', 2), 'chief1', [
        { daysAgo: 12, milestoneCode: 'survey', done: true, percent: 30, note: '摸清底数：商户 126 户，无证 18 户' },
        { daysAgo: 3, milestoneCode: 'close', done: true, percent: 60, note: '无证商户已全部关停，一场一策方案已报' },
      ]),
      market('东大街小商品市场', nearJunction('东大街', '二里岗南街', 1), 'chief1', [
        { daysAgo: 10, milestoneCode: 'survey', done: true, percent: 25, note: '摸清底数：商户 84 户' },
        { daysAgo: 1, milestoneCode: 'close', done: true, percent: 55, note: '限期关停完成，指挥部每日例会' },
      ]),
      market('航海东路农副产品市场', nearJunction('航海东路', '港湾路', 3), 'chief2', [
        { daysAgo: 9, milestoneCode: 'survey', done: true, percent: 20, note: '摸清底数：商户 203 户' },
        { daysAgo: 2, percent: 40, note: '已约谈市场方，关停方案审议中' },
      ]),
      market('城东路五金市场', nearJunction('郑汴路', '城东路', 2), 'chief2', [{ daysAgo: 8, milestoneCode: 'survey', done: true, percent: 20, note: '摸清底数：商户 57 户' }]),
      market('文治路二手车市场', nearJunction('文治路', '金岱路', 1), 'chief3', [{ daysAgo: 4, percent: 10, note: '摸底推进中，部分商户未配合' }]),
    ],
  };
}
