import * as assert from "node:assert/strict";
import { compileFilterPolicy, type FilteredMessage } from "./filter-policy";

/**
 * Expected verdicts from the SNS Developer Guide's filtering pages: the example message with attributes
 * customer_interests (String.Array), price_usd (Number), store and event (String), "Filter policy constraints"
 * and "Amazon SNS filter policy scope".
 */
const EXAMPLE: FilteredMessage = {
  message: "order placed",
  attributes: {
    customer_interests: { DataType: "String.Array", StringValue: '["soccer", "rugby", "hockey"]' },
    price_usd: { DataType: "Number", StringValue: "210.75" },
    store: { DataType: "String", StringValue: "example_corp" },
    event: { DataType: "String", StringValue: "order_placed" },
  },
};

const policy = (p: unknown, scope?: string) => compileFilterPolicy(JSON.stringify(p), scope);

describe("SNS filter policies", () => {
  it("accepts the guide's example message with the guide's accepting policy (AND over keys, OR within a key)", () => {
    const accepting = policy({ store: ["example_corp"], event: [{ "anything-but": "order_cancelled" }], customer_interests: ["rugby", "football", "baseball"], price_usd: [{ numeric: [">=", 100] }] });
    assert.equal(accepting(EXAMPLE), true);
    assert.equal(policy({ store: ["example_corp"], event: ["order_cancelled"] })(EXAMPLE), false);
  });

  it("compares Number attributes as numbers, String.Array attributes element by element, and ignores Binary ones", () => {
    assert.equal(policy({ price_usd: [210.75] })(EXAMPLE), true);
    // A string value does not match a Number attribute, nor a numeric condition a String one.
    assert.equal(policy({ price_usd: ["210.75"] })(EXAMPLE), false);
    assert.equal(policy({ store: [{ numeric: [">", 0] }] })(EXAMPLE), false);
    assert.equal(policy({ customer_interests: [{ prefix: "hock" }] })(EXAMPLE), true);
    const binary: FilteredMessage = { message: "m", attributes: { picture: { DataType: "Binary" } } };
    assert.equal(policy({ picture: [{ exists: true }] })(binary), false);
    assert.equal(policy({ picture: [{ exists: false }] })(binary), true);
  });

  it("does not match a message without the attributes a policy names", () => {
    assert.equal(policy({ store: ["example_corp"] })({ message: "m", attributes: {} }), false);
  });

  it("MessageBody scope: matches the JSON message, nested as the policy; a message that is not a JSON object matches nothing", () => {
    const body = policy({ order: { store: ["example_corp"], total: [{ numeric: [">", 100] }] } }, "MessageBody");
    assert.equal(body({ message: JSON.stringify({ order: { store: "example_corp", total: 210.75 } }), attributes: {} }), true);
    assert.equal(body({ message: JSON.stringify({ order: { store: "example_corp", total: 99 } }), attributes: {} }), false);
    assert.equal(body({ message: "not json", attributes: {} }), false);
  });

  it("refuses what Subscribe refuses: nesting in attribute scope, over 5 keys, over 150 combinations, wildcard, a bad scope", () => {
    const refused = (p: unknown, message: RegExp, scope?: string) => assert.throws(() => policy(p, scope), { name: "InvalidParameter", message });
    refused({ order: { store: ["x"] } }, /MessageAttributes does not support nested filter policy/);
    refused({ a: ["1"], b: ["1"], c: ["1"], d: ["1"], e: ["1"], f: ["1"] }, /more than 5 keys/);
    refused({ a: Array.from({ length: 151 }, (_, i) => `v${i}`) }, /too complex \(151 combinations/);
    refused({ a: Array.from({ length: 13 }, (_, i) => `a${i}`), b: Array.from({ length: 12 }, (_, i) => `b${i}`) }, /too complex \(156 combinations/);
    refused({ a: [{ wildcard: "x*" }] }, /wildcard/);
    refused({ a: ["x"] }, /FilterPolicyScope: Invalid value \[Everything\]/, "Everything");
    refused({ a: [] }, /Empty arrays are not allowed/);
    assert.throws(() => compileFilterPolicy("{not json", undefined), { name: "InvalidParameter", message: /FilterPolicy: failed to parse JSON/ });
  });
});
