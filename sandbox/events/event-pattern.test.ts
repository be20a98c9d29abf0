import * as assert from "node:assert/strict";
import { compileEventPattern } from "./event-pattern";

const matches = (pattern: unknown, event: unknown) => compileEventPattern(JSON.stringify(pattern))(event);

/** The EC2 state-change event of "Amazon EventBridge events" / "Amazon EventBridge event patterns". */
const EC2_EVENT = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

describe("EventBridge event patterns (AWS's documented semantics and examples)", () => {
  it('"Amazon EventBridge event patterns": exact values, AND across fields, OR within a field\'s array', () => {
    const pattern = { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], detail: { state: ["running", "terminated"] } };
    assert.equal(matches(pattern, EC2_EVENT), true);
    assert.equal(matches({ ...pattern, detail: { state: ["running"] } }, EC2_EVENT), false);
    assert.equal(matches({ source: ["aws.s3"] }, EC2_EVENT), false);
    // A field the pattern names but the event lacks: no match. Matching is case-sensitive.
    assert.equal(matches({ detail: { missing: ["x"] } }, EC2_EVENT), false);
    assert.equal(matches({ source: ["AWS.EC2"] }, EC2_EVENT), false);
  });

  it('"Event pattern matching arrays": an event array matches when it shares any value with the pattern', () => {
    const event = { ...EC2_EVENT, resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f", "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"] };
    assert.equal(matches({ resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-east-1:999999999999:instance/i-x"] }, event), true);
    assert.equal(matches({ resources: ["arn:aws:ec2:us-east-1:999999999999:instance/i-x"] }, event), false);
  });

  it("Content filtering, prefix: \"time\" starting with 2017-10-02; with equals-ignore-case", () => {
    assert.equal(matches({ time: [{ prefix: "2017-10-02" }] }, { time: "2017-10-02T18:43:48Z" }), true);
    assert.equal(matches({ time: [{ prefix: "2017-10-02" }] }, { time: "2017-10-03T18:43:48Z" }), false);
    const ignoringCase = { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } };
    assert.equal(matches(ignoringCase, { detail: { service: "eventbridge" } }), true);
    assert.equal(matches(ignoringCase, { detail: { service: "EVENTBRIDGE" } }), true);
    assert.equal(matches(ignoringCase, { detail: { service: "sns" } }), false);
    // Prefix matching is for strings only.
    assert.equal(matches({ detail: { n: [{ prefix: "1" }] } }, { detail: { n: 12 } }), false);
  });

  it("Content filtering, suffix: FileName ending in .png; with equals-ignore-case", () => {
    assert.equal(matches({ FileName: [{ suffix: ".png" }] }, { FileName: "image.png" }), true);
    assert.equal(matches({ FileName: [{ suffix: ".png" }] }, { FileName: "image.PNG" }), false);
    assert.equal(matches({ detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } }, { detail: { FileName: "image.PNG" } }), true);
  });

  it("Content filtering, anything-but: a string, a number, lists, a prefix, a suffix, ignoring case, a wildcard", () => {
    const state = (s: unknown) => ({ detail: { state: s } });
    assert.equal(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, state("running")), true);
    assert.equal(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, state("initializing")), false);
    assert.equal(matches({ detail: { "x-limit": [{ "anything-but": 123 }] } }, { detail: { "x-limit": 124 } }), true);
    assert.equal(matches({ detail: { "x-limit": [{ "anything-but": 123 }] } }, { detail: { "x-limit": 123 } }), false);
    assert.equal(matches({ detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, state("overloaded")), false);
    assert.equal(matches({ detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, state("running")), true);
    assert.equal(matches({ detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, { detail: { "x-limit": 200 } }), false);
    assert.equal(matches({ detail: { state: [{ "anything-but": { prefix: "init" } }] } }, state("initializing")), false);
    assert.equal(matches({ detail: { state: [{ "anything-but": { prefix: "init" } }] } }, state("running")), true);
    assert.equal(matches({ FileName: [{ "anything-but": { suffix: ".png" } }] }, { FileName: "a.png" }), false);
    assert.equal(matches({ state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] }, { state: "INITIALIZING" }), false);
    assert.equal(matches({ state: [{ "anything-but": { "equals-ignore-case": ["initializing", "stopped"] } }] }, { state: "Running" }), true);
    assert.equal(matches({ FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] }, { FilePath: "/usr/lib/x.so" }), false);
    assert.equal(matches({ FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] }, { FilePath: "/usr/bin/x" }), true);
    // anything-but needs the field: an absent field is not "anything but".
    assert.equal(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, { detail: {} }), false);
  });

  it("Content filtering, numeric: the documented ranges and the = comparison (3.018e2)", () => {
    const pattern = { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ numeric: ["=", 3.018e2] }] } };
    assert.equal(matches(pattern, { detail: { "c-count": 5, "d-count": 9.99, "x-limit": 301.8 } }), true);
    assert.equal(matches(pattern, { detail: { "c-count": 0, "d-count": 9, "x-limit": 301.8 } }), false);
    assert.equal(matches(pattern, { detail: { "c-count": 3, "d-count": 10, "x-limit": 301.8 } }), false);
    // "Numeric matching works with values that are JSON numbers": a numeric string does not match.
    assert.equal(matches(pattern, { detail: { "c-count": "3", "d-count": 1, "x-limit": 301.8 } }), false);
  });

  it("Content filtering, IP address: cidr for IPv4 and IPv6", () => {
    const v4 = { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } };
    assert.equal(matches(v4, { detail: { sourceIPAddress: "10.0.0.24" } }), true);
    assert.equal(matches(v4, { detail: { sourceIPAddress: "10.0.1.1" } }), false);
    const v6 = { sourceIPAddress: [{ cidr: "2001:db8::/32" }] };
    assert.equal(matches(v6, { sourceIPAddress: "2001:db8:85a3::8a2e:370:7334" }), true);
    assert.equal(matches(v6, { sourceIPAddress: "2001:db9::1" }), false);
    assert.equal(matches(v6, { sourceIPAddress: "10.0.0.1" }), false);
  });

  it("Content filtering, exists: true/false on leaf nodes only (the documented c-count examples)", () => {
    const absent = { detail: { "c-count": [{ exists: false }] } };
    assert.equal(matches(absent, { detail: { state: ["initializing", "running"] } }), true);
    // "also matches the following event because c-count isn't a leaf node".
    assert.equal(matches(absent, { detail: { state: ["initializing", "running"], "c-count": { c1: 100 } } }), true);
    assert.equal(matches(absent, { detail: { "c-count": 1 } }), false);
    assert.equal(matches({ detail: { state: [{ exists: true }] } }, { detail: { state: "x" } }), true);
    assert.equal(matches({ detail: { state: [{ exists: true }] } }, { detail: {} }), false);
  });

  it("equals-ignore-case, wildcard (with escapes), null and empty values", () => {
    assert.equal(matches({ "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] }, EC2_EVENT), true);
    const wildcard = { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] };
    assert.equal(matches(wildcard, { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/default" }), true);
    assert.equal(matches(wildcard, { EventBusArn: "arn:aws:events:us-west-2:123456789012:event-bus/default" }), false);
    assert.equal(matches({ a: [{ wildcard: "x\\*y" }] }, { a: "x*y" }), true);
    assert.equal(matches({ a: [{ wildcard: "x\\*y" }] }, { a: "xzy" }), false);
    // "Matching null values and empty strings": null matches a null value, "" an empty string, not absence.
    assert.equal(matches({ responseElements: [null] }, { responseElements: null }), true);
    assert.equal(matches({ responseElements: [null] }, {}), false);
    assert.equal(matches({ eventVersion: [""] }, { eventVersion: "" }), true);
  });

  it('"$or": any alternative, at the top level and nested', () => {
    const nested = { detail: { $or: [{ "c-count": [{ numeric: [">", 0, "<=", 5] }] }, { "d-count": [{ numeric: ["<", 10] }] }, { "x-limit": [{ numeric: ["=", 3.018e2] }] }] } };
    assert.equal(matches(nested, { detail: { "d-count": 3 } }), true);
    assert.equal(matches(nested, { detail: { "c-count": 9, "d-count": 11 } }), false);
    const top = { source: ["aws.glue"], $or: [{ "detail-type": ["Glue Job State Change"] }, { detail: { state: ["FAILED"] } }] };
    assert.equal(matches(top, { source: "aws.glue", "detail-type": "Glue Job State Change", detail: {} }), true);
    assert.equal(matches(top, { source: "aws.glue", "detail-type": "Other", detail: { state: "SUCCEEDED" } }), false);
  });

  it("the Glue Job State Change pattern of \"AWS Glue events\" (source, detail-type, detail.state, jobName)", () => {
    const pattern = { source: ["aws.glue"], "detail-type": ["Glue Job State Change"], detail: { jobName: ["etl"], state: ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED"] } };
    const event = (state: string, jobName = "etl") => ({ source: "aws.glue", "detail-type": "Glue Job State Change", detail: { jobName, severity: "INFO", state, jobRunId: "jr_1", message: "m" } });
    assert.equal(matches(pattern, event("FAILED")), true);
    assert.equal(matches(pattern, event("RUNNING")), false);
    assert.equal(matches(pattern, event("SUCCEEDED", "other")), false);
  });

  it("refuses invalid patterns with InvalidEventPatternException, naming the problem", () => {
    const invalid: [string, RegExp][] = [
      ["[]", /not an object/],
      ["not json", /not JSON/],
      [JSON.stringify({ source: "aws.ec2" }), /Match value must be/],
      [JSON.stringify({ source: [] }), /Empty arrays/],
      [JSON.stringify({ source: [{ bogus: 1 }] }), /Unrecognized match type bogus/],
      [JSON.stringify({ n: [{ numeric: [">", "x"] }] }), /must be a number/],
      [JSON.stringify({ n: [{ numeric: ["<", 5, ">", 1] }] }), /Bad numeric range/],
      [JSON.stringify({ a: [{ exists: "yes" }] }), /true or false/],
      [JSON.stringify({ a: [{ cidr: "10.0.0.0/33" }] }), /Malformed CIDR/],
      [JSON.stringify({ a: [{ wildcard: "a**b" }] }), /Consecutive wildcard/],
      [JSON.stringify({ a: [{ "anything-but": ["x", 1] }] }), /mixed types/],
      [JSON.stringify({ $or: [{ a: ["x"] }] }), /at least two/],
      [JSON.stringify({ a: ["x".repeat(5000)] }), /longer than 4096/],
    ];
    for (const [text, reason] of invalid) {
      assert.throws(
        () => compileEventPattern(text),
        (e: Error) => e.name === "InvalidEventPatternException" && e.message.startsWith("Event pattern is not valid. Reason: ") && reason.test(e.message),
        text.slice(0, 60),
      );
    }
  });
});
