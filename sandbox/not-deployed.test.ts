import * as assert from "node:assert/strict";
import type { ModelResource, ProgramModel } from "./program-model";
import { describeNotDeployed, notDeployed } from "./not-deployed";

const resource = (type: string, name: string, inputs: Record<string, unknown> = {}, custom = true): ModelResource => ({ type, name, urn: `urn:${name}`, id: name, custom, inputs, state: {} });
const model = (resources: ModelResource[]): ProgramModel => ({ project: "p", stack: "dev", region: "us-east-1", accountId: "123456789012", resources, outputs: {} });

describe("what the sandbox does not deploy from a program, said at start", () => {
  it("lists each resource of a type it does not run, and a function it cannot run, with why and what fails", () => {
    const listed = notDeployed(
      model([
        resource("aws:ecs/cluster:Cluster", "workers"),
        resource("aws:lambda/function:Function", "legacy", { runtime: "java21", code: { archive: true, assets: {} } }),
        resource("aws:lambda/function:Function", "fine", { runtime: "nodejs22.x", code: { archive: true, assets: { "index.js": { text: "" } } } }),
        resource("aws:s3/bucket:Bucket", "data"),
        resource("aws:s3/bucketVersioning:BucketVersioning", "data-versioning"),
        resource("my:index:Component", "group", {}, false),
        resource("pulumi:providers:aws", "default"),
      ]),
    );
    assert.deepEqual(listed.map((n) => [n.type, n.name]), [
      ["aws:ecs/cluster:Cluster", "workers"],
      ["aws:lambda/function:Function", "legacy"],
    ]);
    assert.equal(
      describeNotDeployed(listed[0]),
      'aws:ecs/cluster:Cluster "workers": not deployed, the sandbox has no ecs resources of this type; a Task or function calling it fails (the sandbox refuses the integration or has no such resource)',
    );
    assert.match(describeNotDeployed(listed[1]), /"legacy": not deployed, runtime java21 is not one the sandbox runs .*; a Task or SDK call invoking it fails with Lambda\.ResourceNotFoundException/);
  });
});
