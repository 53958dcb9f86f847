import { AuditEntry } from './audit/audit-entry.entity';
import { Category } from './catalogue/category.entity';
import { CategoryStandard } from './catalogue/category-standard.entity';
import { Holiday } from './calendar/holiday.entity';
import { District } from './district/district.entity';
import { Street } from './district/street.entity';
import { RoadChief } from './network/road-chief.entity';
import { User } from './people/user.entity';
import { WardenCell } from './people/warden-cell.entity';
import { ApiKey } from './open311/api-key.entity';

/**
 * The TypeORM entities of the platform, for the DataSource: the tables read and written as plain
 * rows through repositories. Spatial and hot-path tables keep their SQL in their owner, without an
 * entity; an entity that nothing uses is deleted.
 */
export const ENTITIES = [
  District, Street,
  RoadChief,
  User, WardenCell,
  Category, CategoryStandard, Holiday,
  AuditEntry,
  ApiKey,
];
