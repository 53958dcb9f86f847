export * from './import.types';
export * from './import-rejected.error';
export * from './import-files';
export * from './import-file.parser';
export * from './geojson.parser';
export * from './coordinates';
export { CHIEF_COLUMNS, CHIEF_OPTIONAL_COLUMNS } from './chief-lines.parser';
export { communityName, divisionNames, loadDivision, type Division, type DivisionCommunity, type DivisionNames, type DivisionStreet } from './national-divisions';
