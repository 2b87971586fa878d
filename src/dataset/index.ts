/** The dataset API: the store, import/export, readTable and the schema types. */
export { openStore, Store, type EmbeddingMatrix, type StoreOptions } from "./store.ts";
export { readTable, type Table, type ReadTableOptions } from "./read-table.ts";
export { aggregateFinalScore } from "./aggregate.ts";
export { importFile, readMappingFile, IMPORT_FORMATS, type ImportFormat, type ImportOptions, type ImportResult, type ColumnMapping } from "./import.ts";
export { exportCsv, exportHf, exportParquet, exportTable, USAGE_RESTRICTIONS, type HfExportOptions, type HfExportResult } from "./export.ts";
export { importHf, parquetSchema, type HfImportOptions, type HfImportResult } from "./hf-import.ts";
export { fetchHfDataset, hfEnvironment, listHfFiles, HfHubError, type HfEnvironment, type HfSnapshot } from "./hf-hub.ts";
export { planMapping, formatMappingPlan, type MappingPlan, type PlannedColumn } from "./hf-mapping.ts";
export { parseHfPath, resolveHfPath } from "./hf-path.ts";
export { storeInfo, formatStoreInfo, type StoreInfo } from "./info.ts";
export { storeDigest, type TableDigest } from "./digest.ts";
export { writeTableCsv, type ColumnTable } from "./write-csv.ts";
export { LAYOUTS, type LayoutColumn } from "./layout.ts";
export {
  PersonRow, FaceAttributesRow, TraitAssessmentRow, FinalScoresRow, EmbeddingRow, CategoryRow, RunInput, Flavour, EmbeddingKind,
  FACIAL_ATTRIBUTES, PERSONAX_TABLES, SCHEMA_VERSION, type RunRecord, type PersonaxTable,
} from "./schema.ts";
