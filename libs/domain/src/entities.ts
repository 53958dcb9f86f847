import { Category } from './catalogue/category.entity';
import { CategoryStandard } from './catalogue/category-standard.entity';
import { Holiday } from './calendar/holiday.entity';
import { Community } from './district/community.entity';
import { District } from './district/district.entity';
import { GridCell } from './district/grid-cell.entity';
import { Street } from './district/street.entity';
import { Road } from './network/road.entity';
import { RoadChief } from './network/road-chief.entity';
import { RoadChiefScope } from './network/road-chief-scope.entity';
import { RoadSegment } from './network/road-segment.entity';
import { User } from './people/user.entity';
import { WardenCell } from './people/warden-cell.entity';

/** Every TypeORM entity of the platform, for the DataSource. */
export const ENTITIES = [
  District, Street, Community, GridCell,
  Road, RoadSegment, RoadChief, RoadChiefScope,
  User, WardenCell,
  Category, CategoryStandard, Holiday,
];
