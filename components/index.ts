/** Public entry: what other Pulumi programs import. Helpers the components use internally stay out. */
export { EtlPipeline } from "./etlPipeline";
export type { EtlJobSettings, EtlPipelineArgs, FunctionSettings } from "./etlPipeline";
export { StateMachineDefinitionError, ValidatedStateMachine } from "./validatedStateMachine";
export type { DefinitionExemption, TaskIntegration, ValidatedStateMachineArgs } from "./validatedStateMachine";
export { buildPattern, eventDrivenCallback, PATTERN_NAMES, requestResponse, runJob, TASK_TOKEN_ARGUMENT, waitForCallback } from "./patterns";
export type { PatternName, PatternOptions, PatternQueryLanguage, PatternTargets, PatternTimeouts } from "./patterns";
export type {
  AslCatcher,
  AslDefinition,
  AslFailState,
  AslOtherState,
  AslPassState,
  AslRetrier,
  AslState,
  AslSucceedState,
  AslTaskState,
  AslValue,
} from "./asl";
export {
  COLUMN_TYPES,
  ETL_ENGINES,
  FILTER_OPERATORS,
  GLUE_MAX_TIMEOUT_MINUTES,
  LOG_RETENTION_DAYS,
  ORDERS_SCHEMA,
  PYTHON_SHELL_CAPACITIES,
  SettingError,
} from "./etlSettings";
export type { Column, ColumnType, EtlEngine, FilterOperator, RowFilter } from "./etlSettings";
export { MIN_SPARK_WORKERS, SPARK_WORKER_TYPES } from "./glueWorkers";
export {
  DEFAULT_DATA_FILE,
  DEFAULT_FILTER,
  DEFAULT_PATTERN_TIMEOUTS,
  ETL_JOB_DEFAULTS,
  ETL_PIPELINE_DEFAULTS,
  FUNCTION_DEFAULTS,
  SPARK_WORKER_DEFAULTS,
  STATE_MACHINE_DEFAULTS,
} from "./defaults";
export type { PolicyStatement } from "./iam";
export { UnsupportedTaskPermissionsError } from "./taskPermissions";
// What exemptions and findings are written in: the rule ids and the analysis's finding shape.
export { RULE_IDS } from "../policy/analysis/types";
export type { Finding, Level, RuleId, WorkflowType } from "../policy/analysis/types";
