/** Public entry: what other Pulumi programs import. */
export * from "./asl";
export * from "./etlPipeline";
export * from "./etlSettings";
export * from "./iam";
export * from "./patterns";
export { taskPermissions, UnsupportedTaskPermissionsError } from "./taskPermissions";
export * from "./validatedStateMachine";
