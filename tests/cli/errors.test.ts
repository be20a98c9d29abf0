import { strict as assert } from "node:assert";
import { CliError, describeError, exitCodeOf, NO_AWS_CREDENTIALS, UsageError } from "../../cli/errors";

/** What bin.js prints for an error that ends a command, and the exit code it ends with. */
describe("cli/errors: one line in the user's words, and the exit code", function () {
  it("a CliError is its message alone, no class name; a UsageError exits 2, others 1", function () {
    assert.equal(describeError(new CliError("No sandbox is running.")), "No sandbox is running.");
    assert.equal(exitCodeOf(new CliError("x")), 1);
    assert.equal(describeError(new UsageError("--target must be \"sandbox\" or \"aws\"")), "--target must be \"sandbox\" or \"aws\"");
    assert.equal(exitCodeOf(new UsageError("x")), 2);
    assert.equal(exitCodeOf(new Error("x")), 1);
  });

  it("a CliError from another copy of the module (compiled next to sources) is still recognised", function () {
    const foreign = Object.assign(new Error("from dist"), { name: "CliError", exitCode: 2 });
    assert.equal(describeError(foreign), "from dist");
    assert.equal(exitCodeOf(foreign), 2);
  });

  it("an AWS error keeps its code in front; a missing credential chain says what to configure", function () {
    assert.equal(describeError(Object.assign(new Error("Execution Does Not Exist: 'arn'"), { name: "ExecutionDoesNotExist" })), "ExecutionDoesNotExist: Execution Does Not Exist: 'arn'");
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    assert.equal(describeError(noCredentials), NO_AWS_CREDENTIALS);
    assert.match(NO_AWS_CREDENTIALS, /aws configure.*AWS_PROFILE.*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });

  it("a message over several lines is printed on one", function () {
    assert.equal(describeError(new CliError("Cannot read Pulumi.yaml:\n  bad indentation\n")), "Cannot read Pulumi.yaml: bad indentation");
  });
});
