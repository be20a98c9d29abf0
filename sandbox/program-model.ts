/**
 * The resource model the sandbox materializes (see ./model.ts): every resource the Pulumi program declares,
 * with resolved inputs and the state the mocks computed. Type-only, so the sandbox never loads Pulumi.
 */
export type { ModelResource, ProgramModel } from "./model";
