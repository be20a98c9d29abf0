/**
 * The policy pack, as the Pulumi CLI loads it (`pulumi preview --policy-pack policy`). Constructing a
 * PolicyPack starts the analyzer server, so tests and the offline check import ./policies instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("sfn-integration-patterns", {
  description: "Step Functions: Glue tasks must wait (.sync, task token or polling loop), callbacks must pass their token, patterns must exist.",
  policies,
});
