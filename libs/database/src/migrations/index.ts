import { SpatialModel1764381600000 } from './1764381600000-SpatialModel';
import { Media1764400000000 } from './1764400000000-Media';
import { Cases1764500000000 } from './1764500000000-Cases';
import { Clocks1764600000000 } from './1764600000000-Clocks';
import { FeedStats1764700000000 } from './1764700000000-FeedStats';
import { Evaluation1764800000000 } from './1764800000000-Evaluation';
import { Bulletins1764900000000 } from './1764900000000-Bulletins';
import { EvaluationRollups1765000000000 } from './1765000000000-EvaluationRollups';
import { DatabaseIdentity1765100000000 } from './1765100000000-DatabaseIdentity';
import { AuditTrail1765200000000 } from './1765200000000-AuditTrail';
import { DemoPasswordMark1765300000000 } from './1765300000000-DemoPasswordMark';
import { Rezoning1765350000000 } from './1765350000000-Rezoning';
import { People1765400000000 } from './1765400000000-People';
import { ReferenceData1765500000000 } from './1765500000000-ReferenceData';
import { TrafficLight1765660000000 } from './1765660000000-TrafficLight';
import { AddressOnlyReports1765700000000 } from './1765700000000-AddressOnlyReports';
import { Suspension1765710000000 } from './1765710000000-Suspension';
import { StageLimits1765720000000 } from './1765720000000-StageLimits';
import { DivisionOutlines1765740000000 } from './1765740000000-DivisionOutlines';
import { Places1765760000000 } from './1765760000000-Places';
import { Supervision1765770000000 } from './1765770000000-Supervision';
import { Departments1765830000000 } from './1765830000000-Departments';

/** Migrations in order. A new migration is added here and nowhere else. */
export const MIGRATIONS = [SpatialModel1764381600000, Media1764400000000, Cases1764500000000, Clocks1764600000000, FeedStats1764700000000, Evaluation1764800000000, Bulletins1764900000000, EvaluationRollups1765000000000, DatabaseIdentity1765100000000, AuditTrail1765200000000, DemoPasswordMark1765300000000, Rezoning1765350000000, People1765400000000, ReferenceData1765500000000, TrafficLight1765660000000, AddressOnlyReports1765700000000, Suspension1765710000000, StageLimits1765720000000, DivisionOutlines1765740000000, Places1765760000000, Supervision1765770000000, Departments1765830000000];
